#!/usr/bin/env python3
"""Gzipped sizes of the WebAssembly a page of each client bundle loads.

Usage: scripts/client_sizes.py SITE/pkg [--check] [--totals]

Each bundle (the citizen's in pkg/, the staff one in pkg/staff/) is a main
module plus one module per page and shared chunks (`scripts/build.sh` splits
it at the lazy routes; `split-manifest.json` lists what each page's split
point loads). A page loads the main module and its manifest entry; a page
that is not split off loads the main module alone. Sizes are gzip -9, what a
browser downloads.

Prints a table per bundle. --check adds a warning for each bundle whose
heaviest page is over its budget (issue 16: 300 KB for a citizen's page,
400 KB for a staff page). --totals prints the table to stderr and, on
stdout, three byte counts for scripts/bench.sh: the heaviest citizen page,
the heaviest staff page, every module of both bundles.
"""
import gzip
import json
import os
import sys

# (kind, directory under pkg/, main module name, budget in KB)
BUNDLES = [("citizen", "", "kezek", 300), ("staff", "staff", "kezek-staff", 400)]


def gz(path):
    with open(path, "rb") as f:
        return len(gzip.compress(f.read(), 9))


def bundle(pkg, sub, name):
    d = os.path.join(pkg, sub)
    sizes = {f[:-5]: gz(os.path.join(d, f)) for f in os.listdir(d) if f.endswith(".wasm")}
    main = sizes[name]
    try:
        with open(os.path.join(d, "split-manifest.json")) as f:
            manifest = json.load(f)
    except FileNotFoundError:
        manifest = {}
    pages = {}
    for key, stems in manifest.items():
        # `#[lazy_route]` names a page's split point `__<page>_view_<hash>`.
        page = (key.split("_view_")[0] if "_view_" in key else key).strip("_")
        pages[page] = main + sum(sizes[s] for s in stems)
    return {
        "main": main,
        "pages": pages,
        "largest": max(pages.values(), default=main),
        "all": sum(sizes.values()),
        "modules": len(sizes),
    }


def main():
    pkg = sys.argv[1]
    out = sys.stderr if "--totals" in sys.argv else sys.stdout
    sizes = {}
    for kind, sub, name, budget in BUNDLES:
        b = sizes[kind] = bundle(pkg, sub, name)
        print(f"{kind}: main module {b['main'] // 1024} KB (all a page that is not split off "
              f"loads), largest page {b['largest'] // 1024} KB, all {b['modules']} modules "
              f"{b['all'] // 1024} KB (gzip -9)", file=out)
        for page, size in sorted(b["pages"].items(), key=lambda p: -p[1]):
            print(f"  {page}: {size // 1024} KB", file=out)
        if "--check" in sys.argv and b["largest"] > budget * 1024:
            print(f"[kezek] WARNING: a {kind} page loads {b['largest'] // 1024} KB of WebAssembly, "
                  f"over its {budget} KB gzipped budget (docs/TOOLCHAIN.md, 'Client size')", file=out)
    if "--totals" in sys.argv:
        print(sizes["citizen"]["largest"], sizes["staff"]["largest"],
              sizes["citizen"]["all"] + sizes["staff"]["all"])


if __name__ == "__main__":
    main()
