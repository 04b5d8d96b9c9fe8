#!/usr/bin/env bash
# Builds the dashboard (`next build` into .next) when its sources changed since the last build. Idempotent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { printf 'regcred: %s\n' "$*" >&2; }
src_hash=$(git ls-files -s -- app components lib db next.config.js package-lock.json tsconfig.json 2>/dev/null | sha256sum | cut -d' ' -f1)
if [[ ! -f .next/BUILD_ID || $(cat .next/.regcred-src 2>/dev/null) != "$src_hash" || -n $(git status --porcelain -- app components lib db next.config.js 2>/dev/null) ]]; then
  say "building the dashboard (next build into .next; a minute or two the first time)"
  npm run build --silent
  echo "$src_hash" >.next/.regcred-src
else
  say "the dashboard build in .next is up to date"
fi
