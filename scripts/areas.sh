#!/usr/bin/env bash
# Regenerate the areas assets from NHS England's files (docs/AREAS.md):
#   data/nhs-place-based-allocations/<year>.csv  →  static/areas/<year>.bin (one per year)
#   and their list, crates/engine/src/areas/published_files.rs (length, content hash, SHA-384).
# Deterministic: run it after changing the data or the asset format, and commit what it
# writes; crates/areas-build/tests/reproducible.rs fails until you do. Prints what each year
# holds; benches/areas.sh prints the sizes a visitor downloads and the timings.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
cargo run -q --release -p onebudget-areas-build -- "$ROOT"
