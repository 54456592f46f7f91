// #8, R10, R14: the blocking preset draws the transport's pending FIFO of blocking sends (connection,
// bytes still to copy, head first) and an EXPEDITED send overtaking it (an arc and a callout).
import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';

test('R14/R10: the pending FIFO is drawn at the transport, and the EXPEDITED send at 300 µs visibly overtakes #2', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('blocking', { speed: '0.001' });
  const chips = lab.stack.locator('g.fifo-chip');
  await lab.seek(299);
  // R14: #1 waits with 2,904 of its 3,000 bytes to copy (the pool is full), #2 behind it.
  await expect(chips.locator('text')).toHaveText(['W1 2904 B', 'W1 2000 B']);
  await lab.stepOnce();
  // R10: the EXPEDITED send goes ahead of the queued #2, behind the head whose copy has begun.
  await expect(chips.locator('text')).toHaveText(['W1 2904 B', 'EXP W1 500 B', 'W1 2000 B']);
  await expect(lab.stack.locator('.callouts .fx-label', { hasText: 'EXPEDITED: overtakes 1 (R10)' })).toBeVisible();
  await expect(lab.stack.locator('g.fx path.overtake-arc')).toHaveCount(1);
  await expect(lab.stack.locator('g.fifo[role="img"]')).toHaveAttribute('aria-label', /^Transport tcp holds 3 blocking sends \(R14\), next to copy first: W1 2904 B, EXP W1 500 B, W1 2000 B$/);

  // A seek replays history: the FIFO of that moment, no overtaking drawn.
  await lab.seek(4500);
  await expect(chips.locator('text')).toHaveText(['W1 1404 B', 'W1 1500 B']);
  await expect(lab.stack.locator('.callouts .fx-label', { hasText: 'EXPEDITED' })).toHaveCount(0);
  await lab.seek(8500);
  await expect(chips).toHaveCount(0);
});
