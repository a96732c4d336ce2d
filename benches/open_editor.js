// What opening the editor costs: a built dist/ served with brotli (benches/lighthouse/
// serve.js, as a static host would), opened in Debian's Chromium by Playwright. For each
// run: the bytes of the first load (every response until the network is idle, as
// transferred, i.e. compressed), then the time from pressing "Edit inputs" to the
// editor's Undo button and the bytes that fetched; then keystroke to paint in the editor:
// for each key typed into the rate per weighted head (a digit, then Backspace, in turn),
// a performance mark at keydown and one in the first frame after the page changed for it
// (a task queued from requestAnimationFrame after the DOM changed, so after that frame's
// paint), measured with performance.measure. Unthrottled, and with Lighthouse's
// mobile settings applied through the DevTools protocol (150 ms round trip, 1.6 Mbit/s
// down, 750 kbit/s up, the CPU 4x slower). Prints figures; run by hand (docs/SIZE.md).
//
//   node benches/open_editor.js <dist folder> [runs=3] [port=8203]
'use strict';
const { spawn } = require('child_process');
const http = require('http');
const path = require('path');
const { chromium } = require('@playwright/test');

const [root, runsText = '3', portText = '8203'] = process.argv.slice(2);
if (!root) {
  console.error('usage: node benches/open_editor.js <dist folder> [runs] [port]');
  process.exit(2);
}
const runs = Number(runsText);
const port = Number(portText);

const SLOW = {
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};

function waitForServer() {
  return new Promise((resolve, reject) => {
    let tries = 0;
    const attempt = () =>
      http
        .get(`http://127.0.0.1:${port}/`, (r) => (r.resume(), resolve()))
        .on('error', () => (++tries > 1200 ? reject(new Error('no server')) : setTimeout(attempt, 100)));
    attempt();
  });
}

async function once(browser, throttled) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  if (throttled) {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  }
  // Bytes as transferred (compressed), per request, from the DevTools protocol.
  const bytes = new Map();
  cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, e.encodedDataLength));
  const total = () => [...bytes.values()].reduce((a, b) => a + b, 0);
  const count = () => bytes.size;

  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByTestId('scenario-name').waitFor();
  await page.waitForLoadState('networkidle');
  const first = { bytes: total(), requests: count() };

  const start = Date.now();
  await page.getByRole('button', { name: 'Edit inputs' }).click();
  await page.getByRole('button', { name: 'Undo' }).waitFor({ timeout: 60_000 });
  const ms = Date.now() - start;
  await page.waitForLoadState('networkidle');
  const editor = { bytes: total() - first.bytes, requests: count() - first.requests };
  const keys = await keystrokeToPaint(page);
  await context.close();
  return { first, ms, editor, keys };
}

const KEYSTROKES = 20;

/** Milliseconds from each keydown to the first frame painted after the page changed. */
async function keystrokeToPaint(page) {
  const field = page.locator('#field-budget-rate_per_weighted_head');
  await field.click();
  await page.keyboard.press('End');
  await page.evaluate(() => {
    let n = 0;
    document.addEventListener(
      'keydown',
      () => {
        const k = ++n;
        const key = `key-${k}`;
        performance.mark(key);
        const seen = new MutationObserver(() => {
          seen.disconnect();
          requestAnimationFrame(() =>
            setTimeout(() => performance.measure(`paint-${k}`, key)),
          );
        });
        seen.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      },
      true,
    );
  });
  for (let i = 1; i <= KEYSTROKES; i++) {
    await page.keyboard.press(i % 2 ? '7' : 'Backspace');
    await page.waitForFunction((i) => performance.getEntriesByName(`paint-${i}`).length === 1, i);
  }
  return page.evaluate(() =>
    performance.getEntriesByType('measure').filter((m) => m.name.startsWith('paint-')).map((m) => m.duration),
  );
}

(async () => {
  const server = spawn(process.execPath, [path.join(__dirname, 'lighthouse', 'serve.js'), root, String(port)], {
    stdio: 'ignore',
  });
  try {
    await waitForServer();
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic'],
    });
    const kb = (n) => (n / 1000).toFixed(1);
    for (const throttled of [false, true]) {
      const results = [];
      for (let i = 0; i < runs; i++) results.push(await once(browser, throttled));
      const times = results.map((r) => r.ms).sort((a, b) => a - b);
      const keys = results.flatMap((r) => r.keys).sort((a, b) => a - b);
      const at = (q) => keys[Math.min(keys.length - 1, Math.floor(q * keys.length))].toFixed(0);
      const r = results[0];
      console.log(
        `${root} ${throttled ? 'slow 4G, CPU 4x' : 'unthrottled    '}: ` +
          `first load ${kb(r.first.bytes)} KB in ${r.first.requests} requests; ` +
          `opening the editor ${kb(r.editor.bytes)} KB in ${r.editor.requests} requests, ` +
          `${times.join(' / ')} ms (median ${times[Math.floor(times.length / 2)]}); ` +
          `keystroke to paint in the editor (${keys.length} keys): median ${at(0.5)} ms, ` +
          `90th percentile ${at(0.9)} ms, worst ${at(1)} ms`,
      );
    }
    await browser.close();
  } finally {
    server.kill();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
