#!/usr/bin/env bash
# Installs what is missing, builds, migrates, seeds the demo data and starts
# Kezek on SQLite (./data/kezek.db) in dev mode. Prints the URL and logins.
# Flags after the script name go to the server (see `kezek --help`).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KEZEK_ROOT"
bash scripts/bootstrap.sh --no-browser
bash scripts/build.sh
bin="$CARGO_TARGET_DIR/debug/kezek"
[ "${KEZEK_PROFILE:-dev}" = release ] && bin="$CARGO_TARGET_DIR/release/kezek"
export DATABASE_URL="${DATABASE_URL:-sqlite://data/kezek.db}"
exec "$bin" --dev --seed-demo --site-root "$SITE_ROOT" "$@"
