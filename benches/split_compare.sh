#!/usr/bin/env bash
# The cut build against the two builds it replaces, on this machine in one run: each built
# from scratch for the workspace's own crates (dependencies come warm from target/), then
# what a visitor downloads at first (benches/lighthouse/transfer.js) and what opening the
# editor costs, unthrottled and on Lighthouse's slow 4G with the CPU 4x slower
# (benches/open_editor.js). Prints figures; run by hand (docs/SIZE.md, "Round 5").
#
#   bash benches/split_compare.sh [BASE=84f6237] [RUNS=3]
#     BASE  the commit with two builds (public + full app) to compare against
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/setup.sh
source "$ROOT/scripts/setup.sh"
setup_build
ensure_chromium
cd "$ROOT"

base="${1:-84f6237}"
runs="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/base"
git archive "$base" | tar -x -C "$work/base"
# Both builds share this target directory, so neither rebuilds yew, serde or web-sys.
export CARGO_TARGET_DIR="$ROOT/target"

say "machine load before: $(uptime)"
# Runs a command with its output on stderr; prints the seconds it took.
elapsed() { local start=$SECONDS; "$@" >&2; echo $((SECONDS - start)); }

say "two builds ($base): trunk build --release"
base_s=$(cd "$work/base" && elapsed trunk build --release --offline --dist "$work/dist-two-builds")
say "one build cut into chunks ($(git rev-parse --short HEAD)): trunk build --release, wasm-opt cache emptied"
# As for the two builds (a fresh copy), the engine and the app's crate are compiled again.
rm -rf "$CARGO_TARGET_DIR/split-wasm"
touch src/lib.rs crates/engine/src/lib.rs
split_s=$(elapsed trunk build --release --offline --dist "$work/dist-cut")
say "the same again, the code unchanged (src/ui/views/edit/mod.rs touched: cargo relinks, every wasm-opt result is reused)"
touch src/ui/views/edit/mod.rs
again_s=$(elapsed trunk build --release --offline --dist "$work/dist-cut")

printf '\n== Build time (wall clock) ==\n'
printf 'two builds:                      %4d s\n' "$base_s"
printf 'one build cut into chunks:       %4d s\n' "$split_s"
printf "  again, the code unchanged:     %4d s\n" "$again_s"

for dist in dist-two-builds dist-cut; do
  printf '\n== %s: what a visitor downloads ==\n' "$dist"
  node benches/lighthouse/transfer.js "$work/$dist" 250
done

printf '\n== Opening the editor (%s runs each; the two alternate) ==\n' "$runs"
for _ in $(seq 1 "$runs"); do
  for dist in dist-two-builds dist-cut; do
    node benches/open_editor.js "$work/$dist" 1 "${SIZE_PORT:-8203}"
  done
done
say "machine load after: $(uptime)"
