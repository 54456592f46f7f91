// Issue 9 (embedding), done-when: a host page on one origin embeds the app served on another with
// <tdi-flow-lab>, drives it through the postMessage API, and neither a stranger's commands nor garbage
// change anything; the embed shows the whole stage from 320×200 up, in both themes.
import { expect, test, type Frame } from '@playwright/test';
import { EmbedHost, elementPage, startHost, type HostServer } from './embedHost.ts';
import { measureEmbed, EMBED_BUDGET_BYTES } from '../bench/embed.size.ts';
import { Lab } from './lab.ts';
import { seriousViolations } from './axe.ts';

interface State {
  timeUs: number;
  durationUs: number;
  playing: boolean;
  finished: boolean;
  events: number;
  lostRaces: number;
  preset: string | null;
  theme: string;
}
interface TraceEvent {
  seq: number;
  t: number;
  type: string;
  lostRace?: boolean;
}

let host: HostServer;
let stranger: HostServer;
test.beforeAll(async () => {
  host = await startHost();
  stranger = await startHost();
});
test.afterAll(async () => {
  await host.close();
  await stranger.close();
});

const LOST_RACE = { type: 'send.complete', where: { lostRace: true } };

test('embed: a host on another origin loads race, seeks to the first lost race, reads the state and exports a trace that parses', async ({ page, baseURL }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  expect(new URL(host.origin).origin).not.toBe(new URL(baseURL!).origin); // two origins
  await page.goto(host.page('/drive.html', elementPage(baseURL!, 'preset="basics"')));
  const lab = new EmbedHost(page);
  const ready = await lab.ready();
  expect(ready.version).toBe(2); // #8: protocol 2 added the lesson ops
  await lab.expectStageShown();

  const loaded = await lab.call<{ title: string }>('load', 'race');
  expect(loaded.title).toMatch(/race/i);
  expect((await lab.call<State>('getState')).preset).toBe('race');

  // The first lost race, found by the worker from the start of the run; seek lands just after it.
  const { record } = await lab.call<{ record: TraceEvent }>('find', LOST_RACE);
  expect(record.lostRace).toBe(true);
  const at = await lab.call<State>('seek', { first: LOST_RACE });
  expect(at.timeUs).toBe(record.t);
  expect(at.lostRaces).toBeGreaterThanOrEqual(1);
  expect(at.playing).toBe(false);
  // It is the first: a microsecond earlier, no race has been lost.
  expect((await lab.call<State>('seek', record.t - 1)).lostRaces).toBe(0);
  await lab.call('seek', record.t);
  const state = await lab.call<State>('getState');
  expect(state).toMatchObject({ timeUs: record.t, preset: 'race', playing: false });
  // The embed's own display says the same.
  await expect((await lab.frame()).getByTestId('sim-time')).toContainText(record.t >= 10_000 ? `${(record.t / 1000).toFixed(2)} ms` : `${record.t} µs`);

  // The trace up to now, by the command line's exporter: one JSON record per line, ending at now.
  const jsonl = await lab.call<{ text: string; fileName: string; mime: string }>('export', 'jsonl');
  expect(jsonl.fileName).toBe(`race-${record.t}us.trace.jsonl`);
  const lines = jsonl.text.trimEnd().split('\n').map((l) => JSON.parse(l) as TraceEvent);
  expect(lines).toHaveLength(state.events);
  expect(lines.at(-1)!.t).toBeLessThanOrEqual(record.t);
  expect(lines.find((e) => e.type === 'send.complete' && e.lostRace)?.seq).toBe(record.seq);
  const chrome = JSON.parse((await lab.call<{ text: string }>('export', 'chrome-trace')).text) as { traceEvents: unknown[] };
  expect(chrome.traceEvents.length).toBeGreaterThan(0);
  const summary = JSON.parse((await lab.call<{ text: string }>('export', 'summary')).text) as { total: { lostRaces: number } };
  expect(summary.total.lostRaces).toBe(state.lostRaces);
  expect(errors).toEqual([]);
});

test('embed: record subscriptions deliver each matching record as it happens, and state events follow', async ({ page, baseURL }) => {
  await page.goto(host.page('/subscribe.html', elementPage(baseURL!, 'preset="race" speed="1000"')));
  const lab = new EmbedHost(page);
  await lab.ready();
  const got = await page.evaluate(async (match) => {
    const el = document.querySelector('tdi-flow-lab') as unknown as {
      on(ev: string, fn: (d: { subscription: number; record: { type: string; lostRace: boolean; t: number } }) => void): () => void;
      subscribe(m: unknown): Promise<{ subscription: number }>;
      play(): Promise<unknown>;
    };
    const first = new Promise<{ subscription: number; record: { type: string; lostRace: boolean; t: number } }>((resolve) => el.on('record', resolve));
    const { subscription } = await el.subscribe(match);
    await el.play();
    return { subscription, first: await first };
  }, LOST_RACE);
  expect(got.first.subscription).toBe(got.subscription);
  expect(got.first.record).toMatchObject({ type: 'send.complete', lostRace: true });

  const state = await page.evaluate(async () => {
    const el = document.querySelector('tdi-flow-lab') as unknown as { on(ev: string, fn: (s: { timeUs: number }) => void): void; subscribe(w: string): Promise<unknown> };
    const s = new Promise<{ timeUs: number }>((resolve) => el.on('state', resolve));
    await el.subscribe('state');
    return s;
  });
  expect(state.timeUs).toBeGreaterThan(0);
});

test('embed: a command from an origin not in allowOrigins is ignored', async ({ page, baseURL }) => {
  // A stranger's page frames the embed with allowOrigins naming someone else, then sends commands.
  const src = `${baseURL}/embed.html?preset=race&allowOrigins=${encodeURIComponent(host.origin)}`;
  await page.goto(stranger.page('/frame.html', `<!doctype html><html lang="en"><title>Stranger</title><iframe id="f" src="${src}" style="width:640px;height:360px"></iframe></html>`));
  const frame = page.frameLocator('#f');
  await expect(frame.locator('.app.embed')).toHaveAttribute('data-ready', 'true');
  await expect(frame.getByTestId('sim-time')).toHaveText(/^0 µs/);
  const warned = page.waitForEvent('console', (m) => m.type() === 'warning' && m.text().includes('not in allowOrigins'));
  await page.evaluate((origin) => {
    const w = (document.getElementById('f') as HTMLIFrameElement).contentWindow!;
    for (const m of [
      { protocol: 'tdi-flow-lab', op: 'seek', timeUs: 5000, id: 1 },
      { protocol: 'tdi-flow-lab', op: 'play', id: 2 },
    ]) w.postMessage(m, origin);
  }, new URL(baseURL!).origin);
  expect((await warned).text()).toContain(stranger.origin);
  // The warning is written when the messages were handled: nothing moved.
  await expect(frame.getByTestId('sim-time')).toHaveText(/^0 µs/);
  await expect(frame.locator('.app.embed')).not.toHaveAttribute('data-playing', 'true');
});

test('embed: allowOrigins=* lets any page read (getState, subscribe) but not act', async ({ page, baseURL }) => {
  // The element always adds its own page's origin; with src= pointing at a plain allowOrigins=* we test '*' alone.
  const src = `${baseURL}/embed.html?preset=race&allowOrigins=*`;
  await page.goto(stranger.page('/star.html', `<!doctype html><html lang="en"><title>Reader</title><iframe id="f" src="${src}" style="width:640px;height:360px"></iframe></html>`));
  await expect(page.frameLocator('#f').locator('.app.embed')).toHaveAttribute('data-ready', 'true');
  const replies = await page.evaluate(async (origin) => {
    const w = (document.getElementById('f') as HTMLIFrameElement).contentWindow!;
    const answers = new Map<number, unknown>();
    const done = new Promise<void>((resolve) =>
      window.addEventListener('message', (e) => {
        if (e.data?.op === 'reply') answers.set(e.data.id, e.data);
        if (answers.size === 2) resolve();
      }),
    );
    w.postMessage({ protocol: 'tdi-flow-lab', op: 'getState', id: 1 }, origin);
    w.postMessage({ protocol: 'tdi-flow-lab', op: 'play', id: 2 }, origin);
    await done;
    return [answers.get(1), answers.get(2)] as { ok: boolean; result?: { preset: string }; error?: string }[];
  }, new URL(baseURL!).origin);
  expect(replies[0]).toMatchObject({ ok: true, result: { preset: 'race' } });
  expect(replies[1]).toMatchObject({ ok: false });
  expect(replies[1]!.error).toContain('only getState, subscribe, unsubscribe and find');
});

test('embed: garbage messages change nothing; malformed requests get an answer naming what is wrong', async ({ page, baseURL }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.page('/garbage.html', elementPage(baseURL!, 'preset="race" t="5000"')));
  const lab = new EmbedHost(page);
  await lab.ready();
  const before = await lab.call<State>('getState');
  expect(before.timeUs).toBe(5000);
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  const cyclicFree = { a: { b: { c: { d: { e: 'deep' } } } } };
  await lab.postRaw([
    null,
    42,
    'play',
    [1, 2, 3],
    { op: 'play' },
    { protocol: 'tdi-flow-lab' },
    { protocol: 'tdi-flow-lab', op: 'explode' },
    { protocol: 'tdi-flow-lab', op: 'seek', timeUs: 'soon' },
    { protocol: 'tdi-flow-lab', op: 'seek', timeUs: -1 },
    { protocol: 'tdi-flow-lab', op: 'setSpeed', speed: 1e9 },
    { protocol: 'tdi-flow-lab', op: 'load', preset: 'nonsense' },
    { protocol: 'tdi-flow-lab', op: 'injectFault', driver: 'nic0', status: 'STATUS_BANANA' },
    { protocol: 'tdi-flow-lab', op: 'play', extra: cyclicFree },
    { protocol: 'tdi-flow-lab', op: '__proto__', id: 'raw' },
  ]);
  // Malformed requests with an id are answered with the problem, named by field.
  expect(await lab.callError('seek', { timeUs: -5 })).toMatch(/seek: timeUs must be a time in µs/);
  expect(await lab.callError('request', 'setSpeed', { speed: 'fast' })).toMatch(/setSpeed: speed/);
  expect(await lab.callError('load', { preset: 'nonsense' })).toMatch(/load: preset is not a preset/);
  expect(await lab.callError('request', 'explode')).toMatch(/unknown op "explode"/);
  expect(await lab.callError('injectFault', { driver: 'no-such-nic', status: 'STATUS_ADAPTER_HARDWARE_ERROR' })).toMatch(/no driver "no-such-nic"/);
  expect(await lab.callError('export', 'gif')).toMatch(/export: format must be one of/);
  // Everything before was handled first (messages are handled in order): nothing changed.
  const after = await lab.call<State>('getState');
  expect(after).toEqual(before);
  await expect((await lab.frame()).locator('svg.stack')).toBeVisible();
  expect(errors).toEqual([]);
  // One warning per kind of problem, not one per message.
  expect(warnings.length).toBeGreaterThan(0);
  expect(warnings.length).toBeLessThan(14);
});

test('embed: bad parameters are named in a small notice and the embed still shows', async ({ page }) => {
  await page.goto('/embed.html?preset=nope&speed=fast&t=later&controls=huge&pauseAt=first:send.nothing&wat=1');
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('preset=nope is not a preset');
  await expect(notice).toContainText('speed=fast');
  await expect(notice).toContainText('t=later');
  await expect(notice).toContainText('controls=huge');
  await expect(notice).toContainText('wat= is not an embed parameter');
  await expect(notice).toContainText('"send.nothing" is not a record type');
  await expect(page.locator('svg.stack')).toBeVisible();
  await expect(page.locator('.app.embed')).toHaveAttribute('data-ready', 'true');
  await page.getByRole('button', { name: 'Dismiss notice' }).click();
  await expect(notice).toBeHidden();
});

test('embed: pauseAt=first:… with autoplay stops just after the first lost race', async ({ page, baseURL }) => {
  await page.goto(host.page('/pause.html', elementPage(baseURL!, 'preset="race" speed="100" autoplay pause-at="first:send.complete,lostRace=true"')));
  const lab = new EmbedHost(page);
  await lab.ready();
  const { record } = await lab.call<{ record: TraceEvent }>('find', LOST_RACE);
  await expect.poll(async () => lab.call<State>('getState')).toMatchObject({ timeUs: record.t, playing: false, lostRaces: 1 });
});

const SIZES = [
  { width: 320, height: 200 },
  { width: 800, height: 450 },
  { width: 1280, height: 720 },
];

for (const theme of ['light', 'dark'] as const) {
  test(`embed: at 320×200, 800×450 and 1280×720 (${theme}) the whole stage shows, the bar on one row, nothing clipped`, async ({ page, baseURL }, info) => {
    await page.setViewportSize({ width: 1320, height: 760 });
    for (const size of SIZES) {
      await page.goto(host.page(`/size-${theme}-${size.width}.html`, elementPage(baseURL!, `preset="race" t="5800" theme="${theme}"`, size)));
      const lab = new EmbedHost(page);
      await lab.ready();
      await lab.expectStageShown();
      const f = await lab.frame();
      await expect(f.locator('.app.embed')).toHaveAttribute('data-theme', theme);
      const report = await fitReport(f);
      expect(report.viewport).toEqual(size);
      expect(report.clipped, `clipped at ${size.width}×${size.height}`).toEqual([]);
      expect(report.overlaps, `rows overlap at ${size.width}×${size.height}`).toEqual([]);
      expect(report.barRows, 'the control bar is one row').toBe(1);
      expect(report.drawn).toBeGreaterThan(8);
      await lab.element.screenshot({ path: info.outputPath(`embed-${size.width}x${size.height}-${theme}.png`) });
    }
  });
}

/** In the embed's frame: what of the stage or the bar lies outside the frame (or the stage under the bar). */
async function fitReport(f: Frame): Promise<{ viewport: { width: number; height: number }; clipped: string[]; overlaps: string[]; barRows: number; drawn: number }> {
  return f.evaluate(() => {
    const W = innerWidth;
    const H = innerHeight;
    const bar = document.querySelector('.embed-bar')!.getBoundingClientRect();
    const clipped: string[] = [];
    const items = [...document.querySelectorAll('svg.stack [data-node-id], svg.stack g.client, svg.stack g.address, svg.stack g.conn, svg.stack g.pool, svg.stack .row-labels text')];
    for (const e of items) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < -0.5 || r.top < -0.5 || r.right > W + 0.5 || r.bottom > bar.top + 0.5) {
        clipped.push(`${e.getAttribute('class') ?? e.tagName} ${e.getAttribute('data-node-id') ?? e.textContent?.slice(0, 20) ?? ''} at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`);
      }
    }
    // Rows keep apart: no client box over an address box, no address over the pool (as at 320×200 before the stage scaled).
    const overlaps: string[] = [];
    const boxes = (sel: string) => [...document.querySelectorAll(sel)].map((e) => ({ name: sel, r: e.getBoundingClientRect() }));
    const rowsOf = [boxes('svg.stack g.client'), boxes('svg.stack g.address'), boxes('svg.stack g.pool')];
    for (let i = 0; i < rowsOf.length; i++)
      for (let j = i + 1; j < rowsOf.length; j++)
        for (const a of rowsOf[i]!)
          for (const b of rowsOf[j]!)
            if (a.r.left < b.r.right && b.r.left < a.r.right && a.r.top < b.r.bottom && b.r.top < a.r.bottom) overlaps.push(`${a.name} × ${b.name}`);
    const controls = [...document.querySelectorAll('.embed-bar > *')].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0);
    for (const r of controls) if (r.left < -0.5 || r.right > W + 0.5 || r.bottom > H + 0.5) clipped.push(`a control at ${Math.round(r.left)}–${Math.round(r.right)}`);
    const rows = new Set(controls.map((r) => Math.round(r.top + r.height / 2) > bar.top + bar.height / 2 + 8 ? 2 : 1));
    return { viewport: { width: W, height: H }, clipped, overlaps, barRows: rows.size === 0 ? 0 : Math.max(...rows), drawn: items.length };
  });
}

test('embed: no serious or critical accessibility violations (axe)', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 450 });
  await page.goto('/embed.html?preset=race&t=5800&panels=log,why');
  await expect(page.locator('.app.embed')).toHaveAttribute('data-ready', 'true');
  expect(await seriousViolations(page)).toEqual([]);
});

test('embed: the first load is at most 80 KB gzip (#19), the worker included (bench/embed.size.ts)', () => {
  const r = measureEmbed('dist');
  expect(r.files.some((f) => f.file.includes('sim.worker'))).toBe(true);
  expect(r.files.some((f) => f.file.endsWith('.css'))).toBe(true);
  expect(r.total).toBeLessThanOrEqual(EMBED_BUDGET_BYTES);
});

test('app: Embed… writes the snippet for what is on screen, and that snippet works in a host page', async ({ page, baseURL }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.act('seek', 5800);
  await expect(page.getByTestId('sim-time')).toHaveText(/^5800 µs \//);
  await lab.button('Embed…').click();
  const dialog = page.getByRole('dialog', { name: 'Embed' });
  const html = await dialog.getByTestId('embed-snippet-html').inputValue();
  expect(html).toContain(`<script src="${baseURL}/embed.js" defer></script>`);
  expect(html).toMatch(/<tdi-flow-lab preset="race" t="5800" speed="0.001"/);
  await expect(dialog.getByTestId('embed-snippet-iframe')).toHaveValue(/embed\.html\?preset=race&amp;t=5800/);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The snippet, pasted into a page on another origin, shows the same moment.
  await page.goto(host.page('/pasted.html', `<!doctype html><html lang="en"><title>Pasted</title><body>${html}</body></html>`));
  const embed = new EmbedHost(page);
  await embed.ready();
  expect(await embed.call<State>('getState')).toMatchObject({ preset: 'race', timeUs: 5800 });
});
