// "Find your area" in the app, in headless Chromium, against the release build in dist/
// (run by benches/areas_app.sh). Prints figures; not a test.
//
//   1. A search per key press, with the CPU slowed 4× (Chrome DevTools Protocol
//      Emulation.setCPUThrottlingRate), a few queries typed key by key into the search
//      field: the app's own measure from the input event to the results drawn
//      (`onebudget:area-search`, src/ui/views/area/finder.rs: the main thread's work before
//      the browser can paint), and from the input event to the next frame
//      (requestAnimationFrame, then a task: the results on screen, waiting for the frame
//      included). Target: within one frame, 16 ms.
//   2. Each year's asset decoded, and its search index built, after download: the app's own
//      performance.measure entries (src/ui/area_data.rs), at 1× and 4× CPU. Target for the
//      decode: 50 ms or less.
// Usage: node benches/areas_app.js <port>
const { chromium } = require('@playwright/test');

const port = Number(process.argv[2] || 8208);
const base = `http://127.0.0.1:${port}/`;
const QUERIES = ['densham', 'TS18 1HU', 'leeds', 'north east', 'E06000004', 'bristol'];
const YEARS = ['2023-24', '2024-25', '2025-26', '2026-27', '2027-28', '2028-29'];

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return {
    n: s.length,
    mean: +(s.reduce((a, b) => a + b, 0) / s.length).toFixed(2),
    median: +at(0.5).toFixed(2),
    p95: +at(0.95).toFixed(2),
    worst: +s[s.length - 1].toFixed(2),
  };
};

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const out = { searchPerKeyPress4x: null, searchToNextPaint4x: null, decode: {}, index: {} };
  for (const rate of [1, 4]) {
    const page = await browser.newPage({ viewport: { width: 412, height: 915 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    for (const year of YEARS) {
      await page.goto(`${base}?area=E06000004&year=${year}`);
      await page.getByTestId('area-name').waitFor({ timeout: 60000 });
      const entries = await page.evaluate(() => ({
        decode: performance.getEntriesByName('onebudget:areas-decode').map((e) => e.duration),
        index: performance.getEntriesByName('onebudget:areas-index').map((e) => e.duration),
      }));
      (out.decode[`${rate}x`] ||= []).push(...entries.decode);
      (out.index[`${rate}x`] ||= []).push(...entries.index);
    }
    if (rate === 4) {
      await page.getByTestId('area-search').waitFor();
      // Typed as a visitor types: a real key event for each character.
      const search = page.getByTestId('area-search');
      const paint = [];
      for (const q of QUERIES) {
        await search.fill('');
        await page.evaluate(() => {
          performance.clearMeasures('onebudget:area-search');
          performance.clearMeasures('onebudget:area-search-engine');
        });
        for (const ch of q) {
          await page.evaluate(() => {
            // The next frame after the key: when the results can first be seen.
            const input = document.querySelector('[data-testid="area-search"]');
            input.addEventListener('input', () => {
              const t0 = performance.now();
              requestAnimationFrame(() => setTimeout(() => { window.__paint = performance.now() - t0; }, 0));
            }, { once: true });
          });
          await page.keyboard.type(ch);
          await page.waitForFunction(() => window.__paint !== undefined);
          paint.push(await page.evaluate(() => { const p = window.__paint; window.__paint = undefined; return p; }));
          await page.waitForTimeout(20);
        }
        const work = await page.evaluate(() =>
          performance.getEntriesByName('onebudget:area-search').map((e) => e.duration));
        const engine = await page.evaluate(() =>
          performance.getEntriesByName('onebudget:area-search-engine').map((e) => e.duration));
        (out.engine ||= []).push(...engine.slice(-q.length));
        (out.perQueryEngine ||= {})[q] = engine.slice(-q.length).map((w) => +w.toFixed(1));
        (out.work ||= []).push(...work);
        (out.perQuery ||= {})[q] = work.map((w) => +w.toFixed(1));
      }
      const times = { work: out.work, paint };
      delete out.work;
      out.searchEngineOnly4x = stats(out.engine);
      delete out.engine;
      out.searchPerKeyPress4x = stats(times.work);
      out.searchToNextPaint4x = stats(times.paint);
    }
    await page.close();
  }
  for (const k of Object.keys(out.decode)) out.decode[k] = stats(out.decode[k]);
  for (const k of Object.keys(out.index)) out.index[k] = stats(out.index[k]);
  console.log(JSON.stringify(out, null, 2));
  await browser.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
