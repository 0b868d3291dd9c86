#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the storage tests:
#
#   export DATABASE_URL=$(bash scripts/postgres-test.sh start)   # prints the URL, nothing else on stdout
#   npx vitest run test/store
#   bash scripts/postgres-test.sh stop                            # stops it and deletes its data
#
# For outage tests: `pause` stops the server (fast shutdown: sessions are ended) keeping its data,
# `resume` starts it again on the same port.
#
# Uses the newest /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql). Run as root it runs
# the server as the `postgres` OS user (initdb refuses root); otherwise as the current user.
# PGTEST_DIR (default /tmp/lifecircle-pgtest) and PGTEST_PORT (default 55433) override the defaults.
set -euo pipefail
DIR=${PGTEST_DIR:-/tmp/lifecircle-pgtest}
PORT=${PGTEST_PORT:-55433}
URL="postgres://postgres@127.0.0.1:$PORT/postgres"

bin_dir() {
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$initdb" ]; then
    echo "postgres-test.sh: no /usr/lib/postgresql/*/bin/initdb, expected PostgreSQL installed (apt-get install postgresql)" >&2
    exit 1
  fi
  dirname "$initdb"
}

# Runs a command as the server's OS user.
as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop() {
  if [ -f "$DIR/data/postmaster.pid" ]; then
    as_server_user "$(bin_dir)/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$DIR"
}

start_server() {
  if ! as_server_user "$(bin_dir)/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null; then
    echo "postgres-test.sh: the server did not start on 127.0.0.1:$PORT; its log:" >&2
    cat "$DIR/server.log" >&2
    exit 1
  fi
}

case "${1:-}" in
  start)
    BIN=$(bin_dir)
    stop # a server left over from an interrupted run would hold the port
    mkdir -p "$DIR"
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --home-dir "$DIR" --shell /usr/sbin/nologin postgres
      chown postgres "$DIR"
    fi
    # Trust on loopback only, and no fsync: the data is thrown away after the tests.
    as_server_user "$BIN/initdb" -D "$DIR/data" -U postgres -A trust --no-sync >"$DIR/initdb.log" 2>&1 ||
      { cat "$DIR/initdb.log" >&2; exit 1; }
    start_server
    echo "postgres-test.sh: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, data in $DIR" >&2
    echo "$URL"
    ;;
  stop)
    stop
    ;;
  pause)
    as_server_user "$(bin_dir)/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
    ;;
  resume)
    start_server
    ;;
  url)
    echo "$URL"
    ;;
  *)
    echo "usage: $0 start|stop|pause|resume|url" >&2
    exit 2
    ;;
esac
