// Accessibility, measured (issue 8): axe-core on every view the app has, in both colour schemes,
// and the keyboard paths a mouse user takes for granted.
import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';
import { seriousViolations } from './axe.ts';

// axe reads the whole page (the compare dialog holds two stages and two logs): on a busy 2-core
// machine one analysis took most of the default 30 s.
test.setTimeout(90_000);

for (const scheme of ['dark', 'light'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.beforeEach(async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
    });

    test(`a11y: 0 serious axe violations on the main view, ${scheme}`, async ({ page }) => {
      const lab = new Lab(page);
      await lab.open('race', { speed: '0.001' });
      await lab.runToEnd();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test(`a11y: 0 serious axe violations with the inspector and the Why? panel open, ${scheme}`, async ({ page }) => {
      const lab = new Lab(page);
      await lab.open('race', { speed: '0.001' });
      await lab.runToEnd();
      await lab.connection('B1').click();
      await expect(page.getByTestId('inspector-title')).toHaveText('Connection B1');
      expect(await seriousViolations(page)).toEqual([]);
      await lab.filterLog({ chip: 'sends', status: 'STATUS_DEVICE_NOT_READY' });
      await lab.logRows.filter({ hasText: 'lost' }).first().click();
      await expect(page.getByTestId('why')).toContainText('lost the race');
      expect(await seriousViolations(page)).toEqual([]);
    });

    test(`a11y: 0 serious axe violations in projector mode at 1920×1080, turned on from the keyboard, ${scheme}`, async ({ page }) => {
      await page.setViewportSize({ width: 1920, height: 1080 });
      const lab = new Lab(page);
      await lab.open('cascade', { speed: '0.001' });
      // #8: the toggle is a keyboard button whose pressed state says the mode.
      const toggle = page.getByRole('button', { name: 'Projector mode' });
      await expect(toggle).toHaveAttribute('aria-pressed', 'false');
      await toggle.focus();
      await page.keyboard.press('Enter');
      await expect(toggle).toHaveAttribute('aria-pressed', 'true');
      await expect(lab.stack.locator('svg.stack')).toHaveAttribute('data-text-scale', /^(1\.[6-9]|2)/);
      await lab.runToEnd();
      await lab.connection('A1').click();
      await expect(page.getByTestId('inspector-title')).toHaveText('Connection A1');
      expect(await seriousViolations(page)).toEqual([]);
    });

    test(`a11y: 0 serious axe violations in the help and compare dialogs, ${scheme}`, async ({ page }) => {
      const lab = new Lab(page);
      await lab.open('herd', { speed: '0.001' });
      await page.keyboard.press('?');
      await expect(page.getByRole('dialog', { name: 'Help' })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await lab.button('Compare…').click();
      const dialog = page.getByRole('dialog', { name: 'Compare two policies' });
      await dialog.getByRole('button', { name: 'Both to end' }).click();
      await expect(dialog.getByTestId('diff-table').locator('tr[data-row="lost races"] td').nth(1)).not.toHaveText('–');
      expect(await seriousViolations(page)).toEqual([]);
    });

    test(`a11y: 0 serious axe violations on the dense grid of stress, ${scheme}`, async ({ page }) => {
      const lab = new Lab(page);
      await lab.open('stress', { speed: '10' });
      await expect(lab.stack.locator('canvas.dense-grid')).toHaveAttribute('data-connections', '2048');
      expect(await seriousViolations(page)).toEqual([]);
    });

    test(`a11y: 0 serious axe violations on the bug-check screen of irql, ${scheme}`, async ({ page }) => {
      const lab = new Lab(page);
      await lab.open('irql', { speed: '0.01' });
      await lab.button('Run to end').click();
      await expect(page.getByTestId('bugcheck')).toContainText('STOP: 0x0000000A');
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
}

test('a11y: Enter on a focused Step button steps one event; Space there plays (issue 16: Space plays unless a text field, a menu or a dialog has the focus)', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('basics', { speed: '0.001' });
  const before = await lab.events();
  await lab.button('Step one record').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => lab.events()).toBeGreaterThan(before);
  await expect(lab.button('Play')).toBeVisible(); // still paused
  await page.keyboard.press(' ');
  await expect(lab.button('Pause')).toBeVisible();
});

test('a11y: the on-screen Back button steps back one event', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('basics', { speed: '0.001' });
  await lab.stepOnce();
  await lab.stepOnce();
  const after = await lab.events();
  await lab.button('Step back one record').click();
  await expect.poll(() => lab.events()).toBeLessThan(after);
});

test('a11y: stage entities are keyboard buttons: a connection, a client and the pool select with Enter', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  const conn = lab.connection('B1');
  await expect(conn).toHaveAttribute('role', 'button');
  // WCAG 2.5.3 (#17): the name starts with what the stage shows ("B1", a ⚑ count), then says what it is.
  await expect(conn).toHaveAttribute('aria-label', /^B1\b.*: Connection B1 of client B/);
  await expect(lab.stack.locator('g.pool[data-transport-id="tcp"]')).toHaveAttribute('aria-label', /^tcp send pool .*: send pool of transport tcp: inspect it, or fail it$/);
  await conn.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inspector-title')).toHaveText('Connection B1');
  await lab.stack.locator('g.client[data-client-id="A"]').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inspector-title')).toHaveText('Client A');
  await lab.stack.locator('g.pool[data-transport-id="tcp"]').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inspector-title')).toHaveText('Transport tcp');
  await expect(page.getByRole('dialog', { name: 'Fail tcp' })).toBeVisible(); // as a click does
  await page.keyboard.press('Escape');
});

test('a11y: from the keyboard a log row opens Why?', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.runToEnd();
  await lab.filterLog({ chip: 'sends', status: 'STATUS_DEVICE_NOT_READY' });
  await lab.logList.focus();
  await page.keyboard.press('Home');
  await expect(lab.logRows.first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(lab.logRows.nth(1)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('why')).toContainText('refused');
  // Another row that cannot say why closes it (it went on explaining the last one); Esc closes it too.
  const status = page.getByLabel('Filter by status');
  await status.selectOption('');
  await lab.filterLog({ chip: 'sends' }); // off
  await lab.filterLog({ chip: 'callbacks' }); // on: a SendPossible call has no why
  await lab.logList.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('why')).toBeHidden();
  await lab.filterLog({ chip: 'callbacks' }); // off
  await lab.filterLog({ chip: 'sends', status: 'STATUS_DEVICE_NOT_READY' });
  await lab.logList.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('why')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('why')).toBeHidden();
});

test('a11y: a chart is a slider: Home then Enter travels to the start', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.runToEnd();
  const chart = page.getByRole('slider', { name: /^Per ms: refusals/ });
  await chart.focus();
  await page.keyboard.press('End');
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sim-time')).toHaveText(/^0 µs \//);
});

test('a11y: the help dialog takes the focus, Esc closes it and the focus goes back to the stage (issue 16: then Space plays)', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('basics', { speed: '0.001' });
  const help = lab.button('Help');
  await help.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Help' });
  await expect(dialog.getByRole('button', { name: 'Close help' })).toBeFocused();
  await page.keyboard.press('Tab'); // stays inside: it is the dialog's only control
  await expect(dialog.getByRole('button', { name: 'Close help' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('stack')).toBeFocused();
});

test('a11y: with prefers-reduced-motion the effects appear in place, nothing flies', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  const refused = lab.stack.locator('.fx-label', { hasText: 'DEVICE_NOT_READY' });
  for (let i = 0; i < 80 && (await refused.count()) === 0; i++) await lab.stepOnce();
  await expect(refused.first()).toBeAttached();
  await expect(lab.stack.locator('g.fx')).toHaveAttribute('data-motion', 'reduced');
  // No packet flies to the pool; the refusal shows as a state (the label, the connection's colour).
  await expect(lab.stack.locator('g.fx rect.packet')).toHaveCount(0);
  await expect(lab.stack.locator('g.conn[data-state="refused"]')).toHaveCount(1);
  await expect(refused.first()).not.toHaveAttribute('style', /opacity/);
});

test('a11y: the dense grid of stress is reachable by keyboard: arrows move a cell cursor, Enter selects it', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('stress', { speed: '10' });
  const grid = lab.stack.locator('canvas.dense-grid');
  await grid.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const id = await grid.getAttribute('data-cursor');
  expect(id).toBeTruthy();
  await expect(grid).toHaveAttribute('aria-label', new RegExp(`On ${id} of `));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inspector-title')).toHaveText(`Connection ${id}`);
});
