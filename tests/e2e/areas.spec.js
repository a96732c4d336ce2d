// "Find your area": real NHS England figures for every ICB, district and GP practice
// (docs/AREAS.md). The year's data is fetched only when the visitor asks, with integrity.
const base = require('@playwright/test');
const AxeBuilder = require('@axe-core/playwright').default;
const { test, expect } = require('./fixtures');

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const ASSET = /\/areas\/\d{4}-\d{2}\.bin$/;
const SHOTS = process.env.E2E_SCREENSHOTS;

async function expectNoViolations(page, where) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect(found, `axe violations on ${where}`).toEqual([]);
}

/** Nothing on the page is wider than the window (no sideways scrolling). */
async function expectNoSidewaysScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  expect(scroll, 'the page scrolls sideways').toBeLessThanOrEqual(width);
}

async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test.describe('on a 412 px phone', () => {
  test.use({ viewport: { width: 412, height: 915 } });

  test('find a practice by part of its name, open its ICB, change the year', async ({ page }) => {
    const assets = [];
    const chunks = [];
    page.on('request', (req) => {
      if (ASSET.test(req.url())) assets.push(req.url());
      if (/onebudget-areas-[0-9a-f]{16}\.wasm$/.test(req.url())) chunks.push(req.url());
    });
    await page.goto('/');
    await expect(page.getByTestId('budget')).toHaveText(/£/);
    // Nothing about areas is fetched until the visitor asks: neither its code nor its data.
    await page.waitForTimeout(300);
    expect(assets).toEqual([]);
    expect(chunks).toEqual([]);
    await page.getByTestId('find-area').click();
    const search = page.getByTestId('area-search');
    await expect(search).toBeVisible();
    expect(assets.map((u) => u.replace(/.*\/areas\//, ''))).toEqual(['2025-26.bin']);
    expect(chunks.length).toBe(1);

    await search.fill('densham');
    await expect(page.getByTestId('area-status')).toHaveText('1 area found.');
    const result = page.getByRole('link', { name: /THE DENSHAM SURGERY/ });
    await expect(result).toHaveAttribute('href', '?area=A81001&year=2025-26');
    await result.click();

    await expect(page.getByTestId('area-name')).toHaveText('THE DENSHAM SURGERY');
    await expect(page.getByTestId('area-name')).toBeFocused();
    expect(new URL(page.url()).search).toBe('?area=A81001&year=2025-26');
    await expect(page.getByTestId('area-population')).toHaveText('3,928');
    await expect(page.getByTestId('area-need')).toHaveText('25 % more than average');
    await expect(page.getByTestId('area-sentence')).toContainText(
      'People registered at THE DENSHAM SURGERY are expected to need 25 % more NHS care than the average person in England; the biggest reason is health inequalities',
    );
    await expect(page.getByTestId('area-fair-share')).toHaveText('£2,107');
    await expect(page.getByTestId('area-fair')).toContainText('not the actual allocation');
    await expect(page.getByTestId('attribution')).toContainText('Open Government Licence v3.0');
    await expectNoSidewaysScroll(page);
    await shot(page, 'area-practice-412');

    // Its ICB and district are links.
    await page.getByTestId('area-parents').getByRole('link', { name: 'NHS North East and North Cumbria ICB' }).click();
    await expect(page.getByTestId('area-name')).toHaveText('NHS North East and North Cumbria ICB');
    expect(new URL(page.url()).search).toBe('?area=QHM&year=2025-26');
    await expect(page.getByTestId('area-rank')).toContainText('of 42 ICBs');
    await expect(page.locator('#chart-area-rank > svg')).toBeVisible();
    await expectNoSidewaysScroll(page);
    await shot(page, 'area-icb-412');

    // Another year: the same ICB in that year's figures, fetched once.
    await page.getByTestId('area-year').selectOption('2024-25');
    await expect(page.locator('.area-kind')).toContainText('2024/25');
    await expect(page.getByTestId('area-name')).toHaveText(/North East and North Cumbria/);
    expect(new URL(page.url()).search).toBe('?area=QHM&year=2024-25');
    await expect(page.getByTestId('trend-table').locator('tbody tr')).toHaveCount(2);

    // Back goes to the practice.
    await page.goBack();
    await expect(page.getByTestId('area-name')).toHaveText('THE DENSHAM SURGERY');
  });

  test('a merged ICB: every year on request, and what April 2026 changed', async ({ page }) => {
    await page.goto('/?area=QHG&year=2025-26');
    await expect(page.getByTestId('area-name')).toHaveText(/Bedfordshire, Luton and Milton Keynes/);
    await page.getByTestId('load-trend').click();
    await expect(page.getByTestId('trend-table').locator('tbody tr')).toHaveCount(6);
    await expect(page.getByTestId('area-changes')).toContainText('is not an ICB from 2026/27');
    await expect(page.getByTestId('trend-sentence')).toContainText('For the same GP practices');
    await expectNoSidewaysScroll(page);
  });
});

test('an address opens the area; leaving the view takes it out of the address', async ({ page }) => {
  await page.goto('/?area=e06000004');
  await expect(page.getByTestId('area-name')).toHaveText('Stockton-on-Tees');
  await expect(page.getByTestId('area-rank')).toContainText('local authority districts');
  await page.getByRole('button', { name: 'Summary' }).click();
  await expect(page.getByTestId('budget')).toHaveText(/£/);
  expect(new URL(page.url()).search).toBe('');
});

test('a code not in that year says so', async ({ page }) => {
  await page.goto('/?area=QHG&year=2026-27');
  await expect(page.getByTestId('area-missing')).toContainText('42 ICBs became 36');
});

test('an embed on an area: its figures, no masthead, the attribution', async ({ page }) => {
  await page.goto('/?embed=1&area=QHM&primary=%23330072');
  await expect(page.getByTestId('area-embed')).toBeVisible();
  await expect(page.getByTestId('area-name')).toHaveText('NHS North East and North Cumbria ICB');
  await expect(page.locator('.masthead')).toHaveCount(0);
  await expect(page.getByTestId('attribution')).toBeVisible();
  // Locked: the national total cannot be changed, and no link leads elsewhere in the frame.
  await expect(page.getByTestId('area-total')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'See this area in OneBudget (opens in a new tab)' }))
    .toHaveAttribute('href', /\?area=QHM&year=2025-26$/);
  await expectNoViolations(page, 'an embed on an area');
});

for (const [what, handler] of [
  ['fails to download', (route) => route.abort()],
  ['is tampered with', (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from('OBAREAS\0 not the published file') })],
]) {
  // base.test: the browser logs the refused fetch as an error, which is the point here.
  base.test(`a year's data that ${what} shows a message, and Try again recovers`, async ({ page }) => {
    await page.route(ASSET, handler);
    await page.goto('/?area=A81001');
    const failed = page.getByTestId('area-failed');
    await base.expect(failed).toContainText('could not be downloaded');
    await base.expect(page.getByTestId('attribution')).toBeVisible();
    await page.unroute(ASSET);
    await failed.getByRole('button', { name: 'Try again' }).click();
    await base.expect(page.getByTestId('area-name')).toHaveText('THE DENSHAM SURGERY');
    await base.expect(failed).toHaveCount(0);
  });
}

test('keyboard only: find, choose and read an area', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('budget')).toHaveText(/£/);
  // Tab to "Find your area" in the masthead and press it.
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    if (await page.getByTestId('find-area-tab').evaluate((el) => el === document.activeElement)) break;
  }
  await expect(page.getByTestId('find-area-tab')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('area-search')).toBeVisible();
  for (let i = 0; i < 10; i++) {
    if (await page.getByTestId('area-search').evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press('Tab');
  }
  await expect(page.getByTestId('area-search')).toBeFocused();
  await page.keyboard.type('stockton');
  await expect(page.getByTestId('area-status')).toContainText('found');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('.finder-result').first()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('area-name')).toBeFocused();
  await expect(page.getByTestId('area-name')).toHaveText('Stockton-on-Tees');
  // Enter in the field opens the best match.
  await page.getByTestId('area-search').focus();
  await page.keyboard.type('TS18 1HU');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('area-name')).toHaveText('THE DENSHAM SURGERY');
});

test('200 % text at 320 px: no sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto('/?area=A81001');
  await expect(page.getByTestId('area-name')).toHaveText('THE DENSHAM SURGERY');
  await page.evaluate(() => document.documentElement.style.setProperty('font-size', '200%'));
  await expectNoSidewaysScroll(page);
  await shot(page, 'area-practice-320-200pc');
  await page.getByTestId('area-search').fill('north');
  await expect(page.getByTestId('area-status')).toContainText('found');
  await expectNoSidewaysScroll(page);
});

test('changing the national total changes the fair share', async ({ page }) => {
  await page.goto('/?area=QHM');
  await expect(page.getByTestId('area-fair').locator('.lede')).toContainText('£107.6bn');
  const before = await page.getByTestId('area-fair-share').textContent();
  await page.getByTestId('area-total').fill('215.2bn');
  await page.getByTestId('area-total').press('Tab');
  await expect(page.getByTestId('area-fair').locator('.lede')).toContainText('£215.2bn');
  const after = await page.getByTestId('area-fair-share').textContent();
  // What cannot be read is said, and the figures stay as they were.
  await page.getByTestId('area-total').fill('lots');
  await page.getByTestId('area-total').press('Enter');
  await expect(page.getByTestId('area-total-error')).toContainText('“lots” is not an amount');
  await expect(page.getByTestId('area-fair-share')).toHaveText(after);
  const pounds = (t) => Number(t.replace(/[£,]/g, ''));
  // Twice the total, twice the share (to the pound).
  expect(Math.abs(pounds(after) - 2 * pounds(before))).toBeLessThanOrEqual(1);
});

for (const width of [360, 1280]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });
    test('the area views have no accessibility violations', async ({ page }) => {
      await page.goto('/');
      await page.getByTestId('find-area').click();
      await page.getByTestId('area-search').fill('leeds');
      await expect(page.getByTestId('area-status')).toContainText('found');
      await expectNoViolations(page, 'the finder with results');
      await page.goto('/?area=A81001');
      await expect(page.getByTestId('area-name')).toHaveText('THE DENSHAM SURGERY');
      await page.goto('/?area=QHM');
      await expect(page.getByTestId('area-rank')).toBeVisible();
      for (const summary of await page.locator('details > summary').all()) await summary.click();
      await expectNoViolations(page, 'an ICB with its workings and table open');
      if (width === 1280) await shot(page, 'area-icb-1280');
      if (SHOTS) await page.locator('#chart-area-rank').screenshot({ path: `${SHOTS}/area-rank-chart-${width}.png` });
    });
  });
}
