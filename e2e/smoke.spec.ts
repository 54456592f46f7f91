import { expect, test } from '@playwright/test';

test('a preset runs in a Web Worker and its event count reaches the page', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto('/?preset=race');
  await expect(page.getByTestId('title')).toHaveText('Two clients race for freed space (R24)');
  await expect(page.getByTestId('event-count')).toHaveText('341');
  expect(workers.length).toBe(1);
});
