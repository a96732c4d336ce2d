// axe-core must find no WCAG 2.2 A/AA violation on any view, at phone and desktop widths.
const AxeBuilder = require('@axe-core/playwright').default;
const { test, expect } = require('./fixtures');
const { openEditView, openSummary } = require('./helpers');

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function expectNoViolations(page, where) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect(found, `axe violations on ${where}`).toEqual([]);
}

for (const width of [360, 1280]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('the public view has no accessibility violations', async ({ page }) => {
      await page.goto('/');
      await expect(page.getByTestId('budget')).toHaveText(/£/);
      // Open every "How this was worked out" so its contents are checked too.
      for (const summary of await page.locator('details > summary').all()) await summary.click();
      await expectNoViolations(page, 'the public view');
    });

    test('the edit view has no accessibility violations, with an error showing', async ({ page }) => {
      await page.goto('/');
      await openEditView(page);
      await expectNoViolations(page, 'the edit view');
      // A field with a problem (the error summary and the inline message) must pass too.
      const name = page.locator('#field-name');
      await name.fill('');
      await expect(page.getByText('There is a problem')).toBeVisible();
      await expectNoViolations(page, 'the edit view with an error');
    });

    test('the glossary has no accessibility violations', async ({ page }) => {
      await page.goto('/');
      await openSummary(page);
      await page.getByRole('button', { name: 'Glossary', exact: true }).click();
      await expect(page.getByRole('region', { name: 'Glossary' })).toBeVisible();
      await expectNoViolations(page, 'the glossary');
    });
  });
}
