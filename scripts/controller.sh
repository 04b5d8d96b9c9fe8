#!/usr/bin/env bash
# Runs Regcred's controller as its own process (for scale; several replicas coordinate through one
# coordination.k8s.io Lease per cluster). Needs DATABASE_URL (PostgreSQL) and the dashboard's
# REGCRED_ENCRYPTION_KEY. Runs scripts/controller.ts with tsx on the repo's Node 24;
# `--conditions=react-server` lets the `server-only` guards load outside Next.js.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh
exec node_modules/.bin/node node_modules/.bin/tsx --conditions=react-server scripts/controller.ts "$@"
