#!/usr/bin/env bash
# What costs bytes in the browser build: the release wasm, run through wasm-bindgen and
# wasm-opt as Trunk does but keeping function names, then `twiggy top`. Run by hand
# (installs twiggy with `cargo install` the first time, a few minutes); see docs/SIZE.md.
#
#   bash benches/wasm_items.sh [N]    # the N biggest items (default 30)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/setup.sh
source "$ROOT/scripts/setup.sh"
setup_build
cd "$ROOT"
command -v twiggy >/dev/null || { say "installing twiggy (analysis only, not a project dependency)"; cargo install twiggy; }

cargo build --release --target wasm32-unknown-unknown --bin onebudget-web
work="$(mktemp -d)"
trap "cp \"$work\"/named.wasm /tmp/named.wasm; rm -rf \"$work\"" EXIT
wasm-bindgen --target web --keep-debug --out-dir "$work" target/wasm32-unknown-unknown/release/onebudget-web.wasm
# The app's wasm-opt level and passes, as the build reads them from index.html (written
# there once), without --strip-debug and with -g so the names survive.
settings="$(python3 -c 'import sys; sys.path.insert(0, "scripts"); import split_wasm as s
level, passes = s.wasm_opt_settings(open("index.html", encoding="utf-8").read())
print(level); print(" ".join(passes))')"
level="$(sed -n 1p <<<"$settings")"
params="$(sed -n 2p <<<"$settings")"
# shellcheck disable=SC2086 # the passes are words
wasm-opt "-O$level" -g ${params//--strip-debug/} "$work/onebudget-web_bg.wasm" -o "$work/named.wasm"
# The "function names" row is the name section kept for this listing; the shipped file has none.
twiggy top -n "${1:-30}" "$work/named.wasm"
