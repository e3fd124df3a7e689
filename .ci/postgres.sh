#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the test suite; print its URL.
# Installs the server with apt-get when the machine has none.
set -euo pipefail
# A free port unless one is given: another server (an earlier run's) may hold the usual one.
PORT="${PGPORT_TEST:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
BIN="$(find_bin)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "installing PostgreSQL server..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
  BIN="$(find_bin)"
fi
DATA="$(mktemp -d /tmp/infobot-pg.XXXXXX)"
RUN_AS=()
if [ "$(id -u)" = "0" ]; then  # PostgreSQL refuses to run as root
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$DATA"
  RUN_AS=(runuser -u postgres --)
fi
"${RUN_AS[@]}" "$BIN/initdb" -D "$DATA" -U postgres -A trust --no-sync >/dev/null
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
  -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
"$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres infobot_test
echo "postgresql://postgres@127.0.0.1:$PORT/infobot_test"
