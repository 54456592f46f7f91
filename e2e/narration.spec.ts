// Narration (issue 8): the caption under the stage, the screen reader's live region and the log's
// plain form, driven as a student would.
import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';

test('narration: the caption names the refused send in plain words, and the live region says the same', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await expect(lab.caption).toContainText('Press Play or Step');
  // Step as a student would until the first refusal; each step is narrated at once.
  for (let i = 0; i < 80 && !((await lab.caption.textContent()) ?? '').includes('was refused'); i++) await lab.stepOnce();
  await expect(lab.caption).toHaveText(/\d µs [A-Z]'s [\d,]+-byte send on [A-Z]\d was refused: tcp's send pool is full \(STATUS_DEVICE_NOT_READY\)\. [A-Z] is now owed a ClientEventSendPossible for [A-Z]\d\./);
  await expect(lab.caption).toHaveAttribute('data-importance', '60');
  const sentence = (await lab.caption.getAttribute('title'))!;
  await expect(lab.spoken).toHaveText(sentence);
  await expect(lab.spoken).toHaveAttribute('aria-live', 'polite');
});

test('narration: at a lost race the caption tells the race, not the other records of that moment', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.runToEnd();
  await lab.filterLog({ chip: 'sends', status: 'STATUS_DEVICE_NOT_READY' });
  const row = lab.logRows.filter({ hasText: 'lost race' }).first();
  const t = Number(await row.getAttribute('data-t'));
  expect(t).toBeGreaterThan(0);
  // Away first (the caption after the run to the end may be a lost race too), then to the race.
  await lab.seek(0);
  await expect(lab.caption).not.toContainText('lost the race');
  await lab.seek(t);
  await expect(lab.caption).toContainText("B1's resubmission lost the race: ClientEventSendPossible had said");
  await expect(lab.caption).toHaveAttribute('data-importance', '70');
});

test('narration: the log switches to plain sentences, and remembers it after a reload', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('basics', { speed: '0.001' });
  await lab.runToEnd();
  await lab.filterLog({ status: 'STATUS_DEVICE_NOT_READY' });
  await expect(lab.logRows.first()).toContainText('TDI_SEND(A1');
  await expect(lab.plainWords).toHaveAttribute('aria-pressed', 'false');
  await lab.plainWords.click();
  await expect(lab.plainWords).toHaveAttribute('aria-pressed', 'true');
  await expect(lab.logRows.first()).toContainText("A's 2,048-byte send on A1 was refused");
  // The C call is still there, as the row's tooltip.
  await expect(lab.logRows.first()).toHaveAttribute('title', /^TDI_SEND\(A1/);

  await page.reload();
  await expect(lab.title).not.toHaveText('Loading…');
  await expect(lab.plainWords).toHaveAttribute('aria-pressed', 'true');
  await lab.runToEnd();
  await lab.filterLog({ status: 'STATUS_DEVICE_NOT_READY' });
  await expect(lab.logRows.first()).toContainText('was refused');
});
