// Presentation mode: stepping with the keys a clicker sends and the on-screen buttons, a
// link for each step, leaving with Escape (or by leaving full screen), and no
// accessibility violations on a projector or a phone.
const AxeBuilder = require('@axe-core/playwright').default;
const { test, expect } = require('./fixtures');
const { example, tempFile, loadScenarioFile } = require('./helpers');

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The steps a scenario should have, in order (src/ui/presentation/steps.rs). */
function expectedSteps(s) {
  return [
    ['summary', 'In brief'],
    ['budget', 'The budget over the years'],
    ...(s.budget.service_lines && s.budget.service_lines.length ? [['service-lines', 'Where the money goes']] : []),
    ...(s.fair_shares ? [['fair-shares', 'Fair shares']] : []),
    ...(s.pooled_budget ? [['pooled-budget', 'The pooled budget']] : []),
    ...(s.outcome_contract ? [['outcomes', 'Paying for outcomes']] : []),
    ...(s.risk_share ? [['risk-share', 'Sharing an overspend or underspend']] : []),
    ...(s.pool ? [['risk-pooling', 'Pooling risk']] : []),
    ['comparison', 'Comparing the options'],
  ];
}

async function expectAt(page, steps, index) {
  const [id, title] = steps[index];
  await expect(page.getByTestId('present-position')).toHaveText(`${index + 1} of ${steps.length} — ${title}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  expect(new URL(page.url()).searchParams.get('present')).toBe(id);
}

test.describe('on a projector', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('steps forward and back with the keys and buttons, and Escape leaves', async ({ page }) => {
    const steps = expectedSteps(example('anytown.json'));
    await page.goto('/');
    await page.getByTestId('present').click();
    await expect(page.getByTestId('presentation')).toBeVisible();
    await expect(page.locator('.masthead')).toHaveCount(0);
    await expectAt(page, steps, 0);
    // Large type in near-black on white, readable from the back of a room.
    const look = await page.getByTestId('presentation').evaluate((el) => {
      const style = getComputedStyle(el);
      return { size: parseFloat(style.fontSize), color: style.color, background: style.backgroundColor };
    });
    expect(look.size).toBeGreaterThanOrEqual(28);
    expect(look).toMatchObject({ color: 'rgb(11, 12, 12)', background: 'rgb(255, 255, 255)' });
    // A clicker sends Page Down / Page Up; keyboards use arrows and space.
    const moves = [
      ['ArrowRight', 1], ['PageDown', 2], ['Space', 3], ['ArrowDown', 4],
      ['ArrowLeft', 3], ['PageUp', 2], ['Shift+Space', 1], ['ArrowUp', 0],
      ['End', steps.length - 1], ['Home', 0],
    ];
    for (const [key, at] of moves) {
      await page.keyboard.press(key);
      await expectAt(page, steps, at);
    }
    // Nothing before the first step or after the last.
    await page.keyboard.press('ArrowLeft');
    await expectAt(page, steps, 0);
    await expect(page.getByRole('button', { name: 'Previous' })).toBeDisabled();
    await page.getByRole('button', { name: 'Next' }).click();
    await expectAt(page, steps, 1);
    await page.getByRole('button', { name: 'Previous' }).click();
    await expectAt(page, steps, 0);
    await page.keyboard.press('End');
    await page.keyboard.press('PageDown');
    await expectAt(page, steps, steps.length - 1);
    await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
    // Each step shows its own chart, drawn at the stage's width.
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('#chart-budget-years svg[role=img]')).toBeVisible();

    await page.keyboard.press('Escape');
    await expect(page.getByTestId('presentation')).toHaveCount(0);
    await expect(page.getByTestId('scenario-name')).toHaveText(example('anytown.json').name);
    expect(new URL(page.url()).searchParams.has('present')).toBe(false);
    expect(await page.evaluate(() => document.fullscreenElement)).toBeNull();
  });

  test('a step’s link opens presentation mode at that step', async ({ page }) => {
    const steps = expectedSteps(example('anytown.json'));
    const at = steps.findIndex(([id]) => id === 'risk-share');
    await page.goto('/?present=risk-share');
    await expectAt(page, steps, at);
    await expect(page.locator('#chart-risk-share svg[role=img]')).toBeVisible();
    // A browser only goes full screen on a click: the link offers the button for it.
    if (await page.evaluate(() => document.fullscreenEnabled)) {
      await expect(page.getByRole('button', { name: 'Full screen' })).toBeVisible();
    }
    await page.keyboard.press('ArrowLeft');
    await expectAt(page, steps, at - 1);
    // An unknown step starts at the beginning rather than failing.
    await page.goto('/?present=no-such-step');
    await expectAt(page, steps, 0);
  });

  test('a step link with a scenario link opens that scenario at that step', async ({ page }) => {
    const scenario = example('healthier_together.json');
    const steps = expectedSteps(scenario);
    const at = steps.findIndex(([id]) => id === 'fair-shares');
    const fragment = 's2.' + Buffer.from(JSON.stringify(scenario)).toString('base64url');
    await page.goto(`/?present=fair-shares#${fragment}`);
    await expectAt(page, steps, at);
    await expect(page.getByTestId('presentation')).toContainText(scenario.name);
    await expect(page.locator('#chart-fair-shares svg[role=img]')).toBeVisible();
    // The scenario link is taken out of the address; the step stays.
    expect(page.url()).not.toContain('#');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('scenario-name')).toHaveText(scenario.name);
  });

  test('leaving full screen leaves presentation mode', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('present').click();
    await expect(page.getByTestId('presentation')).toBeVisible();
    // Headless Chromium grants full screen to a click; the browser's own Escape leaves it.
    await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
    await page.evaluate(() => document.exitFullscreen());
    await expect(page.getByTestId('presentation')).toHaveCount(0);
    await expect(page.getByTestId('scenario-name')).toBeVisible();
  });

  test('a scenario with fair shares and risk pooling presents those steps', async ({ page }) => {
    const scenario = example('healthier_together.json');
    const steps = expectedSteps(scenario);
    await page.goto('/');
    await loadScenarioFile(page, tempFile('ht.json', JSON.stringify(scenario)), scenario.name);
    await page.getByTestId('present').click();
    expect(steps.map(([id]) => id)).toEqual(expect.arrayContaining(['fair-shares', 'risk-pooling']));
    for (const [index, [id]] of steps.entries()) {
      if (index > 0) await page.keyboard.press('ArrowRight');
      // The comparison step computes a tornado first, so wait for the address to follow.
      await expect.poll(() => new URL(page.url()).searchParams.get('present')).toBe(id);
      // A long step scrolls inside its stage; the page itself never scrolls the bars away.
      expect(await page.evaluate(() => document.documentElement.scrollHeight - innerHeight), `step ${id}`).toBeLessThanOrEqual(0);
      if (id === 'risk-pooling') {
        // The Summary's risk-by-population chart beside a table with one row per member,
        // each with a chance alone and in the pool; on a 16:9 projector, without scrolling.
        await expect(page.locator('#chart-pooling-population svg[role=img]')).toBeVisible();
        const rows = page.locator('.step-table tbody tr');
        await expect(rows).toHaveCount(scenario.pool.members.length);
        for (const [i, member] of scenario.pool.members.entries()) {
          await expect(rows.nth(i)).toBeVisible();
          await expect(rows.nth(i).locator('th')).toHaveText(member.name);
          await expect(rows.nth(i).locator('td')).toHaveText([/^\d+\.\d %$/, /^\d+\.\d %$/]);
        }
        const stage = await page.locator('.present-stage').evaluate((el) => [el.scrollHeight, el.clientHeight]);
        expect(stage[0], 'the pooling step fits the stage').toBeLessThanOrEqual(stage[1]);
      }
    }
    await expectAt(page, steps, steps.length - 1);
  });
});

for (const [width, height] of [[1280, 720], [360, 740]]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height } });

    test('presentation mode has no accessibility violations', async ({ page }) => {
      const scenario = example('healthier_together.json');
      await page.goto('/');
      await loadScenarioFile(page, tempFile('ht.json', JSON.stringify(scenario)), scenario.name);
      await page.getByTestId('present').click();
      for (const [id, title] of expectedSteps(scenario)) {
        await page.goto(`/?present=${id}`);
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
        for (const summary of await page.locator('details > summary').all()) await summary.click();
        const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
        const found = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
        expect(found, `axe violations on step ${id}`).toEqual([]);
      }
    });

    test('the board pack view has no accessibility violations', async ({ page }) => {
      await page.goto('/');
      await page.getByRole('button', { name: 'Board pack' }).click();
      await expect(page.getByTestId('board-pack')).toBeVisible();
      const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    });
  });
}
