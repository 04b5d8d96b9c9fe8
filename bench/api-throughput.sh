#!/usr/bin/env bash
# Runs bench/api-throughput.ts with tsx on the repo's Node 24: GET /api/orgs/{org}/registries (200 registries)
# against a bare node:http server with the same JSON, as req/s and their ratio. Builds first if .next is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh
[[ -f .next/BUILD_ID ]] || npm run build
exec node_modules/.bin/node node_modules/.bin/tsx bench/api-throughput.ts
