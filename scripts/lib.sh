# Shared settings for Kezek's scripts (sourced, not run).
# Everything cacheable lives outside the clone, in $KEZEK_CACHE, so a fresh
# clone builds warm.
set -euo pipefail
KEZEK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${KEZEK_CACHE:-}" ]; then
  if mkdir -p /var/cache/kezek 2>/dev/null && [ -w /var/cache/kezek ]; then
    KEZEK_CACHE=/var/cache/kezek
  else
    KEZEK_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/kezek"
  fi
fi
mkdir -p "$KEZEK_CACHE"
export KEZEK_CACHE KEZEK_ROOT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$KEZEK_CACHE/target}"
# .cargo/config.toml builds every crate with `--cfg erase_components`; a set
# RUSTFLAGS would replace that list, so keep the cfg in it (server and client
# must agree on it, or hydration fails).
if [ -n "${RUSTFLAGS:-}" ] && [[ "$RUSTFLAGS" != *erase_components* ]]; then
  export RUSTFLAGS="$RUSTFLAGS --cfg erase_components"
fi
export PATH="$KEZEK_CACHE/tools/bin:$HOME/.cargo/bin:$PATH"
SITE_ROOT="$KEZEK_ROOT/target/site"
export KEZEK_SITE_ROOT="${KEZEK_SITE_ROOT:-$SITE_ROOT}"

log() { printf '\033[1m[kezek]\033[0m %s\n' "$*" >&2; }

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits until the server of PID $1 answers /healthz on port $2; prints its
# log ($3) and exits if it dies or does not come up within 30 s.
await_up() {
  for _ in $(seq 1 150); do
    curl -fs "http://127.0.0.1:$2/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$1" 2>/dev/null || { cat "$3"; exit 1; }
    sleep 0.2
  done
  log "server on port $2 did not come up"; cat "$3"; exit 1
}

# Starts a server command ("$@"; its environment through `env`) in the
# background with its output in $work/server.log, stops it and removes $work
# when the script exits, and waits until it answers /healthz on $port.
# Needs $work and $port; sets $server_pid.
start_server() {
  "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
  await_up "$server_pid" "$port" "$work/server.log"
}

# apt-get install, with one `apt-get update` per run.
apt_install() {
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  if [ -z "${KEZEK_APT_UPDATED:-}" ]; then
    $SUDO apt-get update -qq >/dev/null
    KEZEK_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
