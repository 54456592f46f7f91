// The app's first load (#19): within its budget as the before-stop check counts it (bench/app.size.ts),
// and what was moved out of it loads on first use, saying so while it loads and if it cannot.
import { expect, test } from '@playwright/test';
import { APP_BUDGET_BYTES, measureApp } from '../bench/app.size.ts';
import { Lab } from './lab.ts';

test('#19: the app\'s first load is at most 150 KB gzip, the worker and the style sheet included (bench/app.size.ts)', () => {
  const r = measureApp('dist');
  expect(r.files.filter((f) => f.file.includes('worker'))).toHaveLength(1);
  expect(r.files.filter((f) => f.file.endsWith('.css')).length).toBeGreaterThan(0);
  expect(r.total).toBeLessThanOrEqual(APP_BUDGET_BYTES);
});

test('#19: a part loaded on first use (Compare…) is not fetched before it is used, and a chunk that cannot be fetched is named, the page going on', async ({ page }) => {
  const asked: string[] = [];
  await page.route('**/assets/CompareDialog-*.js', (route) => {
    asked.push(route.request().url());
    return route.abort();
  });
  const lab = new Lab(page);
  await lab.open('herd', { speed: '0.001' });
  expect(asked).toEqual([]);
  await lab.button('Compare…').click();
  await expect(page.getByRole('alert').filter({ hasText: 'Could not load Compare' })).toBeVisible();
  expect(asked).toHaveLength(1);
  // The rest of the page still works: the stage answers a seek.
  await lab.act('seek', 1000);
  await expect(page.getByTestId('sim-time')).toHaveText(/^1000 µs \//);
});

test('#19: the charts, loaded after the first frame, are drawn; without their chunk the panel says why', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('herd', { speed: '0.001' });
  await expect(page.getByTestId('charts').locator('svg').first()).toBeVisible();
  const other = await page.context().newPage();
  await other.route('**/assets/charts-*.js', (route) => route.abort());
  await new Lab(other).open('herd', { speed: '0.001' });
  await expect(other.getByRole('alert').filter({ hasText: 'Could not load the charts' })).toBeVisible();
  await other.close();
});
