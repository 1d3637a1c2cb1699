#!/usr/bin/env bash
# Load benchmark (NOT part of scripts/test.sh): builds the release server and
# the load tool, runs the scenarios on SQLite and on PostgreSQL (a fresh
# database kezek_bench_<pid> on 127.0.0.1:5432, dropped afterwards), runs the
# pgbench ceiling reference on a scratch database, measures the gzipped WASM,
# runs the draws scenario (kezek-bench draws) and the live-streams script
# (scripts/live_bench.py) and the background-jobs scenario (kezek-bench jobs)
# on both and writes docs/benchmarks.md. Takes about
# 10 minutes after the build.
#
# Usage: scripts/bench.sh [extra `kezek-bench run` flags, e.g. --sat-secs 5]
# PostgreSQL: KEZEK_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KEZEK_ROOT"
pg_url="${KEZEK_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
pg_db="kezek_pgbench_$$"
# Results stay in $KEZEK_CACHE/bench (the report can be rewritten from them).
work="$KEZEK_CACHE/bench"
rm -rf "$work" && mkdir -p "$work"
cleanup() {
  psql "$pg_url/postgres" -qc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

log "building the release server and the load tool"
cargo build --release -p server -p bench
bench="$CARGO_TARGET_DIR/release/kezek-bench"
kezek="$CARGO_TARGET_DIR/release/kezek"

results=()
log "scenarios on SQLite"
"$bench" run --db sqlite --server-bin "$kezek" --out "$work/sqlite.json" "$@"
results+=(--results "$work/sqlite.json")

pg_args=()
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  log "scenarios on PostgreSQL"
  "$bench" run --db postgres --pg-url "$pg_url" --server-bin "$kezek" --out "$work/postgres.json" "$@"
  results+=(--results "$work/postgres.json")

  log "pgbench ceiling (32 clients, 20 s)"
  psql "$pg_url/postgres" -qc "CREATE DATABASE \"$pg_db\"" >/dev/null
  psql "$pg_url/$pg_db" -q -f bench/pgbench/schema.sql >/dev/null
  pgbench -n -M prepared -c 32 -j 2 -T 20 -f bench/pgbench/booking.sql "$pg_url/$pg_db" \
    > "$work/pgbench.txt" 2>&1
  cat "$work/pgbench.txt"
  pg_args=(--pgbench "$work/pgbench.txt" --pgbench-script bench/pgbench/booking.sql)
else
  log "!!! PostgreSQL not reachable: PostgreSQL scenarios and pgbench skipped"
fi

wasm_gz=0
wasm_staff_gz=0
wasm_all_gz=0
if [ -f "$SITE_ROOT/pkg/kezek.wasm" ] && [ -f "$SITE_ROOT/pkg/staff/kezek-staff.wasm" ]; then
  read -r wasm_gz wasm_staff_gz wasm_all_gz < <(python3 scripts/client_sizes.py "$SITE_ROOT/pkg" --totals)
  log "heaviest citizen page $wasm_gz, staff page $wasm_staff_gz, all modules $wasm_all_gz bytes gzipped (built $(date -r "$SITE_ROOT/pkg/kezek.wasm" '+%F %R'))"
else
  log "no $SITE_ROOT/pkg/kezek.wasm and staff/kezek-staff.wasm: run scripts/build.sh to measure the WASM size"
fi

# Start-up of /book on a simulated slow phone (median of 5), if the site and
# the browser tests' node_modules are there.
startup_args=()
if [ -f "$SITE_ROOT/pkg/kezek.wasm" ] && [ -d end2end/node_modules ] && [ -x /usr/bin/chromium ]; then
  log "start-up on a slow phone"
  if KEZEK_PROFILE=release bash scripts/startup_bench.sh /book 5 | tee "$work/startup.txt"; then
    tail -1 "$work/startup.txt" > "$work/startup.json"
    startup_args=(--startup "$work/startup.json")
  fi
fi

{
  echo "Kernel: $(uname -sr)"
  echo "Rust: $(rustc -V)"
  echo "Kezek: $("$kezek" --version)"
  echo "SQLite: libsqlite3-sys $(awk '/^name = "libsqlite3-sys"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock) (bundled, WAL)"
  if command -v psql >/dev/null; then
    echo "PostgreSQL: $(psql "$pg_url/postgres" -Atc 'SHOW server_version' 2>/dev/null || echo 'not reachable'); $(pgbench -V)"
  fi
} > "$work/versions.txt"

"$bench" report "${results[@]}" "${pg_args[@]}" --wasm-gz-bytes "$wasm_gz" --wasm-staff-gz-bytes "$wasm_staff_gz" --wasm-all-gz-bytes "$wasm_all_gz" \
  "${startup_args[@]}" --versions "$work/versions.txt" --notes bench/NOTES.md --out docs/benchmarks.md
# The fair-access scenario (R12, R13): a draw with 20,000 requests over
# about 1,000 places, then cancellations while 5,000 entries wait.
draws_md=()
log "draws and the waiting list on SQLite"
"$bench" draws --db sqlite --server-bin "$kezek" --out "$work/draws-sqlite.md"
draws_md+=("$work/draws-sqlite.md")
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  log "draws and the waiting list on PostgreSQL"
  "$bench" draws --db postgres --pg-url "$pg_url" --server-bin "$kezek" --out "$work/draws-postgres.md"
  draws_md+=("$work/draws-postgres.md")
fi
{
  echo
  echo "## Fair access: draws and the waiting list"
  echo
  for f in "${draws_md[@]}"; do cat "$f"; echo; done
} >> docs/benchmarks.md

# Live pages (R8): 1,000 open event streams on one server — its memory and
# how fast one commit reaches all of them (scripts/live_bench.py).
live_run() { # $1: database URL; prints the script's report
  local port pid
  port=$(free_port)
  # All 1,000 streams come from one address: lift the per-address cap.
  DATABASE_URL="$1" RUST_LOG=warn "$kezek" --listen "127.0.0.1:$port" --dev --seed-demo \
    --live-per-address 2000 --site-root "$SITE_ROOT" >"$work/live-server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  (ulimit -n 4096; python3 scripts/live_bench.py "http://127.0.0.1:$port" "$pid" 1000)
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
log "live streams on SQLite"
live_sqlite=$(live_run "sqlite://$work/live.db")
live_pg=""
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  log "live streams on PostgreSQL"
  psql "$pg_url/postgres" -qc "CREATE DATABASE \"${pg_db}_live\"" >/dev/null
  live_pg=$(live_run "$pg_url/${pg_db}_live")
  psql "$pg_url/postgres" -qc "DROP DATABASE IF EXISTS \"${pg_db}_live\" WITH (FORCE)" >/dev/null
fi
{
  echo
  echo "## Live streams: 1,000 open pages"
  echo
  echo "\`python3 scripts/live_bench.py\` against the release \`kezek --dev --seed-demo\`: 1,000 event streams on \`/live/center/1\` (hall displays or consoles), then five commits at that center (book, cancel, …); the time is from sending the request to the last stream hearing its \`change\`. Target: the server under 150 MB with 1,000 streams."
  echo
  echo "SQLite:"; echo; echo '```'; echo "$live_sqlite"; echo '```'
  if [ -n "$live_pg" ]; then
    echo; echo "PostgreSQL (NOTIFY sent, this process's streams served in process):"; echo; echo '```'; echo "$live_pg"; echo '```'
  fi
} >> docs/benchmarks.md
# The background jobs in process (kezek-bench jobs): sign-in codes queued
# while 10,000 notices are pending, and reminder passes over 100,000
# upcoming bookings.
{
  echo
  echo "## Background jobs: codes behind a backlog, reminders at scale"
  echo
  echo "\`kezek-bench jobs\` (release build, in process against a fresh database, no HTTP): 10,000 notices pending when two outbox workers start, a fake provider taking 2 ms per message, and a sign-in code queued every 50 ms meanwhile — the time from queuing a code to handing it to the gateway; then 100,000 upcoming bookings over the next 30 days and two reminder passes."
  echo
  "$bench" jobs --db sqlite
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo
    "$bench" jobs --db postgres --pg-url "$pg_url"
  fi
} >> docs/benchmarks.md
# How to reproduce (static text: scripts/bench-howto.md).
{ echo; cat scripts/bench-howto.md; } >> docs/benchmarks.md
log "wrote docs/benchmarks.md"
