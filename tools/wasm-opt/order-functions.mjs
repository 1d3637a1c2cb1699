// Renames the functions of a WebAssembly module so that binaryen's
// `--reorder-functions-by-name` lays them out for gzip (issue 8):
// monomorphized copies of one generic function (same name but for rustc's
// `::h<hash>` suffix) end up side by side, smallest first, within gzip's
// 32 KB window of each other. The names are replaced by zero-padded ranks,
// so the module must be run through
//   wasm-opt --reorder-functions-by-name (without -g)
// afterwards, which reorders the functions and drops the names. Function
// order has no meaning at run time; only the bytes and their compression
// change (≈ 5 KB less gzipped for the Kezek client).
//
// Usage: node order-functions.mjs in.wasm out.wasm
// The input must carry a name section (wasm-bindgen keeps it; run wasm-opt
// with -g before this). Without one, the input is copied unchanged.
import { readFileSync, writeFileSync } from "node:fs";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node order-functions.mjs in.wasm out.wasm");
  process.exit(2);
}
const bytes = readFileSync(input);

let pos = 0;
function leb() {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return result;
  }
}
function uleb(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}
function skip() {
  const len = leb();
  pos += len;
}
function limits() {
  const flags = leb();
  leb();
  if (flags & 1) leb();
}

let importedFunctions = 0;
const bodySizes = []; // of defined functions, in order
const names = new Map(); // function index → name
let nameSection = null; // [start, end) of the whole section

if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${input}: not a wasm module`);
pos = 8;
while (pos < bytes.length) {
  const start = pos;
  const id = bytes[pos++];
  const size = leb();
  const end = pos + size;
  if (id === 2) {
    // imports: count the functions among them
    for (let n = leb(); n > 0; n--) {
      skip(); // module
      skip(); // field
      const kind = bytes[pos++];
      if (kind === 0) {
        importedFunctions++;
        leb();
      } else if (kind === 1) {
        pos++; // reftype
        limits();
      } else if (kind === 2) {
        limits();
      } else if (kind === 3) {
        pos += 2; // valtype, mutability
      } else if (kind === 4) {
        pos++; // attribute
        leb();
      } else {
        throw new Error(`unknown import kind ${kind}`);
      }
    }
  } else if (id === 10) {
    for (let n = leb(); n > 0; n--) {
      const len = leb();
      bodySizes.push(len);
      pos += len;
    }
  } else if (id === 0) {
    const nameLen = leb();
    const name = bytes.toString("utf8", pos, pos + nameLen);
    pos += nameLen;
    if (name === "name") {
      nameSection = [start, end];
      while (pos < end) {
        const sub = bytes[pos++];
        const subEnd = leb() + pos;
        if (sub === 1) {
          for (let n = leb(); n > 0; n--) {
            const index = leb();
            const len = leb();
            names.set(index, bytes.toString("utf8", pos, pos + len));
            pos += len;
          }
        }
        pos = subEnd;
      }
    }
  }
  pos = end;
}

if (!nameSection || names.size === 0) {
  console.error(`${input}: no function names; order left as is`);
  writeFileSync(output, bytes);
  process.exit(0);
}

const key = (i) => (names.get(i) ?? "").replace(/::h[0-9a-f]{16}$/, "");
const defined = bodySizes.map((size, k) => ({ index: importedFunctions + k, key: key(importedFunctions + k), size }));
defined.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.size - b.size || a.index - b.index));

const width = String(defined.length).length;
const entries = [uleb(defined.length)];
defined.forEach((f, rank) => {
  const name = Buffer.from(String(rank).padStart(width, "0"));
  entries.push(uleb(f.index), uleb(name.length), name);
});
const functionNames = Buffer.concat(entries);
const payload = Buffer.concat([uleb(4), Buffer.from("name"), Buffer.from([1]), uleb(functionNames.length), functionNames]);
const section = Buffer.concat([Buffer.from([0]), uleb(payload.length), payload]);
writeFileSync(
  output,
  Buffer.concat([bytes.subarray(0, nameSection[0]), section, bytes.subarray(nameSection[1])]),
);
