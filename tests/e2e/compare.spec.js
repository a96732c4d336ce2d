// The Compare view: scenarios side by side with their differences, and the tornado chart.
// Expected figures come from the golden results the engine writes natively
// (crates/engine/tests/golden/), subtracted here: nothing is hard-coded.
const fs = require('fs');
const path = require('path');
const AxeBuilder = require('@axe-core/playwright').default;
const { test, expect } = require('./fixtures');
const { example, tempFile, shownScenarioName, loadScenarioFile } = require('./helpers');

const GOLDEN = path.join(__dirname, '../../crates/engine/tests/golden');
const golden = (name) => JSON.parse(fs.readFileSync(path.join(GOLDEN, `${name}.results.json`), 'utf8'));
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Pence as the app shows whole pounds: rounded half away from zero, en-GB grouping. */
function pounds(pence) {
  const whole = Math.round(Math.abs(pence) / 100);
  return `${pence < 0 && whole > 0 ? '\u2212' : ''}£${whole.toLocaleString('en-GB')}`;
}

async function openCompare(page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Compare scenarios' })).toBeVisible();
}

async function choose(page, first, second) {
  await page.getByLabel('Baseline (the others are compared with it)').selectOption(`builtin:${first}`);
  await page.getByLabel('Compare with', { exact: true }).selectOption(`builtin:${second}`);
}

const cell = (page, figure, column) =>
  page.locator(`[data-testid="comparison-table"] tr[data-figure="${figure}"] td[data-column="${column}"]`);

async function swings(page) {
  return page.locator('[data-testid="tornado-table"] tbody tr').evaluateAll((rows) =>
    rows.map((r) => ({ path: r.dataset.path, swing: Number(r.dataset.swing) })));
}

test('the comparison shows each figure and its difference from the baseline, as the engine works them out', async ({ page }) => {
  const a = golden('anytown');
  const b = golden('isle-of-wight');
  await openCompare(page);
  await choose(page, 'anytown', 'isle-of-wight');
  const table = page.getByTestId('comparison-table');
  await expect(table.locator('thead th').nth(1)).toContainText(a.scenario);
  await expect(table.locator('thead th').nth(1)).toContainText('Baseline');
  await expect(table.locator('thead th').nth(2)).toContainText(b.scenario);

  const yearly = [
    ['first_year_budget', a.totals[0], b.totals[0]],
    ['last_year_budget', a.totals[a.totals.length - 1], b.totals[b.totals.length - 1]],
  ];
  for (const [figure, ta, tb] of yearly) {
    await expect(cell(page, figure, 0).locator('.compare-value')).toHaveText(pounds(ta.budget));
    await expect(cell(page, figure, 1).locator('.compare-value')).toHaveText(pounds(tb.budget));
    const diff = cell(page, figure, 1).locator('.compare-diff');
    await expect(diff).toHaveAttribute('data-difference-pence', String(tb.budget - ta.budget));
    await expect(diff).toHaveAttribute('data-difference-per-person-pence', String(tb.per_person - ta.per_person));
    // Said in words and with an arrow, not by colour alone.
    await expect(diff).toContainText(tb.budget > ta.budget ? 'more' : 'less');
    await expect(diff).toContainText(`${pounds(tb.per_person - ta.per_person)} per person`);
    await expect(cell(page, figure, 0).locator('.compare-diff')).toHaveCount(0);
  }
  const sum = (r) => r.totals.reduce((s, t) => s + t.budget, 0);
  await expect(cell(page, 'period_budget', 1).locator('.compare-diff'))
    .toHaveAttribute('data-difference-pence', String(sum(b) - sum(a)));
  // A figure only one scenario has is shown as such, with no difference.
  await expect(cell(page, 'outcome_earned', 0).locator('.compare-value')).toHaveText(pounds(a.outcome_payment.total_earned));
  await expect(cell(page, 'outcome_earned', 1)).toContainText('Not in this scenario');
  await expect(cell(page, 'pooled_pot', 1)).toHaveAttribute('data-value-pence', String(b.pooled_budget.pot));
  await expect(cell(page, 'pooled_pot', 1)).toContainText('Not in the baseline');

  // Swapping the baseline flips every difference's sign.
  await choose(page, 'isle-of-wight', 'anytown');
  await expect(cell(page, 'first_year_budget', 1).locator('.compare-diff'))
    .toHaveAttribute('data-difference-pence', String(a.totals[0].budget - b.totals[0].budget));
});

test('until the person chooses, the scenario being edited is compared with a different built-in', async ({ page }) => {
  for (const name of ['anytown', 'healthier_together']) {
    const scenario = example(`${name}.json`);
    await page.goto('/');
    await loadScenarioFile(page, tempFile(`${name}.json`, JSON.stringify(scenario)), scenario.name);
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const table = page.getByTestId('comparison-table');
    await expect(table.locator('thead th').nth(1)).toContainText(scenario.name);
    await expect(table.locator('thead th').nth(2)).not.toContainText(scenario.name);
  }
});

test('a third and fourth scenario can be added, and a scenario compared with itself does not differ', async ({ page }) => {
  const h = golden('healthier-together');
  await openCompare(page);
  await choose(page, 'healthier-together', 'healthier-together');
  await page.getByLabel(/scenario 3/).selectOption('builtin:cquin');
  await page.getByLabel(/scenario 4/).selectOption('builtin:anytown');
  await expect(page.getByTestId('comparison-table').locator('thead th')).toHaveCount(5);
  await expect(cell(page, 'first_year_budget', 1).locator('.compare-diff')).toHaveAttribute('data-difference-pence', '0');
  await expect(cell(page, 'first_year_budget', 1)).toContainText('Same as the baseline');
  await expect(cell(page, 'pool_spread', 0)).toHaveAttribute('data-value-pence', String(h.pooling.pool.figures.spread.amount));
  await page.getByLabel(/scenario 4/).selectOption('');
  await expect(page.getByTestId('comparison-table').locator('thead th')).toHaveCount(4);
});

test('the tornado chart ranks inputs by swing, and follows the variation typed', async ({ page }) => {
  await openCompare(page);
  await choose(page, 'anytown', 'isle-of-wight');
  await page.getByLabel('Scenario to test').selectOption({ index: 0 });
  await page.getByLabel('Figure', { exact: true }).selectOption('first_year_budget');
  const chart = page.locator('#chart-tornado');
  await expect(chart.locator('svg[role="img"]')).toBeVisible();
  await expect(chart.locator('.chart-description')).toContainText('Varying each input by ±10 %, the biggest effect on “budget, first year”');
  await chart.getByText('Data table').click();
  await expect(page.getByTestId('tornado-table')).toBeVisible();

  const at10 = await swings(page);
  expect(at10.length).toBeGreaterThan(5);
  for (let i = 1; i < at10.length; i += 1) expect(at10[i - 1].swing).toBeGreaterThanOrEqual(at10[i].swing);
  // The first year's budget is rate × weighted population: ±10 % on the rate swings it by
  // 20 % of the budget; the uplift only acts from the second year.
  const budget = golden('anytown').totals[0].budget;
  const rate = at10.find((r) => r.path === 'budget.rate_per_weighted_head');
  expect(Math.abs(rate.swing - budget * 0.2)).toBeLessThanOrEqual(200);
  expect(at10.find((r) => r.path === 'budget.uplift').swing).toBe(0);

  const variation = page.getByLabel('Vary each input by (%)');
  await variation.fill('20');
  await expect.poll(async () => (await swings(page)).find((r) => r.path === 'budget.rate_per_weighted_head').swing)
    .toBeGreaterThan(rate.swing * 1.99);
  await expect(chart.locator('.chart-description')).toContainText('±20 %');
  const at20 = await swings(page);

  // A variation out of range: a message next to the field, and the last chart kept.
  await variation.fill('80');
  const message = page.locator('#tornado-variation-error');
  await expect(message).toContainText('Enter a percentage from 1 to 50');
  await expect(variation).toHaveAttribute('aria-invalid', 'true');
  await expect(variation).toHaveAttribute('aria-describedby', /tornado-variation-error/);
  expect(await swings(page)).toEqual(at20);
  await expect(chart.locator('.chart-description')).toContainText('±20 %');
  await variation.fill('ten');
  await expect(message).toBeVisible();
  await variation.fill('10');
  await expect(message).toHaveCount(0);
  expect(await swings(page)).toEqual(at10);
});

test('a file opened for comparison becomes a column; a bad one changes nothing', async ({ page }) => {
  await openCompare(page);
  const before = await page.getByTestId('comparison-table').locator('thead').textContent();
  await page.getByTestId('compare-open').setInputFiles(tempFile('broken.json', '{"schema_version": 2, "name": "Broken"'));
  await expect(page.getByTestId('notice')).toContainText('could not be opened for comparison');
  await expect(page.getByTestId('notice')).toContainText('not valid JSON');
  await expect(page.getByTestId('comparison-table').locator('thead')).toHaveText(before);

  const option = example('anytown.json');
  option.name = 'Anytown option B';
  option.budget.rate_per_weighted_head += 10000;
  await page.getByTestId('compare-open').setInputFiles(tempFile('option-b.json', JSON.stringify(option)));
  await expect(page.getByTestId('notice')).toContainText('Opened “Anytown option B”');
  await expect(page.getByTestId('comparison-table').locator('thead th').nth(3)).toContainText('Anytown option B (file)');
  // £100 more per weighted head: Anytown's own budget per person rises with it.
  await expect(cell(page, 'first_year_budget', 2).locator('.compare-diff')).toHaveAttribute('data-direction', 'higher');
  // The person's own scenario is not replaced.
  expect(await shownScenarioName(page)).toBe(golden('anytown').scenario);
});

for (const width of [360, 1280]) {
  test(`the Compare view has no accessibility violations at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await openCompare(page);
    await page.locator('#chart-tornado').getByText('Data table').click();
    const check = async (where) => {
      const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      expect(found, `axe violations on ${where}`).toEqual([]);
    };
    await check('the Compare view');
    await page.getByLabel('Vary each input by (%)').fill('0');
    await expect(page.locator('#tornado-variation-error')).toBeVisible();
    await check('the Compare view with an error');
  });
}
