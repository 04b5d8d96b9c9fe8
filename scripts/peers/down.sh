#!/usr/bin/env bash
# Stops every peer started by up.sh (by their pid files). Safe to call twice.
#
#   scripts/peers/down.sh [RUN_DIR] [--purge]    # --purge also deletes data, certs and logs
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PURGE=() ARGS=()
for a in "$@"; do
  case $a in --purge) PURGE=(--purge) ;; *) ARGS+=("$a") ;; esac
done
RUN_DIR=$(resolve_run_dir "${ARGS[0]:-}")

rc=0
"$PEERS_SCRIPTS_DIR/moto-down.sh" "$RUN_DIR" "${PURGE[@]}" || rc=1
"$PEERS_SCRIPTS_DIR/postgres-down.sh" "$RUN_DIR" "${PURGE[@]}" || rc=1
"$PEERS_SCRIPTS_DIR/kube-down.sh" "$RUN_DIR" "${PURGE[@]}" || rc=1
rm -f "$RUN_DIR/env"
if ((${#PURGE[@]})); then
  rm -rf "$RUN_DIR/logs"
  rmdir "$RUN_DIR" 2>/dev/null || true
fi
exit $rc
