#!/usr/bin/env bash
# The first README command: install dependencies, build, then start the dashboard (migrations and
# first-start set-up run inside the server). Embedded PGlite under ${REGCRED_DATA_DIR:-./data}
# unless DATABASE_URL is set. Open http://localhost:${PORT:-3000}.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh
scripts/ensure-build.sh
exec npm start
