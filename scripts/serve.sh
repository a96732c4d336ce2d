#!/usr/bin/env bash
# Builds OneBudget for the browser and serves it on 127.0.0.1, opening on the
# built-in default scenario. Installs what is missing first (scripts/setup.sh).
# PORT=8080 by default.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=setup.sh
source "$ROOT/scripts/setup.sh"
setup_build

cd "$ROOT"
PORT="${PORT:-8080}"
say "building the app (trunk build --release --offline)"
trunk build --release --offline
say "OneBudget is at http://127.0.0.1:$PORT/  (Ctrl-C stops it)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$ROOT/dist"
