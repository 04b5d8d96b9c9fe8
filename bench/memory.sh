#!/usr/bin/env bash
# Resident memory of the dashboard (next start, in-process controller; PGlite and PostgreSQL) and of the standalone
# controller, idle and holding 5,000 secrets, against a bare node process in the same run (bench/memory.ts).
# Starts its own kube-apiserver, and its own PostgreSQL unless PG_ADMIN_URL is set. Builds what is stale first.
# Env: BENCH_SECRETS (5000), BENCH_NAMESPACES (100), BENCH_SETTLE_SECONDS (20), BENCH_ONLY=loaded (skip the idle
# cases), BENCH_HEAP_SNAPSHOT=DIR (heap snapshots of the processes holding the cluster, summarised by kind).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh
scripts/ensure-build.sh >&2
node_modules/.bin/node scripts/build-controller.mjs
unset KUBECONFIG_ADMIN
exec node_modules/.bin/node node_modules/.bin/tsx --conditions=react-server bench/memory.ts
