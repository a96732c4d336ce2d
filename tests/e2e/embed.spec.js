// Embedding on a council's page: the snippet from the app's own "Embed this" panel is
// put in a host page served from a SECOND origin (localhost:<port+1>, the app being on
// 127.0.0.1:<port>), and the embed is checked from the host's side: it resizes with its
// content, ignores forged resize messages, takes its theme, cannot be edited when
// locked, stores nothing unless asked, and reaches no third origin. Plus: the build's
// index.html has no inline script, has the CSP, and carries SRI on every script.
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');
const AxeBuilder = require('@axe-core/playwright').default;
const { test, expect } = require('./fixtures');

const APP_PORT = Number(process.env.E2E_PORT || 4173);
const HOST_PORT = Number(process.env.E2E_HOST_PORT || APP_PORT + 1);
const APP = `http://127.0.0.1:${APP_PORT}`;
const HOST = `http://localhost:${HOST_PORT}`;
const DIST = path.join(__dirname, '../../dist');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// The host origin: pages set by each test. The council page runs under a strict CSP
// of its own (no inline script or style), as a careful council's would.
const pages = new Map();
let server;

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    const page = pages.get(req.url.split('?')[0]);
    if (!page) {
      res.writeHead(req.url === '/favicon.ico' ? 204 : 404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...page.headers });
    res.end(page.body);
  });
  await new Promise((resolve) => server.listen(HOST_PORT, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Open the app's "Embed this" panel, let `configure` set options, return the snippet.
 * In a context of its own: the full app autosaves, and the embed's storage is checked. */
async function snippetFromPanel(browser, configure = async () => {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${APP}/`);
  await expect(page.getByTestId('budget')).toHaveText(/£/);
  await page.getByTestId('embed-panel').locator('summary').click();
  await configure(page);
  const iframe = await page.getByTestId('embed-iframe-snippet').textContent();
  const script = await page.getByTestId('embed-script-snippet').textContent();
  await context.close();
  return { iframe, script };
}

/** Serve a council page holding the snippet on the host origin, and open it. */
async function openHostPage(page, { iframe, script }) {
  pages.set('/host.html', {
    headers: {
      'content-security-policy': `default-src 'none'; script-src ${APP}/embed.js; frame-src 'self' ${APP}; style-src 'self'`,
    },
    body: `<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Anytown Council: our health budget</title></head>
<body><main><h1>Our health budget</h1><p>Before the frame.</p>
${iframe}
<p id="after">After the frame.</p></main>
${script}</body></html>`,
  });
  // The app's host sends CORS on embed.js, as README.md asks (SRI on a script from
  // another origin needs it); python's http.server does not, so add it here.
  await page.route(`${APP}/embed.js`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'access-control-allow-origin': '*' } });
  });
  await page.goto(`${HOST}/host.html`);
  const frameElement = page.locator('iframe[data-onebudget]');
  const frame = page.frameLocator('iframe[data-onebudget]');
  await expect(frame.getByTestId('budget')).toHaveText(/£/);
  return { frameElement, frame };
}

const appFrameOf = (page) => page.frames().find((f) => f.url().startsWith(`${APP}/?embed=1`));
const frameHeight = (frameElement) => frameElement.evaluate((f) => f.getBoundingClientRect().height);
const contentHeight = (frame) =>
  frame.locator('[data-testid="embed"]').evaluate((e) => Math.ceil(e.getBoundingClientRect().height));

/** Every request of the page, to check none leaves the two origins. */
function recordRequests(page) {
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

function expectOnlyTheTwoOrigins(urls) {
  const elsewhere = urls.filter((u) => !u.startsWith(`${APP}/`) && !u.startsWith(`${HOST}/`) && !/^(data|blob|about):/.test(u));
  expect(elsewhere, 'requests outside the app and host origins').toEqual([]);
  expect(urls.some((u) => u.startsWith(`${APP}/`))).toBe(true);
  expect(urls.some((u) => u.startsWith(`${HOST}/`))).toBe(true);
}

test('the panel makes a snippet with a title, lazy loading, fullscreen and an SRI-checked host script', async ({ browser }) => {
  const { iframe, script } = await snippetFromPanel(browser);
  expect(iframe).toMatch(/^<iframe data-onebudget="onebudget" src="http:\/\/127\.0\.0\.1:\d+\/\?embed=1&amp;lock=1&amp;id=onebudget#s2\.[A-Za-z0-9_-]+"/);
  expect(iframe).toContain('title="OneBudget: Anytown: one place, one budget"');
  expect(iframe).toContain('loading="lazy"');
  expect(iframe).toContain('allow="fullscreen"');
  const hash = crypto.createHash('sha384').update(fs.readFileSync(path.join(DIST, 'embed.js'))).digest('base64');
  expect(script).toBe(`<script src="${APP}/embed.js" integrity="sha384-${hash}" crossorigin="anonymous" defer></script>`);
});

test('locked: the embed resizes with its content, cannot be changed, stores nothing and reaches only the two origins', async ({ page, context, browser }) => {
  const urls = recordRequests(page);
  const snippet = await snippetFromPanel(browser);
  const { frameElement, frame } = await openHostPage(page, snippet);

  // The host script set the frame to its content's height (not the snippet's 900 px).
  await expect.poll(async () => Math.abs((await frameHeight(frameElement)) - (await contentHeight(frame)))).toBeLessThanOrEqual(1);
  const closed = await frameHeight(frameElement);
  expect(closed).not.toBe(900);

  // Grows as "how this was worked out" opens...
  const details = frame.locator('details > summary');
  const count = await details.count();
  expect(count).toBeGreaterThan(2);
  for (let i = 0; i < count; i++) await details.nth(i).click();
  await expect.poll(() => frameHeight(frameElement)).toBeGreaterThan(closed + 100);
  await expect.poll(async () => Math.abs((await frameHeight(frameElement)) - (await contentHeight(frame)))).toBeLessThanOrEqual(1);
  // ...and shrinks back as it closes.
  for (let i = 0; i < count; i++) await details.nth(i).click();
  await expect.poll(() => frameHeight(frameElement)).toBeLessThanOrEqual(closed + 1);

  // Nothing to change: no inputs, no editable text, no editor.
  await expect(frame.locator('input, select, textarea, [contenteditable]:not([contenteditable="false"])')).toHaveCount(0);
  await expect(frame.getByRole('button', { name: 'Edit inputs' })).toHaveCount(0);
  await expect(frame.getByTestId('embed-inputs')).toHaveCount(0);
  await expect(frame.getByTestId('copy-link')).toHaveCount(0);
  await expect(frame.getByTestId('embed-panel')).toHaveCount(0);
  const budget = await frame.getByTestId('budget').textContent();
  await frame.locator('main').press('Tab');
  await page.keyboard.type('12345');
  await expect(frame.getByTestId('budget')).toHaveText(budget);

  // No cookies, no storage of any kind, in the app's origin. (Chromium may deny a
  // third-party frame storage altogether: then nothing can have been written either.)
  expect(await context.cookies()).toEqual([]);
  const stored = await appFrameOf(page).evaluate(async () => {
    const count = (area) => {
      try {
        return window[area].length;
      } catch (e) {
        return 0; // denied
      }
    };
    return {
      local: count('localStorage'),
      session: count('sessionStorage'),
      databases: await indexedDB.databases().then((d) => d.length, () => 0),
      cookie: document.cookie,
    };
  });
  expect(stored).toEqual({ local: 0, session: 0, databases: 0, cookie: '' });

  expectOnlyTheTwoOrigins(urls);
});

test('forged resize messages are ignored: from the host page, from another frame, and from the frame once it is not the app', async ({ page, browser }) => {
  const snippet = await snippetFromPanel(browser);
  pages.set('/forger.html', {
    headers: {},
    body: `<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Forger</title></head><body><p>Forger</p><script>
      parent.postMessage({ type: 'onebudget:resize', version: 1, id: 'onebudget', height: 15000 }, '*');
    </script></body></html>`,
  });
  const { frameElement, frame } = await openHostPage(page, snippet);
  const fitted = async () => Math.abs((await frameHeight(frameElement)) - (await contentHeight(frame)));
  await expect.poll(fitted).toBeLessThanOrEqual(1);
  await page.evaluate(() => {
    window.forgedSeen = 0;
    window.addEventListener('message', (e) => { if (e.data && e.data.height >= 12000) window.forgedSeen += 1; });
  });

  // 1. The host page's own window (same shape, right id, huge height).
  await page.evaluate(() => window.postMessage({ type: 'onebudget:resize', version: 1, id: 'onebudget', height: 12345 }, '*'));
  // 2. A third frame, on the host's origin.
  await page.evaluate((src) => {
    const other = document.createElement('iframe');
    other.src = src;
    other.title = 'Another frame';
    document.body.appendChild(other);
  }, `${HOST}/forger.html`);
  await expect.poll(() => page.evaluate(() => window.forgedSeen)).toBe(2);
  // Delivered, and ignored: the frame still fits its content (a few thousand px).
  await expect.poll(fitted).toBeLessThanOrEqual(1);
  expect(await frameHeight(frameElement)).toBeLessThan(12000);

  // 3. The OneBudget frame itself, navigated to a page of another origin: the source
  // is the frame's window, but the origin is not the app's.
  const before = await frameHeight(frameElement);
  await page.evaluate((src) => {
    document.querySelector('iframe[data-onebudget]').contentWindow.location.href = src;
  }, `${HOST}/forger.html`);
  await expect.poll(() => page.evaluate(() => window.forgedSeen)).toBe(3);
  await page.waitForTimeout(200);
  const after = await frameHeight(frameElement);
  expect(after).toBeLessThan(12000);
  expect(after).toBe(before);
});

test('the theme applies inside the frame, and a colour too light to read is refused with a note', async ({ page, browser }) => {
  const snippet = await snippetFromPanel(browser, async (p) => {
    await p.getByLabel('Main colour').fill('#330072');
    await p.getByLabel('Main colour').press('Tab');
    await p.getByLabel('Text colour').fill('#1d1d1b');
    await p.getByLabel('Text colour').press('Tab');
    await p.getByLabel('Font').fill('Liberation Serif');
    await p.getByLabel('Font').press('Tab');
    await expect(p.getByTestId('embed-panel-notes')).toHaveCount(0);
  });
  expect(snippet.iframe).toContain('primary=%23330072&amp;text=%231d1d1b&amp;font=Liberation%20Serif');
  const { frame } = await openHostPage(page, snippet);
  const look = await frame.locator('.headline').evaluate((e) => {
    const h1 = document.querySelector('h1');
    return {
      border: getComputedStyle(e).borderLeftColor,
      text: getComputedStyle(h1).color,
      font: getComputedStyle(h1).fontFamily,
      styleAttributes: document.querySelectorAll('[style]').length - (document.documentElement.hasAttribute('style') ? 1 : 0),
    };
  });
  expect(look.border).toBe('rgb(51, 0, 114)');
  expect(look.text).toBe('rgb(29, 29, 27)');
  expect(look.font).toMatch(/^"Liberation Serif", system-ui/);
  expect(look.styleAttributes).toBe(0);
  await expect(frame.getByTestId('embed-notes')).toHaveCount(0);

  // Straight to an embed address with settings that fail their checks: said, not applied.
  await page.goto(`${APP}/?embed=1&lock=1&primary=%23ffcc00&text=red&font=x%3By`);
  await expect(page.getByTestId('budget')).toHaveText(/£/);
  const notes = page.getByTestId('embed-notes');
  await expect(notes.locator('li')).toHaveCount(3);
  await expect(notes).toContainText('#ffcc00 is too light to read');
  const border = await page.locator('.headline').evaluate((e) => getComputedStyle(e).borderLeftColor);
  expect(border).toBe('rgb(0, 94, 184)');
});

test('exposed inputs: only those chosen, validated like the editor, stored only when the visitor saves', async ({ page, browser }) => {
  const snippet = await snippetFromPanel(browser, async (p) => {
    await p.getByLabel('Lock the scenario').uncheck();
    await p.getByLabel('People (Anytown, ages 85+)').check();
    await p.getByLabel('Funding uplift each year').check();
  });
  expect(snippet.iframe).toContain('inputs=places/0/population/6/people,budget/uplift');
  const { frame } = await openHostPage(page, snippet);
  await frame.getByText('Change the figures').click();
  await expect(frame.locator('input')).toHaveCount(2);
  const people = frame.getByLabel('People (Anytown, ages 85+)');
  await expect(people).toHaveValue('2000');
  const budget = await frame.getByTestId('budget').textContent();
  await people.fill('20000');
  await expect(frame.getByTestId('budget')).not.toHaveText(budget);
  const changed = await frame.getByTestId('budget').textContent();
  // A mistake is caught as in the editor, and the figures stay the last valid ones.
  await frame.getByLabel('Funding uplift each year (%)').fill('3.x');
  await expect(frame.locator('.error-message')).toContainText('Enter a percentage');
  await expect(frame.getByTestId('budget')).toHaveText(changed);
  await frame.getByLabel('Funding uplift each year (%)').fill('3');
  await expect(frame.locator('.error-message')).toHaveCount(0);
  await expect(frame.getByRole('button', { name: 'Edit inputs' })).toHaveCount(0);
});

test('an embed with inputs stores nothing until the visitor saves, and then only its own key', async ({ page, browser }) => {
  const snippet = await snippetFromPanel(browser, async (p) => {
    await p.getByLabel('Lock the scenario').uncheck();
    await p.getByLabel('People (Anytown, ages 85+)').check();
  });
  // The frame's address, opened as a page of its own (first-party storage).
  const src = snippet.iframe.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&');
  await page.goto(src);
  await expect(page.getByTestId('budget')).toHaveText(/£/);
  await page.getByText('Change the figures').click();
  const budget = await page.getByTestId('budget').textContent();
  await page.getByLabel('People (Anytown, ages 85+)').fill('9000');
  await expect(page.getByTestId('budget')).not.toHaveText(budget);
  const changed = await page.getByTestId('budget').textContent();
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);

  await page.getByTestId('embed-save').click();
  await expect(page.getByTestId('notice')).toContainText('Saved in this browser');
  expect(await page.evaluate(() => Object.keys(localStorage))).toEqual(['onebudget.embed.v1']);
  // Opening the same embed again shows the saved changes; the full app's work is untouched.
  await page.reload();
  await expect(page.getByTestId('budget')).toHaveText(changed);
  await expect(page.getByTestId('notice')).toContainText('Your saved changes');
  await page.getByText('Change the figures').click();
  await page.getByRole('button', { name: 'Back to the council' }).click();
  await expect(page.getByTestId('budget')).toHaveText(budget);
});

test('the build has no inline script, carries the CSP, and checks every script, wasm and the stylesheet with SRI', async () => {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/);
  expect(csp, 'CSP meta tag').not.toBeNull();
  expect(csp[1]).toContain("script-src 'self' 'wasm-unsafe-eval';");
  expect(csp[1]).not.toContain('unsafe-inline');
  expect(csp[1]).not.toMatch(/'unsafe-eval'/);
  expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  // Tags and their attributes, quoted or not (the release build's HTML is minified).
  const tags = (name) =>
    [...html.matchAll(new RegExp(`<${name}\\b([^>]*)>`, 'g'))].map((m) =>
      Object.fromEntries(
        [...m[1].matchAll(/([\w-]+)(?:=("[^"]*"|'[^']*'|[^\s>]+))?/g)].map(([, k, v]) => [k, (v || '').replace(/^["']|["']$/g, '')]),
      ),
    );
  const hashOf = (file) => 'sha384-' + crypto.createHash('sha384').update(fs.readFileSync(path.join(DIST, file))).digest('base64');
  const file = (url) => url.replace(/^\.\//, '');
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
  expect(scripts.length).toBeGreaterThan(0);
  for (const [, body] of scripts) expect(body.trim(), 'inline script').toBe('');
  for (const script of tags('script')) expect(script.integrity).toBe(hashOf(file(script.src)));
  const links = tags('link');
  for (const rel of ['stylesheet', 'modulepreload', 'preload']) {
    const ofRel = links.filter((l) => l.rel === rel);
    expect(ofRel.length, rel).toBeGreaterThan(0);
    for (const link of ofRel) expect(link.integrity, link.href).toBe(hashOf(file(link.href)));
  }
  expect(links.some((l) => l.rel === 'preload' && l.type === 'application/wasm')).toBe(true);
  // The parts, fetched later: their stylesheet is named with its hash; the chunks'
  // manifest is fetched with the hash the chunk loader (a modulepreload, checked above)
  // carries, and names the hash of every chunk.
  const [app] = tags('meta').filter((m) => m.name === 'onebudget-app');
  expect(app['data-css-integrity']).toBe(hashOf(file(app['data-css'])));
  const loader = links.find((l) => l.rel === 'modulepreload' && /onebudget-split-/.test(l.href));
  expect(fs.readFileSync(path.join(DIST, file(loader.href)), 'utf8')).toContain(hashOf(file(app['data-manifest'])));
  const manifest = JSON.parse(fs.readFileSync(path.join(DIST, file(app['data-manifest'])), 'utf8'));
  expect(Object.keys(manifest.chunks).length).toBeGreaterThan(0);
  for (const chunk of Object.values(manifest.chunks)) expect(chunk.integrity, chunk.file).toBe(hashOf(chunk.file));
  expect(html).not.toMatch(/\sstyle=/);
});

test('the policy is enforced: inline script and style attributes are refused in the running app', async ({ browser }) => {
  // A page outside the fixture: the refusals below log console errors on purpose.
  // (eval is not tried: code Playwright runs is exempt from the page's policy.)
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${APP}/?embed=1&lock=1`);
  await expect(page.getByTestId('budget')).toHaveText(/£/);
  const outcome = await page.evaluate(async () => {
    const refused = [];
    document.addEventListener('securitypolicyviolation', (e) => refused.push(e.effectiveDirective));
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true;';
    document.body.appendChild(script);
    const styled = document.createElement('p');
    styled.setAttribute('style', 'color: rgb(255, 0, 0)');
    document.body.appendChild(styled);
    await new Promise((r) => setTimeout(r, 200));
    return { inlineRan: !!window.inlineRan, colour: getComputedStyle(styled).color, refused: [...new Set(refused)].sort() };
  });
  expect(outcome.inlineRan).toBe(false);
  expect(outcome.colour).not.toBe('rgb(255, 0, 0)');
  expect(outcome.refused).toEqual(['script-src-elem', 'style-src-attr']);
  await context.close();
});

for (const width of [360, 1280]) {
  test(`the embed has no accessibility violations at ${width} px, with its inputs and notes open`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${APP}/?embed=1&inputs=places/0/population/0/people,budget/uplift,nonsense&primary=%23ffcc00&id=a#`);
    await expect(page.getByTestId('budget')).toHaveText(/£/);
    for (const summary of await page.locator('details > summary').all()) await summary.click();
    await expect(page.getByTestId('embed-notes')).toBeVisible();
    const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}
