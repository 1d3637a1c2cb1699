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

# Two client bundles (issue 16): the citizen's pages (kezek.wasm) and the
# staff and administration pages (kezek-staff.wasm); the server sends the
# one that has the requested page (`app::ui::is_staff_path`).
pkg="$SITE_ROOT/pkg"
rm -rf "$pkg.tmp" && mkdir -p "$pkg.tmp"
wasm_opt="$KEZEK_ROOT/tools/wasm-opt/node_modules/.bin/wasm-opt"

# build_client NAME CARGO-FEATURE-ARGS...: builds the frontend crate with
# those features into $pkg.tmp/NAME.js and NAME.wasm.
build_client() {
  local name=$1; shift
  log "building the WebAssembly client $name (route: $route)"
  local wasm_target_dir
  if [ "$route" = debian ]; then
    wasm_target_dir="$CARGO_TARGET_DIR/debian-wasm"
    "$KEZEK_CACHE/shim/cargo-wasm" build -p frontend --lib --target wasm32-unknown-unknown \
      --profile wasm-release --target-dir "$wasm_target_dir" "$@"
  else
    wasm_target_dir="$CARGO_TARGET_DIR"
    cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release "$@"
  fi
  local wasm="$wasm_target_dir/wasm32-unknown-unknown/wasm-release/frontend.wasm"
  wasm-bindgen --target web --no-typescript --out-dir "$pkg.tmp" --out-name "$name" "$wasm"
  mv "$pkg.tmp/${name}_bg.wasm" "$pkg.tmp/$name.wasm"
  if [ "${KEZEK_WASM_OPT:-1}" != 0 ] && [ -x "$wasm_opt" ]; then
    log "wasm-opt -Oz $name (KEZEK_WASM_OPT=0 skips it while iterating)"
    # Tuned for the gzipped size (issue 8), which is what browsers download:
    # - a function with one caller is inlined only when small: inlining big
    #   ones shrinks the raw module but grows the gzipped one by ~15%;
    # - -g keeps wasm-bindgen's function names for order-functions.mjs, which
    #   renames the functions so that --reorder-functions-by-name puts the
    #   copies of each generic function side by side (~5 KB less gzipped);
    #   the last run writes no names.
    # binaryen's JS build resolves paths against the working directory.
    local features=(--enable-bulk-memory --enable-nontrapping-float-to-int)
    (cd "$pkg.tmp" &&
      "$wasm_opt" -Oz --one-caller-inline-max-function-size=10 -g "${features[@]}" \
        "$name.wasm" -o "$name.opt.wasm" &&
      node "$KEZEK_ROOT/tools/wasm-opt/order-functions.mjs" "$name.opt.wasm" "$name.named.wasm" &&
      "$wasm_opt" --optimize-level=2 --shrink-level=2 --reorder-functions-by-name \
        --strip-producers "${features[@]}" "$name.named.wasm" -o "$name.opt.wasm")
    mv "$pkg.tmp/$name.opt.wasm" "$pkg.tmp/$name.wasm"
    rm -f "$pkg.tmp/$name.named.wasm"
  fi
}
build_client kezek
build_client kezek-staff --no-default-features --features staff

cp "$KEZEK_ROOT/style/main.css" "$pkg.tmp/kezek.css"
rm -rf "$pkg" && mv "$pkg.tmp" "$pkg"
cp -r "$KEZEK_ROOT/public/." "$SITE_ROOT/" 2>/dev/null || true
citizen=$(gzip -9c "$pkg/kezek.wasm" | wc -c)
staff=$(gzip -9c "$pkg/kezek-staff.wasm" | wc -c)
log "site ready in $SITE_ROOT (gzipped: kezek.wasm $(( citizen / 1024 )) KB, kezek-staff.wasm $(( staff / 1024 )) KB)"
# Issue 16: a citizen's page loads at most 300 KB gzipped of WebAssembly, a
# staff page at most 400 KB (measured after wasm-opt).
if [ "${KEZEK_WASM_OPT:-1}" != 0 ] && [ -x "$wasm_opt" ]; then
  [ "$citizen" -le $(( 300 * 1024 )) ] ||
    log "WARNING: kezek.wasm is over its 300 KB gzipped budget (docs/TOOLCHAIN.md, 'Client size')"
  [ "$staff" -le $(( 400 * 1024 )) ] ||
    log "WARNING: kezek-staff.wasm is over its 400 KB gzipped budget (docs/TOOLCHAIN.md, 'Client size')"
fi
