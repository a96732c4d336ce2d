// The two builds (src/ui/full_app.rs): the page opens with the public build only; the
// full app is fetched when a view or part needs it, checked with SRI, and takes over
// with the work exactly as it was.
const base = require('@playwright/test');
const { test, expect } = require('./fixtures');
const { example } = require('./helpers');

const cquin = example('cquin.json');
const anytownName = example('anytown.json').name;
const healthierTogether = example('healthier_together.json');
const link = (scenario) => '/#s2.' + Buffer.from(JSON.stringify(scenario)).toString('base64url');
const isFullApp = (url) => /onebudget-web-full-[0-9a-f]+(\.js|_bg\.wasm)$/.test(url);

test('the Summary needs only the public build; the editor brings the full app, with the work as it was', async ({ page }) => {
  const fetched = [];
  page.on('request', (req) => fetched.push(req.url()));
  await page.goto(link(cquin));
  await expect(page.getByTestId('scenario-name')).toHaveText(cquin.name);
  await expect(page.getByTestId('notice')).toContainText('Opened the shared scenario');
  // The public build draws the charts, and builds a data table when it is opened.
  const chart = page.locator('figure.chart').first();
  await chart.locator('summary', { hasText: 'Data table' }).click();
  await expect(chart.locator('table')).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(fetched.filter(isFullApp), 'nothing of the full app at first').toEqual([]);

  await page.getByRole('button', { name: 'Edit inputs' }).click();
  await expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
  // Each of its two files once, the script checked by the browser against its hash.
  expect(fetched.filter(isFullApp).map((u) => u.replace(/.*\//, '').replace(/-[0-9a-f]{16}/, ''))).toEqual([
    'onebudget-web-full.js',
    'onebudget-web-full_bg.wasm',
  ]);
  await expect(page.locator('script[data-onebudget]')).toHaveAttribute('integrity', /^sha384-/);
  // Where the visitor was: the notice, the tab they pressed (focused), the scenario.
  await expect(page.getByTestId('notice')).toContainText('Opened the shared scenario');
  await expect(page.getByRole('button', { name: 'Edit inputs' })).toBeFocused();
  await expect(page.getByRole('button', { name: 'Edit inputs' })).toHaveAttribute('aria-current', 'page');
  // The undo history came across: Undo goes back to the work from before the link.
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('button', { name: 'Summary' }).click();
  await expect(page.getByTestId('scenario-name')).toHaveText(anytownName);
  // One app on the page, and the next view needs nothing more.
  await expect(page.locator('.masthead')).toHaveCount(1);
  await page.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByRole('heading', { name: /Compare/ }).first()).toBeVisible();
  expect(fetched.filter(isFullApp)).toHaveLength(2);
});

test('a part only the full app draws loads by itself and leaves the focus alone', async ({ page }) => {
  await page.goto(link(healthierTogether));
  const pooling = page.getByTestId('pooling');
  await expect(pooling.getByRole('button', { name: /^Run / })).toBeVisible();
  await expect(page.getByTestId('scenario-name')).toHaveText(healthierTogether.name);
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  await expect(page.getByRole('button', { name: 'Summary' })).toHaveAttribute('aria-current', 'page');
});

test('opening "Embed this" brings the full app with the panel open and focused', async ({ page }) => {
  await page.goto('/');
  const panel = page.getByTestId('embed-panel');
  await panel.locator('summary').click();
  await expect(panel.getByLabel('Main colour')).toBeVisible();
  await expect(panel).toHaveAttribute('open', '');
  await expect(panel.locator('summary')).toBeFocused();
  await expect(panel.locator('summary')).toBeInViewport();
});

// Plain Playwright: these pages are meant to log the failed loads.
base.test('a full app that cannot be fetched, or fails its integrity check, leaves the Summary working, and Try again recovers', async ({ page }) => {
  await page.goto('/');
  await base.expect(page.getByTestId('scenario-name')).toHaveText(anytownName);

  // Tampered: the browser refuses a script that does not match its SRI hash.
  await page.route(/onebudget-web-full-[0-9a-f]+\.js$/, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: 'window.tampered = true;' }),
  );
  await page.getByRole('button', { name: 'Edit inputs' }).click();
  const failed = page.getByTestId('opening-failed');
  await base.expect(failed).toContainText('could not be opened');
  await base.expect(failed).toHaveAttribute('role', 'alert');
  base.expect(await page.evaluate(() => window.tampered)).toBeUndefined();

  // Back to the Summary: it still works.
  await failed.getByRole('button', { name: 'Back to the summary' }).click();
  await base.expect(page.getByTestId('scenario-name')).toHaveText(anytownName);

  // The wasm cut off: the same message; once it can be fetched, Try again opens the editor.
  await page.unroute(/onebudget-web-full-[0-9a-f]+\.js$/);
  await page.route(/onebudget-web-full-[0-9a-f]+_bg\.wasm$/, (route) => route.abort());
  await page.getByRole('button', { name: 'Edit inputs' }).click();
  await base.expect(failed).toContainText('could not be opened');
  await page.unroute(/onebudget-web-full-[0-9a-f]+_bg\.wasm$/);
  await failed.getByRole('button', { name: 'Try again' }).click();
  await base.expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
  await base.expect(page.locator('.masthead')).toHaveCount(1);
});
