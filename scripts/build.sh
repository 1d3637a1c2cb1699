#!/usr/bin/env bash
# Builds the server binary and the WebAssembly site into target/site.
# Usage: scripts/build.sh            (server: dev profile, shared with tests)
#        KEZEK_PROFILE=release scripts/build.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KEZEK_ROOT"
profile="${KEZEK_PROFILE:-dev}"
route=$(cat "$KEZEK_CACHE/wasm-route" 2>/dev/null || echo rustup)

if [ "${KEZEK_SKIP_SERVER:-}" != 1 ]; then
  log "building the server ($profile profile)"
  cargo build -p server --profile "$profile"
fi

log "building the WebAssembly client (route: $route)"
if [ "$route" = debian ]; then
  wasm_target_dir="$CARGO_TARGET_DIR/debian-wasm"
  "$KEZEK_CACHE/shim/cargo-wasm" build -p frontend --lib --target wasm32-unknown-unknown \
    --profile wasm-release --target-dir "$wasm_target_dir"
else
  wasm_target_dir="$CARGO_TARGET_DIR"
  cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
fi
wasm="$wasm_target_dir/wasm32-unknown-unknown/wasm-release/frontend.wasm"

pkg="$SITE_ROOT/pkg"
rm -rf "$pkg.tmp" && mkdir -p "$pkg.tmp"
wasm-bindgen --target web --no-typescript --out-dir "$pkg.tmp" --out-name kezek "$wasm"
mv "$pkg.tmp/kezek_bg.wasm" "$pkg.tmp/kezek.wasm"
wasm_opt="$KEZEK_ROOT/tools/wasm-opt/node_modules/.bin/wasm-opt"
if [ "${KEZEK_WASM_OPT:-1}" != 0 ] && [ -x "$wasm_opt" ]; then
  log "wasm-opt -Oz (KEZEK_WASM_OPT=0 skips it while iterating)"
  # binaryen's JS build resolves paths against the working directory.
  (cd "$pkg.tmp" && "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    kezek.wasm -o kezek.opt.wasm)
  mv "$pkg.tmp/kezek.opt.wasm" "$pkg.tmp/kezek.wasm"
fi
cp "$KEZEK_ROOT/style/main.css" "$pkg.tmp/kezek.css"
rm -rf "$pkg" && mv "$pkg.tmp" "$pkg"
cp -r "$KEZEK_ROOT/public/." "$SITE_ROOT/" 2>/dev/null || true
size=$(gzip -9c "$pkg/kezek.wasm" | wc -c)
log "site ready in $SITE_ROOT (kezek.wasm: $(( size / 1024 )) KB gzipped)"
