// Risk pooling: the whole simulation runs in a Web Worker (or, where none can start, on
// the page), with progress, cancel, and figures that refine and are reproducible by seed.
const { test, expect } = require('./fixtures');
const { example, tempFile, loadScenarioFile, openSummary, openEditView } = require('./helpers');

/** Open Healthier Together (its pool changed by `changes`) and show the summary. */
async function loadPool(page, changes = {}) {
  const scenario = example('healthier_together.json');
  Object.assign(scenario.pool, changes);
  await page.goto('/');
  await loadScenarioFile(page, tempFile('pool.json', JSON.stringify(scenario)), scenario.name);
  await openSummary(page);
  return scenario;
}

/** Record the kind of every message any worker sends the page ('ready', 'tally', …). */
async function recordWorkerMessages(page) {
  await page.addInitScript(() => {
    const Native = window.Worker;
    window.__poolMessages = [];
    window.Worker = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (e) =>
          window.__poolMessages.push(typeof e.data === 'string' ? e.data : Object.keys(e.data)[0]));
      }
    };
  });
}

/** Make the page believe the machine has `cores` processor cores. */
async function reportCores(page, cores) {
  await page.addInitScript((n) => {
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n, configurable: true });
  }, cores);
}

const progress = (page) => page.getByTestId('pooling-progress');
const status = (page) => page.getByTestId('pooling-status');

test('a run in the worker reaches done and refines the first estimate', async ({ page }) => {
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  await loadPool(page);
  const section = page.getByTestId('pooling');
  await expect(section.getByRole('heading', { level: 2 })).toContainText('Risk pooling');
  await expect(page.getByTestId('pooling-estimate')).toContainText('first 10,000 of 100,000');
  const first = await page.getByTestId('pooling-chance').textContent();
  // Nothing of the worker is fetched until a run starts.
  expect(workers).toEqual([]);

  await page.getByTestId('pooling-run').click();
  await expect(status(page)).toContainText('Done: 100,000 trials');
  await expect(progress(page)).toHaveAttribute('max', '100000');
  await expect(progress(page)).toHaveAttribute('value', '100000');
  await expect(page.getByTestId('pooling-host')).toContainText('Ran in a background worker');
  expect(workers.some((u) => u.includes('onebudget-pool-worker_loader.js'))).toBe(true);
  await expect(page.getByTestId('pooling-estimate')).toContainText('all 100,000 simulated years (seed 2013)');
  const refined = await page.getByTestId('pooling-chance').textContent();
  expect(refined).not.toEqual(first);
  await expect(page.getByTestId('pooling-bad-year')).toContainText('In 1 year in 20, Corby CCG would overspend by more than £');
  // Both charts, each with its table.
  await expect(page.locator('#chart-pooling-distribution > svg[role=img]')).toBeVisible();
  await expect(page.locator('#chart-pooling-population > svg[role=img]')).toBeVisible();
  // (A chart's table is built when its "Data table" is first opened.)
  await page.locator('#chart-pooling-population').getByText('Data table').click();
  await expect(page.locator('#chart-pooling-population table').first()).toContainText('Corby CCG on its own');
});

test('a finished run is still shown after a visit to the editor, until the pool changes', async ({ page }) => {
  await loadPool(page);
  await page.getByTestId('pooling-run').click();
  await expect(status(page)).toContainText('Done: 100,000 trials');
  const refined = await page.getByTestId('pooling-chance').textContent();
  await openEditView(page);
  await openSummary(page);
  await expect(page.getByTestId('pooling-estimate')).toContainText('all 100,000 simulated years');
  await expect(status(page)).toContainText('Done: 100,000 trials');
  await expect(page.getByTestId('pooling-chance')).toHaveText(refined);
  // A changed pool is a different question: back to its own first estimate.
  await openEditView(page);
  await page.locator('#field-pool-seed').fill('7');
  await openSummary(page);
  await expect(page.getByTestId('pooling-estimate')).toContainText('first 10,000 of 100,000');
});

test('the same seed shows identical figures; another seed different ones', async ({ page }) => {
  await loadPool(page);
  const table = page.getByTestId('pooling-table');
  await page.getByTestId('pooling-run').click();
  await expect(status(page)).toContainText('Done');
  const once = await table.textContent();
  await page.getByTestId('pooling-run').click();
  await expect(status(page)).toContainText('Done');
  await expect(page.getByTestId('pooling-estimate')).toContainText('all 100,000');
  expect(await table.textContent()).toEqual(once);

  await openEditView(page);
  await page.locator('#field-pool-seed').fill('2014');
  await page.locator('#field-pool-seed').blur();
  await openSummary(page);
  await page.getByTestId('pooling-run').click();
  await expect(status(page)).toContainText('Done');
  await expect(page.getByTestId('pooling-estimate')).toContainText('(seed 2014)');
  expect(await table.textContent()).not.toEqual(once);
});

test('cancel stops every worker: nothing arrives afterwards and the count stops', async ({ page }) => {
  await recordWorkerMessages(page);
  await reportCores(page, 2);
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  await loadPool(page, { trials: 10000000 });
  await page.getByTestId('pooling-run').click();
  await expect(status(page)).toContainText('of 10,000,000 trials done');
  await expect(page.getByTestId('pooling-host')).toContainText('Running in 2 background workers');
  expect(workers.filter((u) => u.includes('onebudget-pool-worker_loader.js'))).toHaveLength(2);

  // The page stays responsive while the workers run: another control is handled at once.
  await page.locator('#pooling-member').selectOption({ label: 'Bedfordshire CCG' });
  await expect(page.getByTestId('pooling-bad-year')).toContainText('Bedfordshire CCG', { timeout: 1000 });
  await expect(status(page)).toContainText('of 10,000,000 trials done');

  await page.getByTestId('pooling-cancel').click();
  await expect(status(page)).toContainText(/Cancelled after [\d,]+ of 10,000,000 trials/);
  const stoppedAt = Number((await progress(page).getAttribute('value')));
  expect(stoppedAt).toBeGreaterThan(0);
  expect(stoppedAt).toBeLessThan(10000000);
  // The count the status gives is the progress bar's, and a whole number of streams.
  const said = Number((await status(page).textContent()).match(/after ([\d,]+)/)[1].replace(/,/g, ''));
  expect(said).toBe(stoppedAt);
  expect(stoppedAt % 125000).toBe(0);
  const messages = await page.evaluate(() => window.__poolMessages.slice());
  expect(messages.filter((m) => m === 'tally').length).toBeGreaterThan(0);
  // A second later no worker has sent anything more, and the count has not moved.
  await page.waitForTimeout(1000);
  const later = await page.evaluate(() => window.__poolMessages.slice());
  expect(later).toEqual(messages);
  await expect(progress(page)).toHaveAttribute('value', String(stoppedAt));
  await expect(page.getByTestId('pooling-run')).toBeEnabled();
  await expect(page.getByTestId('pooling-cancel')).toBeDisabled();
});

test('one worker and four show identical figures for the same seed', async ({ page }) => {
  let workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  // A million trials: eight streams, shared by however many workers the page starts.
  const figures = async (cores) => {
    workers = [];
    await reportCores(page, cores); // the later script wins on the next load
    await loadPool(page, { trials: 1000000 });
    await page.getByTestId('pooling-run').click();
    await expect(status(page)).toContainText('Done: 1,000,000 trials');
    return {
      host: await page.getByTestId('pooling-host').textContent(),
      started: workers.filter((u) => u.includes('onebudget-pool-worker_loader.js')).length,
      shown: {
        table: await page.getByTestId('pooling-table').textContent(),
        sentences: await page.getByTestId('pooling-sentences').textContent(),
        estimate: await page.getByTestId('pooling-estimate').textContent(),
      },
    };
  };
  const one = await figures(1);
  expect(one.host).toContain('Ran in a background worker.');
  expect(one.started).toBe(1);
  expect(one.shown.estimate).toContain('all 1,000,000 simulated years (seed 2013)');
  const four = await figures(4);
  expect(four.host).toContain('Ran in 4 background workers');
  expect(four.started).toBe(4);
  expect(four.shown).toEqual(one.shown);
});

test('without workers the run happens on the page, with the same figures', async ({ page }) => {
  await loadPool(page);
  await page.getByTestId('pooling-run').click();
  await expect(status(page)).toContainText('Done');
  const inWorker = await page.getByTestId('pooling-table').textContent();

  await page.addInitScript(() => { delete window.Worker; });
  await page.reload();
  await openSummary(page);
  await page.getByTestId('pooling-run').click();
  await expect(status(page)).toContainText('Done: 100,000 trials');
  await expect(status(page)).toContainText('on this page');
  await expect(page.getByTestId('pooling-host')).toContainText('could not start a background worker');
  await expect(progress(page)).toHaveAttribute('value', '100000');
  expect(await page.getByTestId('pooling-table').textContent()).toEqual(inWorker);
});

const AxeBuilder = require('@axe-core/playwright').default;

for (const width of [360, 1280]) {
  test(`the pooling section and its inputs have no accessibility violations at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await loadPool(page);
    await page.getByTestId('pooling-run').click();
    await expect(status(page)).toContainText('Done');
    for (const summary of await page.getByTestId('pooling').locator('details > summary').all()) await summary.click();
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
    const describe = (r) => r.violations.map((v) => `${v.id}: ${v.help} ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    expect(describe(await new AxeBuilder({ page }).include('[data-testid="pooling"]').withTags(tags).analyze())).toEqual([]);
    await openEditView(page);
    await expect(page.locator('#field-pool-members-3-population')).toHaveValue('75000');
    expect(describe(await new AxeBuilder({ page }).withTags(tags).analyze())).toEqual([]);
  });
}

test('the worker needs no blob: URL and no eval (a strict script and worker policy)', async ({ page }) => {
  // The app's policy without 'unsafe-inline' belongs to the page's own loader; here the
  // worker-relevant parts: scripts and workers only from this origin, wasm compiled, no eval.
  const policy = "script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'; worker-src 'self'";
  await page.route((url) => url.pathname === '/' || url.pathname.endsWith('/index.html'), async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="${policy}">`);
    await route.fulfill({ response, body });
  });
  await loadPool(page);
  await page.getByTestId('pooling-run').click();
  await expect(status(page)).toContainText('Done: 100,000 trials');
  await expect(page.getByTestId('pooling-host')).toContainText('Ran in a background worker');
});
