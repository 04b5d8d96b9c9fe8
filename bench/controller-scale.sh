#!/usr/bin/env bash
# Runs bench/controller-scale.ts with tsx on the repo's Node 24 (like scripts/controller.sh).
# Uses the kube-apiserver of KUBECONFIG_ADMIN and the moto of MOTO_URL when set (source a peers env file),
# else starts its own. BENCH_NAMESPACES (default 200) sets the scale.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh
LOG_LEVEL=${LOG_LEVEL:-warn} exec node_modules/.bin/node node_modules/.bin/tsx --conditions=react-server bench/controller-scale.ts
