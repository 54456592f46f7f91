// R40, R41 as a class sees them: the irql preset stops with a bug check; from the stop screen the same
// scenario runs again with callbacks at PASSIVE_LEVEL, and the same handler survives.
import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';

test('R41: after the bug check, "Run it again at PASSIVE_LEVEL" runs the same scenario and the handler survives', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('irql');
  await lab.button('Run to end').click();
  const stop = page.getByTestId('bugcheck');
  await expect(stop).toBeVisible();
  await expect(stop).toContainText('STOP: 0x0000000A');
  await stop.getByRole('button', { name: 'Run it again at PASSIVE_LEVEL' }).click();
  await expect(stop).toBeHidden();
  await expect(page.getByTestId('title')).toContainText(/IRQL|DISPATCH|bug check/i);
  await lab.runToEnd();
  await expect(stop).toBeHidden();
  // The handler ran, at PASSIVE_LEVEL (the log's C-call form names the IRQL of each callback).
  await lab.filterLog({ chip: 'callbacks' });
  await expect(lab.logRows.filter({ hasText: '@PASSIVE_LEVEL' }).first()).toBeVisible();
  await expect(lab.logRows.filter({ hasText: '@DISPATCH_LEVEL' })).toHaveCount(0);
});
