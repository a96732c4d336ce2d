#!/usr/bin/env bash
# Risk pooling speed, in one go: trials per second natively and in headless Chromium (the
# app's own worker, release build) for Healthier Together's five CCGs, the ratio
# wasm/native, time to 100,000 trials in the browser, and Squiggle's samples per second
# for the same model (Node). Prints figures and the targets; run by hand, not by CI.
#   bash benches/pooling.sh            # builds dist/ if needed; BENCH_PORT (4281) to serve it
#   TRIALS=1000000 REPEATS=3 bash benches/pooling.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
TRIALS="${TRIALS:-1000000}"
REPEATS="${REPEATS:-3}"
PORT="${BENCH_PORT:-4281}"
SCENARIO="$ROOT/crates/engine/src/examples/healthier_together.json"

if [ ! -f dist/onebudget-pool-worker_loader.js ] || [ -n "${REBUILD:-}" ]; then
  echo "building the release app (trunk build --release --offline)…" >&2
  trunk build --release --offline >&2
fi
if [ ! -d benches/squiggle/node_modules/@quri/squiggle-lang ]; then
  echo "installing Squiggle into benches/squiggle (its own package-lock.json)…" >&2
  npm ci --prefix benches/squiggle --no-audit --no-fund >&2
fi

echo "== $(uptime) ==" >&2
echo "== native (cargo bench, release) ==" >&2
NATIVE_OUT="$(cargo bench -q -p onebudget-engine --bench pooling 2>/dev/null)"
echo "$NATIVE_OUT"
# The built-in's own settings: a 2 % common shock, no correlation.
NATIVE_MTPS="$(echo "$NATIVE_OUT" | grep '2 % common shock ' | grep -v correlation | sed -E 's/.*= *([0-9.]+) M trials\/s;.*/\1/')"

NATIVE_WALL_MTPS="$(echo "$NATIVE_OUT" | grep '2 % common shock ' | grep -v correlation | sed -E 's/.*wall clock [0-9]+ ms = *([0-9.]+) M\/s.*/\1/')"

echo "== headless Chromium (the app's worker, dist/) ==" >&2
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/index.html" >/dev/null && break; sleep 0.1; done
BROWSER_JSON="$(node benches/pooling_browser.js "$PORT" "$TRIALS" "$REPEATS")"
kill "$SERVER" 2>/dev/null || true

echo "== Squiggle $(node -p "require('./benches/squiggle/node_modules/@quri/squiggle-lang/package.json').version") (Node $(node --version)) ==" >&2
SQUIGGLE_JSON="$(cd benches/squiggle && node bench.mjs "$SCENARIO" "$TRIALS" "$REPEATS")"
SQUIGGLE_SMALL_JSON="$(cd benches/squiggle && node bench.mjs "$SCENARIO" 100000 "$REPEATS")"

node - "$NATIVE_MTPS" "$NATIVE_WALL_MTPS" "$BROWSER_JSON" "$SQUIGGLE_JSON" "$SQUIGGLE_SMALL_JSON" "$TRIALS" <<'JS'
const [native, nativeWall, browserText, squiggleText, squiggleSmallText, trialsText] = process.argv.slice(2);
const b = JSON.parse(browserText);
const sq = JSON.parse(squiggleText);
const sqSmall = JSON.parse(squiggleSmallText);
const trials = Number(trialsText);
const nativeRate = Number(native) * 1e6;
const rate = (r) => trials / (r.worker_ms / 1000);
const app = b.app_chunks.best;
const one = b.one_chunk.best;
const f = (x, d = 2) => x.toFixed(d);
const m = (x) => `${f(x / 1e6)} M/s`;
console.log(`\nRisk pooling benchmark: Healthier Together, 5 members, ${trials.toLocaleString('en-GB')} trials`);
console.log(`  native (release)                      ${m(nativeRate)} on CPU time, ${m(Number(nativeWall) * 1e6)} on the wall clock (best of 5 each)`);
console.log(`  Chromium worker, one chunk (no estimates) ${m(rate(one))}  (${f(one.worker_ms, 0)} ms in the worker; ${f(one.total_ms, 0)} ms posted to done)`);
console.log(`  Chromium worker, app's chunks of ${b.app_chunks.chunk.toLocaleString('en-GB')}  ${m(rate(app))}  (${f(app.worker_ms, 0)} ms; ${app.chunks} progress steps, an estimate after each)`);
console.log(`    median of the runs: one chunk ${f(b.one_chunk.median.worker_ms, 0)} ms, app's chunks ${f(b.app_chunks.median.worker_ms, 0)} ms`);
console.log(`  worker start (fetch + compile, cached)  ${f(app.ready_ms, 0)} ms;  first estimate ${f(app.first_estimate_ms, 1)} ms after the run was sent`);
console.log(`  time to 100,000 trials in the browser  ${f(app.to_100k_ms, 0)} ms (1M run);  the built-in's own 100,000-trial run: ${f(b.built_in.total_ms, 0)} ms posted to done`);
console.log(`  ratio wasm/native                      ${f(rate(one) / nativeRate)} (one chunk), ${f(rate(app) / nativeRate)} (app's chunks); against native's wall clock ${f(rate(one) / (Number(nativeWall) * 1e6))}, ${f(rate(app) / (Number(nativeWall) * 1e6))}`);
console.log(`  Squiggle (Node), ${trials.toLocaleString('en-GB')} samples        ${m(sq.samples_per_second)}  (best ${f(sq.ms, 0)} ms, median ${f(sq.median_ms, 0)} ms of ${sq.repeats}); 100,000 samples: ${m(sqSmall.samples_per_second)}`);
console.log(`  OneBudget in Chromium ÷ Squiggle       ${f(rate(app) / sq.samples_per_second, 1)}× at ${trials.toLocaleString('en-GB')}; ${f(rate(app) / sqSmall.samples_per_second, 1)}× Squiggle's 100,000-sample rate`);
console.log(`  pool's chance of >3 % over: OneBudget ${f(app.chance * 100)} %, Squiggle ${f(sq.pool_chance_over_threshold * 100)} % (a check that both ran the same model)`);
console.log(`\nTargets: ${trials.toLocaleString('en-GB')} trials under 1 s in one worker: ${app.worker_ms < 1000 ? 'met' : 'MISSED'} (${f(app.worker_ms, 0)} ms);` +
  ` wasm ≥ 0.7× native: ${rate(app) / nativeRate >= 0.7 ? 'met' : 'MISSED'}; ≥ 20× Squiggle: ${rate(app) / sq.samples_per_second >= 20 ? 'met' : 'MISSED'}.`);
JS
