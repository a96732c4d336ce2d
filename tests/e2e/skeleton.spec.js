const { test, expect } = require('./fixtures');

// £1,732 per weighted head × the default place's weighted population.
const pounds = (text) => Number(text.replace(/[^0-9.\u2212-]/g, '').replace('\u2212', '-'));

test('the page opens on the default scenario with a figure from the engine', async ({ page }) => {
  await page.goto('/');
  const budget = page.getByTestId('budget');
  await expect(budget).toHaveText(/^£\d{1,3}(,\d{3})+$/);
  const perPerson = page.getByTestId('per-person');
  await expect(perPerson).toContainText('per person per year');
  await expect(page).toHaveTitle(/OneBudget/);
});

test('changing the rate per weighted head changes the budget in proportion', async ({ page }) => {
  await page.goto('/');
  const budget = page.getByTestId('budget');
  await expect(budget).toHaveText(/^£/);
  const beforeText = await budget.textContent();
  const before = pounds(beforeText);
  await page.getByLabel('Budget per weighted head').fill('3464');
  await expect(budget).not.toHaveText(beforeText);
  const after = pounds(await budget.textContent());
  // Doubling the rate doubles the budget (to within a pound of rounding).
  expect(Math.abs(after - 2 * before)).toBeLessThanOrEqual(1);
});
