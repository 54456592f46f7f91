// Issue 17, hole 4: a link whose fragment inflates to 1 GB (a 1.4 MB link) is refused with the heap
// staying within 64 MB of what it was before — the inflate stops at the 8 MB limit as it streams,
// rather than after unpacking everything. The heap is read through the DevTools protocol (CDP), polled
// while the page unpacks the link; both fragments that carry packed JSON are tried: #v=2&s= and #lesson=.
import { expect, test, type CDPSession, type Page } from '@playwright/test';
import { constants, deflateRawSync } from 'node:zlib';
import { Lab } from './lab.ts';

/** deflate-raw of 1 GiB of spaces: 1,024 copies of a flushed block of 1 MiB, then an empty final block. */
function bomb(): string {
  const piece = deflateRawSync(Buffer.alloc(1 << 20, 0x20), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  return Buffer.concat([...Array<Buffer>(1024).fill(piece), Buffer.from([0x03, 0x00])]).toString('base64url');
}

const MB = 1024 * 1024;

/** The page's JS heap in use, with the ArrayBuffers' backing stores (where inflated bytes live). */
async function heapBytes(cdp: CDPSession): Promise<number> {
  const h = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number; embedderHeapUsedSize?: number };
  return h.usedSize + (h.backingStorageSize ?? 0) + (h.embedderHeapUsedSize ?? 0);
}

/** Opens `url` and returns the highest heap seen until `done` resolves (polled through CDP as fast as it answers). */
async function peakWhile(page: Page, cdp: CDPSession, done: () => Promise<unknown>): Promise<number> {
  let peak = 0;
  let finished = false;
  const poll = (async () => {
    while (!finished) {
      try {
        peak = Math.max(peak, await heapBytes(cdp));
      } catch {
        // The page navigates: its runtime is briefly not there.
      }
    }
  })();
  try {
    await done();
  } finally {
    finished = true;
    await poll;
  }
  peak = Math.max(peak, await heapBytes(cdp));
  return peak;
}

const LINK = bomb();

for (const kind of ['v=2&s=', 'lesson='] as const) {
  test(`#17 hole 4: a #${kind} link of 1 GB inflated is refused with the heap under 64 MB above where it was`, async ({ page }) => {
    test.setTimeout(120_000);
    expect(LINK.length).toBeGreaterThan(1_000_000); // a 1.4 MB link: 1 GiB once inflated
    const lab = new Lab(page);
    await lab.open('race');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const before = await heapBytes(cdp);
    const peak = await peakWhile(page, cdp, async () => {
      // Another query: a document of its own (a fragment alone would not reload the page).
      await page.goto(`/?preset=race&seed=2#${kind}${LINK}`);
      await expect(page.locator('body')).toContainText('unpacks to more than 8 MB', { timeout: 60_000 });
    });
    const grewMb = (peak - before) / MB;
    test.info().annotations.push({ type: 'heap', description: `before ${(before / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB (+${grewMb.toFixed(1)} MB)` });
    expect(grewMb).toBeLessThan(64);
    // The page works on: the preset from the query is there.
    await expect(lab.title).toContainText('race');
  });
}
