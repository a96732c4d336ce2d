// The app end to end: the default scenario, editing, validation that keeps the last
// valid results, undo and redo. Every page fails its test on a console error or a
// request off this machine (fixtures.js).
const { test, expect } = require('./fixtures');
const { openEditView, openSummary } = require('./helpers');

const pounds = (text) => Number(text.replace(/[^0-9.]/g, ''));

test('the page opens on the default scenario with figures and a plain-language summary', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle(/OneBudget/);
  await expect(page.getByTestId('budget')).toHaveText(/^£\d{1,3}(,\d{3})+$/);
  await expect(page.getByTestId('per-person')).toContainText('per person per year');
  const summary = page.getByTestId('summary');
  await expect(summary.locator('[data-point=per_person]')).toContainText('£');
  await expect(summary.locator('[data-point=overspend]')).toContainText('overspend');
  // Every headline figure opens to show how it was worked out.
  const working = page.locator('details.working').first();
  await working.locator('summary').click();
  await expect(working).toContainText(/=.*£/);
});

test('changing an input changes the figures in proportion', async ({ page }) => {
  await page.goto('/');
  const before = pounds(await page.getByTestId('budget').textContent());
  await openEditView(page);
  await page.locator('#field-budget-rate_per_weighted_head').fill('3464');
  await openSummary(page);
  await expect(page.getByTestId('budget')).not.toHaveText(`£${before.toLocaleString('en-GB')}`);
  const after = pounds(await page.getByTestId('budget').textContent());
  // Doubling the rate doubles the budget (to within a pound of rounding).
  expect(Math.abs(after - 2 * before)).toBeLessThanOrEqual(1);
});

test('an invalid value is named next to its field while the figures keep the last valid scenario', async ({ page }) => {
  await page.goto('/');
  const before = await page.getByTestId('budget').textContent();
  await openEditView(page);
  const growth = page.locator('#field-places-0-population-0-growth');
  await growth.fill('90');
  await expect(growth).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('There is a problem')).toBeVisible();
  const people = page.locator('#field-places-0-population-1-people');
  await people.fill('abc');
  await expect(people).toHaveAttribute('aria-invalid', 'true');
  await openSummary(page);
  await expect(page.getByTestId('stale')).toBeVisible();
  await expect(page.getByTestId('budget')).toHaveText(before);
  // What was typed survives a reload.
  await page.reload();
  await openEditView(page);
  await expect(page.locator('#field-places-0-population-1-people')).toHaveValue('abc');
});

test('undo and redo step through changes', async ({ page }) => {
  await page.goto('/');
  await openEditView(page);
  const name = page.locator('#field-name');
  const original = await name.inputValue();
  await name.fill('Othertown');
  await page.locator('#field-first_year').fill('2030');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.locator('#field-first_year')).toHaveValue('2025');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(name).toHaveValue(original);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(name).toHaveValue('Othertown');
});
