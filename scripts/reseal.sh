#!/usr/bin/env bash
# Re-seals every registry credential, cluster kubeconfig and webhook token with the current
# REGCRED_ENCRYPTION_KEY, in one transaction; values already on the current key are left alone, so it is
# safe to repeat. Old keys go in REGCRED_ENCRYPTION_KEYS (comma-separated, decrypt only).
# Same variables as the dashboard (REGCRED_DATA_DIR or DATABASE_URL). With the embedded database (PGlite)
# stop the dashboard first: PGlite serves one process only. Prints counts and key ids, never a secret.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh
exec node_modules/.bin/node node_modules/.bin/tsx --conditions=react-server scripts/reseal.ts "$@"
