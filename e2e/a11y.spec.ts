// Accessibility, measured (issue 8): axe-core on every view the app has, in both colour schemes,
// and the keyboard paths a mouse user takes for granted.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { Lab } from './lab.ts';

/** Serious and critical axe violations on the page as it is now, one line each (empty: none). */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.length}× ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')} — ${v.nodes[0]?.failureSummary?.split('\n').slice(0, 2).join(' ') ?? ''}`);
}

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
