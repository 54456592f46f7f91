// Issue 16, offline and self-hosted: `npm run build` gives a folder that works unchanged from any
// sub-path of any static host (relative addresses), and after one visit it opens and plays without
// the host (the offline cache, app/offline/). Served here by a static server of the test's own, not
// the preview server, at a sub-path the build knows nothing of.
import { test, expect, type Page } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStaticHost, type StaticHost } from './staticHost.ts';

const SUB_PATH = '/courses/tdi/lab/';
// The other specs block service workers (playwright.config.ts); this one is about one.
test.use({ serviceWorkers: 'allow' });

let host: StaticHost;
test.beforeEach(async () => {
  host = await startStaticHost();
});
test.afterEach(async () => {
  await host.close();
});

interface LabWindow {
  tdiFlowLab: { lastFrame(): { eventCount: number; finished: boolean; lostRaces: ArrayLike<number> } | null };
}
const lostRaces = (page: Page) => page.evaluate(() => Array.from((window as unknown as LabWindow).tdiFlowLab.lastFrame()?.lostRaces ?? []).reduce((a, b) => a + b, 0));

async function playRaceToEnd(page: Page): Promise<void> {
  await expect(page.getByTestId('title')).toContainText(/race/i);
  await expect(page.locator('svg.stack')).toBeVisible();
  await page.getByRole('button', { name: 'Run to end', exact: true }).click();
  await expect(page.getByTestId('play-state')).toHaveText('finished', { timeout: 60_000 });
  // R24: in `race` client B's resubmissions lose the race to A's: the run really was simulated.
  expect(await lostRaces(page)).toBeGreaterThan(0);
}

test('offline: the built app served from a sub-path plays race, then plays it again with the host stopped', async ({ page }) => {
  test.setTimeout(120_000);
  const app = host.mount(SUB_PATH, 'dist');
  await page.goto(`${app}?preset=race`);
  await playRaceToEnd(page);
  // Every file came from the sub-path: nothing asked the host's root (a base of "/" would).
  const outside = host.served.filter((p) => !p.startsWith(SUB_PATH));
  expect(outside).toEqual([]);
  // The offline cache's worker took over (its scope is the sub-path) and holds the build.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(app);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await host.close();
  // A new visit with no host: the page, its scripts, the worker and the race preset come from the cache.
  await page.goto(`${app}?preset=race`);
  await playRaceToEnd(page);
  // The manifest (an installable app) is cached too.
  const manifest = await page.evaluate(async () => (await fetch(new URL('manifest.webmanifest', location.href))).json());
  expect(manifest).toMatchObject({ name: 'TDI Flow Lab', start_url: './', scope: './' });
});

test('self-hosted: embed.js from a sub-path finds embed.html beside it, and the embed plays there', async ({ page }) => {
  test.setTimeout(120_000);
  const app = host.mount(SUB_PATH, 'dist');
  const docPage = host.page(
    '/docs/lost-race.html',
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Docs</title><link rel="icon" href="data:,">
<script src="${SUB_PATH}embed.js" defer></script></head>
<body><tdi-flow-lab preset="race" autoplay speed="0.01" style="width:800px;height:450px"></tdi-flow-lab></body></html>`,
  );
  await page.goto(docPage);
  const frame = page.frameLocator('tdi-flow-lab iframe');
  await expect(frame.locator('.app.embed')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  expect(page.frame({ url: /embed\.html/ })!.url()).toContain(`${app}embed.html?`);
  // It plays: the simulated time moves on.
  await expect(frame.getByTestId('sim-time')).not.toHaveText(/^0 µs/);
  expect(host.served.filter((p) => !p.startsWith(SUB_PATH) && p !== '/docs/lost-race.html')).toEqual([]);
});

test('offline: a new build on the host is what opens, and its worker deletes the old build\'s cache (never an old build, online or off)', async ({ page }) => {
  test.setTimeout(120_000);
  const folder = mkdtempSync(join(tmpdir(), 'tdi-offline-'));
  try {
    cpSync('dist', folder, { recursive: true });
    const app = host.mount(SUB_PATH, folder);
    await page.goto(`${app}?preset=race`);
    await expect(page.locator('svg.stack')).toBeVisible();
    await page.evaluate(() => navigator.serviceWorker.ready);
    const cacheNames = () => page.evaluate(() => caches.keys());
    const first = await cacheNames();
    expect(first).toHaveLength(1);

    // The next build, as a deploy would put it there: another page and another worker (sw.js names its build).
    const index = join(folder, 'index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace('<title>', '<meta name="tdi-build" content="next" />\n    <title>'));
    const sw = join(folder, 'sw.js');
    writeFileSync(sw, readFileSync(sw, 'utf8').replace(/^const BUILD = "([0-9a-f]+)";/, 'const BUILD = "$1-next";'));

    // Online, the page is the new one at once, though the old build's worker still holds the old one.
    await page.reload();
    await expect(page.locator('meta[name="tdi-build"]')).toHaveAttribute('content', 'next');
    // The new worker takes over and deletes the old build's cache: only the new one is left.
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect.poll(cacheNames, { timeout: 60_000 }).toEqual([expect.stringMatching(/-next$/)]);
    expect(first[0]!.endsWith('-next')).toBe(false);

    // Offline, the kept build is the new one too.
    await host.close();
    await page.goto(`${app}?preset=race`);
    await expect(page.locator('meta[name="tdi-build"]')).toHaveAttribute('content', 'next');
    await playRaceToEnd(page);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('offline: the app can be installed — Chromium finds nothing missing in its manifest, icon and worker', async ({ playwright }, info) => {
  test.setTimeout(120_000);
  const app = host.mount(SUB_PATH, 'dist');
  // The test's contexts are incognito, where nothing installs: a profile of its own, as a visitor has.
  const profile = mkdtempSync(join(tmpdir(), 'tdi-profile-'));
  const context = await playwright.chromium.launchPersistentContext(profile, { ...info.project.use.launchOptions, serviceWorkers: 'allow' });
  try {
    const page = await context.newPage();
    await page.goto(app);
    await expect(page.locator('svg.stack')).toBeVisible();
    await page.evaluate(() => navigator.serviceWorker.ready);
    const cdp = await context.newCDPSession(page);
    expect((await cdp.send('Page.getAppManifest')).errors).toEqual([]);
    await expect.poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors.map((e) => e.errorId)).toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
