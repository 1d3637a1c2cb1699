#!/usr/bin/env bash
# Start-up on a simulated slow phone (issue 16): starts the built server on a
# free port (fresh SQLite file, demo data, the built site), opens /book five
# times in Debian's Chromium with the network at 1.6 Mbit/s and 150 ms round
# trip and the CPU 4× slower, cold cache each time, and prints the first
# contentful paint and the time to hydrated, per run and as the median.
# Expects scripts/build.sh (or scripts/test.sh) to have built the server and
# the site, and end2end/node_modules to be installed. A benchmark: not part
# of scripts/test.sh.
#
#   scripts/startup_bench.sh [PATH] [RUNS]     (default /book 5)
#   KEZEK_PROFILE=release to use the release server
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KEZEK_ROOT"
bin="$CARGO_TARGET_DIR/${KEZEK_PROFILE:-debug}/kezek"
[ -x "$bin" ] || { log "no server at $bin (scripts/build.sh)"; exit 1; }
[ -f "$SITE_ROOT/pkg/kezek.wasm" ] || { log "no site at $SITE_ROOT (scripts/build.sh)"; exit 1; }
port=$(free_port)
work=$(mktemp -d)
export KEZEK_DEV_NOW="${KEZEK_DEV_NOW-2026-12-02T09:30:00+05:00}"
start_server env DATABASE_URL="sqlite://$work/startup.db" \
  "$bin" --listen "127.0.0.1:$port" --dev --seed-demo --site-root "$SITE_ROOT"
log "startup: http://127.0.0.1:$port${1:-/book}; WebAssembly a page loads:"
python3 scripts/client_sizes.py "$SITE_ROOT/pkg" >&2
(cd end2end && node startup.mjs "http://127.0.0.1:$port${1:-/book}" "${2:-5}")
