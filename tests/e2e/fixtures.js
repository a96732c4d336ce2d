// A `test` whose every page fails the test if it logs an error, throws, or
// requests anything that is not on this machine: OneBudget sends nothing anywhere.
const base = require('@playwright/test');

const LOCAL = /^(https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/|data:|blob:|about:|file:)/;

const test = base.test.extend({
  page: async ({ page }, use) => {
    const problems = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
    });
    page.on('request', (req) => {
      if (!LOCAL.test(req.url())) problems.push(`non-local request: ${req.url()}`);
    });
    await use(page);
    base.expect(problems, 'the page logged errors or reached off this machine').toEqual([]);
  },
});

module.exports = { test, expect: base.expect, LOCAL };
