// Issue 16, faults by click: the menu defaults to a fault that does not recover unless asked, the
// notice says what will happen, the menu stays inside the window, and notices that report what was
// done leave by themselves, one at a time, off the stage. Errors stay until dismissed.
import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';
import { seriousViolations } from './axe.ts';

test('R35: failing a NIC by click stays failed by default, the notice says so and leaves by itself, off the stage', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.driver('nic0').click();
  const menu = page.getByRole('dialog', { name: 'Fail nic0' });
  await expect(menu.getByLabel('Recovers')).toHaveValue('0');
  expect(await seriousViolations(page)).toEqual([]);
  await menu.getByRole('button', { name: 'STATUS_LINK_FAILED' }).click();
  await expect(lab.notice).toContainText('Injected STATUS_LINK_FAILED on nic0 at 0 µs: it stays failed until a reset.');
  // The pointer on it holds it (to read or copy); it goes once the pointer leaves.
  await lab.notice.hover();
  const toast = (await lab.notice.boundingBox())!;
  expect(await seriousViolations(page)).toEqual([]);
  await expect(lab.notice).toBeVisible();
  await page.mouse.move(5, 5);
  // Not over the stage's clients and connections.
  for (const id of ['A1', 'B1']) {
    const c = (await lab.connection(id).boundingBox())!;
    const apart = toast.x >= c.x + c.width || c.x >= toast.x + toast.width || toast.y >= c.y + c.height || c.y >= toast.y + toast.height;
    expect(apart, `the notice covers ${id}`).toBe(true);
  }
  await expect(lab.notice).toBeHidden({ timeout: 20_000 }); // by itself, no click
  await expect(lab.driver('nic0')).toHaveAttribute('data-failed', 'true');
});

test('R35: a chosen recovery is said in the notice; a second notice replaces the first (they do not pile up)', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.driver('nic1').click();
  const menu = page.getByRole('dialog', { name: 'Fail nic1' });
  await menu.getByLabel('Recovers').selectOption({ label: 'after 3 ms' });
  await menu.getByRole('button', { name: 'STATUS_LINK_FAILED' }).click();
  await expect(lab.notice).toContainText('it recovers after 3 ms, at 3000 µs');
  await lab.button('Share').click();
  await expect(page.getByTestId('share')).toBeVisible();
  await expect(lab.notice).toHaveCount(0);
  await expect(page.locator('.toast')).toHaveCount(1);
});

test('the fault menu opened low in a 900 px window stays inside it', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 900 });
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.driver('nic0').click();
  const menu = page.getByRole('dialog', { name: 'Fail nic0' });
  await expect(menu).toBeVisible();
  const box = (await menu.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(900);
  expect(box.x + box.width).toBeLessThanOrEqual(1600);
  // Every status can be reached (the last one is in the menu's box).
  const last = (await menu.getByRole('button', { name: 'STATUS_NETWORK_UNREACHABLE' }).boundingBox())!;
  expect(last.y + last.height).toBeLessThanOrEqual(box.y + box.height + 1);
});

test('an error stays among the banners until dismissed (a broken link)', async ({ page }) => {
  const lab = new Lab(page);
  await page.goto('/?preset=race#scenario=not-a-scenario');
  await expect(page.getByTestId('banners').getByTestId('notice')).toContainText("The link's #scenario= part does not unpack");
  await expect(page.locator('.toast')).toHaveCount(0);
  await page.getByTestId('banners').getByRole('button', { name: 'Dismiss' }).click();
  await expect(lab.notice).toHaveCount(0);
});
