#!/usr/bin/env bash
# Runs Regcred's controller as its own process (for scale; several replicas coordinate through one
# coordination.k8s.io Lease per cluster). Needs DATABASE_URL (PostgreSQL) and the dashboard's
# REGCRED_ENCRYPTION_KEY. Runs compiled JavaScript on the repo's Node 24: scripts/build-controller.mjs
# bundles scripts/controller.ts and the lib code it uses into dist/controller/ when its inputs changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh
node_modules/.bin/node scripts/build-controller.mjs
# A 1 MB young generation: V8 grows it to 16 MB per semi-space under load, and that stays resident.
exec node_modules/.bin/node --max-semi-space-size=1 dist/controller/controller.mjs "$@"
