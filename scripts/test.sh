#!/usr/bin/env bash
# Runs every OneBudget check, installing what is missing first (scripts/setup.sh):
#   1. cargo fmt --check and cargo clippy (all targets, warnings are errors)
#   2. native tests: the engine, its golden tables and properties, the CLI
#   3. browser tests: wasm-bindgen-test in headless Chromium
#   4. the release build in dist/: its first load within 250 KB brotli, then end to end,
#      driven by Playwright in Chromium
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=setup.sh
source "$ROOT/scripts/setup.sh"
setup_test
cd "$ROOT"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

step "native tests"
cargo test --workspace

step "browser tests (wasm-bindgen-test, headless Chromium)"
CHROMEDRIVER="$(command -v chromedriver)" WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --target wasm32-unknown-unknown -p onebudget

step "release build"
trunk build --release --offline

step "first load within the 250 KB brotli budget"
node benches/lighthouse/transfer.js dist 250 --check

step "end-to-end tests (Playwright, Chromium)"
npx playwright test

step "all checks passed"
