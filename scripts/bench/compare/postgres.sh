#!/usr/bin/env bash
# A throwaway PostgreSQL + pgRouting server on loopback for the comparison benchmark:
#   postgres.sh install | start | stop      (data in /tmp/lifecircle-pg, port 55432)
set -euo pipefail
DIR=/tmp/lifecircle-pg
PORT=55432
BIN=/usr/lib/postgresql/15/bin
case "${1:-}" in
  install)
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql-15 postgresql-15-pgrouting python3-networkx >/dev/null
    ;;
  start)
    if [ ! -d "$DIR" ]; then
      mkdir -p "$DIR" && chown postgres "$DIR"
      su postgres -c "$BIN/initdb -D $DIR/data -A trust -U postgres" >/dev/null
    fi
    su postgres -c "$BIN/pg_ctl -D $DIR/data -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1' -l $DIR/log -w start" >/dev/null
    psql -h 127.0.0.1 -p $PORT -U postgres -qc 'CREATE EXTENSION IF NOT EXISTS pgrouting CASCADE' >/dev/null
    ;;
  stop)
    su postgres -c "$BIN/pg_ctl -D $DIR/data -w stop" >/dev/null || true
    ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
