#!/usr/bin/env bash
# Runs bench/controller-scale.ts with tsx on the repo's Node 24 (like scripts/controller.sh).
# Starts its own kube-apiserver (namespaces cannot be deleted without a controller-manager, and 200 of
# them would make a shared one page its LISTs); BENCH_SHARED_PEERS=1 uses the one of KUBECONFIG_ADMIN.
# Uses the moto of MOTO_URL when set, else its own. BENCH_NAMESPACES (default 200) sets the scale.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh
[[ ${BENCH_SHARED_PEERS:-} == 1 ]] || unset KUBECONFIG_ADMIN
LOG_LEVEL=${LOG_LEVEL:-warn} exec node_modules/.bin/node node_modules/.bin/tsx --conditions=react-server bench/controller-scale.ts
