#!/usr/bin/env python3
"""Gzipped sizes of the WebAssembly a page of each client bundle loads.

Usage: scripts/client_sizes.py SITE/pkg [--json | --check]

Each bundle (the citizen's in pkg/, the staff one in pkg/staff/) is a main
module plus one module per page and shared chunks (`scripts/build.sh` splits
it at the lazy routes; `split-manifest.json` lists what each page's
split point loads). A page loads the main module and its manifest entry.
Sizes are gzip -9, what a browser downloads. --check prints a warning for
each bundle whose largest page is over its budget (issue 16: 300 KB for a
citizen's page, 400 KB for a staff page).
"""
import gzip
import json
import os
import sys

BUNDLES = [("citizen", "", "kezek"), ("staff", "staff", "kezek-staff")]
BUDGET_KB = {"citizen": 300, "staff": 400}


def gz(path):
    with open(path, "rb") as f:
        return len(gzip.compress(f.read(), 9))


def bundle(pkg, sub, name):
    d = os.path.join(pkg, sub)
    main = gz(os.path.join(d, name + ".wasm"))
    try:
        with open(os.path.join(d, "split-manifest.json")) as f:
            manifest = json.load(f)
    except FileNotFoundError:
        manifest = {}
    pages = {}
    for key, stems in sorted(manifest.items()):
        # `#[lazy_route]` names a page's split point `__<page>_view_<hash>`.
        page = (key.split("_view_")[0] if "_view_" in key else key).strip("_")
        pages[page] = main + sum(gz(os.path.join(d, s + ".wasm")) for s in stems)
    files = [f for f in os.listdir(d) if f.endswith(".wasm")]
    total = sum(gz(os.path.join(d, f)) for f in files)
    return {"main": main, "pages": pages, "all": total, "modules": len(files)}


def main():
    pkg = sys.argv[1]
    out = {kind: bundle(pkg, sub, name) for kind, sub, name in BUNDLES}
    if "--json" in sys.argv:
        print(json.dumps(out))
        return
    if "--check" in sys.argv:
        for kind, b in out.items():
            worst = max(b["pages"].values(), default=b["main"])
            if worst > BUDGET_KB[kind] * 1024:
                print(f"[kezek] WARNING: a {kind} page loads {worst // 1024} KB of WebAssembly, "
                      f"over its {BUDGET_KB[kind]} KB gzipped budget (docs/TOOLCHAIN.md, 'Client size')")
        return
    for kind, b in out.items():
        biggest = max(b["pages"].values(), default=b["main"])
        print(f"{kind}: main module {b['main'] // 1024} KB (all a page that is not split off "
              f"loads), largest page {biggest // 1024} KB, all {b['modules']} modules "
              f"{b['all'] // 1024} KB (gzip -9)")
        for page, size in sorted(b["pages"].items(), key=lambda p: -p[1]):
            print(f"  {page}: {size // 1024} KB")


if __name__ == "__main__":
    main()
