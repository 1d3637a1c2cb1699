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
  # Tuned for the gzipped size (issue 8), which is what browsers download:
  # - a function with one caller is inlined only when small: inlining big
  #   ones shrinks the raw module but grows the gzipped one by ~15%;
  # - -g keeps wasm-bindgen's function names for order-functions.mjs, which
  #   renames the functions so that --reorder-functions-by-name puts the
  #   copies of each generic function side by side (~5 KB less gzipped);
  #   the last run writes no names.
  # binaryen's JS build resolves paths against the working directory.
  features=(--enable-bulk-memory --enable-nontrapping-float-to-int)
  (cd "$pkg.tmp" &&
    "$wasm_opt" -Oz --one-caller-inline-max-function-size=10 -g "${features[@]}" \
      kezek.wasm -o kezek.opt.wasm &&
    node "$KEZEK_ROOT/tools/wasm-opt/order-functions.mjs" kezek.opt.wasm kezek.named.wasm &&
    "$wasm_opt" --optimize-level=2 --shrink-level=2 --reorder-functions-by-name \
      --strip-producers "${features[@]}" kezek.named.wasm -o kezek.opt.wasm)
  mv "$pkg.tmp/kezek.opt.wasm" "$pkg.tmp/kezek.wasm"
  rm -f "$pkg.tmp/kezek.named.wasm"
fi
cp "$KEZEK_ROOT/style/main.css" "$pkg.tmp/kezek.css"
rm -rf "$pkg" && mv "$pkg.tmp" "$pkg"
cp -r "$KEZEK_ROOT/public/." "$SITE_ROOT/" 2>/dev/null || true
size=$(gzip -9c "$pkg/kezek.wasm" | wc -c)
log "site ready in $SITE_ROOT (kezek.wasm: $(( size / 1024 )) KB gzipped)"
# Issue 8: the client must stay within 400 KB gzipped (measured after wasm-opt).
if [ "${KEZEK_WASM_OPT:-1}" != 0 ] && [ -x "$wasm_opt" ] && [ "$size" -gt $(( 400 * 1024 )) ]; then
  log "WARNING: kezek.wasm is over its 400 KB gzipped budget (docs/TOOLCHAIN.md, 'Client size')"
fi
