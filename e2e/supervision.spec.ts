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
  // The status line keeps the old worker's last count while the new one boots: wait for the new
  // worker's own frame at that moment (the restore done), or a step could go before its seek.
  await expect.poll(() => page.evaluate(() => (window as unknown as { tdiFlowLab: { lastFrame(): { eventCount: number } | null } }).tdiFlowLab.lastFrame()?.eventCount ?? -1), { timeout: 30_000 }).toBe(events);
  await expect.poll(() => lab.events()).toBe(events);
  await expect(lab.title).toContainText('race');
  // It works on: a step moves the run forward.
  await lab.stepOnce();
});

test('#10: End on an endless scenario streams progress; Pause stops it at once and the page stays in control', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new Lab(page);
  await lab.open('basics');
  // A valid scenario that never ends in any reasonable time: 10^12 µs of a steady stream.
  const endless = {
    format: 'tdi-flow-lab/scenario@1', title: 'Endless stream', seed: 1, durationUs: 1e12,
    drivers: [{ id: 'nic0', kind: 'nic', linkBytesPerMs: 1000 }],
    transports: [{ id: 'tcp', lower: ['nic0'], sendBufferBytes: 4000, maxSendBytes: 9000, sendPossible: { notify: 'all', thresholdBytes: 1000 } }],
    clients: [{ id: 'A', handlers: ['SendPossible'], resubmit: { from: 'handler', delayUs: 0, size: 'full' } }],
    addresses: [{ id: 'a', client: 'A', transport: 'tcp', nics: ['nic0'] }],
    connections: [{ id: 'k', address: 'a', nic: 'nic0', generator: { startUs: 0, everyUs: 1000, bytes: 1500, count: 1e12, flags: ['NON_BLOCKING'] } }],
  };
  await lab.act('loadScenario', endless);
  await expect(lab.title).toHaveText('Endless stream');
  await lab.button('Run to end').click();
  // Progress is streamed while End runs: the event count climbs in steps the page draws.
  const first = await lab.events();
  await expect.poll(() => lab.events(), { timeout: 30_000 }).toBeGreaterThan(first + 1000);
  await lab.button('Pause').click();
  await expect(page.getByTestId('play-state')).toHaveText('paused');
  const stopped = await lab.events();
  // Nothing runs after Pause: a step moves it on by a few events only, then it stays.
  await lab.stepOnce();
  const stepped = await lab.events();
  expect(stepped).toBeGreaterThan(stopped);
  expect(stepped - stopped).toBeLessThan(20);
  // The page is in control: choosing a preset loads it.
  await lab.pickPreset('race');
  await expect(lab.title).toContainText('race');
});

test('#17 hole 7: a worker that stops answering is said within seconds, with a restart that comes back at the same moment', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new Lab(page);
  await lab.open('race');
  for (let i = 0; i < 4; i++) await lab.stepOnce();
  const events = await lab.events();
  const worker = page.workers().find((w) => w.url().includes('sim.worker'));
  expect(worker, 'the simulation runs in a worker').toBeTruthy();
  // The worker busy for a minute, answering nothing (not awaited: it never returns; the restart ends it).
  void worker!.evaluate(() => {
    const end = performance.now() + 60_000;
    while (performance.now() < end);
  }).catch(() => undefined);
  const silent = page.getByTestId('worker-silent');
  // Well before the 20 s after which a worker is taken for dead (the default expect timeout is 10 s).
  await expect(silent).toContainText('The simulation is not answering');
  await expect(lab.notice).toBeHidden();
  await silent.getByRole('button', { name: 'Restart the simulation' }).click();
  await expect(lab.notice).toContainText('a new one took over at the same moment');
  await expect(silent).toBeHidden();
  // The status line keeps the old worker's last count while the new one boots: wait for the new
  // worker's own frame at that moment (the restore done), or a step could go before its seek.
  await expect.poll(() => page.evaluate(() => (window as unknown as { tdiFlowLab: { lastFrame(): { eventCount: number } | null } }).tdiFlowLab.lastFrame()?.eventCount ?? -1), { timeout: 30_000 }).toBe(events);
  await expect.poll(() => lab.events()).toBe(events);
  await lab.stepOnce();
});
