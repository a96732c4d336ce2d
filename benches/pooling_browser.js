// The pooling worker's speed in headless Chromium, run by benches/pooling.sh against the
// release build in dist/: the app's own worker (dist/onebudget-pool-worker_loader.js),
// sent the Healthier Together pool as the app sends it, timed on the page's clock.
// Usage: node benches/pooling_browser.js <port> <trials> <repeats>
const fs = require('fs');
const path = require('path');
const { chromium } = require('@playwright/test');

const ROOT = path.join(__dirname, '..');
const [port, trialsArg, repeatsArg] = process.argv.slice(2);
const trials = Number(trialsArg || 1000000);
const repeats = Number(repeatsArg || 3);
const scenario = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'crates/engine/src/examples/healthier_together.json'), 'utf8'),
);

/** In the page: start a fresh worker, run `pool` in chunks of `chunk`, time each milestone. */
async function timeRun(page, pool, chunk) {
  return page.evaluate(
    ({ pool, chunk }) =>
      new Promise((resolve, reject) => {
        const created = performance.now();
        const worker = new Worker('./onebudget-pool-worker_loader.js');
        const t = { chunks: 0 };
        let sent = 0;
        worker.onerror = (e) => reject(new Error(`worker failed: ${e.message}`));
        worker.onmessage = (e) => {
          const m = JSON.parse(e.data);
          const now = performance.now();
          if (m === 'ready') {
            t.ready_ms = now - created;
            sent = performance.now();
            worker.postMessage(JSON.stringify({ run: { run: 1, pool, chunk } }));
          } else if (m.progress) {
            t.chunks += 1;
            if (t.to_100k_ms === undefined && m.progress.done >= 100000) t.to_100k_ms = now - sent;
          } else if (m.estimate) {
            if (t.first_estimate_ms === undefined) t.first_estimate_ms = now - sent;
            t.chance = m.estimate.estimate.result.pool.figures.probability_over_threshold.value;
          } else if (m.done) {
            t.total_ms = now - sent;
            t.worker_ms = m.done.elapsed_ms;
            t.trials = m.done.trials;
            worker.terminate();
            resolve(t);
          } else if (m.error) {
            reject(new Error(m.error.message));
          }
        };
      }),
    { pool, chunk },
  );
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(`http://127.0.0.1:${port}/index.html`);
  const pool = { ...scenario.pool, trials };
  // Chunks as the app asks (pool_run::chunk_for: about 20 steps, 10,000 to 100,000
  // trials each, an estimate after each), and the whole run in one chunk (one estimate).
  const appChunk = Math.min(100000, Math.max(10000, Math.floor(trials / 20)));
  const out = {};
  for (const [label, chunk] of [['app_chunks', appChunk], ['one_chunk', trials]]) {
    const runs = [];
    await timeRun(page, { ...pool, trials: 20000 }, 10000); // warm the cache
    for (let i = 0; i < repeats; i += 1) runs.push(await timeRun(page, pool, chunk));
    runs.sort((a, b) => a.worker_ms - b.worker_ms);
    out[label] = { chunk, best: runs[0], median: runs[Math.floor(runs.length / 2)] };
  }
  // Time to 100,000 trials as a person running the built-in sees it (its own trials).
  const builtIn = [];
  for (let i = 0; i < repeats; i += 1) {
    builtIn.push(await timeRun(page, scenario.pool, Math.min(100000, Math.max(10000, Math.floor(scenario.pool.trials / 20)))));
  }
  builtIn.sort((a, b) => a.total_ms - b.total_ms);
  out.built_in = builtIn[Math.floor(builtIn.length / 2)];
  console.log(JSON.stringify(out));
  await browser.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
