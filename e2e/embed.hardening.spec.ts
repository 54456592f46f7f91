// Issue 17 (hardening the embed API): every request gets exactly one reply — done, superseded or
// failed — whatever follows it; a page allowed only to read can neither cancel the host's
// subscriptions nor starve its commands; an attribute change never leaves a promise hanging; and
// (#16) a promise resolves once its effect is what getState says.
import { expect, test } from '@playwright/test';
import { EmbedHost, elementPage, startHost, type HostServer } from './embedHost.ts';
import { HostAndGuest } from './embedGuest.ts';

interface State {
  timeUs: number;
  playing: boolean;
  preset: string | null;
  events: number;
}

let host: HostServer;
let guestServer: HostServer;
test.beforeAll(async () => {
  host = await startHost();
  guestServer = await startHost();
});
test.afterAll(async () => {
  await host.close();
  await guestServer.close();
});

/** Waits for n animation frames of the embed (not a timer): frames the worker could have sent by then are drawn. */
async function embedFrames(lab: EmbedHost, n: number): Promise<void> {
  const f = await lab.frame();
  await f.evaluate((count) => new Promise<void>((resolve) => {
    let left = count;
    const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  }), n);
}

test('#17 hole 1: seek then step in one tick — both promises settle (the seek done at 3000 µs or superseded, the step done); seek then seek{first} too', async ({ page, baseURL }) => {
  await page.goto(host.page('/h1.html', elementPage(baseURL!, 'preset="race"')));
  const lab = new EmbedHost(page);
  await lab.ready();
  for (let round = 0; round < 6; round++) {
    const outcome = await page.evaluate(async (from) => {
      const el = document.querySelector('tdi-flow-lab') as unknown as Record<string, (...a: unknown[]) => Promise<{ timeUs: number }>>;
      await el.seek!(from); // from before and from after the target
      const settled = await Promise.allSettled([el.seek!(3000), el.step!()]);
      return settled.map((s) => (s.status === 'fulfilled' ? `done at ${s.value.timeUs}` : `${(s.reason as { superseded?: boolean }).superseded ? 'superseded' : 'failed'}: ${(s.reason as Error).message}`));
    }, round % 2 === 0 ? 100 : 12_000);
    // Done means its moment showed; superseded means the step's frame came first.
    expect(['done at 3000', 'superseded: seek was superseded: a step that followed it moved the time before its moment was shown']).toContain(outcome[0]);
    expect(outcome[1]).toMatch(/^done at 3\d\d\d$/);
  }
  const both = await page.evaluate(async () => {
    const el = document.querySelector('tdi-flow-lab') as unknown as Record<string, (...a: unknown[]) => Promise<{ timeUs: number }>>;
    const settled = await Promise.allSettled([el.seek!(3000), el.seek!({ first: { type: 'send.complete', where: { lostRace: true } } })]);
    return settled.map((s) => (s.status === 'fulfilled' ? s.value.timeUs : (s.reason as { superseded?: boolean }).superseded ? 'superseded' : 'failed'));
  });
  expect([3000, 'superseded']).toContain(both[0]);
  expect(typeof both[1]).toBe('number');
  // `await lab.seek(3000)` alone lands there.
  expect((await lab.call<State>('seek', 3000)).timeUs).toBe(3000);
});

test('#17 hole 1: a flood of 1,000 seeks gets exactly 1,000 replies, each done or superseded', async ({ page, baseURL }) => {
  const hg = await HostAndGuest.open(page, baseURL!, host, guestServer);
  const origin = new URL(baseURL!).origin;
  const ids = Array.from({ length: 1000 }, (_, i) => i + 1);
  await hg.hostPosts(ids.map((id) => ({ op: 'seek', timeUs: (id * 7919) % 20_000, id })), origin);
  const replies = await hg.hostReplies(ids);
  expect(Object.keys(replies)).toHaveLength(1000);
  expect(Object.values(replies).filter((r) => r.count !== 1)).toEqual([]);
  const failed = Object.values(replies).filter((r) => !r.ok && !r.superseded);
  expect(failed).toEqual([]);
  // The last one's moment shows: it was done.
  expect(replies['1000']).toMatchObject({ ok: true, result: { timeUs: (1000 * 7919) % 20_000 } });
});

test('#16: await pause() resolves once paused — getState right after says playing: false, and the time no longer moves', async ({ page, baseURL }) => {
  await page.goto(host.page('/pause.html', elementPage(baseURL!, 'preset="race" speed="0.01"')));
  const lab = new EmbedHost(page);
  await lab.ready();
  for (let round = 0; round < 3; round++) {
    await lab.call('play');
    expect((await lab.call<State>('getState')).playing).toBe(true);
    const start = (await lab.call<State>('getState')).timeUs;
    await expect.poll(async () => (await lab.call<State>('getState')).timeUs).toBeGreaterThan(start);
    const [after] = await page.evaluate(async () => {
      const el = document.querySelector('tdi-flow-lab') as unknown as { pause(): Promise<unknown>; getState(): Promise<State> };
      await el.pause();
      return [await el.getState()];
    });
    expect(after!.playing).toBe(false);
    await embedFrames(lab, 10);
    expect((await lab.call<State>('getState')).timeUs).toBe(after!.timeUs);
  }
});

test('#17 hole 5: an attribute change that reloads the embed rejects the request that was out, with a reason; the new embed answers', async ({ page, baseURL }) => {
  await page.goto(host.page('/h5.html', elementPage(baseURL!, 'preset="race"')));
  const lab = new EmbedHost(page);
  await lab.ready();
  const outcome = await page.evaluate(async () => {
    const el = document.querySelector('tdi-flow-lab') as unknown as HTMLElement & { seek(x: unknown): Promise<unknown>; getState(): Promise<State> };
    const p = el.seek({ first: { type: 'send.complete' } });
    el.setAttribute('preset', 'herd');
    try {
      await p;
      return 'resolved';
    } catch (e) {
      return (e as Error).message;
    }
  });
  expect(outcome).toBe('seek: the embed was reloaded before the command could be sent');
  // Also a request already posted to the old frame.
  await lab.ready();
  const posted = await page.evaluate(async () => {
    const el = document.querySelector('tdi-flow-lab') as unknown as HTMLElement & { ready: Promise<unknown>; seek(x: unknown): Promise<unknown> };
    await el.ready;
    const p = el.seek(9000);
    await new Promise((r) => setTimeout(r, 0)); // it has been posted
    el.setAttribute('preset', 'race');
    return p.then(() => 'resolved', (e: Error) => e.message);
  });
  expect(['the embed was reloaded', 'resolved']).toContain(posted);
  expect((await lab.call<State>('getState')).preset).toBe('race');
});

test('#17 hole 2: a read-only guest cannot cancel the host\'s subscription; the host receives its records', async ({ page, baseURL }) => {
  const hg = await HostAndGuest.open(page, baseURL!, host, guestServer);
  const origin = new URL(baseURL!).origin;
  await hg.hostPosts([{ op: 'subscribe', records: { type: 'send.complete' }, id: 'sub' }], origin);
  const { sub } = await hg.hostReplies(['sub']);
  const subscription = (sub!.result as { subscription: number }).subscription;
  // Ids are not counted up: the guest tries the first 50 and the real one (as if it had learned it).
  await hg.guestPosts([...Array.from({ length: 50 }, (_, i) => ({ op: 'unsubscribe', subscription: i + 1, id: i + 1 })), { op: 'unsubscribe', subscription, id: 'real' }]);
  await expect.poll(async () => Object.keys((await hg.guestTally()).replies).length).toBe(51);
  const guest = (await hg.guestTally()).replies;
  expect(Object.values(guest).filter((r) => r.ok)).toEqual([]);
  expect(guest.real!.error).toBe(`unsubscribe: there is no subscription ${subscription} of yours`);
  await hg.hostPosts([{ op: 'play', id: 'play' }], origin);
  await expect.poll(async () => (await hg.hostTally()).records[String(subscription)] ?? 0).toBeGreaterThan(10);
});

test('#17 hole 3: a guest\'s 5,000 subscribes are bounded and the host\'s next commands are answered while it floods', async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  const hg = await HostAndGuest.open(page, baseURL!, host, guestServer, 'preset=race&speed=1');
  const origin = new URL(baseURL!).origin;
  await hg.guestPosts(Array.from({ length: 5000 }, (_, i) => ({ op: 'subscribe', records: { type: 'send.submit' }, id: i })));
  const ids = ['a', 'b', 'c', 'd', 'e'];
  await hg.hostPosts([{ op: 'play', id: 'a' }, { op: 'getState', id: 'b' }, { op: 'pause', id: 'c' }, { op: 'step', id: 'd' }, { op: 'getState', id: 'e' }], origin);
  const replies = await hg.hostReplies(ids);
  // Each answered once: done, or (play, pause) superseded by the command after it — never failed.
  expect(ids.map((id) => [replies[id]!.count, replies[id]!.ok || replies[id]!.superseded === true])).toEqual(ids.map(() => [1, true]));
  expect([replies.b!.ok, replies.d!.ok, replies.e!.ok]).toEqual([true, true, true]);
  await expect.poll(async () => Object.keys((await hg.guestTally()).replies).length, { timeout: 60_000 }).toBe(5000);
  const guest = Object.values((await hg.guestTally()).replies);
  expect(guest.filter((r) => r.ok)).toHaveLength(32); // MAX_SUBSCRIPTIONS
  expect(guest.filter((r) => r.count !== 1)).toEqual([]);
});

test('#17 hole 7: an unknown op of 1 MB is cut in the reply; a __proto__ key in where is refused by name; setSpeed names its range', async ({ page, baseURL }) => {
  const warnings: string[] = [];
  page.on('console', (m) => warnings.push(m.text()));
  const hg = await HostAndGuest.open(page, baseURL!, host, guestServer);
  const origin = new URL(baseURL!).origin;
  await page.evaluate((o) => {
    const lab = (document.getElementById('lab') as HTMLIFrameElement).contentWindow!;
    lab.postMessage({ protocol: 'tdi-flow-lab', op: 'x'.repeat(1 << 20), id: 'big' }, o);
    lab.postMessage(JSON.parse('{"protocol":"tdi-flow-lab","op":"find","id":"proto","first":{"type":"send.complete","where":{"__proto__":{"lostRace":true}}}}'), o);
  }, origin);
  await hg.hostPosts([{ op: 'setSpeed', speed: 5e-324, id: 'tiny' }], origin);
  const r = await hg.hostReplies(['big', 'proto', 'tiny']);
  expect(r.big!.error!.length).toBeLessThan(400);
  expect(r.big!.error).toContain('(1048576 characters)');
  expect(r.proto!.error).toBe('find: first.where.__proto__ is not a record field ("__proto__" may not be used as a field name)');
  expect(r.tiny!.error).toBe('setSpeed: speed must be from 0.000001 to 1000 (simulated time per real time)');
  expect(warnings.every((w) => w.length < 1000)).toBe(true);
  expect(warnings.length).toBeGreaterThan(0);
});
