#!/usr/bin/env bash
# Installs what Kezek's build and tests need, idempotently:
#   - Rust (rustup stable) — required to be present already or installable
#   - the wasm32 standard library: rustup target (tried first, 60 s), else
#     Debian's rustc-web with build-std (FORCE_WASM_ROUTE=debian forces it)
#   - wasm-bindgen-cli of exactly the version in Cargo.lock
#   - kezek-wasm-split (tools/wasm-split), which cuts the client per page
#   - Chromium from Debian (for browser tests), Node packages of end2end/
# Nothing downloads a binary from outside the package registries.
# Usage: scripts/bootstrap.sh [--no-browser]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
want_browser=1
[ "${1:-}" = "--no-browser" ] && want_browser=0

command -v cargo >/dev/null || { log "cargo not found: install Rust with rustup first"; exit 1; }

# --- wasm32 standard library ------------------------------------------------
route_file="$KEZEK_CACHE/wasm-route"
route="${FORCE_WASM_ROUTE:-}"
if [ -z "$route" ]; then
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    route=rustup
  elif timeout 60 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
    route=rustup
  else
    log "rustup could not add wasm32-unknown-unknown; using the Debian route"
    route=debian
  fi
fi
if [ "$route" = debian ]; then
  # rust-lld is a dangling link until lld-22 is installed.
  if ! [ -x /usr/bin/cargo ] || ! [ -d /usr/lib/rustlib/src/rust ] || ! [ -e "$(readlink -f /usr/bin/rust-lld 2>/dev/null || echo /nonexistent)" ]; then
    log "installing Debian's rustc-web toolchain (wasm fallback)"
    apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
  fi
  # The shim sends wasm32 builds to Debian's cargo with build-std.
  mkdir -p "$KEZEK_CACHE/shim"
  cat > "$KEZEK_CACHE/shim/cargo-wasm" <<'SHIM'
#!/usr/bin/env bash
unset RUSTC_WRAPPER RUSTUP_TOOLCHAIN
export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
exec /usr/bin/cargo "$@"
SHIM
  chmod +x "$KEZEK_CACHE/shim/cargo-wasm"
fi
echo "$route" > "$route_file"
log "wasm32 route: $route"

# --- wasm-bindgen-cli = the version in Cargo.lock -----------------------------
wbg_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$KEZEK_ROOT/Cargo.lock")
have=$("$KEZEK_CACHE/tools/bin/wasm-bindgen" --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$wbg_version" ]; then
  log "installing wasm-bindgen-cli $wbg_version (takes ~5 min once)"
  # Not --locked: a pinned dependency of some versions left the index.
  CARGO_TARGET_DIR="$KEZEK_CACHE/tools-build" cargo install -q wasm-bindgen-cli \
    --version "$wbg_version" --root "$KEZEK_CACHE/tools"
fi
log "wasm-bindgen $wbg_version"

# --- the module splitter (tools/wasm-split, wasm_split_cli_support) ----------
split_src="$KEZEK_ROOT/tools/wasm-split"
split_want=$(cat "$split_src/Cargo.toml" "$split_src/Cargo.lock" "$split_src/src/main.rs" | sha256sum | cut -c1-16)
if ! [ -x "$KEZEK_CACHE/tools/bin/kezek-wasm-split" ] ||
   [ "$(cat "$KEZEK_CACHE/tools/kezek-wasm-split.stamp" 2>/dev/null)" != "$split_want" ]; then
  log "installing kezek-wasm-split (tools/wasm-split; ~1 min once)"
  CARGO_TARGET_DIR="$KEZEK_CACHE/tools-build" cargo install -q --locked --force \
    --path "$split_src" --root "$KEZEK_CACHE/tools"
  echo "$split_want" > "$KEZEK_CACHE/tools/kezek-wasm-split.stamp"
fi

# --- wasm-opt from npm (binaryen 132; Debian's 108 breaks the module) -------
if [ -f "$KEZEK_ROOT/tools/wasm-opt/package-lock.json" ] &&
   ! [ -x "$KEZEK_ROOT/tools/wasm-opt/node_modules/.bin/wasm-opt" ]; then
  if command -v npm >/dev/null; then
    log "installing wasm-opt (npm binaryen 132)"
    (cd "$KEZEK_ROOT/tools/wasm-opt" && npm ci --no-audit --no-fund --silent) ||
      log "wasm-opt not installed; the client is built without it"
  fi
fi

# --- browser tests -----------------------------------------------------------
if [ "$want_browser" = 1 ]; then
  if ! [ -x /usr/bin/chromium ]; then
    log "installing Chromium from Debian"
    apt_install chromium
  fi
  if [ -f "$KEZEK_ROOT/end2end/package-lock.json" ]; then
    if ! [ -d "$KEZEK_ROOT/end2end/node_modules/@playwright/test" ]; then
      log "installing end2end Node packages (no browser download)"
      (cd "$KEZEK_ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
    fi
  fi
fi
