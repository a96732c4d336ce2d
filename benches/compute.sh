#!/usr/bin/env bash
# Compute time of every built-in scenario, natively and as wasm in headless Chromium.
# Prints figures; run by hand (not part of scripts/test.sh) and report them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
setup_test
cd "$ROOT"
cargo bench -q -p onebudget-engine --bench compute
CHROMEDRIVER="$(command -v chromedriver)" cargo test --release --target wasm32-unknown-unknown \
  -p onebudget --test bench_wasm -- --include-ignored --nocapture 2>&1 | grep -E "µs|compute time"
