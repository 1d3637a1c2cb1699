//! `kezek-wasm-split INPUT.wasm OUT-DIR NAME`
//!
//! Cuts INPUT (linked with `--emit-relocs`) at its `#[lazy]` split points:
//! writes OUT-DIR/NAME.wasm (the main module, for wasm-bindgen), one
//! `.wasm` per split point and per chunk of code shared between split
//! points, the loader `__wasm_split.js` (imported by NAME.js, which
//! wasm-bindgen writes into the same directory), and
//! `split-manifest.json`: for each split point, the modules it
//! loads, by file stem.
use std::{path::Path, process::ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir, name] = args.as_slice() else {
        eprintln!("usage: kezek-wasm-split INPUT.wasm OUT-DIR NAME");
        return ExitCode::from(2);
    };
    match run(Path::new(input), Path::new(out_dir), name) {
        Ok(n) => {
            eprintln!("kezek-wasm-split: {n} split modules in {out_dir}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kezek-wasm-split: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(input: &Path, out_dir: &Path, name: &str) -> Result<usize, String> {
    let wasm = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let main_out = out_dir.join(format!("{name}.wasm"));
    let main_module = format!("./{name}.js");
    let mut opts = wasm_split_cli_support::Options::new(&wasm);
    opts.output_dir = out_dir;
    opts.main_out_path = &main_out;
    opts.main_module = &main_module;
    opts.link_name = "./__wasm_split.js";
    let split = wasm_split_cli_support::transform(opts).map_err(|e| format!("{e:#}"))?;
    let manifest = serde_json::to_string_pretty(&split.prefetch_map).map_err(|e| e.to_string())?;
    let path = out_dir.join("split-manifest.json");
    std::fs::write(&path, manifest).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(split.split_modules.len())
}
