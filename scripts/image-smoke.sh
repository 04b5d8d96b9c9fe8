#!/usr/bin/env bash
# Smoke test of the container image built by scripts/build-image.sh, run the way a restricted pod would run it, with
# no container engine: the OCI archive is unpacked with umoci, and each process starts with the command, user and
# environment of the image's config, in a private mount namespace (unshare -m) where the root filesystem is
# bind-mounted read-only, a fresh data folder is mounted at /data and a tmpfs at /tmp, chrooted as UID/GID 10001.
#
#   scripts/image-smoke.sh [--no-postgres] [ARCHIVE]   # ARCHIVE: dist/image/regcred-<version>.oci.tar
#
# Checks: the dashboard on PGlite answers /api/health and /api/ready with 200 and renders the login page with its
# scripts; it runs as 10001:10001; the root filesystem refuses writes even from root while /data and /tmp take them;
# PGlite's files land in /data; the log shows no refused write. The controller alone fails clearly without
# DATABASE_URL and, on the test PostgreSQL (PG_ADMIN_URL, DATABASE_URL_TEST from the peers' env), starts and stops on
# SIGTERM. An unknown argument is refused. Needs root (mounts, chroot). Exits non-zero with a message on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

POSTGRES=1
if [[ ${1:-} == --no-postgres ]]; then
  POSTGRES=0
  shift
fi
VERSION=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' package.json)
ARCHIVE=${1:-dist/image/regcred-$VERSION.oci.tar}
START_DEADLINE_S=180

say() { printf '[image-smoke] %s\n' "$*" >&2; }
die() {
  printf '[image-smoke] FAILED: %s\n' "$*" >&2
  exit 1
}

[[ $(id -u) == 0 ]] || die "must run as root (mount namespaces, bind mounts, chroot)"
for tool in umoci unshare nsenter chroot mount curl python3 tar; do
  command -v "$tool" >/dev/null || die "$tool is missing (REGCRED_INSTALL_STEPS=image scripts/peers/install.sh)"
done
[[ -f $ARCHIVE ]] || die "no image archive at $ARCHIVE: run scripts/build-image.sh"
if ((POSTGRES)); then
  [[ -n ${PG_ADMIN_URL:-} && -n ${DATABASE_URL_TEST:-} ]] ||
    die "PG_ADMIN_URL and DATABASE_URL_TEST are unset: source a peers env (scripts/peers/up.sh) or pass --no-postgres"
  command -v psql >/dev/null || die "psql is missing (scripts/peers/install.sh installs postgresql-client)"
fi
CHROOT=$(command -v chroot)
ENV_BIN=$(command -v env)

W=$(mktemp -d /tmp/regcred-image-smoke.XXXXXX)
PIDS=()
PG_DB=""

stop_pid() { # stop_pid PID: SIGTERM, then SIGKILL after 20 s
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  say "pid $pid ignored SIGTERM for 20 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$? pid p left=()
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  # Anything still running with its root inside the work folder was started here.
  for p in /proc/[0-9]*; do
    [[ $(readlink "$p/root" 2>/dev/null) == "$W"/* ]] && left+=("${p#/proc/}")
  done
  if ((${#left[@]})); then
    say "processes left inside the image root: ${left[*]}; killing them"
    kill -KILL "${left[@]}" 2>/dev/null || true
    rc=1
  fi
  if grep -q " $W" /proc/self/mountinfo; then
    say "mounts left under $W:"
    grep " $W" /proc/self/mountinfo >&2
    rc=1
  fi
  if [[ -n $PG_DB ]]; then
    psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || say "could not drop database $PG_DB"
  fi
  if ((rc == 0)); then
    rm -rf "$W"
  else
    say "logs kept in $W/logs"
    rm -rf "$W/bundle" "$W/oci"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

say "unpacking $ARCHIVE with umoci"
mkdir -p "$W/oci" "$W/root" "$W/logs"
tar -xf "$ARCHIVE" -C "$W/oci"
umoci unpack --image "$W/oci:regcred:$VERSION" "$W/bundle" >/dev/null
ROOTFS=$W/bundle/rootfs

# The process the image's config describes: arguments, user, working directory and environment.
mapfile -t CONFIG < <(python3 - "$W/bundle/config.json" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))["process"]
print(f'{p["user"]["uid"]}:{p["user"]["gid"]}')
print(p["cwd"])
print("\x1f".join(p["args"]))
print("\x1f".join(e for e in p["env"] if not e.startswith(("TERM=", "HOME="))))
EOF
)
[[ ${CONFIG[0]} == 10001:10001 ]] || die "the image runs as ${CONFIG[0]}, not 10001:10001"
[[ ${CONFIG[1]} == /app ]] || die "the image's working directory is ${CONFIG[1]}, not /app"
IFS=$'\x1f' read -r -a IMAGE_ARGS <<<"${CONFIG[2]}"
IFS=$'\x1f' read -r -a IMAGE_ENV <<<"${CONFIG[3]}"
[[ ${IMAGE_ARGS[*]} == "/usr/local/bin/node --liftoff-only --max-semi-space-size=1 /app/entrypoint.mjs dashboard" ]] ||
  die "unexpected entry point and command: ${IMAGE_ARGS[*]}"
ENTRY=("${IMAGE_ARGS[@]:0:${#IMAGE_ARGS[@]}-1}")
# Where no volume is mounted, a runtime copies the image's /data into a fresh one: it must belong to 10001.
[[ $(stat -c '%u:%g %a' "$ROOTFS/data") == "10001:10001 700" ]] ||
  die "the image's /data is $(stat -c '%u:%g %a' "$ROOTFS/data"), not 10001:10001 700"
[[ $(stat -c '%a' "$ROOTFS/tmp") == 1777 ]] || die "the image's /tmp has mode $(stat -c '%a' "$ROOTFS/tmp"), not 1777"

# Mount namespace set-up, run by `unshare -m` as root; ends by exec-ing chroot, so the pid stays the process's.
# shellcheck disable=SC2016
MOUNTS='set -euo pipefail
rootfs=$1 mnt=$2 data=$3
shift 3
mount --bind "$rootfs" "$mnt"
mount -o remount,bind,ro,nosuid,nodev "$mnt"
mount --bind "$data" "$mnt/data"
mount -t tmpfs -o mode=1777,size=256m,nosuid,nodev tmpfs "$mnt/tmp"
mount -t proc -o nosuid,nodev,noexec proc "$mnt/proc"
mount -t tmpfs -o mode=755,size=64k,nosuid tmpfs "$mnt/dev"
for d in null zero random urandom; do
  touch "$mnt/dev/$d"
  mount --bind "/dev/$d" "$mnt/dev/$d"
done
exec "$@"'

# in_image DATA_DIR LOG [VAR=value...] -- ARGS...: runs the entry point with ARGS as 10001:10001 in the image,
# in the background; sets PID.
in_image() {
  local data=$1 log=$2 extra=()
  shift 2
  while [[ $1 != -- ]]; do
    extra+=("$1")
    shift
  done
  shift
  mkdir -p "$data"
  chown 10001:10001 "$data"
  chmod 700 "$data"
  unshare -m --propagation private -- bash -c "$MOUNTS" mounts "$ROOTFS" "$W/root" "$data" \
    "$ENV_BIN" -i "${IMAGE_ENV[@]}" "${extra[@]}" "$CHROOT" --userspec=10001:10001 "$W/root" "${ENTRY[@]}" "$@" \
    </dev/null >"$log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
}

# wait_exit PID SECONDS: sets RC to the exit status; dies when the process still runs after SECONDS
wait_exit() {
  local pid=$1 i
  RC=0
  for ((i = 0; i < $2 * 10; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" || RC=$?
      return
    fi
    sleep 0.1
  done
  die "pid $pid still running after $2 s"
}

check_ids() { # check_ids PID WHAT: real, effective, saved and filesystem IDs are all 10001
  local uid gid
  uid=$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "/proc/$1/status")
  gid=$(awk '$1 == "Gid:" { print $2, $3, $4, $5 }' "/proc/$1/status")
  [[ $uid == "10001 10001 10001 10001" && $gid == "10001 10001 10001 10001" ]] ||
    die "$2 runs with Uid $uid / Gid $gid, not 10001"
  say "ok: $2 (pid $1) runs as UID/GID 10001"
}

http_code() { curl -s -o "${2:-/dev/null}" -w '%{http_code}' --max-time 20 "$1" || true; }

# --- dashboard on PGlite ---
PORT=$(free_port)
WEBHOOK_PORT=$(free_port)
say "starting the dashboard from the image on 127.0.0.1:$PORT (PGlite in /data)"
in_image "$W/data" "$W/logs/dashboard.log" PORT="$PORT" REGCRED_WEBHOOK_PORT="$WEBHOOK_PORT" -- dashboard
DASHBOARD=$PID
for ((i = 0; ; i++)); do
  kill -0 "$DASHBOARD" 2>/dev/null || {
    cat "$W/logs/dashboard.log" >&2
    die "the dashboard exited before answering (log above)"
  }
  [[ $(http_code "http://127.0.0.1:$PORT/api/health") == 200 ]] && break
  ((i < START_DEADLINE_S * 2)) || {
    cat "$W/logs/dashboard.log" >&2
    die "the dashboard did not answer /api/health within ${START_DEADLINE_S} s"
  }
  sleep 0.5
done
say "ok: /api/health 200"
for ((i = 0; ; i++)); do
  code=$(http_code "http://127.0.0.1:$PORT/api/ready" "$W/ready.json")
  [[ $code == 200 ]] && break
  ((i < 120)) || die "/api/ready answered $code ($(cat "$W/ready.json" 2>/dev/null)) for 60 s"
  sleep 0.5
done
say "ok: /api/ready 200 $(cat "$W/ready.json")"
code=$(http_code "http://127.0.0.1:$PORT/login" "$W/login.html")
[[ $code == 200 ]] || die "/login answered $code"
grep -q 'Sign in to Regcred' "$W/login.html" || die "/login has no 'Sign in to Regcred' heading"
grep -q 'type="password"' "$W/login.html" || die "/login has no password field"
asset=$(grep -o '/_next/static/[^"]*\.js' "$W/login.html" | head -1)
[[ -n $asset ]] || die "/login references no script under /_next/static"
code=$(http_code "http://127.0.0.1:$PORT$asset")
[[ $code == 200 ]] || die "$asset answered $code (.next/static missing from the image?)"
say "ok: /login renders the sign-in form and its scripts load ($asset)"
check_ids "$DASHBOARD" dashboard

# Writes from inside the running container's mounts: as root the root filesystem must refuse them (read-only, not
# merely unwritable for 10001); as 10001, /data and /tmp take them.
probe() { # probe UID PATH... -> PATH=ok|ERRNO per line
  nsenter --target "$DASHBOARD" --mount --root --wd --setuid "$1" --setgid "$1" -- /usr/local/bin/node -e '
    const fs = require("node:fs");
    for (const f of process.argv.slice(1)) {
      try { fs.writeFileSync(f, "x"); fs.rmSync(f); console.log(`${f}=ok`); } catch (e) { console.log(`${f}=${e.code}`); }
    }' "${@:2}"
}
probe_out=$(probe 0 /smoke /app/smoke /app/.next/server/smoke /app/node_modules/smoke /etc/passwd /usr/local/bin/smoke)
bad=$(grep -v '=EROFS$' <<<"$probe_out" || true)
[[ -z $bad ]] || die "the root filesystem took a write from root: $bad"
say "ok: the root filesystem refuses writes, even from root: $(tr '\n' ' ' <<<"$probe_out")"
probe_out=$(probe 10001 /data/smoke /tmp/smoke /app/.next/cache/smoke)
bad=$(grep -v '=ok$' <<<"$probe_out" || true)
[[ -z $bad ]] || die "a path that must be writable for 10001 is not: $bad"
say "ok: /data, /tmp and .next/cache (a link into /tmp) are writable for 10001"
# The Kubernetes client is loaded on first use (lib/integrations/kube/sdk.ts), so a start without clusters never does.
kube=$(nsenter --target "$DASHBOARD" --mount --root --setuid 10001 --setgid 10001 -- /usr/local/bin/node -e '
  process.chdir("/app");
  const k = require("node:module").createRequire("/app/package.json")("@kubernetes/client-node");
  console.log(typeof k.KubeConfig);' 2>&1) || true
[[ $kube == function ]] || die "@kubernetes/client-node does not load in the image: $kube"
say "ok: @kubernetes/client-node loads in the image"
[[ -f $W/data/pglite/PG_VERSION && $(stat -c %u "$W/data/pglite") == 10001 ]] ||
  die "PGlite's database is not in /data (owned by 10001): $(ls -la "$W/data" 2>&1)"
say "ok: PGlite's database is in /data"
if grep -Eai 'EROFS|read-only file system|EACCES|permission denied' "$W/logs/dashboard.log"; then
  die "the dashboard's log shows a refused write or read (lines above)"
fi
stop_pid "$DASHBOARD"
say "ok: the dashboard stopped on SIGTERM"

# --- the entry point's arguments, the controller ---
in_image "$W/data-bad" "$W/logs/bad-arg.log" -- nonsense
wait_exit "$PID" 60
[[ $RC == 64 ]] && grep -q 'Usage: regcred \[dashboard|controller\]' "$W/logs/bad-arg.log" ||
  die "an unknown argument gave exit $RC and: $(cat "$W/logs/bad-arg.log")"
say "ok: an unknown argument is refused with the usage (exit 64)"

in_image "$W/data-controller" "$W/logs/controller-no-db.log" -- controller
wait_exit "$PID" 60
[[ $RC != 0 ]] && grep -q 'needs DATABASE_URL' "$W/logs/controller-no-db.log" ||
  die "the controller without DATABASE_URL gave exit $RC and: $(cat "$W/logs/controller-no-db.log")"
say "ok: the controller without DATABASE_URL stops with: $(head -1 "$W/logs/controller-no-db.log")"

if ((POSTGRES)); then
  PG_DB=regcred_image_smoke_$$
  psql -q "$PG_ADMIN_URL" -c "CREATE DATABASE $PG_DB OWNER regcred" >/dev/null
  url=${DATABASE_URL_TEST%/*}/$PG_DB
  in_image "$W/data-controller" "$W/logs/controller.log" DATABASE_URL="$url" REGCRED_WEBHOOK_PORT="$(free_port)" \
    -- controller
  CONTROLLER=$PID
  for ((i = 0; ; i++)); do
    grep -q '"controller started"' "$W/logs/controller.log" && break
    kill -0 "$CONTROLLER" 2>/dev/null || die "the controller on PostgreSQL exited: $(cat "$W/logs/controller.log")"
    ((i < START_DEADLINE_S * 2)) || die "the controller did not start within ${START_DEADLINE_S} s"
    sleep 0.5
  done
  check_ids "$CONTROLLER" "controller on PostgreSQL"
  kill -TERM "$CONTROLLER"
  wait_exit "$CONTROLLER" 30
  [[ $RC == 0 ]] || die "the controller exited $RC on SIGTERM: $(tail -5 "$W/logs/controller.log")"
  say "ok: the controller started on PostgreSQL and stopped on SIGTERM (exit 0)"
fi

size=$(du -sm "$ROOTFS" | cut -f1)
say "passed: $ARCHIVE ($(du -m "$ARCHIVE" | cut -f1) MB compressed, $size MB unpacked)"
