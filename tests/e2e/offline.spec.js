// "Download for offline use": one HTML file carrying the app and the scenario, opened
// from the file system with every network request refused, works fully: it shows the
// scenario, recalculates after an edit, presents, and can make a copy of itself.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test, expect } = require('./fixtures');
const { example, tempFile, loadScenarioFile, openEditView, openSummary } = require('./helpers');

const pounds = (text) => Number(text.replace(/[^0-9.]/g, ''));

/** Press "Download for offline use" on the board pack view and save the file. */
async function downloadOfflineCopy(page, dir) {
  await page.getByRole('button', { name: 'Board pack' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-offline').click(),
  ]);
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

/** A browser context with no network: only file:// loads, everything else is refused. */
async function offlineContext(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.setOffline(true);
  await context.route('**', (route) =>
    route.request().url().startsWith('file:') ? route.continue() : route.abort());
  return context;
}

/** Fail on a console error, an uncaught error, or any request that is not the file. */
function watch(page, file) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== `file://${file}`) problems.push(`request: ${r.url().slice(0, 100)}`);
  });
  return problems;
}

test('the offline file opens from disk with no network and works fully', async ({ page, browser }) => {
  const scenario = example('cquin.json');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onebudget-offline-'));
  await page.goto('/');
  await loadScenarioFile(page, tempFile('cquin.json', JSON.stringify(scenario)), scenario.name);
  await openSummary(page);
  const budget = await page.getByTestId('budget').textContent();
  const file = await downloadOfflineCopy(page, dir);
  const size = fs.statSync(file).size;
  await expect(page.getByTestId('notice')).toContainText('for offline use');
  console.log(`offline file: ${path.basename(file)}, ${size} bytes`);

  // One self-contained file: no reference to another file, the scenario inside it.
  const html = fs.readFileSync(file, 'utf8');
  expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+rel="?stylesheet|modulepreload|http-equiv/i);
  expect(html).toContain('id="onebudget-wasm"');
  expect(html).toContain(JSON.stringify(scenario.name).slice(1, -1));

  const context = await offlineContext(browser);
  const offline = await context.newPage();
  const problems = watch(offline, file);
  await offline.goto(`file://${file}`);
  await expect(offline.getByTestId('scenario-name')).toHaveText(scenario.name);
  await expect(offline.getByTestId('budget')).toHaveText(budget);

  // An edit recalculates: double the rate, double the budget (to a pound of rounding).
  await offline.getByRole('button', { name: 'Edit inputs' }).click();
  const rate = offline.locator('#field-budget-rate_per_weighted_head');
  const before = pounds(await rate.inputValue());
  await rate.fill(String(before * 2));
  await offline.getByRole('button', { name: 'Summary' }).click();
  await expect(offline.getByTestId('budget')).not.toHaveText(budget);
  expect(Math.abs(pounds(await offline.getByTestId('budget').textContent()) - 2 * pounds(budget))).toBeLessThanOrEqual(1);
  const edited = await offline.getByTestId('budget').textContent();

  // Presentation mode works from the file too.
  await offline.getByTestId('present').click();
  await expect(offline.getByTestId('present-position')).toHaveText(/^1 of \d+ — In brief$/);
  await expect(offline.locator('.step-figure')).toHaveText(edited);
  await offline.keyboard.press('ArrowRight');
  await expect(offline.getByTestId('present-position')).toHaveText(/^2 of \d+ — The budget over the years$/);
  await offline.keyboard.press('Escape');
  await expect(offline.getByTestId('presentation')).toHaveCount(0);

  // The edit survives a reload of the file (its own autosave).
  await offline.reload();
  await expect(offline.getByTestId('budget')).toHaveText(edited);

  // The copy makes a copy of itself, carrying the edited scenario, with no network.
  const copyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onebudget-offline-copy-'));
  const copy = await downloadOfflineCopy(offline, copyDir);
  const copied = fs.readFileSync(copy, 'utf8');
  expect(Math.abs(copied.length - html.length)).toBeLessThan(1000);
  const second = await context.newPage();
  const secondProblems = watch(second, copy);
  await second.goto(`file://${copy}`);
  await expect(second.getByTestId('budget')).toHaveText(edited);

  expect(problems, 'the offline file reached for the network or logged errors').toEqual([]);
  expect(secondProblems, 'the copy of the copy reached for the network or logged errors').toEqual([]);
  await context.close();
});

test('each offline file opens on its own scenario, whatever other files saved', async ({ page, browser }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onebudget-offline-'));
  await page.goto('/');
  const anytownFile = await downloadOfflineCopy(page, dir);
  const isle = example('isle_of_wight.json');
  await loadScenarioFile(page, tempFile('iow.json', JSON.stringify(isle)), isle.name);
  const isleFile = await downloadOfflineCopy(page, dir);

  const context = await offlineContext(browser);
  const first = await context.newPage();
  await first.goto(`file://${anytownFile}`);
  await expect(first.getByTestId('scenario-name')).toHaveText(example('anytown.json').name);
  await openEditView(first);
  await first.locator('#field-name').fill('Anytown, edited offline');
  // Another file from the same disk shares the browser's storage, but not this work.
  const second = await context.newPage();
  await second.goto(`file://${isleFile}`);
  await expect(second.getByTestId('scenario-name')).toHaveText(isle.name);
  await first.reload();
  await expect(first.getByTestId('scenario-name')).toHaveText('Anytown, edited offline');
  await context.close();
});
