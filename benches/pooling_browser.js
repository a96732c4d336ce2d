// The pooling simulation's speed in headless Chromium, run by benches/pooling.sh against
// the release build in dist/: the app itself, Healthier Together's pool with `trials`
// trials opened as a scenario file and run with the Summary's "Run" button, the page
// told it has 1 core and then N (so it starts 1 worker, then N), as a visitor runs it.
//
// For each number of workers: the first run in a fresh page is **cold** (the workers are
// fetched, compiled and start in V8's baseline tier); the next `repeats` runs reuse the
// same workers, **warm**. Each run gives
//   - wall: click to "Done" on the page's clock (what a visitor waits, estimates included);
//   - worker CPU: the CPU time of Chromium's DedicatedWorker threads over the run, read
//     from Linux's /proc/<pid>/task/<tid>/schedstat (time on a CPU, in ns), so time the
//     machine gave to other processes is not counted;
//   - page CPU: the same for the page's main thread (adding tallies, the estimates, drawing
//     them), and helpers CPU for the renderer's thread pool (compiling wasm, GC);
//   - in-worker: the workers' own stream times summed (their messages' elapsed_ms).
// Usage: node benches/pooling_browser.js <port> <trials> <repeats> <workers,…>
// Prints one JSON object.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('@playwright/test');

const ROOT = path.join(__dirname, '..');
const [port, trialsArg, repeatsArg, workersArg] = process.argv.slice(2);
const trials = Number(trialsArg || 1000000);
const repeats = Number(repeatsArg || 3);
const workerCounts = (workersArg || `1,${os.cpus().length}`).split(',').map(Number);
const scenario = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'crates/engine/src/examples/healthier_together.json'), 'utf8'),
);
scenario.pool.trials = trials;
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onebudget-bench-')), 'pool.json');
fs.writeFileSync(file, JSON.stringify(scenario));

/** Every process under this one (Chromium's), by walking /proc's parent links. */
function descendants(root) {
  const parents = new Map();
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      parents.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      // gone
    }
  }
  const out = [];
  let frontier = [String(root)];
  while (frontier.length) {
    const next = [...parents].filter(([, parent]) => frontier.includes(parent)).map(([pid]) => pid);
    out.push(...next);
    frontier = next;
  }
  return out;
}

/** Nanoseconds on a CPU of Chromium's renderer threads, by kind: `worker` (the
 * DedicatedWorker threads), `page` (each renderer's main thread) and `helpers` (its thread
 * pool: background compilation, garbage collection). */
function cpuNs() {
  const total = { worker: 0, page: 0, helpers: 0 };
  for (const pid of descendants(process.pid)) {
    let tasks = [];
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      tasks = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        const kind = name === 'DedicatedWorker' ? 'worker' : tid === pid ? 'page' : name.startsWith('ThreadPool') ? 'helpers' : null;
        if (kind) total[kind] += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // the thread ended
      }
    }
  }
  return total;
}
const canReadCpu = fs.existsSync(`/proc/${process.pid}/task/${process.pid}/schedstat`);

/** One run: press Run, wait for "Done", and time it. */
async function timeRun(page) {
  const before = cpuNs();
  const t = await page.evaluate(
    () =>
      new Promise((resolve) => {
        window.__inWorkerMs = 0;
        const status = document.querySelector('[data-testid=pooling-status]');
        const started = performance.now();
        const watch = new MutationObserver(() => {
          if (status.textContent.startsWith('Done')) {
            watch.disconnect();
            resolve({ wall_ms: performance.now() - started, in_worker_ms: window.__inWorkerMs, status: status.textContent });
          }
        });
        watch.observe(status, { childList: true, characterData: true, subtree: true });
        document.querySelector('[data-testid=pooling-run]').click();
      }),
  );
  // The page draws the last figures in the same task as "Done"; the threads' counters
  // are read after it.
  const after = cpuNs();
  t.worker_cpu_ms = (after.worker - before.worker) / 1e6;
  t.page_cpu_ms = (after.page - before.page) / 1e6;
  t.helpers_cpu_ms = (after.helpers - before.helpers) / 1e6;
  return t;
}

async function measure(browser, workers) {
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
  await context.addInitScript((n) => {
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n, configurable: true });
    const Native = window.Worker;
    window.Worker = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (e) => {
          if (e.data && e.data.tally) window.__inWorkerMs += e.data.tally.elapsed_ms;
        });
      }
    };
  }, workers);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto('/');
  await page.getByRole('button', { name: 'Edit inputs' }).click();
  await page.getByTestId('open-scenario').setInputFiles(file);
  await page.getByTestId('notice').filter({ hasText: 'Opened' }).waitFor();
  await page.getByRole('button', { name: 'Summary' }).click();
  await page.getByTestId('pooling-run').waitFor();
  const cold = await timeRun(page);
  const warm = [];
  for (let i = 0; i < repeats; i += 1) warm.push(await timeRun(page));
  const host = await page.getByTestId('pooling-host').textContent();
  // The pool's chance of more than 3 % over, as the table shows it ("6.93 % ± 0.05 %").
  const poolRow = await page.locator('[data-testid=pooling-table] tfoot td').nth(3).textContent();
  await context.close();
  const by = (key) => [...warm].sort((a, b) => a[key] - b[key]);
  const median = (key) => by(key)[Math.floor(warm.length / 2)][key];
  return {
    workers,
    host,
    pool_chance: parseFloat(poolRow) / 100,
    cold,
    warm: {
      runs: warm,
      best_wall_ms: by('wall_ms')[0].wall_ms,
      median_wall_ms: median('wall_ms'),
      best_worker_cpu_ms: by('worker_cpu_ms')[0].worker_cpu_ms,
      median_worker_cpu_ms: median('worker_cpu_ms'),
      median_page_cpu_ms: median('page_cpu_ms'),
      median_in_worker_ms: median('in_worker_ms'),
    },
  };
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const out = { trials, repeats, cpu_readable: canReadCpu, by_workers: [] };
  for (const workers of workerCounts) out.by_workers.push(await measure(browser, workers));
  console.log(JSON.stringify(out));
  await browser.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
