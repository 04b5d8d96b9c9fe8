#!/usr/bin/env bash
# Restarts only kube-apiserver (etcd keeps running, so all objects survive) on the
# same port with the same flags, to simulate an API server restart in tests.
#
#   scripts/peers/kube-restart-apiserver.sh [RUN_DIR] [--kill] [--no-wait]
#
#   --kill          stop with SIGKILL (a crash) instead of SIGTERM (graceful shutdown)
#   --no-wait       return once the new process is started, without polling /readyz
#   --compact-etcd  while it is down, advance etcd's revision and compact it, so every watch that resumes
#                   from a resourceVersion seen before the restart is answered 410 Gone and must re-list
# Env: REGCRED_APISERVER_DOWNTIME=SECONDS  stay down this long before starting again
#      KUBE_READY_TIMEOUT (120)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KILL=0 WAIT=1 COMPACT=0 ARGS=()
for a in "$@"; do
  case $a in --kill) KILL=1 ;; --no-wait) WAIT=0 ;; --compact-etcd) COMPACT=1 ;; *) ARGS+=("$a") ;; esac
done
RUN_DIR=$(resolve_run_dir "${ARGS[0]:-}")
K=$RUN_DIR/kube
[[ -f $K/apiserver.args && -f $K/ports ]] || die "no kube-up.sh state in $K"
ETCD_PORT=$(source "$K/ports" && echo "$ETCD_PORT")
curl -sf --max-time 5 "http://127.0.0.1:$ETCD_PORT/health" >/dev/null || die "etcd is not healthy in $K; use kube-up.sh"

T0=$(now_ms)
if ((KILL)) && pid_alive "$K/kube-apiserver.pid" kube-apiserver; then
  kill -KILL "$(<"$K/kube-apiserver.pid")" 2>/dev/null || true
fi
stop_pidfile "$K/kube-apiserver.pid" kube-apiserver 30
log "kube-apiserver stopped after $(fmt_ms $(($(now_ms) - T0)))"
if ((COMPACT)); then
  # Two writes outside the API server's /registry prefix, then compaction at the second: the revision after
  # anything a watcher has seen is gone. etcd's JSON gateway; keys and values are base64.
  rev=
  for _ in 1 2; do
    rev=$(curl -sf --max-time 5 -X POST "http://127.0.0.1:$ETCD_PORT/v3/kv/put" \
      -d '{"key":"cmVncmVkLXRlc3QtY29tcGFjdA==","value":"MQ=="}' | sed -n 's/.*"revision":"\([0-9]*\)".*/\1/p')
  done
  [[ -n $rev ]] || die "could not write to etcd on port $ETCD_PORT"
  curl -sf --max-time 30 -X POST "http://127.0.0.1:$ETCD_PORT/v3/kv/compaction" \
    -d "{\"revision\":\"$rev\",\"physical\":true}" >/dev/null || die "could not compact etcd at revision $rev"
  log "etcd compacted at revision $rev"
fi
if [[ -n ${REGCRED_APISERVER_DOWNTIME:-} ]]; then
  sleep "$REGCRED_APISERVER_DOWNTIME"
fi
kube_start_apiserver "$K"
if ((WAIT)); then
  kube_wait_ready "$K"
  log "kube-apiserver restarted on port $(kube_port "$K") and ready after $(fmt_ms $(($(now_ms) - T0)))"
else
  log "kube-apiserver restarting on port $(kube_port "$K") (not waiting for /readyz)"
fi
