#!/usr/bin/env bash
# Failure drills against the local cluster (NOT part of scripts/test.sh):
# a booking storm through the app balancer (:8100) while, in turn,
#   1. the primary PostgreSQL node dies (kill -9 of Patroni and PostgreSQL),
#   2. one app process dies (kill -9),
#   3. one app node's PgBouncer dies (kill -9; this run puts a PgBouncer
#      beside each app node, KEZEK_CLUSTER_POOLER=1).
# Each run starts on a fresh `kezek` database (demo data + 100 load-test
# centers) and ends with `kezek-bench chaos`'s reckoning from the database:
# acknowledged bookings lost (must be 0), duplicates (0), the bench's
# invariants, the longest time without a successful booking after the kill,
# the errors clients saw by code. The process exits non-zero if any run
# lost or duplicated a booking.
#
# Usage: scripts/cluster.sh up && scripts/chaos.sh [primary|app|pooler ...]
#   KEZEK_CHAOS_SECS (60) KEZEK_CHAOS_RATE (50/s) KEZEK_CHAOS_KILL_AFTER (15 s)
# Results: $KEZEK_CACHE/chaos/<run>.json and a summary table on stdout.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KEZEK_ROOT"
runs=("$@")
[ ${#runs[@]} -gt 0 ] || runs=(primary app pooler)
secs="${KEZEK_CHAOS_SECS:-60}"
rate="${KEZEK_CHAOS_RATE:-50}"
kill_after="${KEZEK_CHAOS_KILL_AFTER:-15}"
out="$KEZEK_CACHE/chaos"
mkdir -p "$out"
cluster="bash $KEZEK_ROOT/scripts/cluster.sh"
pg="psql -h 127.0.0.1 -p 5440 -U postgres -d postgres -qAt"

bench="$CARGO_TARGET_DIR/release/kezek-bench"
kezek="$CARGO_TARGET_DIR/release/kezek"
if ! [ -x "$bench" ] || ! [ -x "$kezek" ]; then
  log "building the release server and the load tool"
  cargo build --release -p server -p bench
fi

fresh_database() {
  $cluster stop-apps
  # Brings back whatever the last run killed (a dead primary rejoins as
  # the standby), without the apps.
  KEZEK_CLUSTER_APPS=0 $cluster up >/dev/null
  log "fresh database kezek (demo data + 100 load-test centers)"
  $pg -c "DROP DATABASE IF EXISTS kezek WITH (FORCE)"
  $pg -c "CREATE DATABASE kezek"
  RUST_LOG=warn "$kezek" --database-url postgres://postgres@127.0.0.1:5440/kezek \
    seed-load --centers 100 >/dev/null
  $cluster up >/dev/null
  $cluster status | sed -n '/processes/,$p'
}

failed=0
for run in "${runs[@]}"; do
  case "$run" in
    primary) kill="$cluster kill-primary"; label="primary PostgreSQL node killed" ;;
    app) kill="$cluster kill-app 1"; label="app process 1 killed" ;;
    pooler) kill="$cluster kill-pooler 2"; label="PgBouncer of app 2 killed" ;;
    *) log "unknown run $run (primary, app, pooler)"; exit 2 ;;
  esac
  if [ "$run" = pooler ]; then export KEZEK_CLUSTER_POOLER=1; else export KEZEK_CLUSTER_POOLER=0; fi
  fresh_database
  log "run '$run': $secs s of bookings at $rate/s; at $kill_after s: $label"
  if ! "$bench" chaos --base http://127.0.0.1:8100 \
      --db-url postgres://postgres@127.0.0.1:5440/kezek \
      --citizens "$(awk -v s="$secs" -v r="$rate" 'BEGIN{printf "%d", s*r}')" \
      --rate "$rate" --secs "$secs" --kill-after "$kill_after" \
      --kill "$kill" --label "$label" --out "$out/$run.json"; then
    failed=1
  fi
  $cluster status | sed -n '/Patroni/,/processes/p'
done
$cluster up >/dev/null

echo
echo "| run | acknowledged | lost | duplicates | gave up | longest without a booking | errors seen by clients (retried) |"
echo "|---|---:|---:|---:|---:|---:|---|"
for run in "${runs[@]}"; do
  [ -f "$out/$run.json" ] || continue
  python3 - "$out/$run.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
errs = ", ".join(f"{k}: {v}" for k, v in r["errors_by_code"].items()) or "none"
bad = [c["name"] for c in r["checks"] if not c["ok"]]
label = r["label"] + ("" if not bad else " — FAILED: " + "; ".join(bad))
print(f"| {label} | {r['acknowledged']} | {r['lost']} | {r['duplicates']} | {r['gave_up']} | {r['longest_write_gap_secs']:.1f} s | {errs} |")
PY
done
exit $failed
