#!/usr/bin/env bash
# Stops kube-apiserver and etcd started by kube-up.sh. Safe to call twice.
#
#   scripts/peers/kube-down.sh [RUN_DIR] [--purge]
#
# Keeps RUN_DIR/kube (certs, tokens, etcd data) so the next kube-up.sh reuses them
# (same CA, tokens and, when free, the same port); --purge deletes RUN_DIR/kube.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parse_down_args "$@"
K=$RUN_DIR/kube

stop_pidfile "$K/kube-apiserver.pid" kube-apiserver 30
stop_pidfile "$K/etcd.pid" etcd 15
rm -f "$K/env"
if ((PURGE)); then
  rm -rf "$K"
  log "kube stopped and $K removed"
else
  log "kube stopped (state kept in $K)"
fi
