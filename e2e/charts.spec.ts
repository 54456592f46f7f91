// Issue 16: any chart opens large (a dialog, from the mouse or the keyboard), drawn at that size; the
// log's connection filter finds a connection as its id is typed, among 2,048.
import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';
import { seriousViolations } from './axe.ts';

test('a chart opens large by click and by keyboard, drawn at least three times as wide, and travels in time from there', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.runToEnd();
  const small = (await page.getByTestId('charts').locator('figure.chart.share svg').boundingBox())!;
  await page.getByRole('button', { name: 'Enlarge: Throughput share by client' }).click();
  const dialog = page.getByRole('dialog', { name: 'Chart: Throughput share by client' });
  await expect(dialog).toBeVisible();
  const plot = dialog.getByTestId('chart-large').locator('figure.chart.share svg');
  await expect(plot).toBeVisible();
  const large = (await plot.boundingBox())!;
  expect(large.width).toBeGreaterThan(3 * small.width);
  expect(large.height).toBeGreaterThan(3 * small.height);
  // Only that chart is in the dialog, and it has its plot (the stacked areas of the two clients).
  await expect(dialog.locator('figure.chart:visible')).toHaveCount(1);
  await expect(plot.locator('g.plot path')).toHaveCount(2);
  expect(await seriousViolations(page)).toEqual([]);
  // The keyboard travels from the large chart as from the small one.
  await plot.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sim-time')).toHaveText(/^0 µs \//);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('stack')).toBeFocused();
  // From the keyboard: the button is reached and pressed with Enter.
  await page.getByRole('button', { name: /^Enlarge: Send pool of tcp/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: /^Chart: Send pool of tcp/ })).toBeVisible();
  await page.getByRole('button', { name: 'Close chart' }).click();
  await expect(page.getByRole('dialog', { name: /^Chart:/ })).toHaveCount(0);
});

test('the connection filter finds a connection of stress by typing its id', async ({ page }) => {
  test.setTimeout(60_000);
  const lab = new Lab(page);
  await lab.open('stress');
  await lab.seek(8191);
  const filter = page.getByLabel('Filter by connection');
  await expect(filter).toHaveAttribute('placeholder', 'all connections');
  // The suggestions are the ids that match what is typed, 200 at most (all 102,400 options took a
  // big scenario's page 30 s to draw): any of the 2,048 is found by typing (a drop-down offered the first 300).
  const options = page.locator(`datalist#${await filter.getAttribute('list')} option`);
  await expect(options).toHaveCount(200);
  await filter.fill('K7-3');
  await expect(options).not.toHaveCount(200);
  const offered = await options.evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
  expect(offered.length).toBeGreaterThan(3);
  for (const id of offered) expect(id).toContain('K7-3');
  await filter.fill('K1-4.1');
  await expect(filter).not.toHaveAttribute('aria-invalid', 'true');
  await expect(lab.logRows.first()).toBeVisible();
  const texts = await lab.logRows.allTextContents();
  expect(texts.length).toBeGreaterThan(0);
  for (const t of texts) expect(t).toMatch(/K1-4\.1\b/);
  await filter.fill('K9-nope');
  await expect(filter).toHaveAttribute('aria-invalid', 'true');
  await filter.fill('');
  await expect(lab.logRows.filter({ hasNotText: 'K1-4.1' }).first()).toBeVisible();
});
