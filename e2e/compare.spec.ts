import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';

test('compare notify: all with notify: oldest on herd and read the difference table', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('herd', { speed: '0.001' });
  await lab.button('Compare…').click();
  const dialog = page.getByRole('dialog', { name: 'Compare two policies' });
  await dialog.getByLabel('A notify').selectOption('all');
  await dialog.getByLabel('B notify').selectOption('oldest');
  await dialog.getByRole('button', { name: 'Run A and B' }).click();
  await expect(dialog.getByTestId('compare-A').locator('svg.stack')).toBeVisible();
  await expect(dialog.getByTestId('compare-B').locator('svg.stack')).toBeVisible();
  await dialog.getByRole('button', { name: 'Both to end' }).click();
  const table = dialog.getByTestId('diff-table');
  const row = (name: string) => table.locator(`tr[data-row="${name}"] td`);
  await expect(row('SendPossible calls').nth(0)).not.toHaveText('–');
  await expect(row('SendPossible calls').nth(1)).not.toHaveText('–');
  // R22: only the oldest waiter is called, so B makes fewer calls and loses fewer races.
  await expect(row('SendPossible calls').nth(2)).toHaveText(/^-\d+/);
  await expect(row('SendPossible calls').nth(2)).toHaveClass('better');
  await expect(row('lost races').nth(2)).toHaveText(/^-\d+/);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('compare opens at the main view\'s moment: both runs are there and the table already counts them', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('herd', { speed: '0.001' });
  await lab.runToEnd();
  await lab.act('seek', 5000);
  await expect(page.getByTestId('sim-time')).toHaveText(/^5000 µs \//);
  await lab.button('Compare…').click();
  const dialog = page.getByRole('dialog', { name: 'Compare two policies' });
  await expect(dialog.getByText('t = 5000 µs')).toBeVisible();
  const row = (name: string) => dialog.getByTestId('diff-table').locator(`tr[data-row="${name}"] td`);
  await expect(row('SendPossible calls').nth(0)).not.toHaveText(/^(–|0)$/);
  // Run A and B applies the policies and plays on from that moment.
  await dialog.getByLabel('B notify').selectOption('oldest');
  await dialog.getByRole('button', { name: 'Run A and B' }).click();
  await expect.poll(async () => Number(((await dialog.locator('.compare-time span').textContent()) ?? '').replace(/[^\d]/g, ''))).toBeGreaterThan(5000);
});

test('R25 (issue 16): compare a policy applied to one client only; the other client keeps its own', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.button('Compare…').click();
  const dialog = page.getByRole('dialog', { name: 'Compare two policies' });
  await dialog.getByLabel('B notify').selectOption(''); // as is: only the resubmit policy differs
  await dialog.getByLabel('B resubmit from').selectOption('handler');
  await dialog.getByLabel('B which client').selectOption({ label: 'client B' });
  await expect(dialog.locator('figcaption', { hasText: /^B — / })).toHaveText('B — resubmit from handler (for client B)');
  await dialog.getByRole('button', { name: 'Run A and B' }).click();
  await dialog.getByRole('button', { name: 'Both to end' }).click();
  const row = (name: string) => dialog.getByTestId('diff-table').locator(`tr[data-row="${name}"] td`);
  await expect(row('lost races · client B').nth(0)).not.toHaveText('–');
  await expect(row('lost races · client B').nth(1)).not.toHaveText('–');
  // B resubmits at once inside the handler: its lost races change while A's policy stays the scenario's.
  await expect(row('lost races · client B').nth(2)).not.toHaveText(/^(–|0)$/);
});
