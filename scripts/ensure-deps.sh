#!/usr/bin/env bash
# Installs npm dependencies when package-lock.json changed since the last install. Idempotent;
# downloads are cached by npm under ~/.npm, outside the repo.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
stamp=node_modules/.regcred-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$want" && -x node_modules/.bin/node ]]; then
  exit 0
fi
echo "regcred: installing npm dependencies (cached in ~/.npm)…" >&2
npm ci --no-audit --no-fund --prefer-offline
echo "$want" >"$stamp"
