#!/usr/bin/env bash
# Regcred side by side with External Secrets Operator v0.16.2 (issue 10). One command:
#   bench/eso/compare.sh                 # N = 100 and 1,000; BENCH_SIZES=100 for a quick run
# Builds ESO once (bench/eso/build.sh, cached under ~/.cache/regcred/eso), starts a kube-apiserver, moto
# (with its request recorder) and PostgreSQL of its own, runs bench/eso/compare.ts on the repo's Node 24,
# stops everything it started. Runs as root (ESO gets an /etc/hosts of its own through `unshare -m`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
scripts/ensure-deps.sh
ESO_BIN=$(bench/eso/build.sh)
ESO_CRDS=$(dirname "$ESO_BIN")/crds-bundle.yaml
export ESO_BIN ESO_CRDS
((EUID == 0)) || { echo "bench/eso/compare.sh needs root (unshare -m, a listener on :443)" >&2; exit 1; }

run=$(mktemp -d /tmp/regcred-eso-peers.XXXXXX)
chmod 755 "$run" # PostgreSQL runs as user postgres
cleanup() { scripts/peers/postgres-down.sh "$run" >/dev/null 2>&1 || true; rm -rf "$run"; }
trap cleanup EXIT
REGCRED_PEERS_QUIET=1 scripts/peers/postgres-up.sh "$run" >/dev/null
set -a
# shellcheck disable=SC1091
source "$run/pg/env"
set +a
# Peers of its own: never a shared kube-apiserver or moto (the counts must be this bench's alone).
unset KUBECONFIG_ADMIN MOTO_URL
export MOTO_ENABLE_RECORDING=true MOTO_RECORDER_FILEPATH=$run/moto-recording.jsonl
LOG_LEVEL=${LOG_LEVEL:-warn} node_modules/.bin/node node_modules/.bin/tsx --conditions=react-server bench/eso/compare.ts
