#!/usr/bin/env bash
# The first README command: install dependencies, build, then start the dashboard (migrations and
# first-start set-up run inside the server). Embedded PGlite under ${REGCRED_DATA_DIR:-./data}
# unless DATABASE_URL is set. Open http://localhost:${PORT:-3000}.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh
src_hash=$(git ls-files -s -- app components lib db next.config.js package-lock.json tsconfig.json 2>/dev/null | sha256sum | cut -d' ' -f1)
if [[ ! -f .next/BUILD_ID || $(cat .next/.regcred-src 2>/dev/null) != "$src_hash" || -n $(git status --porcelain -- app components lib db 2>/dev/null) ]]; then
  npm run build
  echo "$src_hash" >.next/.regcred-src
fi
exec npm start
