#!/usr/bin/env bash
# Starts moto_server (AWS mock, used for ECR/IAM/STS) on 127.0.0.1 for tests.
#
#   scripts/peers/moto-up.sh [RUN_DIR]   # default ${REGCRED_PEERS_DIR:-/tmp/regcred-peers}
#
# Env: MOTO_PORT (default: the one used last time in RUN_DIR, else a free port).
# Writes RUN_DIR/moto/env: MOTO_URL, MOTO_PORT. Idempotent. State is in memory only.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUN_DIR=$(resolve_run_dir "${1:-}")
M=$RUN_DIR/moto
mkdir -p "$M"
T0=$(now_ms)
[[ -x $MOTO_SERVER_BIN ]] || die "moto_server not found at $MOTO_SERVER_BIN; run scripts/peers/install.sh"

moto_ok() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/moto-api/data.json"; }

SAVED_PORT=$(cat "$M/port" 2>/dev/null || true)
if pid_alive "$M/moto.pid" moto_server && [[ -n $SAVED_PORT ]] && moto_ok "$SAVED_PORT"; then
  MOTO_PORT=$SAVED_PORT
  log "moto already running on 127.0.0.1:$MOTO_PORT"
else
  stop_pidfile "$M/moto.pid" moto_server 5
  if [[ -n ${MOTO_PORT:-} ]]; then
    port_in_use "$MOTO_PORT" && die "MOTO_PORT $MOTO_PORT is already in use"
  elif [[ -n $SAVED_PORT ]] && ! port_in_use "$SAVED_PORT"; then
    MOTO_PORT=$SAVED_PORT
  else
    MOTO_PORT=$(free_port)
  fi
  echo "$MOTO_PORT" >"$M/port"
  log "starting moto_server on 127.0.0.1:$MOTO_PORT"
  echo "=== $(date -Is) starting moto_server" >>"$M/moto.log"
  start_daemon "$M/moto.pid" "$M/moto.log" "$MOTO_SERVER_BIN" -H 127.0.0.1 -p "$MOTO_PORT"
  await_healthy moto_server 60 "$M/moto.log" "$M/moto.pid" "moto_server -H 127.0.0.1 -p $MOTO_PORT( |$)" \
    moto_ok "$MOTO_PORT" || die "moto_server did not start; log: $M/moto.log"
fi

cat >"$M/env.tmp" <<EOF2
MOTO_URL=http://127.0.0.1:$MOTO_PORT
MOTO_PORT=$MOTO_PORT
EOF2
mv "$M/env.tmp" "$M/env"
log "moto ready in $(fmt_ms $(($(now_ms) - T0))): http://127.0.0.1:$MOTO_PORT"
