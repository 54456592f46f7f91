// #8: a banner (a notice, a validation error) must not squeeze the stage: the status line and the
// scrubber keep their place and size, and stay visible, while it is shown — on a desktop and a phone.
// It lies over the drawing and lets the pointer through to what is under it (only its buttons take it).
import { expect, test, type Locator, type Page } from '@playwright/test';
import { Lab } from './lab.ts';

type Box = { x: number; y: number; width: number; height: number };

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  if (!b) throw new Error(`${l} has no box`);
  return b;
}

/** The scrubber and the status line's time and event count: where they are, and that nothing covers them. */
async function statusLine(page: Page): Promise<Box[]> {
  const parts = [page.getByTestId('scrubber'), page.getByTestId('sim-time'), page.getByTestId('event-count')];
  const boxes: Box[] = [];
  for (const p of parts) {
    await p.scrollIntoViewIfNeeded();
    const b = await box(p);
    const vp = page.viewportSize()!;
    expect(b.height, `${p} has its height`).toBeGreaterThan(8);
    expect(b.y >= 0 && b.y + b.height <= vp.height && b.x >= 0 && b.x + b.width <= vp.width, `${p} is inside the window`).toBe(true);
    // No banner lies over it (the banners let the pointer through, so this is a check of boxes, not of hits).
    for (const banner of await page.getByTestId('banners').all()) expect(overlaps(b, await box(banner)), `${p} is not under a banner`).toBe(false);
    boxes.push(b);
  }
  return boxes;
}

/** A scenario file with many problems: the validation banner is as tall as it gets (12 lines). */
const manyProblems = {
  format: 'tdi-flow-lab/scenario@1', seed: 1, durationUs: 100,
  drivers: [{ id: 'nic0', kind: 'nic', linkBytesPerMs: 10 }],
  transports: [{ id: 't', lower: ['nic0'], sendBufferBytes: 10, maxSendBytes: 10 }],
  clients: [{ id: 'A' }],
  addresses: [{ id: 'a', client: 'A', transport: 't', nics: ['nic0'] }],
  connections: Array.from({ length: 14 }, (_, i) => ({ id: `k${i}`, address: 'a', nic: `nic${i + 2}` })),
};

for (const vp of [{ name: 'desktop', width: 1280, height: 720 }, { name: 'phone', width: 390, height: 844 }]) {
  test(`#8 banners: a bad URL parameter's notice and a malformed file's problems leave the status line and scrubber in place (${vp.name})`, async ({ page }) => {
    await page.setViewportSize({ width: vp.width, height: vp.height });
    const lab = new Lab(page);
    await lab.open('race', { speed: '0.001' });
    const without = await statusLine(page);

    await page.goto('/?preset=race&speed=0.001&seed=-4');
    await expect(lab.notice).toContainText('seed=-4');
    await expect.poll(() => lab.events()).toBeGreaterThan(0);
    expect(await statusLine(page), 'with a notice').toEqual(without);

    const chooser = page.waitForEvent('filechooser');
    await lab.button('Open…').click();
    await (await chooser).setFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(manyProblems)) });
    await expect(lab.problems).toContainText('14 problems');
    await expect(lab.problems).toContainText('connections[11].nic');
    expect(await statusLine(page), 'with a notice and 14 problems').toEqual(without);

    // Bounded (they end above the scrubber, scrolling inside) and dismissible.
    await page.getByTestId('banners').scrollIntoViewIfNeeded();
    const banners = await box(page.getByTestId('banners'));
    expect(banners.y + banners.height).toBeLessThanOrEqual((await box(page.getByTestId('scrubber'))).y);
    await lab.problems.getByRole('button', { name: 'Dismiss' }).click();
    await lab.notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(page.getByTestId('banners')).toHaveCount(0);
  });
}

test('#8 banners: what a notice lies over can still be clicked (the drawing under its text)', async ({ page }) => {
  const lab = new Lab(page);
  await page.goto('/?preset=race&speed=0.001&seed=-4');
  await expect(lab.notice).toContainText('seed=-4');
  await expect(page.getByTestId('title')).not.toHaveText('Loading…');
  const client = lab.stack.locator('g.client[data-client-id="A"]');
  await client.click();
  await expect(page.getByTestId('inspector-title')).toHaveText('Client A');
  await expect(lab.notice).toBeVisible();
});
