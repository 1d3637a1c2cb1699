//! Keeps the linker's relocations in the WebAssembly module: the module
//! split after linking (`scripts/build.sh`, `kezek-wasm-split`) reads them to
//! cut the client into one module per page (issue 16).
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=--emit-relocs");
    }
}
