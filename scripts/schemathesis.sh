#!/usr/bin/env bash
# Conformance of the JSON API to its own OpenAPI document, from outside:
# starts the built server (dev mode, a fresh SQLite file, demo data, a free
# port), signs a demo citizen in over the API (otp → dev outbox → verify) and
# runs Schemathesis against /api/v1/openapi.json with a bounded number of
# examples, then stops the server. Expects the `kezek` binary to be built
# (`cargo build -p server`). Extra arguments go to `schemathesis run`.
#
#   SCHEMATHESIS_EXAMPLES  test cases per operation and phase (default 50)
#   SCHEMATHESIS_SEED      random seed (default 1: the same run every time)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KEZEK_ROOT"

SCHEMATHESIS_VERSION=4.32.5
venv="$KEZEK_CACHE/venv-schemathesis"
if [ ! -x "$venv/bin/schemathesis" ] ||
  [ "$("$venv/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  log "schemathesis: installing $SCHEMATHESIS_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

bin="$CARGO_TARGET_DIR/debug/kezek"
[ -x "$bin" ] || { log "schemathesis: $bin is missing (cargo build -p server)"; exit 1; }
port=$(free_port)
work=$(mktemp -d)
base="http://127.0.0.1:$port"
log "schemathesis: server on $base, data in $work"
# A fixed working-day morning (dev mode only), as in e2e.sh.
export KEZEK_DEV_NOW="${KEZEK_DEV_NOW-2026-12-02T09:30:00+05:00}"
start_server env DATABASE_URL="sqlite://$work/api.db" KEZEK_ADMIN_PASSWORD=schemathesis-admin-pw \
  "$bin" --listen "127.0.0.1:$port" --dev --seed-demo --no-background \
  --site-root "$KEZEK_SITE_ROOT"

# A demo citizen's bearer token: POST /auth/otp, read the code from the dev
# outbox, POST /auth/verify.
citizen_token() {
  local iin=$1 phone=$2 challenge code
  challenge=$(curl -fsS -H 'content-type: application/json' \
    -d "{\"iin\":\"$iin\",\"phone\":\"$phone\"}" "$base/api/v1/auth/otp" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["challenge_id"])')
  code=$(curl -fsS -G --data-urlencode "to=$phone" "$base/api/v1/dev/outbox" |
    python3 -c 'import json,re,sys; print(re.search(r"\b\d{6}\b", json.load(sys.stdin)[0]["body"]).group(0))')
  curl -fsS -H 'content-type: application/json' \
    -d "{\"challenge_id\":\"$challenge\",\"code\":\"$code\"}" "$base/api/v1/auth/verify" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
token=$(citizen_token 710313311868 +77011234567)
logout_token=$(citizen_token 570103468518 +77051234567)

# A staff member's bearer token: POST /staff/login.
staff_token() {
  curl -fsS -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}" "$base/api/v1/staff/login" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
admin_token=$(staff_token admin schemathesis-admin-pw)
operator_token=$(staff_token ast-psc-yesil-op1 kezek-demo)

st=(
  "$venv/bin/schemathesis" run "$base/api/v1/openapi.json"
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance
  --max-examples "${SCHEMATHESIS_EXAMPLES:-50}"
  --seed "${SCHEMATHESIS_SEED:-1}"
  --phases examples,coverage,fuzzing
  # One worker: hypothesis parses lambdas with `ast` and, on Python 3.11,
  # that can crash when two threads do it at once (a runtime error, not a finding).
  --workers 1
  --request-timeout 10
  --suppress-health-check all
  --warnings off
  --no-color
)
# Schemathesis keeps its state (.schemathesis/) in the working directory.
cd "$work"
status=0
# Everything but sign-out, as the citizen (staff and admin operations then
# answer 403, which the document lists).
"${st[@]}" -H "Authorization: Bearer $token" --exclude-path /auth/logout "$@" || status=$?
# Sign-out on its own token (the first call ends that session).
"${st[@]}" -H "Authorization: Bearer $logout_token" --include-path /auth/logout "$@" || status=$?
# The staff and administrator operations as the ones allowed to call them:
# the administrator (every center) and an operator of one window (403 for
# another center's or window's booking, which the document lists).
"${st[@]}" -H "Authorization: Bearer $admin_token" --include-path-regex '^/(admin|staff)/' \
  --exclude-path /staff/login "$@" || status=$?
"${st[@]}" -H "Authorization: Bearer $operator_token" --include-path-regex '^/staff/' \
  --exclude-path /staff/login "$@" || status=$?
if [ "$status" != 0 ]; then log "server log:"; tail -30 "$work/server.log"; fi
exit "$status"
