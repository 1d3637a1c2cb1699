#!/usr/bin/env bash
# Runs the browser tests: starts the built server on a free port with a fresh
# SQLite database and demo data, runs Playwright in Debian's Chromium, stops
# the server. Expects scripts/build.sh to have run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KEZEK_ROOT"
bin="$CARGO_TARGET_DIR/${KEZEK_PROFILE:-debug}/kezek"
[ "${KEZEK_PROFILE:-dev}" = dev ] && bin="$CARGO_TARGET_DIR/debug/kezek"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
log "e2e: server on 127.0.0.1:$port, data in $work"
# The server's clock starts at a fixed working-day morning (dev mode only),
# so journeys that need "a visit today" (check-in, call, serve) run the same
# at any wall-clock time. Override with KEZEK_DEV_NOW=.
export KEZEK_DEV_NOW="${KEZEK_DEV_NOW-2026-12-02T09:30:00+05:00}"
DATABASE_URL="sqlite://$work/e2e.db" KEZEK_ADMIN_PASSWORD=e2e-admin-pw \
  "$bin" --listen "127.0.0.1:$port" --dev --seed-demo --site-root "$SITE_ROOT" >"$work/server.log" 2>&1 &
server_pid=$!
cleanup() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.2
done
cd end2end
status=0
KEZEK_E2E_URL="http://127.0.0.1:$port" npx --no-install playwright test "$@" || status=$?
if [ "$status" != 0 ]; then log "server log:"; tail -50 "$work/server.log"; fi
exit "$status"
