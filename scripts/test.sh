#!/usr/bin/env bash
# Runs every Kezek test: formatting, lints per feature set, the no-database-
# in-wasm check, unit tests, the database tests on SQLite and on PostgreSQL,
# and the browser tests in headless Chromium.
#
# PostgreSQL: KEZEK_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432).
# Each test creates its own database (kezek_t_<run>_<n>) and drops it; the
# run drops any leftovers at the end. With CI=true a missing PostgreSQL is a
# failure; otherwise those tests are skipped with a loud notice.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KEZEK_ROOT"
started=$(date +%s)
bash scripts/bootstrap.sh
route=$(cat "$KEZEK_CACHE/wasm-route")

step() { log "── $* ($(( $(date +%s) - started )) s)"; }

step "rustfmt"
cargo fmt --all -- --check

step "clippy: the pure crates (domain, i18n, wire)"
cargo clippy -p kezek-domain -p kezek-i18n -p kezek-wire --all-targets -- -D warnings
cargo clippy -p kezek-wire --all-targets --features openapi -- -D warnings
step "clippy: server side (core, app/ssr, server, migrations)"
cargo clippy -p kezek-core --all-targets -- -D warnings
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p server -p migrations --all-targets -- -D warnings
step "clippy: browser side (app/hydrate, frontend)"
cargo clippy -p app --features hydrate,citizen-pages --lib -- -D warnings
cargo clippy -p app --features hydrate,staff-pages --lib -- -D warnings
if [ "$route" = rustup ]; then
  cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
  cargo clippy -p frontend --target wasm32-unknown-unknown --no-default-features --features staff -- -D warnings
fi

step "no server or database crate in the wasm build"
for bundle in "--features citizen" "--no-default-features --features staff"; do
  # shellcheck disable=SC2086 # two words on purpose
  leaks=$(cargo tree -p frontend --target wasm32-unknown-unknown -e normal --prefix none $bundle \
    | awk '{print $1}' | sort -u \
    | grep -xE 'sea-orm|sea-query|sqlx|sqlx-core|libsqlite3-sys|tokio|axum|leptos_axum|argon2|migrations|mio' || true)
  if [ -n "$leaks" ]; then log "server crates reach the wasm build ($bundle): $leaks"; exit 1; fi
done
log "wasm dependency tree is clean"

step "the pure crates reach no database, runtime or web server"
for pure in kezek-domain kezek-i18n kezek-wire; do
  leaks=$(cargo tree -p "$pure" -e normal --prefix none \
    | awk '{print $1}' | sort -u \
    | grep -xE 'sea-orm|sea-query|sqlx|sqlx-core|libsqlite3-sys|tokio|axum|leptos|leptos_axum|argon2|migrations|mio|reqwest|app' || true)
  if [ -n "$leaks" ]; then log "$pure reaches: $leaks"; exit 1; fi
done
log "kezek-domain, kezek-i18n and kezek-wire are pure"
step "kezek-core knows no page and no transport"
leaks=$(cargo tree -p kezek-core -e normal --prefix none \
  | awk '{print $1}' | sort -u \
  | grep -xE 'leptos|leptos_axum|leptos_router|server_fn|axum|axum-core|app|server' || true)
if [ -n "$leaks" ]; then log "kezek-core reaches: $leaks"; exit 1; fi
stray=$(grep -rlE 'sea_orm::|use sea_orm' --include=*.rs app server frontend crates/domain crates/i18n crates/wire || true)
if [ -n "$stray" ]; then log "sea_orm imported outside kezek-core and migrations: $stray"; exit 1; fi
log "kezek-core depends on no Leptos or axum; only it imports sea_orm"

export KEZEK_TEST_RUN_ID="${KEZEK_TEST_RUN_ID:-$$}"
# Per package, never --workspace: that would unify app's `ssr` and `hydrate`
# features into one build.
step "pure unit tests (no database, no Leptos)"
cargo test -p kezek-domain -p kezek-i18n -p kezek-wire

step "unit tests and database tests on SQLite"
KEZEK_TEST_DATABASE_URL= cargo test -p kezek-core
KEZEK_TEST_DATABASE_URL= cargo test -p app --features ssr --lib
KEZEK_TEST_DATABASE_URL= cargo test -p migrations
KEZEK_TEST_DATABASE_URL= cargo test -p server

pg_url="${KEZEK_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432}"
tested="SQLite"
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || {
     [ "${CI:-}" = true ] && command -v pg_ctlcluster >/dev/null &&
     pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start &&
     sleep 2 && pg_isready -q -h 127.0.0.1 -p 5432; }; then
  step "database tests on PostgreSQL ($pg_url)"
  pg_cleanup() {
    psql "$pg_url/postgres" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'kezek_t_${KEZEK_TEST_RUN_ID}_%'" 2>/dev/null |
      while read -r db; do psql "$pg_url/postgres" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true; done
  }
  trap pg_cleanup EXIT
  KEZEK_TEST_DATABASE_URL="$pg_url" cargo test -p kezek-core --tests
  KEZEK_TEST_DATABASE_URL="$pg_url" cargo test -p server --tests
  tested="SQLite and PostgreSQL"
else
  if [ "${CI:-}" = true ]; then log "PostgreSQL is not reachable on 127.0.0.1:5432"; exit 1; fi
  log "!!! PostgreSQL not reachable: PostgreSQL tests SKIPPED"
fi

step "build the site"
bash scripts/build.sh

step "the JSON API against its OpenAPI document (Schemathesis, bounded)"
bash scripts/schemathesis.sh

step "browser tests"
bash scripts/e2e.sh

step "done"
log "databases tested: $tested"
log "total time: $(( $(date +%s) - started )) s"
