import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';

test('scrub the timeline back and step back one event', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.runToEnd();
  const scrubber = page.getByTestId('scrubber').locator('svg.scrubber');
  await expect(scrubber).toHaveAttribute('data-reached-us', '20000');
  await expect(scrubber.locator('.mark.race').first()).toBeAttached(); // lost races marked on the timeline
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
  await expect(why).toContainText('ClientEventSendPossible told B1');
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
