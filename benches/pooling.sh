#!/usr/bin/env bash
# Risk pooling speed, every figure in one run: Healthier Together's five CCGs, a million
# trials (TRIALS), natively (cargo bench: one thread, and the run shared among the machine's
# cores as the browser shares it among workers), in headless Chromium (the release build
# in dist/, the app itself: 1 worker and one a core, cold and warm) and Squiggle 0.10.0 on
# the same model in Node. CPU time and wall-clock time are said apart: CPU time is what a
# thread spent on a processor (thread CPU clocks natively; /proc schedstat for Chromium's
# worker threads; process.cpuUsage for Node), so other processes on a shared machine do not
# count; wall time is what a person waits. Run by hand, not by CI.
#
# The three are run ROUNDS times, interleaved (native, Chromium, Squiggle, then again), so
# each round's ratios compare runs made under the same load; every round's figures and the
# range of each ratio are printed, with the load average before and after.
#
#   bash benches/pooling.sh                     # builds dist/ if needed; BENCH_PORT (4281)
#   TRIALS=1000000 REPEATS=3 ROUNDS=3 WORKERS=2 bash benches/pooling.sh
#   REBUILD=1 bash benches/pooling.sh           # rebuild dist/ first
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
TRIALS="${TRIALS:-1000000}"
REPEATS="${REPEATS:-3}"
ROUNDS="${ROUNDS:-3}"
CORES="$(nproc)"
WORKERS="${WORKERS:-$CORES}"
PORT="${BENCH_PORT:-4281}"
SCENARIO="$ROOT/crates/engine/src/examples/healthier_together.json"
OUT="$(mktemp -d)"

if [ ! -f dist/onebudget-pool-worker_loader.js ] || [ -n "${REBUILD:-}" ]; then
  echo "building the release app (trunk build --release --offline)…" >&2
  trunk build --release --offline >&2
fi
if [ ! -d benches/squiggle/node_modules/@quri/squiggle-lang ]; then
  echo "installing Squiggle into benches/squiggle (its own package-lock.json)…" >&2
  npm ci --prefix benches/squiggle --no-audit --no-fund >&2
fi
echo "building the native benchmark…" >&2
cargo bench -q -p onebudget-engine --bench pooling --no-run >/dev/null 2>&1

python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$OUT"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/index.html" >/dev/null && break; sleep 0.1; done

uptime >"$OUT/load-before"
for round in $(seq "$ROUNDS"); do
  echo "== round $round of $ROUNDS: native, Chromium, Squiggle ($(uptime | sed 's/.*load/load/')) ==" >&2
  POOLING_THREADS="$WORKERS" cargo bench -q -p onebudget-engine --bench pooling 2>/dev/null >"$OUT/native-$round"
  node benches/pooling_browser.js "$PORT" "$TRIALS" "$REPEATS" "1,$WORKERS" >"$OUT/browser-$round.json"
  (cd benches/squiggle && node bench.mjs "$SCENARIO" "$TRIALS" "$REPEATS") >"$OUT/squiggle-$round.json"
done
uptime >"$OUT/load-after"

node - "$OUT" "$ROUNDS" "$TRIALS" "$WORKERS" "$CORES" \
  "$(node -p "require('./benches/squiggle/node_modules/@quri/squiggle-lang/package.json').version")" <<'JS'
const fs = require('fs');
const [dir, roundsText, trialsText, workersText, coresText, squiggleVersion] = process.argv.slice(2);
const rounds = Number(roundsText);
const trials = Number(trialsText);
const workers = Number(workersText);
const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const rate = (ms) => `${f(trials / ms / 1000, 2)} M/s`;
const range = (xs, d = 2) => `${f(Math.min(...xs), d)}–${f(Math.max(...xs), d)}`;
const verdict = (ok) => (ok ? 'met' : 'MISSED');
const ratios = { cpu: [], wall: [], squiggle: [], squiggleCpu: [], shared: [], sharedNative: [] };

/** cargo bench's lines: the built-in's model on one thread, and shared among threads. */
function native(text) {
  const one = text.split('\n').find((l) => l.includes('2 % common shock ') && !l.includes('correlation'));
  const cpu = Number(one.match(/ ([\d.]+) ms for/)[1]);
  const wall = Number(one.match(/wall clock ([\d.]+) ms/)[1]);
  const shared = text
    .split('\n')
    .filter((l) => l.includes('thread(s):'))
    .map((l) => ({
      threads: Number(l.match(/(\d+) thread/)[1]),
      wall: Number(l.match(/wall clock ([\d.]+) ms/)[1]),
      cpu: Number(l.match(/all threads ([\d.]+) ms/)[1]),
    }));
  return { cpu, wall, shared: shared[shared.length - 1] };
}

console.log(`Risk pooling benchmark: Healthier Together, 5 members, ${trials.toLocaleString('en-GB')} trials, ${coresText} cores`);
console.log(`load before: ${fs.readFileSync(`${dir}/load-before`, 'utf8').trim()}`);
for (let r = 1; r <= rounds; r += 1) {
  const n = native(fs.readFileSync(`${dir}/native-${r}`, 'utf8'));
  const b = JSON.parse(fs.readFileSync(`${dir}/browser-${r}.json`, 'utf8'));
  const sq = JSON.parse(fs.readFileSync(`${dir}/squiggle-${r}.json`, 'utf8'));
  const [one, many] = [b.by_workers[0], b.by_workers[b.by_workers.length - 1]];
  console.log(`\nround ${r}`);
  console.log(`  native, 1 thread (best of 5)          CPU ${f(n.cpu)} ms (${rate(n.cpu)}), wall ${f(n.wall)} ms`);
  console.log(`  native, ${n.shared.threads} threads sharing the streams   wall ${f(n.shared.wall)} ms (${rate(n.shared.wall)}), CPU all threads ${f(n.shared.cpu)} ms`);
  for (const w of b.by_workers) {
    const warm = w.warm;
    console.log(`  Chromium, ${w.workers} worker(s) ("${w.host.trim()}")`);
    console.log(`    cold (fresh page)   wall ${f(w.cold.wall_ms)} ms; worker CPU ${f(w.cold.worker_cpu_ms)} ms, page ${f(w.cold.page_cpu_ms)} ms, compile/GC ${f(w.cold.helpers_cpu_ms)} ms`);
    console.log(`    warm (${warm.runs.length} runs)       wall best ${f(warm.best_wall_ms)} ms (${rate(warm.best_wall_ms)}), median ${f(warm.median_wall_ms)} ms; worker CPU best ${f(warm.best_worker_cpu_ms)} ms, median ${f(warm.median_worker_cpu_ms)} ms; page CPU ${f(warm.median_page_cpu_ms)} ms; in the workers ${f(warm.median_in_worker_ms)} ms`);
  }
  console.log(`  Squiggle ${squiggleVersion} (Node ${process.version})   wall best ${f(sq.ms)} ms (${rate(sq.ms)}), median ${f(sq.median_ms)} ms; CPU (whole process) ${f(sq.cpu_ms)} ms`);
  console.log(`  the same model? pool's chance of >3 % over: OneBudget ${f(many.pool_chance * 100, 2)} %, Squiggle ${f(sq.pool_chance_over_threshold * 100, 2)} %`);
  ratios.cpu.push(n.cpu / one.warm.best_worker_cpu_ms);
  ratios.wall.push(n.wall / one.warm.best_wall_ms);
  ratios.shared.push(one.warm.best_wall_ms / many.warm.best_wall_ms);
  ratios.sharedNative.push(n.wall / n.shared.wall);
  ratios.squiggle.push(sq.ms / many.warm.best_wall_ms);
  ratios.squiggleCpu.push(sq.cpu_ms / (many.warm.best_worker_cpu_ms + many.warm.median_page_cpu_ms));
}
console.log(`\nload after: ${fs.readFileSync(`${dir}/load-after`, 'utf8').trim()}`);
console.log(`\nTargets (each round's ratio; the range over ${rounds} rounds):`);
console.log(`  one worker ÷ native, CPU time (warm, the worker thread vs one native thread): ${range(ratios.cpu)}  (target ≥ 0.8: ${verdict(Math.max(...ratios.cpu) >= 0.8)} at best, ${verdict(Math.min(...ratios.cpu) >= 0.8)} in every round)`);
console.log(`  one worker ÷ native, wall clock (click to figures vs the native run):       ${range(ratios.wall)}`);
console.log(`  ${workers} workers ÷ 1 worker, wall clock (warm): ${range(ratios.shared)}×; native ${workers} threads ÷ 1: ${range(ratios.sharedNative)}×`);
console.log(`  OneBudget in Chromium (${workers} workers, warm) ÷ Squiggle, wall clock: ${range(ratios.squiggle, 1)}×  (target ≥ 20×: ${verdict(Math.max(...ratios.squiggle) >= 20)} at best, ${verdict(Math.min(...ratios.squiggle) >= 20)} in every round)`);
console.log(`  the same on CPU time (workers + page vs Node's process): ${range(ratios.squiggleCpu, 1)}×`);
JS
