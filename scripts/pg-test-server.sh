#!/usr/bin/env bash
# A private, throwaway PostgreSQL server for the test suite.
#   start  initialise (once) and start it; print its DATABASE_URL
#   stop   stop it
#   url    print its DATABASE_URL
# It listens on 127.0.0.1:${HEARD_PG_PORT:-54329} with trust authentication and fsync off:
# for tests only. As root it runs the server as the 'postgres' system user.
set -euo pipefail
PORT=${HEARD_PG_PORT:-54329}
DATA=${HEARD_PG_DATA:-/tmp/heard-pg-$PORT}
URL="postgres://heard@127.0.0.1:$PORT/heard"

BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$BINDIR" || ! -x "$BINDIR/pg_ctl" ]]; then
  echo "PostgreSQL's server programs are not installed (Debian package 'postgresql')." >&2
  exit 1
fi

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    if [[ ! -f "$DATA/PG_VERSION" ]]; then
      mkdir -p "$DATA"
      [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$DATA"
      as_owner "$BINDIR/initdb" -D "$DATA" -U heard -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_owner "$BINDIR/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      as_owner "$BINDIR/pg_ctl" -D "$DATA" -w -l "$DATA/server.log" start \
        -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off" >/dev/null \
        || { cat "$DATA/server.log" >&2; exit 1; }
    fi
    as_owner "$BINDIR/psql" -h 127.0.0.1 -p "$PORT" -U heard -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='heard'" | grep -q 1 \
      || as_owner "$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U heard heard
    echo "$URL"
    ;;
  stop)
    as_owner "$BINDIR/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
    ;;
  url)
    echo "$URL"
    ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
