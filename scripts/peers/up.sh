#!/usr/bin/env bash
# Installs (unless REGCRED_SKIP_INSTALL=1) and starts every test peer, all on 127.0.0.1:
# etcd + kube-apiserver, PostgreSQL and moto, in parallel. Idempotent.
#
#   scripts/peers/up.sh [RUN_DIR]     # default ${REGCRED_PEERS_DIR:-/tmp/regcred-peers}
#
# Writes RUN_DIR/env (KEY=value lines: `set -a; source RUN_DIR/env; set +a`), made of
# RUN_DIR/kube/env, RUN_DIR/pg/env, RUN_DIR/moto/env plus REGISTRY_BIN, CHROMIUM_PATH,
# REGCRED_PEERS_DIR and the peer binaries (HELM_BIN included). The docker-registry is not started here:
# tests start their own with the config they need, from REGISTRY_BIN.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUN_DIR=$(resolve_run_dir "${1:-}")
[[ $RUN_DIR != *[[:space:]]* ]] || die "run dir must not contain whitespace: $RUN_DIR"
T0=$(now_ms)

if [[ ${REGCRED_SKIP_INSTALL:-} != 1 ]]; then
  "$PEERS_SCRIPTS_DIR/install.sh"
fi
T_INSTALL=$(now_ms)

mkdir -p "$RUN_DIR/logs"
declare -A PIDS
for svc in kube postgres moto; do
  REGCRED_PEERS_QUIET=1 "$PEERS_SCRIPTS_DIR/$svc-up.sh" "$RUN_DIR" >"$RUN_DIR/logs/$svc-up.log" 2>&1 &
  PIDS[$svc]=$!
done
FAILED=()
for svc in kube postgres moto; do
  if ! wait "${PIDS[$svc]}"; then
    FAILED+=("$svc")
    log "$svc-up.sh failed; its output ($RUN_DIR/logs/$svc-up.log):"
    sed 's/^/    /' "$RUN_DIR/logs/$svc-up.log" >&2
  fi
done
((${#FAILED[@]} == 0)) || die "failed to start: ${FAILED[*]} (stop the rest with scripts/peers/down.sh $RUN_DIR)"

{
  echo "# Written by scripts/peers/up.sh at $(date -Is). KEY=value, no quoting."
  echo "REGCRED_PEERS_DIR=$RUN_DIR"
  cat "$RUN_DIR/kube/env" "$RUN_DIR/pg/env" "$RUN_DIR/moto/env"
  echo "REGISTRY_BIN=$REGISTRY_BIN"
  echo "CHROMIUM_PATH=$CHROMIUM_PATH"
  echo "KUBE_APISERVER_BIN=$KUBE_APISERVER_BIN"
  echo "ETCD_BIN=$ETCD_BIN"
  echo "MOTO_SERVER_BIN=$MOTO_SERVER_BIN"
  echo "HELM_BIN=$HELM_BIN"
} >"$RUN_DIR/env.tmp"
mv "$RUN_DIR/env.tmp" "$RUN_DIR/env"

T_END=$(now_ms)
log "peers up in $(fmt_ms $((T_END - T0))) (install $(fmt_ms $((T_INSTALL - T0))), start $(fmt_ms $((T_END - T_INSTALL))))"
echo "env: $RUN_DIR/env   (set -a; source $RUN_DIR/env; set +a)"
echo "stop: $PEERS_SCRIPTS_DIR/down.sh $RUN_DIR"
