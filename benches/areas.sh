#!/usr/bin/env bash
# Real areas' size and speed (docs/AREAS.md). Prints figures; run by hand, not part of
# scripts/test.sh, and report them with the machine's load (uptime):
#   1. each year's asset as a visitor downloads it: raw, gzip -9 and brotli 11 (as
#      benches/size.sh measures the app), against the 150 KB brotli target;
#   2. native timings (cargo bench): decoding each year, the search index, a search per key
#      press, a place of 500 practices, fair shares among every ICB and district, an ICB's
#      report with its six-year trend;
#   3. the same in headless Chromium (wasm, release), where the targets are: decoding a year
#      in 50 ms or less after download, a search well within a frame (16 ms), and a place of
#      500 practices and fair shares among 42 ICBs in 5 ms or less.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/setup.sh
source "$ROOT/scripts/setup.sh"
setup_test
cd "$ROOT"

printf '\n== Real areas: what a visitor downloads per year (static/areas/, fetched only when asked for) ==\n'
node -e '
const fs = require("fs"), path = require("path"), zlib = require("zlib");
const dir = "static/areas", kb = (n) => (n / 1000).toFixed(1);
console.log("file             raw KB   gzip KB  brotli KB  (target: brotli <= 150 KB)");
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith(".bin")).sort()) {
  const raw = fs.readFileSync(path.join(dir, name));
  const gz = zlib.gzipSync(raw, { level: 9 }).length;
  const br = zlib.brotliCompressSync(raw, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }).length;
  console.log(`${name.padEnd(14)} ${kb(raw.length).padStart(8)} ${kb(gz).padStart(9)} ${kb(br).padStart(10)}  ${br <= 150000 ? "within" : "OVER"}`);
}'

printf '\n== Machine load ==\n'
uptime

printf '\n'
cargo bench -q -p onebudget-engine --bench areas
CHROMEDRIVER="$(command -v chromedriver)" cargo test --release --target wasm32-unknown-unknown \
  -p onebudget --test bench_areas_wasm -- --include-ignored --nocapture 2>&1 | grep -E " ms|real areas"
