#!/usr/bin/env bash
# Stops moto_server started by moto-up.sh. Safe to call twice.
#   scripts/peers/moto-down.sh [RUN_DIR] [--purge]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parse_down_args "$@"
M=$RUN_DIR/moto
stop_pidfile "$M/moto.pid" moto_server 10
rm -f "$M/env"
if ((PURGE)); then rm -rf "$M"; fi
log "moto stopped"
