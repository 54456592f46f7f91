import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';

test('scrub the timeline back and step back one event', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.runToEnd();
  const scrubber = page.getByTestId('scrubber').locator('svg.scrubber');
  await expect(scrubber).toHaveAttribute('data-reached-us', '20000');
  await expect(scrubber).not.toHaveAttribute('data-lost-races', '0'); // lost races marked on the timeline
  const total = await lab.events();

  // Drag to the middle of the run.
  const box = (await scrubber.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => Number(await scrubber.getAttribute('data-now-us'))).toBeGreaterThan(9000);
  await expect.poll(async () => Number(await scrubber.getAttribute('data-now-us'))).toBeLessThan(11000);
  const middle = await lab.events();
  expect(middle).toBeLessThan(total);
  await expect(lab.logRows.first()).toBeVisible(); // the log was rebuilt up to this point

  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => lab.events()).toBeLessThan(middle);
  const back = await lab.events();
  await lab.stepOnce();
  await expect.poll(() => lab.events()).toBe(middle);
  expect(back).toBeLessThan(middle);
});

test('why: a lost race explains itself, and its links travel in time', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.runToEnd();
  await lab.filterLog({ chip: 'sends', status: 'STATUS_DEVICE_NOT_READY' });
  await lab.logRows.filter({ hasText: 'lost race' }).first().click();
  const why = page.getByTestId('why');
  await expect(why).toContainText('lost the race (R24)');
  await expect(why).toContainText('called ClientEventSendPossible for B1');
  await expect(why.locator('li.role-took').first()).toContainText('A1 took');
  const link = why.locator('li.role-told button.link').first();
  const label = (await link.textContent())!; // e.g. "6570 µs"
  await link.click();
  await expect(page.getByTestId('sim-time')).toHaveText(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} /`));
});

test('cascade: why an address got ClientEventError names the failed NIC and the path', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('cascade', { speed: '0.001' });
  await lab.runToEnd();
  await lab.filterLog({ chip: 'callbacks', status: 'STATUS_ADAPTER_HARDWARE_ERROR' });
  await lab.logRows.first().click();
  const why = page.getByTestId('why');
  await expect(why).toContainText('because it depends on nic0, which failed (R30)');
  await expect(why).toContainText("Dependency: tcp → ip → nic0 → A-0's NIC nic0.");
});

test('done-when of issue 4: find a lost race, go back before it, see why, change resubmit.from there, compare the branches', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.runToEnd();
  // Find it: the timeline marks lost races; the log lists them.
  await expect(page.getByTestId('scrubber').locator('svg.scrubber')).not.toHaveAttribute('data-lost-races', '0');
  await lab.filterLog({ chip: 'sends', status: 'STATUS_DEVICE_NOT_READY' });
  await lab.logRows.filter({ hasText: 'lost race' }).first().click();
  const why = page.getByTestId('why');
  await expect(why).toContainText('lost the race (R24)');
  // Go back to the SendPossible that told B, before the loss.
  await why.locator('li.role-told button.link').last().click();
  await page.keyboard.press('ArrowLeft');
  // Change B's policy from here on: resubmit at once, inside the handler.
  await lab.stack.locator('g.client[data-client-id="B"]').click();
  await page.getByLabel('Resubmit from').selectOption('handler');
  await page.getByRole('button', { name: 'Apply from now' }).click();
  await expect(lab.notice).toContainText('a new branch; the old one is kept');
  const branch = page.getByLabel('Branch');
  await expect(branch.locator('option')).toHaveCount(2);
  // Compare the two branches side by side.
  await page.getByRole('button', { name: 'Compare branches' }).click();
  const dialog = page.getByRole('dialog', { name: 'Compare two policies' });
  await expect(dialog.getByTestId('compare-A').locator('svg.stack')).toBeVisible();
  await expect(dialog.getByTestId('compare-B').locator('svg.stack')).toBeVisible();
  await dialog.getByRole('button', { name: 'Both to end' }).click();
  // B, now resubmitting inside its handler, loses fewer races; A, resubmitting from a DPC, now
  // loses them instead: the race moved, it did not go away.
  const row = (name: string) => dialog.getByTestId('diff-table').locator(`tr[data-row="${name}"] td`);
  await expect(row('lost races · client B').nth(2)).toHaveText(/^-\d+$/);
  await expect(row('lost races · client A').nth(2)).toHaveText(/^\+\d+$/);
  await page.keyboard.press('Escape');
  // Switch back to the first branch: it is kept as it was.
  await branch.selectOption({ index: 0 });
  await expect(branch).toHaveValue('0');
});
