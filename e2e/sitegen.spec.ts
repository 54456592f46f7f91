// Issue 16, the Markdown recipe: docs/embedding.md's VitePress recipe, built by VitePress itself and
// played in the browser. VitePress is a devDependency: when it is missing this spec fails (it never
// skips), since a recipe nobody builds goes wrong unseen — as the old "two lines in a .md page" did.
import { test, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { EmbedHost } from './embedHost.ts';
import { startStaticHost, type StaticHost } from './staticHost.ts';

const SITE = 'docs/examples/vitepress';

/** VitePress's command line, or a failure saying how to get it. */
function vitepressBin(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('vitepress/package.json')), 'bin', 'vitepress.js');
  } catch {
    throw new Error('VitePress is not installed: it is a devDependency of this repository (run `npm ci`). This spec builds a real VitePress page and must not be skipped.');
  }
}

let out: string;
let site: StaticHost;
test.afterAll(async () => {
  await site?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

test('issue 16: the VitePress recipe builds, and the lab plays in the built page, paused at the lost race', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  out = mkdtempSync(join(tmpdir(), 'tdi-vitepress-'));
  // The site is built against this run's app (another origin than the site's, as on a real host).
  await promisify(execFile)(process.execPath, [vitepressBin(), 'build', SITE, '--outDir', out], {
    env: { ...process.env, TDI_FLOW_LAB_URL: `${baseURL}/` },
    timeout: 200_000,
  });
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  // The recipe's two parts: embed.js in the head, the element passed through as it was written.
  expect(html).toContain(`<script src="${baseURL}/embed.js" defer>`);
  expect(html).toMatch(/<tdi-flow-lab preset="race" pause-at="first:send.complete,lostRace=true" autoplay speed="0.002"/);

  site = await startStaticHost('localhost');
  await page.goto(site.mount('/', out));
  await expect(page.getByRole('heading', { name: 'The lost race' })).toBeVisible();
  const lab = new EmbedHost(page);
  const ready = await lab.ready();
  expect(ready.notices).toEqual([]);
  // R24: autoplay ran the race until B1's resubmission lost it, and the embed stopped there.
  await expect.poll(() => lab.call<{ playing: boolean; lostRaces: number; preset: string }>('getState'), { timeout: 60_000 }).toMatchObject({ playing: false, lostRaces: 1, preset: 'race' });
  const frame = await lab.frame();
  await expect(frame.getByTestId('caption')).toContainText(/lost the race/);
  // Vue's hydration left the element to the browser: it is the lab's element, with its frame.
  expect(await page.evaluate(() => document.querySelector('tdi-flow-lab') instanceof (window as unknown as { TdiFlowLab: typeof HTMLElement }).TdiFlowLab)).toBe(true);
  // It plays on from there.
  await lab.call('play');
  await expect.poll(() => lab.call<{ timeUs: number }>('getState').then((s) => s.timeUs)).toBeGreaterThan(1520);
});
