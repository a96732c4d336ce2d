#!/usr/bin/env bash
# Size and speed of the browser build: what a visitor downloads (html + css + js + wasm
# at first load, raw / gzip -9 / brotli 11, against the 250 KB brotli budget; the parts,
# fetched when first needed, the pooling worker, fetched when a simulation starts,
# and embed.js, the host page's script, are listed apart and not counted) and Lighthouse's mobile
# scores (performance, accessibility, best practices; LCP, TBT, CLS) in Debian's
# Chromium. Prints figures; run by hand, not part of scripts/test.sh. See docs/SIZE.md.
#
#   bash benches/size.sh [--build] [--no-lighthouse]
#     --build           rebuild dist/ first (otherwise an existing dist/ is measured)
#     --no-lighthouse   the byte table only
#   SIZE_PORT (4284): where dist/ is served for Lighthouse; LH_RUNS (3): runs, median shown.
#
# dist/ is served by benches/lighthouse/serve.js, which compresses each file once and
# sends it with Content-Encoding (brotli, else gzip) as a real static host would, so
# Lighthouse's transfer figures are the compressed ones a visitor downloads.
# Lighthouse is installed on demand into benches/lighthouse/ (its own package.json and
# lock file), so the app's test dependencies are untouched.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/setup.sh
source "$ROOT/scripts/setup.sh"
cd "$ROOT"

build=0
lighthouse=1
for arg in "$@"; do
  case "$arg" in
    --build) build=1 ;;
    --no-lighthouse) lighthouse=0 ;;
    *) echo "usage: bash benches/size.sh [--build] [--no-lighthouse]" >&2; exit 2 ;;
  esac
done

if [ "$build" = 1 ] || [ ! -f dist/index.html ]; then
  setup_build
  say "building dist/ (trunk build --release --offline)"
  trunk build --release --offline
fi

printf '\n== What a visitor downloads (dist/, %s) ==\n' "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
node benches/lighthouse/transfer.js dist 250

[ "$lighthouse" = 1 ] || exit 0

ensure_chromium
LH="$ROOT/benches/lighthouse"
if [ ! -x "$LH/node_modules/.bin/lighthouse" ] || [ "$LH/package-lock.json" -nt "$LH/node_modules/.package-lock.json" ]; then
  say "installing Lighthouse into benches/lighthouse/ (package-lock.json)"
  # Lighthouse 13 asks for Node >= 22.19 but runs on this machine's Node 20; no browser download.
  (cd "$LH" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-fund --no-audit --loglevel=error --engine-strict=false)
fi

PORT="${SIZE_PORT:-4284}"
node "$LH/serve.js" dist "$PORT" >/dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if node -e "require('http').get('http://127.0.0.1:$PORT/',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"; then break; fi
  sleep 0.2
done

printf '\n== Lighthouse (dist/ served on 127.0.0.1:%s with brotli, as a static host would) ==\n' "$PORT"
node "$LH/audit.js" "http://127.0.0.1:$PORT/" "${LH_RUNS:-3}"
