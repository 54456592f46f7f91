// Issue 16: Space plays and pauses unless a text field, an open menu or a dialog has the focus; closing
// a menu or a dialog gives the focus back to the stage. Clicking a NIC or Open… no longer captures it.
import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';

test('Space plays after failing a NIC by clicking it (the menu does not open again), and the focus is back on the stage', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('cascade', { speed: '0.001' });
  await lab.driver('nic1').click();
  const menu = page.getByRole('dialog', { name: 'Fail nic1' });
  await expect(menu).toBeVisible();
  await menu.getByRole('button', { name: 'STATUS_LINK_FAILED' }).click();
  await expect(menu).toBeHidden();
  await expect(page.locator(':focus')).toHaveCount(1);
  expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="stack"]'))).toBe(true);
  await page.keyboard.press(' ');
  await expect(lab.button('Pause')).toBeVisible(); // playing
  await expect(menu).toBeHidden();
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-state')).toHaveText('paused');
});

test('Space plays after Open…: the file picker does not open again', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('basics', { speed: '0.001' });
  let pickers = 0;
  page.on('filechooser', () => pickers++);
  const chooser = page.waitForEvent('filechooser');
  await lab.button('Open…').click();
  const race = await (await import('node:fs/promises')).readFile('src/scenario/presets/race.json');
  await (await chooser).setFiles({ name: 'race.json', mimeType: 'application/json', buffer: race });
  await expect(lab.title).toHaveText('Two clients race for freed space (R24)');
  expect(pickers).toBe(1);
  await page.keyboard.press(' ');
  await expect(lab.button('Pause')).toBeVisible(); // playing
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-state')).toHaveText('paused');
  expect(pickers).toBe(1);
});

test('Space on a focused toolbar button plays; Enter presses the button; a text field keeps Space', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('basics', { speed: '0.001' });
  const before = await lab.events();
  await lab.button('Step one record').focus();
  await page.keyboard.press(' ');
  await expect(lab.button('Pause')).toBeVisible(); // playing
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-state')).toHaveText('paused');
  const paused = await lab.events();
  expect(paused).toBeGreaterThanOrEqual(before);
  await lab.button('Step one record').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => lab.events()).toBeGreaterThan(paused);
  await expect(page.getByTestId('play-state')).toHaveText('paused');
  await page.getByLabel('Seed').focus();
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-state')).toHaveText('paused');
});
