// Issue 9: a share link restores the moment in a fresh browser context, and Export… saves the trace
// (JSONL, Perfetto), the summary and pictures of the stage from the UI.
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { Lab } from './lab.ts';

/** What "the moment" looks like on the page: the status line, the branch, theme, speed and selection. */
async function moment(page: Page) {
  const lab = new Lab(page);
  const branch = page.getByLabel('Branch');
  return {
    time: await page.getByTestId('sim-time').textContent(),
    events: await lab.events(),
    branch: (await branch.count()) ? await branch.locator('option:checked').textContent() : null,
    theme: await page.locator('.app').getAttribute('data-theme'),
    speed: await page.getByLabel('Speed').inputValue(),
    inspector: await page.getByTestId('inspector-title').textContent(),
  };
}

test('done-when of issue 9: a share link opened in a fresh context shows the same time, events, branch, theme, speed and selection', async ({ page, browser }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.01' });
  // Play race to some moment, then pause there.
  await lab.button('Play').click();
  await expect.poll(() => lab.events()).toBeGreaterThan(150);
  await lab.button('Pause').click();
  await expect(page.getByTestId('play-state')).toHaveText('paused');
  // Step back one record and fail a driver there: acting in the past makes a branch.
  const before = await lab.events();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => lab.events()).toBeLessThan(before);
  await lab.failDriver('nic0', 'STATUS_LINK_FAILED');
  await expect(page.getByLabel('Branch').locator('option')).toHaveCount(2);
  await lab.stepOnce(); // and one step on, so the moment is inside the new branch's future
  // Change speed and theme, select a connection.
  await page.getByLabel('Speed').selectOption('0.002');
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await expect(page.locator('.app')).toHaveAttribute('data-theme', 'dark');
  await lab.connection('B1').click();
  await expect(page.getByTestId('inspector-title')).toHaveText('Connection B1');

  const sent = await moment(page);
  expect(sent.branch).toMatch(/^branch 2: LINK_FAILED on nic0 at /);
  await lab.button('Share').click();
  const link = await page.getByLabel('Share link').inputValue();
  // A preset's link carries what changed (v3): the branches' faults, not the whole scenario.
  expect(link).toMatch(/\?preset=race#v=3&p=race&h=[0-9a-f]{8}&t=\d+&n=\d+&speed=0\.002&theme=dark&sel=connection%3AB1&c=[A-Za-z0-9_-]+$/);
  // The banner says whether the link is on the clipboard (it said "copied if the browser allowed it").
  await expect(page.getByTestId('share')).toContainText(/copied to the clipboard|did not let it be copied/);

  // A fresh context: no storage, nothing shared with the sender's page.
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const other = await context.newPage();
  await other.goto(link);
  const lab2 = new Lab(other);
  await expect(lab2.title).toHaveText('Two clients race for freed space (R24)');
  await expect(other.getByTestId('sim-time')).toHaveText(sent.time!);
  await expect(lab2.eventCount).toHaveText(sent.events.toLocaleString('en-US'));
  await expect(other.getByLabel('Branch').locator('option:checked')).toHaveText(sent.branch!);
  await expect(other.getByLabel('Branch').locator('option')).toHaveCount(2);
  await expect(other.locator('.app')).toHaveAttribute('data-theme', 'dark');
  await expect(other.getByLabel('Speed')).toHaveValue('0.002');
  await expect(other.getByTestId('inspector-title')).toHaveText('Connection B1');
  expect(await moment(other)).toEqual(sent);
  // The other branch is there to go back to.
  await other.getByLabel('Branch').selectOption({ index: 0 });
  await expect(other.getByLabel('Branch').locator('option:checked')).toHaveText('main');
  await context.close();

  // On the sender's page, choosing another preset takes the old moment out of the address bar.
  await page.getByLabel('Preset').selectOption('basics');
  await expect(lab.title).toHaveText('Basics: fill, refuse, SendPossible, resubmit');
  await expect.poll(() => new URL(page.url()).hash).toBe('');
  expect(new URL(page.url()).searchParams.get('preset')).toBe('basics');
});

test('share: a hand-edited, rejected or newer link is named, the preset shows, and the page never stays on Loading…', async ({ page }) => {
  const lab = new Lab(page);
  await page.goto('/?preset=race#v=2&s=not*base64');
  await expect(lab.notice).toContainText("The link's s= part is not valid base64url");
  await expect(lab.notice).toContainText('Showing race instead.');
  await expect(lab.title).toHaveText('Two clients race for freed space (R24)');

  await page.goto('/?preset=cascade#v=7&s=abc');
  await expect(lab.notice).toContainText('made by a newer TDI Flow Lab (link format v7)');
  await expect(lab.title).toHaveText('A NIC fails: ClientEventError cascades (R30–R35)');

  // A well-formed link whose scenario the engine rejects: named, and the preset instead.
  const link = await page.evaluate(async () => {
    const json = JSON.stringify({ format: 'tdi-flow-lab/share@2', scenario: { format: 'tdi-flow-lab/scenario@1', title: 'broken' }, timeUs: 10 });
    const packed = new Uint8Array(await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
    return `/?preset=basics#v=2&s=${btoa(String.fromCharCode(...packed)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
  });
  await page.goto(link);
  await expect(lab.notice).toContainText("The link's scenario was not loaded:");
  await expect(lab.notice).toContainText('Showing basics instead.');
  await expect(lab.title).toHaveText('Basics: fill, refuse, SendPossible, resubmit');
});

async function exportFile(page: Page, what: RegExp | string, opts: { until?: 'now' | 'end'; of?: string } = {}) {
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.getByRole('radio', { name: what }).check();
  if (opts.until === 'end') await dialog.getByRole('radio', { name: /the end of the run/ }).check();
  if (opts.until === 'now') await dialog.getByRole('radio', { name: /^now/ }).check();
  if (opts.of) await dialog.getByLabel('Picture of').selectOption(opts.of);
  const named = await dialog.getByTestId('export-file-name').textContent();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const d = await download;
  expect(d.suggestedFilename()).toBe(named);
  await expect(dialog.getByTestId('export-status')).toHaveText(`Saved ${named}.`);
  const body = await readFile((await d.path())!);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  return { name: d.suggestedFilename(), body };
}

test('export from the UI: the trace as JSONL and for Perfetto, the summary, the stage as SVG and PNG', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.runToEnd();
  const events = await lab.events();

  // JSONL to now (the end here): every line is a record, as many as the page counted.
  const jsonl = await exportFile(page, /JSON lines/, { until: 'now' });
  expect(jsonl.name).toBe('race-20000us.trace.jsonl');
  const lines = jsonl.body.toString('utf8').trimEnd().split('\n');
  const records = lines.map((l) => JSON.parse(l) as { seq: number; type: string });
  expect(records.length).toBe(events);
  expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i));
  expect(records.some((r) => r.type === 'callback.sendPossible')).toBe(true);

  // Chrome / Perfetto: one JSON document with traceEvents (process names, send slices).
  const chrome = await exportFile(page, /Perfetto/, { until: 'end' });
  expect(chrome.name).toBe('race-20000us.trace.json');
  const trace = JSON.parse(chrome.body.toString('utf8')) as { traceEvents: { ph: string; name: string }[] };
  expect(trace.traceEvents.some((e) => e.ph === 'M' && e.name === 'process_name')).toBe(true);
  expect(trace.traceEvents.some((e) => e.ph === 'b' && e.name.startsWith('TDI_SEND'))).toBe(true);

  const summary = JSON.parse((await exportFile(page, /Summary/)).body.toString('utf8')) as { clients: Record<string, { lostRaces: number }> };
  expect(summary.clients.B!.lostRaces).toBeGreaterThan(0);

  // The stage as SVG: it parses, and the pool is in it with its capacity; styles are inline.
  const svg = await exportFile(page, /SVG/, { of: 'stage' });
  expect(svg.name).toBe('race-20000us.stage.svg');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const pool = doc.querySelector('[data-transport-id="tcp"][data-capacity]');
    return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName, capacity: pool?.getAttribute('data-capacity') ?? null, styled: doc.querySelectorAll('[style*="fill:"]').length, classes: doc.querySelectorAll('[class]').length };
  }, svg.body.toString('utf8'));
  expect(parsed).toMatchObject({ error: null, root: 'svg', capacity: '8192', classes: 0 });
  expect(parsed.styled).toBeGreaterThan(20);

  // The stage as PNG: a real PNG (its signature), twice the CSS size.
  const png = await exportFile(page, /PNG/, { of: 'stage' });
  expect(png.name).toBe('race-20000us.stage.png');
  expect([...png.body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  // A chart as SVG, through the store action a script or the embed API calls.
  const chart = await page.evaluate(async () => {
    const lab = (window as unknown as { tdiFlowLab: { actions: { export(f: string, o: object): Promise<Blob> } } }).tdiFlowLab;
    return (await lab.actions.export('svg', { target: 'rates' })).text();
  });
  expect(chart).toContain('Per ms: refusals');
});

test('screenshots: the Export dialog and an exported PNG, light and dark, at 1280×720', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.act('seek', 5800);
  await expect(page.getByTestId('sim-time')).toHaveText(/^5800 µs \//);
  await mkdir('screens', { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    while ((await page.locator('.app').getAttribute('data-theme')) !== theme) await page.getByRole('button', { name: 'Toggle theme' }).click();
    await page.getByRole('button', { name: 'Export…' }).click();
    await expect(page.getByRole('dialog', { name: 'Export' })).toBeVisible();
    await page.screenshot({ path: `screens/export-dialog-${theme}.png` });
    await page.keyboard.press('Escape');
    const png = await exportFile(page, /PNG/, { of: 'stage' });
    expect(png.name).toBe('race-5800us.stage.png');
    await writeFile(`screens/export-stage-${theme}.png`, png.body);
    const chart = await exportFile(page, /PNG/, { of: 'pool' });
    await writeFile(`screens/export-chart-pool-${theme}.png`, chart.body);
  }
});

test('short links (issue 16): stress with a fault and a selection is under 300 characters and opens at the same moment, record-exact', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const lab = new Lab(page);
  await lab.open('stress');
  await lab.seek(8191);
  await lab.act('injectFault', { driver: 'nic1', status: 'STATUS_ADAPTER_HARDWARE_ERROR', fatal: true });
  await expect(lab.notice).toContainText('Injected STATUS_ADAPTER_HARDWARE_ERROR on nic1');
  await lab.stepOnce();
  await lab.act('select', { kind: 'connection', index: 130 });
  const sent = { time: await page.getByTestId('sim-time').textContent(), events: await lab.events() };
  await lab.button('Share').click();
  const link = await page.getByLabel('Share link').inputValue();
  expect(link.length).toBeLessThan(300);
  expect(link).toMatch(/#v=3&p=stress&/);

  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const other = await context.newPage();
  await other.goto(link);
  const lab2 = new Lab(other);
  await expect(lab2.title).toHaveText('Stress: 2048 connections');
  await expect(other.getByTestId('sim-time')).toHaveText(sent.time!);
  await expect(lab2.eventCount).toHaveText(sent.events.toLocaleString('en-US'));
  await expect(other.getByTestId('inspector-title')).toHaveText('Connection K0-4.2');
  // The fault came with it: nic1 is down at this moment, as on the sender's page.
  await expect(page.locator('[data-node-id="nic1"][data-failed]').first()).toHaveAttribute('data-failed', 'true');
  await expect(other.locator('[data-node-id="nic1"][data-failed]').first()).toHaveAttribute('data-failed', 'true');
  await context.close();
});
