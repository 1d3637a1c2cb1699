#!/usr/bin/env bash
# Runs the browser tests: starts the built server on a free port with a fresh
# SQLite database and demo data, runs Playwright in Debian's Chromium, stops
# the server. Expects scripts/build.sh to have run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KEZEK_ROOT"
bin="$CARGO_TARGET_DIR/${KEZEK_PROFILE:-debug}/kezek"
[ "${KEZEK_PROFILE:-dev}" = dev ] && bin="$CARGO_TARGET_DIR/debug/kezek"
port=$(free_port)
work=$(mktemp -d)
log "e2e: server on 127.0.0.1:$port, data in $work"
# The server's clock starts at a fixed working-day morning (dev mode only),
# so journeys that need "a visit today" (check-in, call, serve) run the same
# at any wall-clock time. Override with KEZEK_DEV_NOW=.
export KEZEK_DEV_NOW="${KEZEK_DEV_NOW-2026-12-02T09:30:00+05:00}"
DATABASE_URL="sqlite://$work/e2e.db" KEZEK_ADMIN_PASSWORD=e2e-admin-pw \
  "$bin" --listen "127.0.0.1:$port" --dev --seed-demo --site-root "$SITE_ROOT" >"$work/server.log" 2>&1 &
server_pid=$!
pids=("$server_pid")
pg_db=""
pg_url="${KEZEK_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432}"
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -n "$pg_db" ]; then psql "$pg_url/postgres" -qc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
await_up "$server_pid" "$port" "$work/server.log"

# Live pages across processes (processes.spec.ts): with PostgreSQL at hand,
# two more servers on one fresh database — A runs the background jobs, B
# only serves, and cuts its live streams every 3 s so the page's
# reconnection is exercised.
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  pg_db="kezek_e2e_$$"
  psql "$pg_url/postgres" -qc "CREATE DATABASE \"$pg_db\"" >/dev/null
  port_a=$(free_port)
  DATABASE_URL="$pg_url/$pg_db" KEZEK_ADMIN_PASSWORD=e2e-admin-pw \
    "$bin" --listen "127.0.0.1:$port_a" --dev --seed-demo --site-root "$SITE_ROOT" >"$work/server-a.log" 2>&1 &
  pids+=("$!")
  await_up "$!" "$port_a" "$work/server-a.log"
  port_b=$(free_port)
  DATABASE_URL="$pg_url/$pg_db" KEZEK_ADMIN_PASSWORD=e2e-admin-pw \
    "$bin" --listen "127.0.0.1:$port_b" --dev --no-background --live-max-secs 3 --site-root "$SITE_ROOT" >"$work/server-b.log" 2>&1 &
  pids+=("$!")
  await_up "$!" "$port_b" "$work/server-b.log"
  export KEZEK_E2E_PG_A="http://127.0.0.1:$port_a" KEZEK_E2E_PG_B="http://127.0.0.1:$port_b"
  log "e2e: two processes on PostgreSQL at 127.0.0.1:$port_a and :$port_b"
fi
cd end2end
status=0
KEZEK_E2E_URL="http://127.0.0.1:$port" npx --no-install playwright test "$@" || status=$?
if [ "$status" != 0 ]; then
  log "server log:"; tail -50 "$work/server.log"
  for f in "$work"/server-a.log "$work"/server-b.log; do [ -f "$f" ] && { log "$f:"; tail -20 "$f"; }; done
fi
exit "$status"
