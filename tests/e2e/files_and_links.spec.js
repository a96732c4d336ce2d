// Files in and out, links, and reloads: work is never lost or replaced by a bad input.
const fs = require('fs');
const { test, expect } = require('./fixtures');
const { example, tempFile, openEditView, openScenarioFile, loadScenarioFile, expectShownScenario } = require('./helpers');

const anytown = example('anytown.json');
const cquin = example('cquin.json');

test('a good scenario file replaces the work; undo brings the work back', async ({ page }) => {
  await page.goto('/');
  await loadScenarioFile(page, tempFile('cquin.json', JSON.stringify(cquin)), cquin.name);
  await expect(page.getByTestId('notice')).toContainText(`Opened “${cquin.name}”`);
  await expectShownScenario(page, cquin.name);
  await openEditView(page);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expectShownScenario(page, anytown.name);
});

test('a scenario file with mistakes opens as written, every problem named beside its field, and the figures stay', async ({ page }) => {
  await page.goto('/');
  const bad = structuredClone(cquin);
  bad.places[0].population[0].growth = 5;
  bad.budget.years = 0;
  // A type error too (a count of people below zero): named beside its field like the rest.
  bad.places[0].population[1].people = -500;
  await openScenarioFile(page, tempFile('bad.json', JSON.stringify(bad)));
  const notice = page.getByTestId('notice');
  await expect(notice).toHaveAttribute('role', 'alert');
  await expect(notice).toContainText('Opened bad.json as it is written, but 3 inputs need fixing');
  await expect(notice).toContainText('places[0].population[0].growth');
  await expect(notice).toContainText('budget.years');
  await expect(notice).toContainText('places[0].population[1].people');
  await expect(notice).not.toContainText('u64');
  for (const id of ['places-0-population-0-growth', 'budget-years', 'places-0-population-1-people']) {
    await expect(page.locator(`#field-${id}`)).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(page.locator('#field-places-0-population-1-people')).toHaveValue('-500');
  await expect(page.locator('#field-budget-years-error')).toContainText('must be a whole number from 1 to 10');
  // The figures are still the previous work's; Undo brings that work back.
  await expectShownScenario(page, anytown.name);
  await openEditView(page);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.locator('#field-name')).toHaveValue(anytown.name);

  await openScenarioFile(page, tempFile('broken.json', '{"schema_version": 2, "name": '));
  await expect(page.getByTestId('notice')).toContainText('not valid JSON');
  await openScenarioFile(page, tempFile('future.json', JSON.stringify({ ...cquin, schema_version: 99 })));
  await expect(page.getByTestId('notice')).toContainText('newer OneBudget');
  // A file saved as Latin-1 (£ and é as single bytes) is refused in the command line's words,
  // never opened with those characters turned into U+FFFD.
  const latin1 = Buffer.from(JSON.stringify({ ...cquin, name: 'Caf\u00e9 \u00a3100' }), 'latin1');
  await openScenarioFile(page, tempFile('latin1.json', latin1));
  await expect(page.getByTestId('notice')).toContainText('latin1.json is not UTF-8 text: save it as UTF-8');
  await expect(page.getByTestId('notice')).toContainText('Nothing has changed');
  await expectShownScenario(page, anytown.name);
  // Amounts too large to calculate: opened as written with the field to fix named, never
  // "Opened …" over the previous figures. (Written as text: JavaScript numbers round i64::MAX.)
  const huge = JSON.stringify(cquin).replace(/"rate_per_weighted_head":\d+/, '"rate_per_weighted_head":9223372036854775807');
  await openScenarioFile(page, tempFile('huge.json', huge));
  const hugeNotice = page.getByTestId('notice');
  await expect(hugeNotice).toHaveAttribute('role', 'alert');
  await expect(hugeNotice).toContainText('Opened huge.json as it is written, but 1 input needs fixing');
  await expect(hugeNotice).toContainText('budget.rate_per_weighted_head');
  await expect(hugeNotice).not.toContainText('Opened “');
  await expectShownScenario(page, anytown.name);
});

test('a saved scenario file opens again as the same scenario', async ({ page }) => {
  await page.goto('/');
  await loadScenarioFile(page, tempFile('cquin.json', JSON.stringify(cquin)), cquin.name);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save scenario (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.onebudget\.json$/);
  const saved = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(saved).toEqual(cquin);
  // Back to the default, then reopen the saved file.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expectShownScenario(page, anytown.name);
  await loadScenarioFile(page, await download.path(), cquin.name);
  await expectShownScenario(page, cquin.name);
});

test('results download as CSV with a UTF-8 BOM, one row per figure, money in pence', async ({ page }) => {
  await page.goto('/');
  await openEditView(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download results (CSV)' }).click(),
  ]);
  const bytes = fs.readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString('utf8').slice(1).trim().split('\n');
  expect(lines[0]).toBe('table,item,year,measure,value,unit');
  const budget = lines.find((l) => l.startsWith('total,all places,2025/26,budget,'));
  expect(budget).toBeTruthy();
  // The CSV's first-year budget, in pence, is the figure the page shows in pounds.
  const pence = Number(budget.split(',')[4]);
  await page.getByRole('button', { name: 'Summary' }).click();
  const shown = (await page.getByTestId('budget').textContent()).replace(/[£,]/g, '');
  expect(Math.round(pence / 100)).toBe(Number(shown));
});

test('a shared link reproduces the scenario in a fresh browser', async ({ page, browser, baseURL }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await page.goto('/');
  await loadScenarioFile(page, tempFile('cquin.json', JSON.stringify(cquin)), cquin.name);
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('notice')).toContainText('Link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#s2\.[A-Za-z0-9_-]+$/);
  expect(link.length).toBeLessThan(8000);
  await page.getByRole('button', { name: 'Summary' }).click();
  const budget = await page.getByTestId('budget').textContent();

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('scenario-name')).toHaveText(cquin.name);
  await expect(other.getByTestId('budget')).toHaveText(budget);
  // The link is taken out of the address bar, so a reload keeps later edits.
  expect(other.url()).not.toContain('#');
  await fresh.close();
});

test('a damaged, oversized or future link is refused and the work is unchanged', async ({ page }) => {
  await page.goto('/');
  await loadScenarioFile(page, tempFile('cquin.json', JSON.stringify(cquin)), cquin.name);
  const cases = [
    ['#s2.eyJzY2hlbWFfdmVyc2lvbi', 'damaged'],
    ['#s9.eyJ9', 'newer OneBudget'],
    ['#s2.' + 'A'.repeat(70000), 'too long'],
  ];
  for (const [hash, message] of cases) {
    // A fresh load: changing only the fragment would not reload the page.
    await page.goto('about:blank');
    await page.goto('/' + hash);
    const notice = page.getByTestId('notice');
    await expect(notice).toContainText('could not be opened');
    await expect(notice).toContainText(message);
    await expect(page.getByTestId('scenario-name')).toHaveText(cquin.name);
  }
});

test('a reload keeps the work', async ({ page }) => {
  await page.goto('/');
  await loadScenarioFile(page, tempFile('cquin.json', JSON.stringify(cquin)), cquin.name);
  await expectShownScenario(page, cquin.name);
  await page.reload();
  await expect(page.getByTestId('scenario-name')).toHaveText(cquin.name);
});

test('the glossary opens, explains every term and closes', async ({ page }) => {
  await page.goto('/');
  const toggle = page.getByRole('button', { name: 'Glossary', exact: true });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const glossary = page.getByRole('region', { name: 'Glossary' });
  for (const term of ['Capitation', 'Weighted population', 'Distance from target', 'Pace of change', 'At risk', 'Corridor', 'Pooling (risk pooling)', 'Lead commissioner']) {
    await expect(glossary.getByText(term, { exact: true })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Close glossary' }).click();
  await expect(glossary).toHaveCount(0);
});

test('a population CSV replaces a place’s population and reports rows it could not use', async ({ page }) => {
  await page.goto('/');
  await openEditView(page);
  const people0 = page.locator('#field-places-0-population-0-people');
  const csv = [
    '\ufeffage_band,people,growth',
    '0-4,7000,-0.5%',
    '5-14,12000,0',
    '15-44,41000,0.2%',
    '45-64,27000,0.4%',
    '65-74,9500,1.2%',
    '75-84,6500,2.5%',
    '85+,2500,3%',
    'All ages,105500,',
    'oops,-3,',
  ].join('\r\n');
  await page.getByTestId('import-population').setInputFiles(tempFile('population.csv', csv));
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('Imported the population of Anytown');
  await expect(notice).toContainText('line 10');
  await expect(people0).toHaveValue(/^7,?000$/);

  // A file with no people column is refused and changes nothing.
  await page.getByTestId('import-population').setInputFiles(tempFile('bad.csv', 'age_band,colour\n0-4,blue\n'));
  await expect(page.getByTestId('notice')).toContainText('could not be used');
  await expect(people0).toHaveValue(/^7,?000$/);
  // Undo puts the previous population back.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(people0).toHaveValue(/^6,?000$/);
});
