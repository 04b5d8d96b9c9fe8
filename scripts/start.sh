#!/usr/bin/env bash
# The first README command: install dependencies, build, then start the dashboard (migrations and
# first-start set-up run inside the server). Embedded PGlite under ${REGCRED_DATA_DIR:-./data}
# unless DATABASE_URL is set. Open http://localhost:${PORT:-3000}.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { printf 'regcred: %s\n' "$*" >&2; }
say "step 1/3: npm dependencies"
scripts/ensure-deps.sh
say "step 2/3: the dashboard build"
scripts/ensure-build.sh
if [[ -n ${DATABASE_URL:-} ]]; then
  database="PostgreSQL (DATABASE_URL)"
else
  database="PGlite in ${REGCRED_DATA_DIR:-./data}"
fi
say "step 3/3: starting the dashboard on http://localhost:${PORT:-3000} ($database; it applies database migrations first, then logs \"regcred started\"; Ctrl+C stops it)"
# package.json's start command, run by exec rather than through npm: SIGTERM and Ctrl+C then reach the server
# itself, which stops cleanly (npm would exit and leave the server running).
start_cmd=$(node -p 'require("./package.json").scripts.start')
PATH="$PWD/node_modules/.bin:$PATH" exec bash -c "exec $start_cmd"
