import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { Lab } from './lab.ts';
import { seriousViolations } from './axe.ts';

test('a preset loads in a Web Worker and plays', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  const lab = new Lab(page);
  await lab.open('basics', { speed: '0.01' });
  await expect(lab.title).toHaveText('Basics: fill, refuse, SendPossible, resubmit');
  const before = await lab.events();
  await lab.button('Play').click();
  await expect.poll(() => lab.events()).toBeGreaterThan(before);
  await expect(lab.button('Pause')).toBeVisible();
  expect(workers).toHaveLength(1);
  // The main thread stays responsive while the model plays: the UI answers input at once.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Help' })).toBeVisible();
});

test('race: a DEVICE_NOT_READY bounce, a SendPossible with BytesAvailable, and a lost race', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  // Step one record at a time until the first refusal: the bounce is drawn on the SVG layer, and
  // the refused connection is left owing a SendPossible (R13, R21).
  const bounce = lab.stack.locator('.fx-label', { hasText: 'DEVICE_NOT_READY' });
  for (let i = 0; i < 60 && (await bounce.count()) === 0; i++) await lab.stepOnce();
  await expect(bounce.first()).toBeAttached();
  await expect(lab.stack.locator('g.conn[data-state="refused"]')).toHaveCount(1);

  await lab.runToEnd();
  await expect(lab.connection('B1')).not.toHaveAttribute('data-lost-races', '0');
  await expect(lab.stack.locator('g.pool[data-transport-id="tcp"]')).toHaveAttribute('data-capacity', '8192');

  await lab.filterLog({ chip: 'callbacks', client: 'B' });
  await expect(lab.logRows.first()).toContainText(/ClientEventSendPossible\(ctx=B, conn=B1, BytesAvailable=\d+\)/);
  await lab.filterLog({ chip: 'callbacks' }); // off again
  await lab.filterLog({ chip: 'sends', status: 'STATUS_DEVICE_NOT_READY' });
  await expect(lab.logRows.filter({ hasText: 'lost race' }).first()).toContainText('TDI_SEND(B1');
  await expect(lab.logRows.first()).toContainText('→ STATUS_DEVICE_NOT_READY (0xC00000A3)');

  // The inspector explains the connection.
  await lab.connection('B1').click();
  await expect(page.getByTestId('inspector-title')).toHaveText('Connection B1');
  await expect(page.getByTestId('inspector-lost-races')).not.toHaveText('0');
});

test('cascade: ClientEventError reaches exactly the dependent addresses that registered a handler', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('cascade', { speed: '0.001' });
  await lab.runToEnd();
  await expect(lab.address('A-0')).toHaveAttribute('data-error-calls', '2'); // Error and ErrorEx
  await expect(lab.address('B-1')).toHaveAttribute('data-error-calls', '0'); // does not depend on nic0
  await expect(lab.address('C-any')).toHaveAttribute('data-error-calls', '0'); // depends, but no handler
  await expect(lab.address('C-any')).toHaveAttribute('data-usable', 'false');
  await expect(lab.address('B-1')).toHaveAttribute('data-usable', 'true');
  await expect(lab.connection('C2')).toHaveAttribute('data-state', 'broken');
  await lab.filterLog({ chip: 'callbacks', status: 'STATUS_ADAPTER_HARDWARE_ERROR' });
  await expect(lab.logRows).toHaveCount(2);
  await expect(lab.logRows.nth(0)).toContainText('ClientEventError(ctx=A:A-0, Status=STATUS_ADAPTER_HARDWARE_ERROR (0xC00000C2))');
  await expect(lab.logRows.nth(1)).toContainText('ClientEventErrorEx(ctx=A:A-0');
});

test('clicking a NIC and failing it breaks the addresses that depend on it', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('basics', { speed: '0.001' });
  await page.keyboard.press('ArrowRight');
  await lab.failDriver('nic0', 'STATUS_LINK_FAILED');
  await expect(lab.notice).toContainText('Injected STATUS_LINK_FAILED on nic0');
  await expect(lab.driver('nic0')).toHaveAttribute('data-failed', 'true');
  await expect(lab.address('A-445')).toHaveAttribute('data-error-calls', '1');
  await expect(lab.connection('A1')).toHaveAttribute('data-state', 'broken');
  await lab.filterLog({ chip: 'faults' });
  await expect(lab.logRows.first()).toContainText('nic0 FAILED: STATUS_LINK_FAILED (0xC000013E)');
  // The fault is part of the scenario now: a reset replays it.
  await page.keyboard.press('r');
  await lab.runToEnd();
  await expect(lab.address('A-445')).toHaveAttribute('data-error-calls', '1');
});

test('keyboard: Space, →, +/−, R and ? work', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('basics', { speed: '0.001' });
  const start = await lab.events();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => lab.events()).toBeGreaterThan(start);
  const speed = page.getByLabel('Speed');
  const before = await speed.inputValue();
  await page.keyboard.press('+');
  await expect(speed).not.toHaveValue(before);
  await page.keyboard.press('-');
  await expect(speed).toHaveValue(before);
  await page.keyboard.press(' ');
  await expect(lab.button('Pause')).toBeVisible();
  await page.keyboard.press(' ');
  await expect(lab.button('Play')).toBeVisible();
  await page.keyboard.press('r');
  await expect.poll(() => lab.events()).toBe(start);
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Help' })).toContainText('Where the documents are silent');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Help' })).toBeHidden();
});

test('irql: a handler that waits at DISPATCH_LEVEL ends in a stop screen naming it', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('irql', { speed: '0.01' });
  await lab.button('Run to end').click();
  const stop = page.getByTestId('bugcheck');
  await expect(stop).toContainText('STOP: 0x0000000A (IRQL_NOT_LESS_OR_EQUAL)');
  await expect(stop).toContainText('ClientEventSendPossible of client M');
  // #8: the stop screen tells what led to it, in the log's plain words: the SendPossible call at
  // DISPATCH_LEVEL that M's handler waited in.
  const leadUp = stop.getByTestId('bugcheck-leadup').getByRole('listitem');
  await expect(leadUp.first()).toBeVisible();
  await expect(stop.getByTestId('bugcheck-leadup')).toContainText('ClientEventSendPossible');
  await page.screenshot({ path: 'test-results/irql-stop-screen.png' });
  // Set aside, the stopped moment is on the stage (a bar says why), and the screen comes back.
  await stop.getByRole('button', { name: 'Look at the stage' }).click();
  await expect(stop).toBeHidden();
  const bar = page.getByTestId('bugcheck-bar');
  await expect(bar).toContainText('Stopped by a bug check');
  await expect(lab.stack.locator('svg.stack')).toBeVisible();
  await page.screenshot({ path: 'test-results/irql-stop-aside.png' });
  await bar.getByRole('button', { name: 'Show the stop screen' }).click();
  await expect(stop).toBeVisible();
  await stop.getByRole('button', { name: /Reset/ }).click();
  await expect(stop).toBeHidden();
  await expect(bar).toBeHidden();
});

test('#8: at the end the caption tells the last moment, not an older event of the way; Play becomes Replay', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('basics');
  await lab.runToEnd();
  // The caption narrates the run's last instant (it said "6000 µs … refused" at 14 ms).
  const lastRowT = await page.getByTestId('log').locator('.log-row:visible').last().locator('.t').textContent();
  await expect(lab.caption.locator('.caption-t')).toHaveText(lastRowT!);
  const replay = page.getByRole('button', { name: 'Replay from the start' });
  await expect(replay).toBeEnabled();
  const endEvents = await lab.events();
  await replay.click();
  // From the start again: fewer events than at the end, then more as it plays.
  await expect.poll(() => lab.events()).toBeLessThan(endEvents);
  const restarted = await lab.events();
  await expect.poll(() => lab.events()).toBeGreaterThan(restarted); // and it plays (however fast the machine)
});

test('#8 phone: a tap on a connection offers the way to its details, below the fold', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const lab = new Lab(page);
  await lab.open('race');
  await lab.connection('B1').click();
  const jump = page.getByRole('button', { name: 'See its details ↓' });
  await expect(jump).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await jump.click();
  await expect(page.getByTestId('inspector-title')).toHaveText('Connection B1');
  await expect(page.getByTestId('inspector-title')).toBeInViewport();
  await expect(jump).toBeHidden();
});

test('stress: 2048 connections switch to the dense grid', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('stress', { speed: '10' });
  const grid = lab.stack.locator('canvas.dense-grid');
  await expect(grid).toHaveAttribute('data-connections', '2048');
  await expect(lab.stack.locator('g.conn')).toHaveCount(0);
  // #10: a key says what each colour means, and the grid leaves the CONNECTIONS caption visible.
  const key = lab.stack.getByRole('list', { name: 'Key of the grid of connections' });
  await expect(key.getByRole('listitem')).toHaveText(['by address', 'idle', 'queued', 'waiting', 'refused', 'broken']);
  await expect(grid).toHaveAttribute('data-lod', 'connection'); // 2,048: a cell per connection
  const caption = lab.stack.locator('svg.stack .row-labels text', { hasText: 'connections' });
  await expect(caption).toBeVisible();
  const [c, g, k] = [(await caption.boundingBox())!, (await grid.boundingBox())!, (await key.boundingBox())!];
  expect(c.y + c.height).toBeLessThanOrEqual(g.y + 1);
  expect(k.y + k.height).toBeLessThanOrEqual(g.y + 1);
  const firstItem = (await key.getByRole('listitem').first().boundingBox())!;
  expect(c.x + c.width).toBeLessThanOrEqual(firstItem.x); // the caption and the key share the line without touching
  await lab.button('Play').click();
  await expect.poll(() => lab.events()).toBeGreaterThan(10_000);
  await expect(grid).not.toHaveAttribute('data-refused', '0');
  // On a larger screen the stage is drawn larger (its text scales): the grid scales with it, still
  // spanning the stage and below its caption (it was laid out at 1×: 55% of the width, over the caption).
  for (const projector of [false, true]) {
    if (projector) await lab.open('stress', { projector: '1' });
    await page.setViewportSize({ width: 1920, height: 1080 });
    const svg = lab.stack.locator('svg.stack');
    await expect(svg).not.toHaveAttribute('data-text-scale', '1');
    await expect
      .poll(async () => {
        const [s, gr] = [(await svg.boundingBox())!, (await grid.boundingBox())!];
        return gr.width / s.width;
      })
      .toBeGreaterThan(0.9);
    const [cap, gr2, key2] = [(await caption.boundingBox())!, (await grid.boundingBox())!, (await key.boundingBox())!];
    expect(cap.y + cap.height).toBeLessThanOrEqual(gr2.y + 1);
    expect(key2.y + key2.height).toBeLessThanOrEqual(gr2.y + 1);
    const addressBoxes = await lab.stack.locator('g.address rect').first().boundingBox();
    expect(key2.y).toBeGreaterThanOrEqual(addressBoxes!.y + addressBoxes!.height); // the key is under the addresses, not on them
  }
});

test('#10: the dense grid by address: one column per address adds up its connections; keyboard and click select the address', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('stress', { speed: '10' });
  const grid = lab.stack.locator('canvas.dense-grid');
  await lab.button('Play').click();
  await expect.poll(() => lab.events()).toBeGreaterThan(10_000);
  await lab.button('Pause').click();
  await expect(page.getByTestId('play-state')).toHaveText('paused');
  const toggle = lab.stack.getByRole('button', { name: 'by address' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(grid).toHaveAttribute('data-lod', 'address');
  // The keyboard walks the columns: each names its address and its 32 connections by state, and
  // the states add up to them. Over all 64, they add up to the grid's own refused count.
  await grid.focus();
  let refused = 0;
  const seen = new Set<string>();
  for (let i = 0; i < 64; i++) {
    await page.keyboard.press('ArrowRight');
    const label = (await grid.getAttribute('aria-label'))!;
    const m = /On (\S+) \(client (K\d)\): 32 connections, (\d+) queued, (\d+) waiting, (\d+) refused, (\d+) broken, (\d+) idle\./.exec(label);
    expect(m, label).not.toBeNull();
    const [, address, client, ...counts] = m!;
    expect(address!.startsWith(`${client}-`)).toBe(true); // the stress preset names addresses after their client
    expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(32);
    refused += Number(counts[2]);
    seen.add(address!);
  }
  expect(seen.size).toBe(64); // every address once, left to right
  expect(refused).toBe(Number(await grid.getAttribute('data-refused')));
  // Enter selects the column's address for the inspector.
  await page.keyboard.press('Home');
  const first = (await grid.getAttribute('data-cursor'))!;
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inspector-title')).toHaveText(`Address ${first}`);
  // And back to a cell per connection.
  await toggle.click();
  await expect(grid).toHaveAttribute('data-lod', 'connection');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
});

test('#10: 20,480 connections start by address (a cell would be a pixel or two)', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new Lab(page);
  await lab.open('stress');
  // The stress preset with ten times the connections on each address (as `npm run bench` plays it).
  const stress = JSON.parse(readFileSync(new URL('../src/scenario/presets/stress.json', import.meta.url), 'utf8'));
  stress.connections = stress.connections.flatMap((c: { id: string }) => Array.from({ length: 10 }, (_, k) => ({ ...c, id: k === 0 ? c.id : `${c.id}x${k}` })));
  await page.evaluate((s) => (window as unknown as { tdiFlowLab: { command(c: unknown): unknown } }).tdiFlowLab.command({ op: 'load', source: { kind: 'json', scenario: s } }), stress);
  const grid = lab.stack.locator('canvas.dense-grid');
  await expect(grid).toHaveAttribute('data-connections', '20480', { timeout: 60_000 }); // 20,480 connections take a while to load on a busy machine
  await expect(grid).toHaveAttribute('data-lod', 'address');
  await expect(lab.stack.getByRole('button', { name: 'by address' })).toHaveAttribute('aria-pressed', 'true');
  await grid.focus();
  await page.keyboard.press('End');
  await expect(grid).toHaveAttribute('aria-label', /On K7-\d+ \(client K7\): 320 connections, /);
});

test('bad input: an unknown preset in the URL and a malformed file are named, nothing is lost', async ({ page }) => {
  const lab = new Lab(page);
  await page.goto('/?preset=nope&seed=-4');
  await expect(lab.notice).toContainText('There is no preset "nope"');
  await expect(lab.notice).toContainText('seed=-4');
  await expect(lab.title).toHaveText('Basics: fill, refuse, SendPossible, resubmit');

  const chooser = page.waitForEvent('filechooser');
  await lab.button('Open…').click();
  const bad = { format: 'tdi-flow-lab/scenario@1', seed: 1, durationUs: 100, drivers: [{ id: 'nic0', kind: 'nic', linkBytesPerMs: 10 }], transports: [{ id: 't', lower: ['nic0'], sendBufferBytes: 10, maxSendBytes: 10 }], clients: [{ id: 'A' }], addresses: [{ id: 'a', client: 'A', transport: 't', nics: ['nic0'] }], connections: [{ id: 'k', address: 'a', nic: 'nic2' }] };
  await (await chooser).setFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(lab.problems).toContainText('connections[0].nic: "nic2" is not a NIC of address "a"');
  await expect(lab.title).toHaveText('Basics: fill, refuse, SendPossible, resubmit');

  const chooser2 = page.waitForEvent('filechooser');
  await lab.button('Open…').click();
  await (await chooser2).setFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{ "format": ') });
  await expect(lab.problems).toContainText('broken.json: (root): not valid JSON at line 1');
});

test('share: a link replays the scenario with a fault injected by hand; a broken link is named', async ({ page, context }) => {
  const lab = new Lab(page);
  await lab.open('basics', { speed: '0.001' });
  await lab.stepOnce();
  await lab.failDriver('nic0', 'STATUS_LINK_FAILED');
  await lab.button('Share').click();
  const link = await page.getByLabel('Share link').inputValue();
  expect(link).toContain('#v=3&p=basics&');

  const other = await context.newPage();
  const lab2 = new Lab(other);
  await other.goto(link);
  await expect(lab2.title).toHaveText('Basics: fill, refuse, SendPossible, resubmit');
  await lab2.runToEnd();
  await expect(lab2.address('A-445')).toHaveAttribute('data-error-calls', '1'); // the fault came with it

  await other.goto('/?preset=race#scenario=not-a-scenario');
  await expect(lab2.notice).toContainText("The link's #scenario= part does not unpack");
  await expect(lab2.title).toHaveText('Two clients race for freed space (R24)');
});

test('#10 URL items: ?speed=0.37 shows as itself; ?speed=0x10 is named; a typed seed loads on Enter, not per keystroke', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('basics', { speed: '0.37' });
  await expect(page.getByRole('combobox', { name: 'Speed' })).toHaveValue('0.37');
  await expect(page.getByRole('combobox', { name: 'Speed' }).locator('option:checked')).toHaveText(/^0\.37×/);

  await lab.open('basics', { speed: '0x10' });
  await expect(page.getByText('speed=0x10 must be a decimal number')).toBeVisible();

  // Typing does not load a run per keystroke: Escape drops the draft and the run's own seed is back.
  const seed = page.getByRole('spinbutton', { name: 'Seed' });
  const original = await seed.inputValue();
  await seed.fill('12');
  await seed.press('Escape');
  await expect(seed).toHaveValue(original);
  // Enter commits: the run on screen now has that seed (the field shows the loaded scenario's seed).
  await seed.fill('123');
  await seed.press('Enter');
  await lab.button('Play').focus();
  await expect(seed).toHaveValue('123');
});

test('#8: at 1280×720 the toolbar is one row, so the stage keeps its height (caption and scrubber unclipped)', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('partial-copy');
  // The tools wrapped in ToolbarMore (#14) are in the row too, one level down.
  const tops = await page.locator('header.topbar > :not(.tb-more):visible, header.topbar .tb-more-items > *:visible').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2)));
  expect(tops.length).toBeGreaterThan(10);
  expect(Math.max(...tops) - Math.min(...tops), `row centres ${tops.join(', ')}`).toBeLessThan(12);
  // The caption sits wholly above the scrubber.
  const caption = (await lab.caption.boundingBox())!;
  const scrubber = (await page.getByTestId('scrubber').boundingBox())!;
  expect(caption.y + caption.height).toBeLessThanOrEqual(scrubber.y + 1);
});
