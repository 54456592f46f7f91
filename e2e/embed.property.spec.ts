// Issue 17, done-when: random interleavings (fast-check, seeded) of commands from an allowed host and
// a read-only guest frame, floods included, driven through the browser. Whatever the guest does:
// every host request gets exactly one reply (done or superseded — never failed, never twice); the
// host's answers are what they would be without the guest (a seek that is done lands where asked, a
// find finds the same record, the host's subscription stays its own); and the host is answered within
// a bounded time throughout (generous: the point is that a flood cannot starve it, not speed).
import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { startHost, type HostServer } from './embedHost.ts';
import { HostAndGuest } from './embedGuest.ts';

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

/** The host is answered within this (real ms) after posting a batch: starvation, not speed. */
const HOST_ANSWER_BOUND_MS = 30_000;
const LOST_RACE = { type: 'send.complete', where: { lostRace: true } };

type HostCmd = { op: 'seek'; timeUs: number } | { op: 'step' | 'stepBack' | 'play' | 'pause' | 'getState' } | { op: 'find'; first: typeof LOST_RACE };
type GuestCmd = { op: 'subscribe'; records: { type: string } } | { op: 'unsubscribe'; subscription: number | 'host' } | { op: 'getState' | 'play' | 'seek'; timeUs?: number } | { op: 'find'; first: typeof LOST_RACE };

const hostCmd: fc.Arbitrary<HostCmd> = fc.oneof(
  fc.integer({ min: 0, max: 25_000 }).map((timeUs) => ({ op: 'seek' as const, timeUs })),
  fc.constantFrom('step', 'stepBack', 'play', 'pause', 'getState').map((op) => ({ op }) as HostCmd),
  fc.constant({ op: 'find' as const, first: LOST_RACE }),
);
const guestCmd: fc.Arbitrary<GuestCmd> = fc.oneof(
  fc.constant({ op: 'subscribe' as const, records: { type: 'send.submit' } }),
  fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constant('host' as const)).map((subscription) => ({ op: 'unsubscribe' as const, subscription })),
  fc.constantFrom('getState', 'play').map((op) => ({ op }) as GuestCmd),
  fc.constant({ op: 'seek' as const, timeUs: 0 }), // refused: the guest may only read
  fc.constant({ op: 'find' as const, first: LOST_RACE }),
);
/** One batch posted in one tick: a few host commands, or a guest's burst — up to a flood of 2,000. */
const batch = fc.oneof(
  fc.array(hostCmd, { minLength: 1, maxLength: 6 }).map((cmds) => ({ who: 'host' as const, cmds })),
  fc.tuple(guestCmd, fc.integer({ min: 1, max: 2000 })).map(([cmd, times]) => ({ who: 'guest' as const, cmds: Array<GuestCmd>(times).fill(cmd) })),
  fc.array(guestCmd, { minLength: 1, maxLength: 8 }).map((cmds) => ({ who: 'guest' as const, cmds })),
);

test('#17 property: host and read-only guest interleaved at random, floods included — every host request answered once, as without the guest, in bounded time', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  const hg = await HostAndGuest.open(page, baseURL!, host, guestServer);
  const origin = new URL(baseURL!).origin;
  let nextId = 1;
  /** Posts host commands with fresh ids and returns their replies once all have come (within the bound). */
  const hostAsk = async (cmds: Record<string, unknown>[]) => {
    const ids = cmds.map(() => nextId++);
    await hg.hostPosts(cmds.map((c, i) => ({ ...c, id: ids[i] })), origin);
    const started = Date.now();
    await expect.poll(async () => { const t = await hg.hostTally(); return ids.filter((id) => !t.replies[String(id)]).length; }, { timeout: HOST_ANSWER_BOUND_MS }).toBe(0);
    const waitedMs = Date.now() - started;
    const all = (await hg.hostTally()).replies;
    return { replies: ids.map((id) => all[String(id)]!), waitedMs };
  };

  // What the host hears without any guest: the first lost race, the run's length, its own subscription.
  const [found, state, sub] = (await hostAsk([{ op: 'find', first: LOST_RACE }, { op: 'getState' }, { op: 'subscribe', records: { type: 'send.submit' } }])).replies;
  const reference = (found!.result as { record: { seq: number } }).record;
  expect(reference).not.toBeNull();
  const durationUs = (state!.result as { durationUs: number }).durationUs;
  const subscription = (sub!.result as { subscription: number }).subscription;

  let hostRequests = 0;
  let guestMessages = 0;
  let slowestMs = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(batch, { minLength: 2, maxLength: 6 }), async (batches) => {
      const asked: Promise<{ replies: Awaited<ReturnType<typeof hostAsk>>['replies']; cmds: HostCmd[]; waitedMs: number }>[] = [];
      for (const b of batches) {
        if (b.who === 'guest') {
          guestMessages += b.cmds.length;
          await hg.guestPosts(b.cmds.map((c, i) => ({ ...c, ...(c.op === 'unsubscribe' && c.subscription === 'host' ? { subscription } : {}), id: `g${guestMessages}-${i}` })));
        } else {
          hostRequests += b.cmds.length;
          asked.push(hostAsk(b.cmds).then((r) => ({ ...r, cmds: b.cmds })));
        }
      }
      for (const { replies, cmds, waitedMs } of await Promise.all(asked)) {
        slowestMs = Math.max(slowestMs, waitedMs);
        cmds.forEach((cmd, i) => {
          const r = replies[i]!;
          expect(r.count, `${cmd.op}: exactly one reply`).toBe(1);
          expect(r.ok || r.superseded === true, `${cmd.op}: done or superseded, not "${r.error}"`).toBe(true);
          if (!r.ok) return;
          if (cmd.op === 'seek') expect((r.result as { timeUs: number }).timeUs).toBe(Math.min(cmd.timeUs, durationUs));
          if (cmd.op === 'find') expect((r.result as { record: { seq: number } }).record.seq).toBe(reference.seq);
        });
      }
    }),
    { seed: 1717, numRuns: 14, endOnFailure: true },
  );
  // The guest tried to unsubscribe the host (by its real id too): the host's subscription is still its own.
  const [unsub] = (await hostAsk([{ op: 'unsubscribe', subscription }])).replies;
  expect(unsub).toMatchObject({ ok: true, count: 1 });
  expect(hostRequests).toBeGreaterThan(30);
  expect(guestMessages).toBeGreaterThan(1000);
  test.info().annotations.push({ type: 'figures', description: `${hostRequests} host requests, ${guestMessages} guest messages, slowest host batch answered after ${slowestMs} ms` });
});
