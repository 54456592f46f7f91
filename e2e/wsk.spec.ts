// #20: TDI and its replacement side by side. The toolbar's API choice, ?api=wsk and the stage under
// WSK; Compare "TDI vs WSK" on race and cascade, read from both difference tables; axe on the dialog;
// pictures of the side-by-side view (both themes, 1280×720 and 1920×1080) into /tmp to look at.
import { expect, test, type Page } from '@playwright/test';
import { Lab } from './lab.ts';
import { seriousViolations } from './axe.ts';
import { overlappingLabels } from './stageLabels.ts';
import { LessonPlayer } from './lessonPlayer.ts';

/** Opens Compare on `preset`, chooses "TDI vs WSK", runs both to the end; returns the dialog and a row reader. */
async function compareApis(page: Page, preset: string) {
  const lab = new Lab(page);
  await lab.open(preset, { speed: '0.001' });
  await lab.button('Compare…').click();
  await page.getByRole('dialog', { name: 'Compare two policies' }).getByLabel('What A and B differ in').selectOption('apis');
  const dialog = page.getByRole('dialog', { name: 'Compare TDI and WSK' });
  await expect(dialog.locator('figcaption', { hasText: /^A — / })).toHaveText('A — TDI — TdiSend, SendPossible, ClientEventError');
  await expect(dialog.getByTestId('compare-A').locator('svg.stack')).toBeVisible();
  await expect(dialog.getByTestId('compare-B').locator('svg.stack')).toBeVisible();
  await dialog.getByRole('button', { name: 'Both to end' }).click();
  const row = (name: string) => dialog.getByTestId('diff-table').locator(`tr[data-row="${name}"] td`);
  return { lab, dialog, row };
}

test('W1 vs R24: Compare "TDI vs WSK" on race — TDI loses races, WSK none; WSK locks bytes in pending IRPs and makes fewer callbacks', async ({ page }) => {
  const { dialog, row } = await compareApis(page, 'race');
  // R24: under TDI a client loses the race for the space a SendPossible announced.
  await expect(row('lost races').nth(0)).toHaveText(/^[1-9]\d*$/);
  // W1: a WskSend is never refused, so there is nothing to race for.
  await expect(row('lost races').nth(1)).toHaveText('0');
  await expect(row('lost races').nth(2)).toHaveClass('better');
  await expect(row('SendPossible calls').nth(1)).toHaveText('0');
  // W1: the cost moves to the client: its buffers stay locked until its IRPs complete.
  await expect(row('peak bytes locked in pending IRPs').nth(0)).toHaveText('0 B');
  await expect(row('peak bytes locked in pending IRPs').nth(1)).toHaveText(/^[1-9][\d.]* (B|KiB)$/);
  await expect(row('callbacks made').nth(2)).toHaveText(/^-\d+$/);
  // Per-client waits are in the table for both.
  for (const id of ['A', 'B']) {
    await expect(row(`wait p50 · client ${id}`).nth(1)).toHaveText(/µs|ms/);
    await expect(row(`wait p95 · client ${id}`).nth(0)).toHaveText(/µs|ms/);
  }
  // The WSK side's stage draws each connection's pending IRPs (W1), and no lost-race badge.
  const wskStage = dialog.getByTestId('compare-B');
  await expect(wskStage.locator('text.irp-badge', { hasText: /IRP/ }).first()).toBeVisible();
  await expect(wskStage.locator('text.race-badge', { hasText: /⚑/ })).toHaveCount(0);
  await expect(dialog.getByTestId('compare-A').locator('text.race-badge', { hasText: /⚑/ }).first()).toBeVisible();
});

test('R30 vs W5: Compare "TDI vs WSK" on cascade — ClientEventError to the dependent addresses\' clients vs only the sockets whose IRPs failed', async ({ page }) => {
  const { dialog, row } = await compareApis(page, 'cascade');
  const reach = row('what a failure reaches');
  // R30: the failed NIC's dependent addresses hear ClientEventError (those with a handler: A).
  await expect(reach.nth(0)).toHaveText(/^ClientEventError to [1-9]\d* clients? \([1-9]\d* calls?\)$/);
  // W5: no broadcast — only the sockets routed over the failed NIC learn of it, by their IRPs failing and a disconnect.
  await expect(reach.nth(1)).toHaveText(/^[1-9]\d* (socket's|sockets') IRPs failed, [1-9]\d* disconnect events?$/);
  await expect(row('clients told of a failure').nth(0)).toHaveText(/^[1-9]\d*$/);
  await expect(row('clients told of a failure').nth(1)).toHaveText(/^[1-9]\d*$/);
  // The disconnect is drawn on the WSK side's connections, no ClientEventError callout there.
  await expect(dialog.getByTestId('compare-B').getByText('ClientEventError')).toHaveCount(0);
  expect(await seriousViolations(page, '.overlay.compare')).toEqual([]);
});

test('the toolbar switches the run to WSK: the badge says so, the address bar keeps api=wsk, the stage draws IRPs, labels never overlap', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.002' });
  await expect(page.getByTestId('api-badge')).toHaveCount(0);
  await page.getByLabel('Kernel API').selectOption('wsk');
  await expect(page.getByTestId('api-badge')).toHaveText('WSK');
  await expect.poll(() => new URL(page.url()).searchParams.get('api')).toBe('wsk');
  await page.keyboard.press('Space');
  await expect(lab.stack.locator('text.irp-badge', { hasText: /IRP/ }).first()).toBeVisible();
  let checked = 0;
  for (let k = 0; k < 5; k++) {
    const last = await lab.events();
    await expect.poll(async () => (await lab.events()) > last || (await page.getByTestId('play-state').textContent()) !== '').toBe(true);
    expect(await overlappingLabels(page)).toEqual([]);
    checked++;
  }
  expect(checked).toBe(5);
  // No TDI callback is ever drawn under WSK (W1, W5): no SendPossible beam label, no lost race, no ClientEventError.
  await expect(lab.stack.locator('svg.stack text', { hasText: /SendPossible|lost race|ClientEventError|⚑/ })).toHaveCount(0);
});

test('?api=wsk opens the run under WSK; a bad value is named and TDI is shown', async ({ page }) => {
  const lab = new Lab(page);
  // A WSK run writes no record at load (no TDI address opens): wait for its title, not a record count.
  await page.goto('/?preset=cascade&api=wsk');
  await expect(lab.title).not.toHaveText('Loading…');
  await expect(page.getByTestId('api-badge')).toHaveText('WSK');
  await expect(page.getByLabel('Kernel API')).toHaveValue('wsk');
  await lab.open('cascade', { api: 'winsock' });
  await expect(lab.notice).toContainText('api=winsock must be tdi or wsk');
  await expect(page.getByTestId('api-badge')).toHaveCount(0);
});

test('lesson "From TDI to WSK" plays through: the race and the failure predicted under TDI, then the same under WSK (the stage switches API at step 4)', async ({ page }) => {
  test.setTimeout(180_000);
  const lab = new Lab(page);
  const lesson = new LessonPlayer(page);
  await lab.open('basics');
  await lesson.openFromMenu(/From TDI to WSK/);
  await lesson.atStep(1);
  await expect(lesson.count).toHaveText('Step 1 of 5');
  await expect(page.getByTestId('api-badge')).toHaveCount(0);
  // R24: under TDI, B1 loses the race.
  await lesson.next();
  await lesson.atStep(2, 'asking');
  await expect(lab.stack.locator('text.race-badge', { hasText: /⚑/ })).toHaveCount(0); // nothing gives the answer away
  await lesson.predict('B1');
  await lesson.atStep(2);
  await expect(lesson.reveal).toHaveAttribute('data-right', 'true');
  // R30: both A and B hear ClientEventError (B-any depends on nic0 too).
  await lesson.next();
  await lesson.atStep(3, 'asking');
  await lesson.predict(['A', 'B']);
  await lesson.atStep(3);
  await expect(lesson.reveal).toHaveAttribute('data-right', 'true');
  // Step 4 runs through WSK: the run starts again at 0 µs under the other API.
  await lesson.next();
  await lesson.atStep(4, 'asking');
  await expect(page.getByTestId('api-badge')).toHaveText('WSK');
  await lesson.predict('STATUS_DEVICE_NOT_READY');
  await lesson.atStep(4);
  await expect(lesson.reveal).toHaveAttribute('data-right', 'false');
  await expect(lesson.modelAnswer).toHaveText('STATUS_PENDING');
  // W5: only A, whose socket is routed over the failed nic0, gets a disconnect.
  await lesson.next();
  await lesson.atStep(5, 'asking');
  await lesson.predict(['A']);
  await lesson.atStep(5);
  await expect(lesson.reveal).toHaveAttribute('data-right', 'true');
  await lesson.next();
  await expect(lesson.end).toContainText('3 of 4 predictions matched the model');
  // Back on a TDI step from the end screen: the stage returns to TDI.
  await lesson.back();
  await lesson.back();
  await lesson.back();
  await lesson.atStep(3);
  await expect(page.getByTestId('api-badge')).toHaveCount(0);
});

for (const scheme of ['light', 'dark'] as const) {
  for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
    test(`picture: Compare TDI vs WSK on cascade at ${size.width}×${size.height}, ${scheme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(size);
      const { row } = await compareApis(page, 'cascade');
      await expect(row('what a failure reaches').nth(1)).toHaveText(/disconnect event/);
      await page.screenshot({ path: `/tmp/wsk-compare-${size.width}x${size.height}-${scheme}.png` });
    });
  }
}
