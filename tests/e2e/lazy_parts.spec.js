// One app cut into chunks (src/ui/lazy.rs, scripts/split_wasm.py): the page opens with
// the first download only; a part's chunks are fetched when it is first needed, each
// checked against the SHA-384 in the chunks' manifest, and the part draws in the same
// app, with the work exactly as it was (nothing is handed over).
const base = require('@playwright/test');
const { test, expect } = require('./fixtures');
const { example } = require('./helpers');

const cquin = example('cquin.json');
const anytownName = example('anytown.json').name;
const healthierTogether = example('healthier_together.json');
const link = (scenario) => '/#s2.' + Buffer.from(JSON.stringify(scenario)).toString('base64url');
// A part's files: its chunks (wasm), the chunks' manifest and the parts' stylesheet.
const isPart = (url) =>
  /onebudget-(?!web-|split-)[a-z0-9-]+-[0-9a-f]{16}\.(wasm|json|css)$/.test(url);
const name = (url) => url.replace(/.*\//, '');

test('the Summary needs only the first download; the editor brings its chunks, with the work as it was', async ({ page }) => {
  const fetched = [];
  page.on('request', (req) => fetched.push(req.url()));
  await page.goto(link(cquin));
  await expect(page.getByTestId('scenario-name')).toHaveText(cquin.name);
  await expect(page.getByTestId('notice')).toContainText('Opened the shared scenario');
  // The first download draws the charts, and builds a data table when it is opened.
  const chart = page.locator('figure.chart').first();
  await chart.locator('summary', { hasText: 'Data table' }).click();
  await expect(chart.locator('table')).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(fetched.filter(isPart), 'no part at first').toEqual([]);

  await page.getByRole('button', { name: 'Edit inputs' }).click();
  await expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
  // The editor's chunk, the chunks it shares with other parts, the manifest and the
  // stylesheet, each once; the stylesheet checked by the browser against its hash.
  const parts = fetched.filter(isPart).map(name);
  expect(new Set(parts).size, 'each file once').toBe(parts.length);
  expect(parts.some((n) => n.startsWith('onebudget-editor-'))).toBe(true);
  expect(parts.filter((n) => n.endsWith('.json'))).toHaveLength(1);
  expect(parts.some((n) => /^onebudget-(analysis|pooling|glossary)-/.test(n)), 'only what the editor needs').toBe(false);
  await expect(page.locator('link[data-onebudget]')).toHaveAttribute('integrity', /^sha384-/);
  // Where the visitor was: the notice, the tab they pressed (focused), the scenario.
  await expect(page.getByTestId('notice')).toContainText('Opened the shared scenario');
  await expect(page.getByRole('button', { name: 'Edit inputs' })).toBeFocused();
  await expect(page.getByRole('button', { name: 'Edit inputs' })).toHaveAttribute('aria-current', 'page');
  // The undo history is the app's own: Undo goes back to the work from before the link.
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('button', { name: 'Summary' }).click();
  await expect(page.getByTestId('scenario-name')).toHaveText(anytownName);
  await expect(page.locator('.masthead')).toHaveCount(1);
  // The next view fetches only its own chunks, none of those already here.
  const before = fetched.filter(isPart).length;
  await page.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByRole('heading', { name: /Compare/ }).first()).toBeVisible();
  const more = fetched.filter(isPart).slice(before).map(name);
  expect(more.some((n) => n.startsWith('onebudget-analysis-'))).toBe(true);
  expect(more.filter((n) => parts.includes(n)), 'nothing fetched twice').toEqual([]);
  // Back to the editor: already here, nothing more.
  const after = fetched.filter(isPart).length;
  await page.getByRole('button', { name: 'Edit inputs' }).click();
  await expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
  expect(fetched.filter(isPart)).toHaveLength(after);
});

test('a part the Summary draws loads by itself and leaves the focus alone', async ({ page }) => {
  await page.goto(link(healthierTogether));
  const pooling = page.getByTestId('pooling');
  await expect(pooling.getByRole('button', { name: /^Run / })).toBeVisible();
  await expect(page.getByTestId('scenario-name')).toHaveText(healthierTogether.name);
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  await expect(page.getByRole('button', { name: 'Summary' })).toHaveAttribute('aria-current', 'page');
});

test('opening "Embed this" loads the panel open and focused', async ({ page }) => {
  await page.goto('/');
  const panel = page.getByTestId('embed-panel');
  await panel.locator('summary').click();
  await expect(panel.getByLabel('Main colour')).toBeVisible();
  await expect(panel).toHaveAttribute('open', '');
  await expect(panel.locator('summary')).toBeFocused();
  await expect(panel.locator('summary')).toBeInViewport();
});

// Plain Playwright: these pages are meant to log the failed loads.
base.test('a chunk that fails its integrity check, or cannot be fetched, leaves the Summary working, and Try again recovers', async ({ page }) => {
  const logged = [];
  page.on('console', (m) => logged.push(m.text()));
  await page.goto('/');
  await base.expect(page.getByTestId('scenario-name')).toHaveText(anytownName);

  // Tampered: the browser refuses a chunk whose bytes do not match the manifest's hash.
  const editChunk = /onebudget-editor-[0-9a-f]{16}\.wasm$/;
  await page.route(editChunk, async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    body[body.length - 1] ^= 1;
    await route.fulfill({ response, body });
  });
  await page.getByRole('button', { name: 'Edit inputs' }).click();
  const failed = page.getByTestId('opening-failed');
  await base.expect(failed).toContainText('could not be opened');
  await base.expect(failed).toHaveAttribute('role', 'alert');
  base.expect(logged.some((t) => /integrity/i.test(t)), 'refused for its hash').toBe(true);

  // Back to the Summary: it still works.
  await failed.getByRole('button', { name: 'Back to the summary' }).click();
  await base.expect(page.getByTestId('scenario-name')).toHaveText(anytownName);

  // Cut off: the same message; once it can be fetched, Try again opens the editor.
  await page.unroute(editChunk);
  await page.route(editChunk, (route) => route.abort());
  await page.getByRole('button', { name: 'Edit inputs' }).click();
  await base.expect(failed).toContainText('could not be opened');
  await page.unroute(editChunk);
  await failed.getByRole('button', { name: 'Try again' }).click();
  await base.expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
  await base.expect(page.locator('.masthead')).toHaveCount(1);
});

test('a second part opened while the first is still loading arrives, and so does the first', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('scenario-name')).toHaveText(anytownName);
  // The editor's chunk held back until the glossary is open.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(/onebudget-editor-[0-9a-f]{16}\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Edit inputs' }).click();
  await expect(page.getByTestId('opening')).toContainText('Opening the inputs');
  // The parts' stylesheet has arrived meanwhile; the glossary needs it too.
  await page.waitForFunction(() => [...document.styleSheets].some((s) => s.ownerNode?.dataset?.onebudget));
  await page.getByRole('button', { name: 'Glossary' }).click();
  await expect(page.locator('#glossary')).toBeVisible();
  release();
  await expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
});
