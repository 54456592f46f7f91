// Screenshots for looking at (not asserted pixel by pixel): the caption at a refusal and at a lost
// race, and the log in plain words, at desktop and phone size in both themes. Run with SCREENS=1;
// the pictures go to screens/ (not committed). What they must not show, the specs assert.
import { expect, test, type Page } from '@playwright/test';
import { Lab } from './lab.ts';

test.skip(!process.env.SCREENS, 'screenshots only when SCREENS=1');

const SIZES = [
  { name: 'desktop', width: 1280, height: 720 },
  { name: 'phone', width: 390, height: 844 },
] as const;

async function toRefusal(lab: Lab): Promise<void> {
  for (let i = 0; i < 80 && !((await lab.caption.textContent()) ?? '').includes('was refused'); i++) await lab.stepOnce();
  await expect(lab.caption).toContainText('was refused');
}

async function toLostRace(lab: Lab, page: Page): Promise<void> {
  await lab.runToEnd();
  await lab.filterLog({ chip: 'sends', status: 'STATUS_DEVICE_NOT_READY' });
  const races = lab.logRows.filter({ hasText: 'lost race' });
  await expect(races.first()).toBeVisible();
  const t = Math.min(...(await races.evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.t)))));
  await lab.filterLog({ chip: 'sends' }); // off again
  await page.getByLabel('Filter by status').selectOption('');
  await lab.seek(t - 1);
  for (let i = 0; i < 30 && !((await lab.caption.textContent()) ?? '').includes('lost the race'); i++) await lab.stepOnce();
  await expect(lab.caption).toContainText('lost the race');
}

for (const scheme of ['dark', 'light'] as const) {
  for (const size of SIZES) {
    test(`screens: caption and plain log, ${size.name}, ${scheme}`, async ({ page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.emulateMedia({ colorScheme: scheme });
      const lab = new Lab(page);
      await lab.open('race', { speed: '0.001' });
      await toRefusal(lab);
      await page.screenshot({ path: `screens/caption-refusal-${size.name}-${scheme}.png` });
      await toLostRace(lab, page);
      await page.screenshot({ path: `screens/caption-lost-race-${size.name}-${scheme}.png` });
      await lab.plainWords.click();
      await expect(lab.logRows.first()).not.toContainText('TDI_SEND(');
      await page.getByTestId('log').scrollIntoViewIfNeeded();
      await page.locator('section.log').screenshot({ path: `screens/log-plain-${size.name}-${scheme}.png` });
    });
  }
}
