#!/usr/bin/env bash
# "Find your area" in the app, in headless Chromium (benches/areas_app.js): a search per key
# press at 4× CPU slowdown (target: within a frame, 16 ms) and each year's asset decoded
# after download (target: 50 ms or less). Builds dist/ (release) unless told not to
# (--no-build). Prints figures; run by hand, with the machine's load (uptime).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/setup.sh
source "$ROOT/scripts/setup.sh"
setup_test
cd "$ROOT"
PORT="${BENCH_PORT:-8208}"
if [[ "${1:-}" != "--no-build" ]]; then
  trunk build --release --offline
fi
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
SERVER=$!
trap 'kill "$SERVER"' EXIT
sleep 1
printf '\n== Machine load ==\n'
uptime
printf '\n== Find your area, headless Chromium (wasm, release), milliseconds ==\n'
node benches/areas_app.js "$PORT"
uptime
