#!/usr/bin/env bash
# Installs what OneBudget's build and tests need, skipping whatever is already
# present at the right version. Sourced by scripts/serve.sh and scripts/test.sh;
# `bash scripts/setup.sh [build|test]` runs it alone.
#
#   build: the wasm32 Rust target, trunk 0.21.14, wasm-bindgen-cli at the version
#          Cargo.toml pins (read from Cargo.lock), wasm_split_cli 0.2.2 (cuts the app's
#          wasm into chunks: scripts/split_wasm.py), and wasm-opt 132 (npm `binaryen`,
#          with Playwright from package.json)
#   test:  all of build, plus Debian's chromium, chromium-driver and poppler-utils
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
# The CLI must match the wasm-bindgen crate exactly: Cargo.toml pins it (`=x.y.z`), and
# Cargo.lock is where that pin is written out (Trunk reads the same line).
WASM_BINDGEN_VERSION="$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;q;}' "$ROOT/Cargo.lock")"
WASM_SPLIT_VERSION="0.2.2"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

ensure_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then return; fi
  say "adding the wasm32-unknown-unknown Rust target"
  rustup target add wasm32-unknown-unknown
}

ensure_trunk() {
  if command -v trunk >/dev/null && trunk --version | grep -q " $TRUNK_VERSION\$"; then return; fi
  say "installing trunk $TRUNK_VERSION (about 10 minutes, once)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
}

ensure_wasm_bindgen() {
  if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $WASM_BINDGEN_VERSION\$" \
     && command -v wasm-bindgen-test-runner >/dev/null; then return; fi
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes, once)"
  # Not --locked: one of its locked dependencies is not served by this machine's registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
}

ensure_wasm_split() {
  # The binary has no --version; the installed crate's version is in cargo's records.
  if command -v wasm_split_cli >/dev/null \
     && grep -q "wasm_split_cli_support $WASM_SPLIT_VERSION " "${CARGO_HOME:-$HOME/.cargo}/.crates.toml" 2>/dev/null; then return; fi
  say "installing wasm_split_cli $WASM_SPLIT_VERSION (about 3 minutes, once)"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
}

ensure_node_packages() {
  # package-lock.json pins wasm-opt (binaryen 132), terser (the build's JS minifier) and
  # Playwright; the browser is Debian's.
  if [ -x "$ROOT/node_modules/.bin/wasm-opt" ] && [ -x "$ROOT/node_modules/.bin/playwright" ] \
     && [ -x "$ROOT/node_modules/.bin/terser" ] \
     && [ "$ROOT/node_modules/.package-lock.json" -nt "$ROOT/package-lock.json" ]; then return; fi
  say "installing npm packages from package-lock.json"
  (cd "$ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-fund --no-audit)
}

ensure_chromium() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then return; fi
  say "installing Debian's chromium and chromium-driver"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver
}

ensure_poppler() {
  # pdftotext and pdftoppm: the print test reads the board pack's PDF page by page.
  if command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null; then return; fi
  say "installing Debian's poppler-utils"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq poppler-utils
}

setup_build() {
  ensure_wasm_target
  ensure_node_packages
  ensure_trunk
  ensure_wasm_bindgen
  ensure_wasm_split
}

setup_test() {
  setup_build
  ensure_chromium
  ensure_poppler
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-test}" in
    build) setup_build ;;
    test) setup_test ;;
    *) echo "usage: scripts/setup.sh [build|test]" >&2; exit 2 ;;
  esac
fi
