#!/usr/bin/env bash
# shellcheck disable=SC1091,SC2012
# Stops the PostgreSQL server started by postgres-up.sh. Safe to call twice.
#
#   scripts/peers/postgres-down.sh [RUN_DIR] [--purge]
#
# Keeps RUN_DIR/pg/data (the next postgres-up.sh reuses it); --purge deletes RUN_DIR/pg.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parse_down_args "$@"
P=$RUN_DIR/pg
DATA=$P/data
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}

if [[ -f $DATA/postmaster.pid ]]; then
  if ((EUID == 0)); then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  else
    "$PGBIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
fi
# Fallback if pg_ctl could not stop it (e.g. a stale data dir): the recorded postmaster pid.
stop_pidfile "$P/postgres.pid" postgres 15
rm -f "$P/env"
if ((PURGE)); then
  rm -rf "$P"
  log "postgres stopped and $P removed"
else
  log "postgres stopped (data kept in $P)"
fi
