// A worker that dies without a word (here it closes itself) is noticed by the page's watchdog, said in
// a notice, and replaced: the new worker comes back at the same moment, and the page works on.
import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';

test('supervision: the worker dies; the page says so and a new worker restores the run at the same moment', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new Lab(page);
  await lab.open('race');
  for (let i = 0; i < 6; i++) await lab.stepOnce();
  const events = await lab.events();
  const worker = page.workers().find((w) => w.url().includes('sim.worker'));
  expect(worker, 'the simulation runs in a worker').toBeTruthy();
  await worker!.evaluate(() => (self as unknown as { close(): void }).close());
  await expect(lab.notice).toContainText('The simulation worker stopped', { timeout: 60_000 });
  await expect(lab.notice).toContainText('a new one took over at the same moment');
  await expect.poll(() => lab.events(), { timeout: 30_000 }).toBe(events);
  await expect(lab.title).toContainText('race');
  // It works on: a step moves the run forward.
  await lab.stepOnce();
});
