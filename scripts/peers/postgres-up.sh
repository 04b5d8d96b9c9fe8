#!/usr/bin/env bash
# shellcheck disable=SC1091,SC2012
# Starts a throwaway PostgreSQL server (Debian's binaries) on 127.0.0.1 for tests.
#
#   scripts/peers/postgres-up.sh [RUN_DIR]   # default ${REGCRED_PEERS_DIR:-/tmp/regcred-peers}
#
# Env: PG_PORT (default: the one used last time in RUN_DIR, else a free port).
# initdb runs once into RUN_DIR/pg/data (as user "postgres" when run as root, since
# PostgreSQL refuses to run as root). fsync is off: data is disposable.
# Creates role regcred (password regcred, CREATEDB) owning database regcred_test.
# Writes RUN_DIR/pg/env: DATABASE_URL_TEST, PG_ADMIN_URL, PG_PORT. Idempotent.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUN_DIR=$(resolve_run_dir "${1:-}")
[[ $RUN_DIR != *[[:space:]]* ]] || die "run dir must not contain whitespace: $RUN_DIR"
P=$RUN_DIR/pg
DATA=$P/data
SOCK=$P/run
DB=regcred_test DB_USER=regcred DB_PASS=regcred ADMIN_PASS=postgres
T0=$(now_ms)

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}
[[ -x $PGBIN/postgres && -x $PGBIN/initdb ]] || die "PostgreSQL server binaries not found; run scripts/peers/install.sh"

mkdir -p "$P"
if ((EUID == 0)); then
  PG_OS_USER=postgres
  id "$PG_OS_USER" >/dev/null 2>&1 || die "user postgres missing; run scripts/peers/install.sh"
  as_pg() { runuser -u "$PG_OS_USER" -- "$@"; }
  chown "$PG_OS_USER": "$P"
  as_pg test -x "$P" || die "user postgres cannot reach $P; use a run dir under /tmp"
else
  as_pg() { "$@"; }
fi
as_pg mkdir -p "$SOCK"

pg_running() { as_pg "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PG_PORT" -U postgres -d postgres; }

if [[ ! -f $DATA/PG_VERSION ]]; then
  log "initdb into $DATA"
  rm -rf "$DATA"
  pwfile=$P/.pwfile
  printf '%s\n' "$ADMIN_PASS" >"$pwfile"
  chmod 644 "$pwfile"
  as_pg "$PGBIN/initdb" -D "$DATA" -U postgres --pwfile="$pwfile" -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$P/initdb.log" 2>&1 ||
    { cat "$P/initdb.log" >&2; die "initdb failed"; }
  rm -f "$pwfile"
  as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<EOF
# --- regcred test settings (scripts/peers/postgres-up.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCK'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
log_min_messages = warning
EOF
fi

SAVED_PORT=$(cat "$P/port" 2>/dev/null || true)
if pg_running; then
  PG_PORT=$SAVED_PORT
  log "postgres already running on 127.0.0.1:$PG_PORT"
else
  if [[ -n ${PG_PORT:-} ]]; then
    port_in_use "$PG_PORT" && die "PG_PORT $PG_PORT is already in use"
  elif [[ -n $SAVED_PORT ]] && ! port_in_use "$SAVED_PORT"; then
    PG_PORT=$SAVED_PORT
  else
    PG_PORT=$(free_port)
  fi
  echo "$PG_PORT" >"$P/port"
  log "starting postgres ($PGBIN) on 127.0.0.1:$PG_PORT"
  # pg_ctl -l needs a log file the postgres user can write
  as_pg touch "$P/postgres.log"
  as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$P/postgres.log" -o "-p $PG_PORT" -w -t 60 start >/dev/null ||
    { tail -n 20 "$P/postgres.log" >&2; die "postgres failed to start"; }
fi
head -n1 "$DATA/postmaster.pid" >"$P/postgres.pid"

psql_admin <<EOF
SELECT 'CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD ''$DB_PASS'''
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') \gexec
SELECT 'CREATE DATABASE $DB OWNER $DB_USER'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB') \gexec
EOF

cat >"$P/env.tmp" <<EOF
DATABASE_URL_TEST=postgres://$DB_USER:$DB_PASS@127.0.0.1:$PG_PORT/$DB
PG_ADMIN_URL=postgres://postgres:$ADMIN_PASS@127.0.0.1:$PG_PORT/postgres
PG_PORT=$PG_PORT
EOF
mv "$P/env.tmp" "$P/env"
log "postgres ready in $(fmt_ms $(($(now_ms) - T0))): postgres://$DB_USER:$DB_PASS@127.0.0.1:$PG_PORT/$DB"
