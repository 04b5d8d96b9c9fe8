#!/usr/bin/env bash
# Controller scale bench (issue 10): see bench/controller-scale.ts and README "Benchmarks".
#
#   bench/controller-scale.sh
#
# Starts a kube-apiserver of its own for each database (PGlite, then PostgreSQL), the PostgreSQL server unless
# PG_ADMIN_URL is set (scripts/peers/postgres-up.sh in a temp dir, stopped at the end), and moto unless MOTO_URL
# is set. Options (env): BENCH_NAMESPACES (1000), BENCH_LATENCY_SAMPLES (50), BENCH_LATENCY_BUDGET_S (120),
# BENCH_REQUEST_SAMPLES (5), BENCH_CHURN_SECONDS (60), BENCH_CHURN_WARMUP_SECONDS (5), BENCH_CHURN_RATE (50),
# BENCH_CONCURRENCY (8, the controller's default), BENCH_BACKENDS (pglite,postgresql).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh
unset KUBECONFIG_ADMIN
work=$(mktemp -d /tmp/regcred-bench-controller.XXXXXX)
chmod 755 "$work"
cleanup() {
  [[ -z ${started_pg:-} ]] || scripts/peers/postgres-down.sh "$work" --purge >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
if [[ ${BENCH_BACKENDS:-pglite,postgresql} == *postgresql* && -z ${PG_ADMIN_URL:-} ]]; then
  started_pg=1
  scripts/peers/postgres-up.sh "$work" >"$work/postgres-up.log" 2>&1 || { cat "$work/postgres-up.log" >&2; exit 1; }
  set -a
  # shellcheck disable=SC1091
  source "$work/pg/env"
  set +a
fi
mkdir -p "$work/data"
# The in-process controller starts the webhook server too: any free port, its CA under the temp dir.
REGCRED_WEBHOOK_PORT=0 REGCRED_DATA_DIR=$work/data LOG_LEVEL=${LOG_LEVEL:-warn} \
  node_modules/.bin/node node_modules/.bin/tsx --conditions=react-server bench/controller-scale.ts
