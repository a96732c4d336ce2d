// The board pack in print: A4 pages, the cover and each section on its own page, the
// charts' data tables printed open, the inputs as an appendix, and a footer with the
// scenario's name, the date and the page number on every page. Needs poppler's
// pdftotext (scripts/setup.sh installs poppler-utils) to read each page's text; the
// pages are also attached to the test's results as PNGs (pdftoppm), to look at.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test, expect } = require('./fixtures');
const { example, tempFile, loadScenarioFile } = require('./helpers');

/** Pages in a PDF: its page objects (`/Type /Page`, not `/Pages`). */
function pageCount(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

function pageText(file, n) {
  return execFileSync('pdftotext', ['-layout', '-f', String(n), '-l', String(n), file, '-'], { encoding: 'utf8' });
}

async function printPack(page, testInfo, name) {
  await page.getByRole('button', { name: 'Board pack' }).click();
  await expect(page.getByTestId('board-pack')).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  // What prints: every section heading, in order, and no buttons.
  const headings = await page.locator('.pack-section').evaluateAll((sections) =>
    sections.map((s) => s.querySelector('h1, h2').textContent.trim()));
  await expect(page.getByRole('button', { name: 'Print board pack' })).toBeHidden();
  await expect(page.locator('.masthead')).toBeHidden();
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onebudget-print-'));
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-r', '60', '-png', file, path.join(dir, 'page')]);
  for (const png of fs.readdirSync(dir).filter((f) => f.endsWith('.png')).sort()) {
    await testInfo.attach(`${name}-${png}`, { path: path.join(dir, png), contentType: 'image/png' });
  }
  return { pdf, file, headings };
}

async function expectPack(page, testInfo, scenario, name) {
  const { pdf, file, headings } = await printPack(page, testInfo, name);
  const pages = pageCount(pdf);
  const date = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
  // A4 portrait: 595 × 842 points.
  expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+59[45]\.\d* x 84[12]\.\d* pts \(A4\)/);

  // The cover, then each section from the top of a new page, in order. A section may run
  // on (the comparison's tornado and its table, the appendix): a page that does not start
  // the next section starts with no section heading at all.
  expect(headings[0]).toBe(scenario.name);
  expect(headings[headings.length - 1]).toMatch(/^Appendix/);
  expect(pages).toBeGreaterThanOrEqual(headings.length);
  let section = 0;
  for (let n = 1; n <= pages; n++) {
    const text = pageText(file, n);
    const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
    const top = n === 1 ? lines[1] : lines[0];
    if (n === 1) {
      expect(top, 'the cover starts page 1').toBe(headings[0]);
    } else if (top === headings[section + 1]) {
      section += 1;
    } else {
      expect(headings, `page ${n} continues “${headings[section]}”`).not.toContain(top);
    }
    // The footer: the scenario's name, the date, and the page number.
    expect(text).toContain(`${scenario.name} — ${date}`);
    expect(text).toMatch(new RegExp(`Page ${n} of ${pages}`));
  }
  expect(section, 'every section started a page of its own').toBe(headings.length - 1);
  // Charts are printed with their data tables; the inputs with the scenario's figures.
  const all = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  // (A chart's table caption is only shown when its "Data table" is open.)
  expect(all).toContain('Budget each year');
  expect(all).not.toContain('Print board pack');
  expect(all).not.toContain('How this was worked out');
  for (const place of scenario.places) expect(all).toContain(place.name);
  return { pages, headings };
}

test('the default scenario’s board pack prints a page per section, tables and appendix included', async ({ page }, testInfo) => {
  const scenario = example('anytown.json');
  await page.goto('/');
  const { headings } = await expectPack(page, testInfo, scenario, 'anytown');
  // Anytown has service lines, an outcome contract and a risk share, and no fair shares.
  expect(headings).toEqual(expect.arrayContaining(['Where the money goes', 'Paying for outcomes', 'Sharing an overspend or underspend']));
  expect(headings).not.toContain('Fair shares');
});

test('a five-place scenario’s board pack has its fair shares and pooling pages', async ({ page }, testInfo) => {
  const scenario = example('healthier_together.json');
  await page.goto('/');
  await loadScenarioFile(page, tempFile('ht.json', JSON.stringify(scenario)), scenario.name);
  const { headings } = await expectPack(page, testInfo, scenario, 'healthier-together');
  expect(headings).toEqual(expect.arrayContaining(['Fair shares', 'Pooling risk']));
});

test('“Print board pack” opens the browser’s print dialogue on the pack', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Board pack' }).click();
  await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed += 1; }; });
  await page.getByRole('button', { name: 'Print board pack' }).click();
  expect(await page.evaluate(() => window.printed)).toBe(1);
  // The page footer rule is adopted by the document while the pack is shown, and gone after.
  const footerRules = () => page.evaluate(() => document.adoptedStyleSheets
    .flatMap((sheet) => [...sheet.cssRules].map((r) => r.cssText))
    .filter((text) => text.includes('@page') && text.includes('counter(pages)')));
  await expect.poll(footerRules).toHaveLength(1);
  expect((await footerRules())[0]).toContain(example('anytown.json').name);
  await page.getByRole('button', { name: 'Summary' }).click();
  await expect.poll(footerRules).toHaveLength(0);
});
