# shellcheck shell=bash
# shellcheck disable=SC2034,SC1090  # vars are used by the scripts that source this file
# Shared helpers for scripts/peers/*.sh. Sourced, never executed.
#
# Cache (downloads, builds, venvs): ${REGCRED_CACHE:-$HOME/.cache/regcred}
# Run dir (data, certs, logs, pids): $1 or ${REGCRED_PEERS_DIR:-/tmp/regcred-peers}

PEERS_SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

REGCRED_CACHE=${REGCRED_CACHE:-$HOME/.cache/regcred}

# Pinned versions (newest patches on the Go module proxy / PyPI when written).
# Override with the env vars to try another; binaries are cached per version.
KUBE_VERSION=${KUBE_VERSION:-v1.34.4}
ETCD_VERSION=${ETCD_VERSION:-v3.6.16}
MOTO_VERSION=${MOTO_VERSION:-5.2.5}
SCHEMATHESIS_VERSION=${SCHEMATHESIS_VERSION:-4.32.5}
HELM_VERSION=${HELM_VERSION:-v4.3.1}

KUBE_APISERVER_BIN=$REGCRED_CACHE/kube/$KUBE_VERSION/kube-apiserver
ETCD_BIN=$REGCRED_CACHE/etcd/$ETCD_VERSION/etcd
REGISTRY_ROOT=$REGCRED_CACHE/docker-registry/root
REGISTRY_BIN=$REGISTRY_ROOT/usr/bin/docker-registry
MOTO_VENV=$REGCRED_CACHE/moto/$MOTO_VERSION/venv
MOTO_SERVER_BIN=$MOTO_VENV/bin/moto_server
SCHEMATHESIS_VENV=$REGCRED_CACHE/schemathesis/$SCHEMATHESIS_VERSION/venv
SCHEMATHESIS_BIN=$SCHEMATHESIS_VENV/bin/schemathesis
HELM_BIN=$REGCRED_CACHE/helm/$HELM_VERSION/helm
CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}

log() { printf '[peers %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# resolve_run_dir [dir] -> absolute run dir (created)
resolve_run_dir() {
  local d=${1:-${REGCRED_PEERS_DIR:-/tmp/regcred-peers}}
  mkdir -p "$d"
  (cd "$d" && pwd)
}

# free_port -> prints a currently free TCP port on 127.0.0.1
free_port() {
  python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

# port_in_use PORT -> 0 if something listens on 127.0.0.1:PORT
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pid_alive PIDFILE [cmdline-substring] -> 0 if the pid in PIDFILE runs (and matches)
pid_alive() {
  local f=$1 want=${2:-} pid
  [[ -s $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ -z $want || $(cmdline_of "$pid") == *"$want"* ]]
}

# cmdline_of PID -> its command line, arguments joined by spaces (empty once it has exited)
cmdline_of() {
  tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" || true
}

# start_daemon PIDFILE LOGFILE cmd... -> starts cmd detached in its own session
start_daemon() {
  local pidfile=$1 logfile=$2; shift 2
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  rm -f "$pidfile"
  # setsid forks when it happens to lead its process group, so $! may not be the daemon's pid:
  # the daemon's own shell writes its pid, then becomes the daemon with exec.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 &
  local i pid cmdline
  # Wait until the pid is written and the command exec'd, so pid_alive's cmdline match holds. Whether the
  # peer then runs is for await_healthy to judge: this pid may be a wrapper's that exits at once.
  for ((i = 0; i < 500; i++)); do
    if [[ -s $pidfile ]]; then
      pid=$(<"$pidfile")
      cmdline=$(cmdline_of "$pid")
      [[ $cmdline == *"$1"* && $cmdline != "bash -c "* ]] && return 0
      kill -0 "$pid" 2>/dev/null || return 0
    fi
    sleep 0.02
  done
}

# stop_pidfile PIDFILE [cmdline-substring] [timeout-seconds]
# TERM, wait, then KILL. Only signals the pid if it still matches. Safe to repeat.
stop_pidfile() {
  local f=$1 want=${2:-} timeout=${3:-15} pid i
  if pid_alive "$f" "$want"; then
    pid=$(<"$f")
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid did not stop after ${timeout}s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
  fi
  rm -f "$f"
}

# wait_for SECONDS DESCRIPTION cmd... -> polls cmd every 0.25 s until it succeeds
wait_for() {
  local timeout=$1 what=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.25
  done
}

# await_healthy NAME TIMEOUT LOGFILE PIDFILE PATTERN cmd...
# A peer is up once cmd (its health endpoint or port check) succeeds, whatever became of the pid that
# start_daemon recorded: that pid may be a wrapper's, gone while the daemon it started serves. Fails, with
# the log's tail, after TIMEOUT seconds, or sooner once no process whose command line matches PATTERN
# (pgrep -f, an ERE) has been seen for 3 s. On success PIDFILE names a live process for stop_pidfile.
await_healthy() {
  local name=$1 timeout=$2 logfile=$3 pidfile=$4 pattern=$5
  shift 5
  local deadline=$((SECONDS + timeout)) missing=0 why=''
  until "$@" >/dev/null 2>&1; do
    if pgrep -f -- "$pattern" >/dev/null 2>&1; then missing=0; else missing=$((missing + 1)); fi
    if ((missing >= 12)); then
      why="exited (no process matches '$pattern')"
    elif ((SECONDS >= deadline)); then
      why="not healthy after ${timeout}s"
    fi
    if [[ -n $why ]]; then
      log "$name $why; last lines of $logfile:"
      tail -n 30 "$logfile" 2>/dev/null | sed 's/^/    /' >&2 || true
      return 1
    fi
    sleep 0.25
  done
  record_pid "$pidfile" "$pattern"
}

# record_pid PIDFILE PATTERN -> keeps a live recorded pid, else records the oldest process matching PATTERN
record_pid() {
  local f=$1 pattern=$2 pid
  if [[ -s $f ]] && kill -0 "$(<"$f")" 2>/dev/null; then return 0; fi
  pid=$(pgrep -o -f -- "$pattern") || return 0
  echo "$pid" >"$f"
}

# now_ms -> milliseconds since epoch
# parse_down_args "$@": sets PURGE (0 or 1) and RUN_DIR from `[RUN_DIR] [--purge]`.
parse_down_args() {
  PURGE=0
  local a first=""
  for a in "$@"; do
    case $a in --purge) PURGE=1 ;; *) first=${first:-$a} ;; esac
  done
  RUN_DIR=$(resolve_run_dir "$first")
}

now_ms() { date +%s%3N; }

# fmt_ms MS -> "12.3s"
fmt_ms() { awk -v ms="$1" 'BEGIN { printf "%.1fs", ms / 1000 }'; }

# ---------------------------------------------------------------------------
# kube-apiserver helpers (shared by kube-up.sh and kube-restart-apiserver.sh)

# kube_readyz KUBE_DIR -> 0 when /readyz answers "ok" with the admin client cert
kube_readyz() {
  local k=$1 port
  port=$(kube_port "$k") || return 1
  [[ $(curl -s --max-time 3 --cacert "$k/pki/ca.crt" --cert "$k/pki/admin.crt" --key "$k/pki/admin.key" \
    "https://127.0.0.1:$port/readyz" 2>/dev/null) == ok ]]
}

kube_port() { # kube_port KUBE_DIR -> the apiserver port recorded in KUBE_DIR/ports
  local f=$1/ports
  [[ -f $f ]] || return 1
  (source "$f" && echo "$KUBE_PORT")
}

# kube_start_apiserver KUBE_DIR -> starts kube-apiserver with the flags in KUBE_DIR/apiserver.args
kube_start_apiserver() {
  local k=$1 port
  local -a args
  mapfile -t args <"$k/apiserver.args"
  port=$(kube_port "$k")
  if port_in_use "$port"; then
    wait_for 30 "port $port to be released" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null" ||
      die "port $port is still in use; cannot start kube-apiserver"
  fi
  echo "=== $(date -Is) starting kube-apiserver" >>"$k/logs/kube-apiserver.log"
  start_daemon "$k/kube-apiserver.pid" "$k/logs/kube-apiserver.log" "$KUBE_APISERVER_BIN" "${args[@]}"
}

# kube_wait_ready KUBE_DIR [timeout] -> polls /readyz (see await_healthy); dies with the log's tail on failure
kube_wait_ready() {
  local k=$1 timeout=${2:-${KUBE_READY_TIMEOUT:-120}} port
  port=$(kube_port "$k") || die "no port recorded in $k/ports"
  await_healthy kube-apiserver "$timeout" "$k/logs/kube-apiserver.log" "$k/kube-apiserver.pid" \
    "--secure-port=$port( |$)" kube_readyz "$k" ||
    die "kube-apiserver did not become ready; log: $k/logs/kube-apiserver.log"
}
