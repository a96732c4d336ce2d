// Shared steps for the end-to-end tests.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { expect } = require('./fixtures');

const EXAMPLES = path.join(__dirname, '../../crates/engine/src/examples');

/** A built-in scenario's JSON, parsed. */
function example(file) {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
}

/** Write text to a fresh temporary file and return its path. */
function tempFile(name, text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onebudget-e2e-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

async function openEditView(page) {
  await page.getByRole('button', { name: 'Edit inputs' }).click();
}

async function openSummary(page) {
  await page.getByRole('button', { name: 'Summary' }).click();
}

/** Open a scenario file through the edit view's "Open scenario" control. */
async function openScenarioFile(page, file) {
  await openEditView(page);
  await page.getByTestId('open-scenario').setInputFiles(file);
}

/** The scenario name the public view shows. */
/** Open a valid scenario file and wait until it has replaced the work. */
async function loadScenarioFile(page, file, name) {
  await openScenarioFile(page, file);
  await expect(page.getByTestId('notice')).toContainText(`Opened “${name}”`);
}

async function shownScenarioName(page) {
  await openSummary(page);
  return (await page.getByTestId('scenario-name').textContent()).trim();
}

async function expectShownScenario(page, name) {
  await openSummary(page);
  await expect(page.getByTestId('scenario-name')).toHaveText(name);
}

module.exports = { example, tempFile, openEditView, openSummary, openScenarioFile, loadScenarioFile, shownScenarioName, expectShownScenario };
