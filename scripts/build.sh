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

# Two client bundles (issue 16): the citizen's pages (pkg/kezek.wasm) and
# the staff and administration pages (pkg/staff/kezek-staff.wasm); the
# server sends the one that has the requested page (`app::ui::is_staff_path`).
# Each is split after linking at its lazy routes (one module per page plus
# chunks the pages share; `kezek-wasm-split`, from tools/wasm-split): a page
# loads the main module and its own modules.
pkg="$SITE_ROOT/pkg"
rm -rf "$pkg.tmp" && mkdir -p "$pkg.tmp"
wasm_opt="$KEZEK_ROOT/tools/wasm-opt/node_modules/.bin/wasm-opt"
wasm_features=(--enable-bulk-memory --enable-nontrapping-float-to-int)

# build_client NAME DIR CARGO-FEATURE-ARGS...: builds the frontend crate with
# those features into $pkg.tmp/DIR: NAME.js, NAME.wasm (the main module),
# __wasm_split.js, the split modules and split-manifest.json.
build_client() {
  local name=$1 dir=$2; shift 2
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
  local out="$pkg.tmp/$dir" split="$pkg.tmp/split-$name"
  mkdir -p "$out" "$split"
  kezek-wasm-split "$wasm" "$split" "$name"
  # The main module keeps the exports the split modules import.
  wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
    --out-dir "$out" --out-name "$name" "$split/$name.wasm"
  mv "$out/${name}_bg.wasm" "$out/$name.wasm"
  rm "$split/$name.wasm" && mv "$split"/* "$out"/ && rmdir "$split"
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
    (cd "$out" &&
      "$wasm_opt" -Oz --one-caller-inline-max-function-size=10 -g "${wasm_features[@]}" \
        "$name.wasm" -o "$name.opt.wasm" &&
      node "$KEZEK_ROOT/tools/wasm-opt/order-functions.mjs" "$name.opt.wasm" "$name.named.wasm" &&
      "$wasm_opt" --optimize-level=2 --shrink-level=2 --reorder-functions-by-name \
        --strip-producers "${wasm_features[@]}" "$name.named.wasm" -o "$name.opt.wasm" &&
      mv "$name.opt.wasm" "$name.wasm" && rm -f "$name.named.wasm")
    local module
    for module in "$out"/*.wasm; do
      [ "$module" = "$out/$name.wasm" ] && continue
      (cd "$out" && "$wasm_opt" -Oz --strip-producers "${wasm_features[@]}" \
        "$(basename "$module")" -o "$(basename "$module")")
    done
  fi
}
build_client kezek ""
build_client kezek-staff staff --no-default-features --features staff

cp "$KEZEK_ROOT/style/main.css" "$pkg.tmp/kezek.css"
rm -rf "$pkg" && mv "$pkg.tmp" "$pkg"
cp -r "$KEZEK_ROOT/public/." "$SITE_ROOT/" 2>/dev/null || true
log "site ready in $SITE_ROOT; WebAssembly a page loads:"
# Issue 16: a citizen's page loads at most 300 KB gzipped of WebAssembly, a
# staff page at most 400 KB (checked only after wasm-opt).
check=()
[ "${KEZEK_WASM_OPT:-1}" != 0 ] && [ -x "$wasm_opt" ] && check=(--check)
python3 "$KEZEK_ROOT/scripts/client_sizes.py" "$pkg" "${check[@]}" >&2
