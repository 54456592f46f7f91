// Takes screenshots of each view, both themes, 1280×720 and a 390-px phone, into screens/.
// Run with the preview server up: `npx vite preview --port 4173 & node bin/run-ts.mjs scripts/screenshots.ts`.
// `… scripts/screenshots.ts presets` instead takes every preset at an interesting moment (#8) at
// 1280×720, 1920×1080 in projector mode and 390×844, both themes: screens/presets/NAME-VIEW-THEME.png.
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:4173';
const only = process.argv[2];
mkdirSync('screens', { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
if (only === 'presets') {
  await presetShots();
  await browser.close();
  console.log('screens/presets/ written');
  process.exit(0);
}

const shots: { name: string; preset: string; speed: string; waitMs: number; after?: string }[] = [
  { name: 'race', preset: 'race', speed: '0.002', waitMs: 3500 },
  { name: 'cascade', preset: 'cascade', speed: '0.002', waitMs: 3000 },
  { name: 'herd', preset: 'herd', speed: '0.002', waitMs: 2500 },
  { name: 'stress', preset: 'stress', speed: '0.1', waitMs: 3000 },
  { name: 'irql', preset: 'irql', speed: '0.01', waitMs: 2500 },
  { name: 'help', preset: 'basics', speed: '0.001', waitMs: 500, after: '?' },
  { name: 'compare', preset: 'herd', speed: '0.001', waitMs: 300, after: 'compare' },
  { name: 'why', preset: 'race', speed: '0.001', waitMs: 300, after: 'why' },
];
for (const theme of ['light', 'dark'] as const) {
  for (const [vw, vh, tag] of [[1280, 720, 'desktop'], [390, 844, 'phone']] as const) {
    const ctx = await browser.newContext({ viewport: { width: vw, height: vh }, colorScheme: theme, deviceScaleFactor: 1 });
    for (const s of shots) {
      if (only && s.name !== only) continue;
      const page = await ctx.newPage();
      page.on('pageerror', (e) => console.error(`[${s.name}] page error: ${e.message}`));
      await page.goto(`${base}/?preset=${s.preset}&speed=${s.speed}`);
      await page.getByTestId('event-count').waitFor();
      await page.waitForTimeout(400);
      if (s.after === 'compare') {
        await page.getByRole('button', { name: 'Compare…', exact: true }).click();
        await page.getByLabel('A notify').selectOption('all');
        await page.getByRole('button', { name: 'Run A and B' }).click();
        await page.waitForTimeout(600);
        await page.getByRole('button', { name: 'Both to end' }).click();
        await page.getByRole('slider', { name: 'Time of both runs' }).fill('6000');
      } else if (s.after === 'why') {
        await page.getByRole('button', { name: 'Run to end', exact: true }).click();
        await page.waitForTimeout(500);
        await page.getByRole('button', { name: 'sends', exact: true }).click();
        await page.getByLabel('Filter by status').selectOption('STATUS_DEVICE_NOT_READY');
        await page.getByTestId('log').locator('.log-row:visible', { hasText: 'lost race' }).first().click();
      } else if (s.after) await page.keyboard.press(s.after);
      else await page.keyboard.press('Space');
      await page.waitForTimeout(s.waitMs);
      if (s.name === 'race') await page.locator('[data-connection-id="B1"]').click();
      await page.screenshot({ path: `screens/${s.name}-${tag}-${theme}.png` });
      await page.close();
    }
    await ctx.close();
  }
}
await browser.close();
console.log('screens/ written');

/**
 * Every preset at its interesting moment, reached the same way each time: travel to just before it
 * (a seek draws the state, no effects), then step forward so the moment's effects and callouts are
 * on screen — deterministic, whatever the machine's speed.
 */
async function presetShots(): Promise<void> {
  // [preset, µs to travel to, steps after it]: the moment a reader should see.
  const moments: [string, number, number, string][] = [
    ['basics', 1999, 1, 'the first SendPossible'],
    ['partial-copy', 2499, 1, 'the first SendPossible after a partial copy'],
    ['race', 1519, 1, 'the first lost race'],
    ['herd', 519, 2, 'the herd: one wins, the rest lose'],
    ['blocking', 299, 1, 'the EXPEDITED send overtakes the pending FIFO'],
    ['cascade', 4999, 2, 'the NIC fails, ClientEventError cascades'],
    ['irql', 999, 0, 'the moment before the bug check (one step more shows the bug-check screen)'],
    ['stress', 6000, 3, 'the stress grid mid-run'],
  ];
  const views = [
    { tag: 'desktop', width: 1280, height: 720, projector: false },
    { tag: 'projector', width: 1920, height: 1080, projector: true },
    { tag: 'phone', width: 390, height: 844, projector: false },
  ];
  mkdirSync('screens/presets', { recursive: true });
  const filter = process.argv[3];
  for (const theme of ['light', 'dark'] as const) {
    for (const v of views) {
      const ctx = await browser.newContext({ viewport: { width: v.width, height: v.height }, colorScheme: theme, deviceScaleFactor: 1 });
      for (const [preset, tUs, steps] of moments) {
        if (filter && preset !== filter) continue;
        const page = await ctx.newPage();
        page.on('pageerror', (e) => console.error(`[${preset}] page error: ${e.message}`));
        await page.goto(`${base}/?preset=${preset}&speed=0.001${v.projector ? '&projector=1' : ''}`);
        const count = page.getByTestId('event-count');
        await page.waitForFunction(() => Number(document.querySelector('[data-testid="event-count"]')?.textContent?.replace(/,/g, '') ?? 0) > 0);
        await page.evaluate((t) => (window as unknown as { tdiFlowLab: { actions: { seek(t: number): void } } }).tdiFlowLab.actions.seek(t), tUs);
        await page.locator(`svg.scrubber[data-now-us="${tUs}"]`).waitFor({ timeout: 30_000 });
        for (let k = 0; k < steps; k++) {
          const before = await count.textContent();
          await page.keyboard.press('ArrowRight');
          await page.waitForFunction((b) => document.querySelector('[data-testid="event-count"]')?.textContent !== b, before);
        }
        await page.waitForTimeout(450); // the effects have arrived, the callouts not yet faded
        await page.screenshot({ path: `screens/presets/${preset}-${v.tag}-${theme}.png` });
        await page.close();
      }
      await ctx.close();
    }
  }
}
