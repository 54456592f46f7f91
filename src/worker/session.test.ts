// The worker session, run in Node with a fake clock and timer: pacing, frames, flow control.
import { describe, expect, it } from 'vitest';
import { BEHIND_YIELD_MS, SimSession, TICK_BUDGET_MS, type SessionHost } from './session.ts';
import { FRAME_EVENT_LIMIT, PROTOCOL_VERSION, SEEK_PROGRESS_AFTER_MS, type Event, type EventOf } from '../protocol/messages.ts';
import { R, TraceRecorder } from '../trace/records.ts';
import { CONN_BROKEN } from '../model/connState.ts';
import { straightRecords } from '../testkit.ts';

function harness() {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const posted: Event[] = [];
  const host: SessionHost = {
    post: (m) => posted.push(m),
    nowMs: () => now,
    setTimer: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (h) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const session = new SimSession(host);
  return {
    session,
    posted,
    frames: () => posted.filter((m): m is EventOf<'frame'> => m.op === 'frame'),
    /** Advances the fake clock, firing timers in order. */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const t = timers[0];
        if (!t || t.at > end) break;
        timers.shift();
        now = t.at;
        t.fn();
      }
      now = end;
    },
    /** Waits (in real time) until the session has answered a load. */
    async loaded() {
      for (let i = 0; i < 500 && !posted.some((m) => m.op === 'loaded' || m.op === 'invalid'); i++) await new Promise((r) => setTimeout(r, 5));
    },
    flush: () => new Promise((r) => setTimeout(r, 0)),
    /** Waits (in real time) for the answer to request `id`: some load their code on first use. */
    async answer(id: number): Promise<Event> {
      const find = () => posted.find((m) => 'id' in m && m.id === id && m.op !== 'exportPart');
      for (let i = 0; i < 500 && !find(); i++) await new Promise((r) => setTimeout(r, 2));
      return find()!;
    },
  };
}

/** The stress preset cut to `durationUs`, loaded in a session and run to its end (a long run with many checkpoints). */
async function stressRunToEnd(durationUs: number) {
  const v = validateScenario(await loadPreset('stress'));
  if (!v.ok) throw new Error('invalid');
  const scenario = { ...v.scenario, durationUs };
  const h = harness();
  h.session.handle({ op: 'load', source: { kind: 'json', scenario } });
  await h.loaded();
  h.session.handle({ op: 'runToEnd' });
  for (let i = 0; i < 400; i++) h.advance(1);
  h.session.handle({ op: 'frameDone' });
  return { scenario, h };
}

describe('worker session', () => {
  it('answers hello with its protocol version, and a mismatch with both versions', () => {
    const h = harness();
    h.session.handle({ op: 'hello', version: PROTOCOL_VERSION });
    h.session.handle({ op: 'hello', version: PROTOCOL_VERSION + 1 });
    expect(h.posted).toEqual([
      { op: 'ready', version: PROTOCOL_VERSION },
      { op: 'versionMismatch', worker: PROTOCOL_VERSION, main: PROTOCOL_VERSION + 1 },
    ]);
  });

  it('an invalid scenario is answered with its problems, and the loaded one stays', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'basics' } });
    await h.loaded();
    h.session.handle({ op: 'load', source: { kind: 'json', scenario: { format: 'nope' } } });
    await h.flush();
    const invalid = h.posted.find((m) => m.op === 'invalid') as EventOf<'invalid'>;
    expect(invalid.problems[0]).toMatch(/^format: /);
    h.session.handle({ op: 'frameDone' });
    h.session.handle({ op: 'step' });
    expect(h.frames().at(-1)!.eventCount).toBeGreaterThan(0); // basics still runs
  });

  it('simulated time follows real time × speed, in whole microseconds', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'race' } });
    await h.loaded();
    h.session.handle({ op: 'setSpeed', speed: 0.01 }); // 1 real ms = 10 simulated µs
    h.session.handle({ op: 'play' });
    for (let i = 0; i < 50; i++) {
      h.advance(16);
      h.session.handle({ op: 'frameDone' });
    }
    const f = h.frames().at(-1)!;
    expect(Number.isInteger(f.nowUs)).toBe(true);
    expect(f.nowUs).toBeGreaterThanOrEqual(7900);
    expect(f.nowUs).toBeLessThanOrEqual(8000);
    expect(f.playing).toBe(true);
  });

  it('at most one frame is in flight: none is sent until the page says it drew the last', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'race' } });
    await h.loaded();
    h.session.handle({ op: 'setSpeed', speed: 0.01 });
    h.session.handle({ op: 'play' });
    h.advance(500);
    const sent = h.frames().length;
    h.advance(500);
    expect(h.frames().length).toBe(sent); // no ack, no new frame
    h.session.handle({ op: 'frameDone' });
    expect(h.frames().length).toBe(sent + 1);
    // The frame carries every record since the previous one (they were held, not lost).
    const frames = h.frames();
    const last = frames.at(-1)!;
    const prev = frames.at(-2)!;
    expect(last.events.firstSeq).toBe(prev.events.firstSeq + prev.events.length);
    expect(last.events.droppedEvents).toBe(0);
  });

  it('without acknowledgements the held records stay bounded; the overflow is counted as dropped', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'stress' } });
    await h.loaded();
    h.session.handle({ op: 'setSpeed', speed: 1 });
    h.session.handle({ op: 'play' });
    h.advance(200);
    h.session.handle({ op: 'frameDone' });
    const f = h.frames().at(-1)!;
    expect(f.events.length).toBe(FRAME_EVENT_LIMIT);
    expect(f.events.droppedEvents).toBeGreaterThan(0);
    expect(f.events.firstSeq + f.events.length).toBe(f.eventCount);
  });

  it('an injected fault is reported and added to the scenario, so reset replays it', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'basics' } });
    await h.loaded();
    h.session.handle({ op: 'injectFault', driver: 'nic0', status: 'STATUS_LINK_FAILED', fatal: true });
    expect(h.posted.find((m) => m.op === 'faultInjected')).toMatchObject({ fault: { driver: 'nic0', atUs: 0, status: 'STATUS_LINK_FAILED' } });
    h.session.handle({ op: 'reset' });
    const loads = h.posted.filter((m): m is EventOf<'loaded'> => m.op === 'loaded');
    const loaded = loads.at(-1)!;
    expect(loaded.scenario.faults).toHaveLength(1);
    // The page keeps its branches across a reset, and starts afresh on a load.
    expect(loads.map((m) => m.reason)).toEqual(['load', 'reset']);
  });

  it('every command is handled (the switch is exhaustive); a failure is reported, not thrown', () => {
    const h = harness();
    h.session.handle({ op: 'injectFault', driver: 'nope', status: 'STATUS_LINK_FAILED', fatal: true }); // nothing loaded
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'basics' } });
    expect(() => h.session.handle({ op: 'bogus' } as never)).not.toThrow();
    expect(h.posted.at(-1)).toMatchObject({ op: 'failure', message: 'unknown command op "bogus"' });
  });
});

import { Engine } from '../model/engine.ts';
import { buildTopology } from '../model/topology.ts';
import { decodeRecord } from '../trace/names.ts';
import { loadPreset } from '../scenario/presets.ts';
import { validateScenario } from '../scenario/validate.ts';
import fc from 'fast-check';

async function direct(name: 'race' | 'cascade' | 'herd' | 'blocking', untilUs: number) {
  const v = validateScenario(await loadPreset(name));
  if (!v.ok) throw new Error('invalid');
  const e = new Engine(v.scenario);
  e.runUntil(untilUs);
  return e.snapshot();
}

const stateOf = (f: { eventCount: number; poolUsed: Float64Array; buffered: Float64Array; heldBytes: Float64Array; connState: Uint8Array; lostRaces: Float64Array; nodeFailed: Uint8Array; addressState: Uint8Array }) => ({
  eventCount: f.eventCount,
  poolUsed: Array.from(f.poolUsed),
  buffered: Array.from(f.buffered),
  heldBytes: Array.from(f.heldBytes),
  connState: Array.from(f.connState),
  lostRaces: Array.from(f.lostRaces),
  nodeFailed: Array.from(f.nodeFailed),
  addressState: Array.from(f.addressState),
});

describe('time travel', () => {
  it('seek(t), forward or back from anywhere, gives the state of running straight to t', async () => {
    for (const name of ['race', 'cascade', 'herd', 'blocking'] as const) {
      const h = harness();
      h.session.handle({ op: 'load', source: { kind: 'preset', name } });
      await h.loaded();
      h.session.handle({ op: 'runToEnd' });
      h.session.handle({ op: 'frameDone' });
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 16_000 }), async (t) => {
          h.session.handle({ op: 'seek', timeUs: t });
          h.session.handle({ op: 'frameDone' });
          const f = h.frames().at(-1)!;
          expect(f.rewound).toBe(true);
          expect(f.nowUs).toBe(t);
          expect(stateOf(f)).toEqual(stateOf({ ...(await direct(name, t)), connState: (await direct(name, t)).state }));
          // The rewound frame's events end exactly at the current state.
          expect(f.events.firstSeq + f.events.length).toBe(f.eventCount);
        }),
        { numRuns: 12 },
      );
    }
  });

  it('step back undoes exactly one visible step', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'race' } });
    await h.loaded();
    const states: ReturnType<typeof stateOf>[] = [];
    for (let i = 0; i < 30; i++) {
      h.session.handle({ op: 'step' });
      h.session.handle({ op: 'frameDone' });
      states.push(stateOf(h.frames().at(-1)!));
    }
    // Ten steps back retrace the forward steps exactly, one by one.
    for (let i = 28; i >= 19; i--) {
      h.session.handle({ op: 'stepBack' });
      h.session.handle({ op: 'frameDone' });
      expect(stateOf(h.frames().at(-1)!)).toEqual(states[i]);
    }
  });

  it('#10: a long seek runs in slices, says how far it got after SEEK_PROGRESS_AFTER_MS, and Cancel stops it at a moment of the run', async () => {
    // A host whose clock moves 100 ms per slice, as on a slow machine: the seek's timer is fired by hand.
    let now = 0;
    let next: (() => void) | null = null;
    const posted: Event[] = [];
    const session = new SimSession({ post: (m) => posted.push(m), nowMs: () => now, setTimer: (fn) => ((next = fn), 1), clearTimer: () => void (next = null) });
    const h = { session, posted, frames: () => posted.filter((m): m is EventOf<'frame'> => m.op === 'frame'), advance: (ms: number) => void (now += ms) };
    session.handle({ op: 'load', source: { kind: 'preset', name: 'stress' } });
    for (let i = 0; i < 500 && !posted.some((m) => m.op === 'loaded'); i++) await new Promise((r) => setTimeout(r, 5));
    session.handle({ op: 'seek', timeUs: 3_000_000 }); // far beyond what was played: many slices
    session.handle({ op: 'frameDone' });
    const progress = () => posted.filter((m): m is EventOf<'seekProgress'> => m.op === 'seekProgress');
    expect(progress()).toEqual([]); // not slow yet: no bar
    for (let i = 0; i < 5; i++) {
      now += SEEK_PROGRESS_AFTER_MS / 3;
      const fn = next as (() => void) | null;
      next = null;
      fn?.();
      session.handle({ op: 'frameDone' });
    }
    const shown = progress();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((p) => !p.done && p.targetUs === 3_000_000)).toBe(true);
    // Every frame on the way is a moment travelled to, not play (no animation, no narration of the replay).
    const during = h.frames().slice(1);
    expect(during.length).toBeGreaterThan(2);
    expect(during.every((f) => f.rewound)).toBe(true);
    const last = shown.at(-1)!;
    expect(last.fraction).toBeGreaterThan(0);
    expect(last.fraction).toBeLessThan(1);
    h.session.handle({ op: 'cancelSeek' });
    h.session.handle({ op: 'frameDone' });
    const end = progress().at(-1)!;
    expect(end).toMatchObject({ done: true, cancelled: true });
    const f = h.frames().at(-1)!;
    expect(f.nowUs).toBe(end.atUs);
    expect(f.nowUs).toBeLessThan(3_000_000);
    // It stays there: nothing runs after a cancel.
    expect(next).toBe(null);
    h.advance(1000);
    h.session.handle({ op: 'frameDone' });
    expect(h.frames().at(-1)!.eventCount).toBe(f.eventCount);
    // And the moment is one of the run: a straight engine with as many records has the same state.
    const v = validateScenario(await loadPreset('stress'));
    if (!v.ok) throw new Error('invalid');
    const straight = new Engine(v.scenario);
    while (straight.eventCount < f.eventCount - 5000) straight.runUntil(v.scenario.durationUs, 1000);
    while (straight.eventCount < f.eventCount && straight.step());
    expect(straight.eventCount).toBe(f.eventCount);
    const snap = straight.snapshot();
    expect(Array.from(f.buffered)).toEqual(Array.from(snap.buffered));
    expect(Array.from(f.queued)).toEqual(Array.from(snap.queued));
  });

  it('#10: a seek under way ends when the user acts: a new seek takes over its bar, Pause or a fault stops it where it got to', async () => {
    let now = 0;
    let next: (() => void) | null = null;
    const posted: Event[] = [];
    const session = new SimSession({ post: (m) => posted.push(m), nowMs: () => now, setTimer: (fn) => ((next = fn), 1), clearTimer: () => void (next = null) });
    session.handle({ op: 'load', source: { kind: 'preset', name: 'stress' } });
    for (let i = 0; i < 500 && !posted.some((m) => m.op === 'loaded'); i++) await new Promise((r) => setTimeout(r, 5));
    const progress = () => posted.filter((m): m is EventOf<'seekProgress'> => m.op === 'seekProgress');
    const slice = () => {
      now += SEEK_PROGRESS_AFTER_MS;
      const fn = next as (() => void) | null;
      next = null;
      fn?.();
      session.handle({ op: 'frameDone' });
    };
    session.handle({ op: 'seek', timeUs: 3_000_000 });
    slice();
    expect(progress().at(-1)).toMatchObject({ done: false, targetUs: 3_000_000 });
    // A drag: the next seek replaces it without a "done", and shows its own progress at once.
    session.handle({ op: 'seek', timeUs: 2_900_000 });
    expect(progress().filter((p) => p.done)).toEqual([]);
    slice();
    expect(progress().at(-1)).toMatchObject({ done: false, targetUs: 2_900_000 });
    // Pause stops it: done, cancelled, nothing scheduled.
    session.handle({ op: 'pause' });
    expect(progress().at(-1)).toMatchObject({ done: true, cancelled: true, targetUs: 2_900_000 });
    expect(next).toBe(null);
    // A fault injected during a seek stops the seek first: it happens at the moment reached.
    session.handle({ op: 'seek', timeUs: 4_000_000 });
    slice();
    const reached = progress().at(-1)!;
    expect(reached.done).toBe(false);
    session.handle({ op: 'injectFault', driver: 'nic0', status: 'STATUS_ADAPTER_HARDWARE_ERROR', fatal: true });
    expect(next).toBe(null);
    const injected = posted.filter((m): m is EventOf<'faultInjected'> => m.op === 'faultInjected').at(-1)!;
    expect(injected.fault.atUs).toBeLessThan(4_000_000);
    expect(progress().at(-1)).toMatchObject({ done: true, cancelled: true });
  });

  it('#10: the log\'s rows, regenerated from checkpoints, are the run\'s own records, and frames say which row they start at', async () => {
    const { scenario, h } = await stressRunToEnd(400_000);
    const last = h.frames().at(-1)!;
    const total = last.eventCount;
    expect(total).toBeGreaterThan(300_000);
    // The straight trace, and its rows (every record but the submissions).
    const all: { type: number[]; t: number[]; c: number[] } = { type: [], t: [], c: [] };
    const rowSeq: number[] = [];
    const rec: TraceRecorder = new TraceRecorder((k) => {
      for (let i = 0; i < k.length; i++) {
        if (k.type[i] !== R.SEND_SUBMIT) rowSeq.push(all.type.length);
        all.type.push(k.type[i]!);
        all.t.push(k.t[i]!);
        all.c.push(k.c[i]!);
      }
    });
    new Engine(scenario, { trace: rec }).runToEnd();
    rec.flush();
    // The last frame's first record is the row it says.
    expect(rowSeq[last.events.firstRow]).toBe(last.events.firstSeq + Array.from(last.events.type).findIndex((x) => x !== R.SEND_SUBMIT));
    let id = 100;
    for (const fromRow of [0, 1, 150_000, 233_333, rowSeq.length - 100]) {
      h.session.handle({ op: 'records', id, fromRow, count: 3000 });
      const r = ((await h.answer(id++)) as EventOf<'records'>).records;
      const rows = Math.min(3000, rowSeq.length - fromRow);
      expect(r.firstRow).toBe(fromRow);
      // Its non-submission records are exactly those rows, in order; the submissions among them are the run's too.
      const got = Array.from(r.type).map((type, i) => ({ type, t: r.t[i]!, c: r.c[i]! }));
      const gotRows = got.filter((x) => x.type !== R.SEND_SUBMIT);
      expect(gotRows.length).toBe(rows);
      const want = rowSeq.slice(fromRow, fromRow + rows).map((s) => ({ type: all.type[s]!, t: all.t[s]!, c: all.c[s]! }));
      expect(gotRows).toEqual(want);
      expect(got).toEqual(Array.from({ length: got.length }, (_, i) => ({ type: all.type[r.firstSeq + i]!, t: all.t[r.firstSeq + i]!, c: all.c[r.firstSeq + i]! })));
    }
    // The session's own moment is untouched by a regeneration.
    h.session.handle({ op: 'frameDone' });
    expect(h.frames().at(-1)!.eventCount).toBe(total);
    h.session.handle({ op: 'records', id, fromRow: -1, count: 5 });
    // Refused at the worker's door (checkCommand), with the request's id so the page's promise rejects.
    expect(((await h.answer(id)) as EventOf<'failure'>).message).toBe('records.fromRow: must be a whole number, 0 or more');
  });

  it('#10: the log\'s filter searched back through the run (findRows) finds exactly the matching rows, newest first', async () => {
    const { scenario, h } = await stressRunToEnd(400_000);
    const total = h.frames().at(-1)!.eventCount;
    // The straight trace's rows, each decoded: the filter is checked against what a row says it is.
    const rows: { seq: number; t: number; type: string; client?: string; status?: string; sendId?: number }[] = [];
    const submitsSeen = new Set<number>();
    const topo = buildTopology(scenario);
    let seq = 0;
    const rec: TraceRecorder = new TraceRecorder((k) => {
      for (let i = 0; i < k.length; i++, seq++) {
        if (k.type[i] === R.SEND_SUBMIT) {
          submitsSeen.add(k.c[i]!);
          continue;
        }
        const ev = decodeRecord(k, i, topo);
        const conn = typeof ev.connection === 'string' ? topo.connectionIds.indexOf(ev.connection) : -1;
        rows.push({ seq, t: ev.t, type: ev.type, client: conn >= 0 ? topo.clientIds[topo.connectionClient[conn]!] : undefined, status: ev.status as string | undefined, sendId: ev.sendId as number | undefined });
      }
    });
    new Engine(scenario, { trace: rec }).runToEnd();
    rec.flush();
    // K3's refused sends: a send.complete on one of K3's connections with STATUS_DEVICE_NOT_READY.
    const k3 = topo.clientIds.indexOf('K3');
    const filter = { types: [R.SEND_COMPLETE], client: k3, connection: -1, status: 'STATUS_DEVICE_NOT_READY' };
    const matching = rows.flatMap((r, row) => (r.type === 'send.complete' && r.client === 'K3' && r.status === 'STATUS_DEVICE_NOT_READY' ? [row] : []));
    expect(matching.length).toBeGreaterThan(600);
    let id = 500;
    const ask = async (beforeRow: number, limit: number, f: unknown = filter) => {
      h.session.handle({ op: 'findRows', id, beforeRow, limit, filter: f as typeof filter });
      return (await h.answer(id++)) as EventOf<'foundRows'> | EventOf<'failure'>;
    };
    // From the end, 500 at a time: the newest 500 before it, then the 500 before those.
    const first = (await ask(rows.length, 500)) as EventOf<'foundRows'>;
    expect(first.rows).toEqual(matching.slice(-500));
    expect(first.searchedFrom).toBe(first.rows[0]);
    expect(first.searchedFromUs).toBe(rows[first.rows[0]!]!.t);
    expect(first.seqs).toEqual(first.rows.map((r) => rows[r]!.seq));
    const second = (await ask(first.searchedFrom, 500)) as EventOf<'foundRows'>;
    expect(second.rows).toEqual(matching.slice(-1000, -500));
    // Each row's record is the run's own; a completion comes with its submission when the replay saw it.
    const recs = second.records;
    const kept = Array.from(recs.type).flatMap((type, i) => (type === R.SEND_SUBMIT ? [] : [{ type, c: recs.c[i]! }]));
    expect(kept.map((r) => r.c)).toEqual(second.rows.map((r) => rows[r]!.sendId));
    const submits = Array.from(recs.type).filter((t) => t === R.SEND_SUBMIT).length;
    expect(submits).toBeGreaterThan(0);
    expect(submits).toBeLessThanOrEqual(kept.length);
    // Earlier than the oldest match: nothing more, and the search says it reached the run's start.
    const start = (await ask(matching[0]!, 500)) as EventOf<'foundRows'>;
    expect(start.rows).toEqual([]);
    expect(start.searchedFrom).toBe(0);
    expect(start.searchedFromUs).toBe(0);
    // A filter that matches only the first instants (addresses opening), searched from the end: all of them.
    const opens = rows.flatMap((r, row) => (r.type === 'address.open' ? [row] : []));
    const found = (await ask(rows.length, 4096, { types: [R.ADDRESS_OPEN], client: -1, connection: -1, status: '' })) as EventOf<'foundRows'>;
    expect(found.rows).toEqual(opens);
    expect(found.searchedFrom).toBe(0);
    // The session's own moment is untouched.
    h.session.handle({ op: 'frameDone' });
    expect(h.frames().at(-1)!.eventCount).toBe(total);
    // A filter that names a client the scenario does not have is refused, naming the field.
    const bad = (await ask(rows.length, 10, { types: [], client: 99, connection: -1, status: '' })) as EventOf<'failure'>;
    expect(bad.op).toBe('failure');
    expect(bad.message).toContain('findRows.filter.client: must be -1 or a client index below 8');
  });

  it('acting in the past forks: a fault injected after seeking back replaces the old future', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'basics' } });
    await h.loaded();
    h.session.handle({ op: 'seek', timeUs: 9000 });
    h.session.handle({ op: 'injectFault', driver: 'nic0', status: 'STATUS_LINK_FAILED', fatal: true });
    h.session.handle({ op: 'seek', timeUs: 3000 });
    h.session.handle({ op: 'injectFault', driver: 'nic0', status: 'STATUS_DEVICE_REMOVED', fatal: true });
    const injected = h.posted.filter((m): m is EventOf<'faultInjected'> => m.op === 'faultInjected');
    expect(injected.map((m) => m.forked)).toEqual([false, true]);
    // The branch goes on without the abandoned future's fault (at 9000): as its own scenario replays.
    h.session.handle({ op: 'runToEnd' });
    h.session.handle({ op: 'frameDone' });
    const branch = new Engine(injected[1]!.scenario);
    branch.runToEnd();
    expect(h.frames().at(-1)!.eventCount).toBe(branch.eventCount);
    h.session.handle({ op: 'reset' });
    const loaded = h.posted.filter((m): m is EventOf<'loaded'> => m.op === 'loaded').at(-1)!;
    expect(loaded.scenario.faults.map((f) => [f.atUs, f.status])).toEqual([[3000, 'STATUS_DEVICE_REMOVED']]);
  });

  it('a hand-injected fault is still ahead after seeking back before it', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'basics' } });
    await h.loaded();
    h.session.handle({ op: 'seek', timeUs: 5000 });
    h.session.handle({ op: 'injectFault', driver: 'nic0', status: 'STATUS_LINK_FAILED', fatal: true });
    h.session.handle({ op: 'seek', timeUs: 1000 });
    h.session.handle({ op: 'seek', timeUs: 6000 });
    h.session.handle({ op: 'frameDone' });
    expect(h.frames().at(-1)!.nodeFailed[0]).toBe(1);
  });

  it('why: a lost race of the race preset is explained; an unexplainable event says so', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'race' } });
    await h.loaded();
    h.session.handle({ op: 'runToEnd' });
    const v = validateScenario(await loadPreset('race'));
    if (!v.ok) throw new Error('invalid');
    const { run } = await import('../testkit.ts');
    const lost = run(v.scenario as never).events.find((e) => e.lostRace)!;
    h.session.handle({ op: 'why', id: 7, seq: lost.seq });
    const answer = (await h.answer(7)) as EventOf<'why'>;
    expect(answer.id).toBe(7); // the page matches the answer to its request by this id
    expect(answer.chain?.subject).toMatch(/lost the race \(R24\)/);
    h.session.handle({ op: 'why', id: 8, seq: 0 });
    expect(await h.answer(8)).toMatchObject({ op: 'why', id: 8, seq: 0, chain: null });
  });

  it('requests are answered with their id; before a load, with a failure carrying that id (never silence)', async () => {
    const h = harness();
    for (const cmd of [{ op: 'inspect', id: 1, connection: 0 }, { op: 'summary', id: 2 }, { op: 'why', id: 3, seq: 0 }] as const) {
      h.session.handle(cmd);
      expect(await h.answer(cmd.id)).toMatchObject({ op: 'failure', id: cmd.id });
    }
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'race' } });
    await h.loaded();
    h.session.handle({ op: 'inspect', id: 4, connection: 1 });
    expect(h.posted.at(-1)).toMatchObject({ op: 'inspected', id: 4, connection: 1 });
    h.session.handle({ op: 'summary', id: 5 });
    expect(await h.answer(5)).toMatchObject({ op: 'summary', id: 5 });
  });

  it('timeline statistics count each event once, even after seeking back and replaying', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'race' } });
    await h.loaded();
    h.session.handle({ op: 'runToEnd' });
    h.session.handle({ op: 'frameDone' });
    const total = (f: EventOf<'frame'>) => Array.from(f.timeline!.refusals).reduce((s, x) => s + x, 0);
    const first = total(h.frames().at(-1)!);
    h.session.handle({ op: 'seek', timeUs: 2000 });
    h.session.handle({ op: 'runToEnd' });
    h.session.handle({ op: 'frameDone' });
    expect(total(h.frames().at(-1)!)).toBe(first);
    expect(first).toBe(64); // every DEVICE_NOT_READY of the run (the summary's deviceNotReady)
  });
});

describe('commands that write into the scenario are validated', () => {
  it('a bad fault, policy change, seed or source is named; nothing of it enters the scenario; the worker lives on', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'basics' } });
    await h.loaded();
    const problems = () => h.posted.filter((m): m is EventOf<'invalid'> => m.op === 'invalid').flatMap((m) => m.problems);
    h.session.handle({ op: 'injectFault', driver: 'nic0', status: 'BOGUS' as never, fatal: true });
    h.session.handle({ op: 'injectFault', driver: 'nic0', status: 'STATUS_LINK_FAILED', fatal: true, recoverAfterUs: -5 });
    h.session.handle({ op: 'injectFault', driver: 'nic9', status: 'STATUS_LINK_FAILED', fatal: true });
    h.session.handle({ op: 'changePolicy', change: { resubmit: { delayUs: 1.5 } } });
    h.session.handle({ op: 'changePolicy', change: { resubmit: { delayUs: 1e20 } } });
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'race' }, seed: -1 });
    h.session.handle({ op: 'load', source: null as never });
    h.session.handle({ op: 'setSpeed', speed: Number.NaN });
    await h.flush();
    const said = problems();
    expect(said.filter((p) => p.startsWith('injectFault.status'))).toHaveLength(1);
    expect(said.filter((p) => p.startsWith('injectFault.recoverAfterUs'))).toHaveLength(1);
    expect(said.filter((p) => p.startsWith('injectFault.driver') && p.includes('nic9'))).toHaveLength(1);
    expect(said.filter((p) => p.startsWith('changePolicy.resubmit.delayUs'))).toHaveLength(2);
    expect(said.filter((p) => p.startsWith('load.seed'))).toHaveLength(1);
    expect(said.filter((p) => p.startsWith('load.source:'))).toHaveLength(1);
    expect(said.filter((p) => p.startsWith('setSpeed.speed'))).toHaveLength(1);
    expect(h.posted.some((m) => m.op === 'faultInjected' || m.op === 'policyChanged')).toBe(false);
    // The scenario is as it was: a reset replays it without anything of the above.
    h.session.handle({ op: 'reset' });
    const reloaded = h.posted.filter((m): m is EventOf<'loaded'> => m.op === 'loaded').at(-1)!;
    expect([reloaded.scenario.faults, reloaded.scenario.policyChanges, reloaded.reason]).toEqual([[], [], 'reset']);
    expect(reloaded.scenario.connections.length).toBeGreaterThan(0);
  });
});

describe('End on an endless scenario', () => {
  it('End runs in slices that yield; Pause stops it at once and nothing runs after', async () => {
    const h = harness();
    const endless = {
      format: 'tdi-flow-lab/scenario@1', seed: 1, durationUs: 1e12,
      drivers: [{ id: 'nic0', kind: 'nic', linkBytesPerMs: 1000 }],
      transports: [{ id: 'tcp', lower: ['nic0'], sendBufferBytes: 4000, maxSendBytes: 9000 }],
      clients: [{ id: 'A', handlers: ['SendPossible'] }],
      addresses: [{ id: 'a', client: 'A', transport: 'tcp', nics: ['nic0'] }],
      connections: [{ id: 'k', address: 'a', nic: 'nic0', generator: { startUs: 0, everyUs: 1000, bytes: 100, count: 1e12, flags: ['NON_BLOCKING'] } }],
    };
    h.session.handle({ op: 'load', source: { kind: 'json', scenario: endless } });
    await h.loaded();
    h.session.handle({ op: 'runToEnd' }); // returns: one slice ran
    h.session.handle({ op: 'frameDone' });
    const first = h.frames().at(-1)!;
    expect(first.finished).toBe(false);
    expect(first.playing).toBe(true);
    h.advance(1); // the next slice
    h.session.handle({ op: 'frameDone' });
    const second = h.frames().at(-1)!;
    expect(second.eventCount).toBeGreaterThan(first.eventCount);
    h.session.handle({ op: 'pause' });
    h.session.handle({ op: 'frameDone' });
    const paused = h.frames().at(-1)!;
    expect(paused.playing).toBe(false);
    h.advance(1000);
    h.session.handle({ op: 'frameDone' });
    expect(h.frames().at(-1)!.eventCount).toBe(paused.eventCount);
  });
});

describe('branches', () => {
  it('a policy change in the past forks; the change is in the new scenario at that time', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'race' } });
    await h.loaded();
    h.session.handle({ op: 'runToEnd' });
    h.session.handle({ op: 'seek', timeUs: 5000 });
    h.session.handle({ op: 'changePolicy', change: { client: 'B', resubmit: { from: 'handler' } } });
    const ev = h.posted.filter((m): m is EventOf<'policyChanged'> => m.op === 'policyChanged').at(-1)!;
    expect(ev.forked).toBe(true);
    expect(ev.change).toEqual({ atUs: 5000, afterKernelEvents: expect.any(Number), client: 'B', resubmit: { from: 'handler' } });
    expect(ev.scenario.policyChanges).toEqual([ev.change]);
    // Replaying the new branch from the start gives the same run as continuing it.
    h.session.handle({ op: 'runToEnd' });
    h.session.handle({ op: 'frameDone' });
    const continued = h.frames().at(-1)!;
    const fresh = new Engine(ev.scenario);
    fresh.runToEnd();
    expect(continued.eventCount).toBe(fresh.eventCount);
    expect(Array.from(continued.lostRaces)).toEqual(Array.from(fresh.snapshot().lostRaces));
  });
});

describe('#10: the worker keeps a time budget and obeys streaming off', () => {
  it('setStreaming(false) stops frames while playing, even the acknowledgement of one in flight; Pause then sends the newest', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'race' } });
    await h.loaded();
    h.session.handle({ op: 'setSpeed', speed: 0.01 });
    h.session.handle({ op: 'play' });
    h.advance(100);
    h.session.handle({ op: 'frameDone' }); // a frame is in flight now
    const inFlight = h.frames().length;
    h.session.handle({ op: 'setStreaming', on: false });
    for (let i = 0; i < 30; i++) {
      h.advance(16);
      h.session.handle({ op: 'frameDone' });
    }
    expect(h.frames().length).toBe(inFlight);
    h.session.handle({ op: 'pause' });
    const last = h.frames().at(-1)!;
    expect(h.frames().length).toBe(inFlight + 1);
    expect(last.playing).toBe(false);
    expect(last.nowUs).toBeGreaterThan(h.frames().at(-2)!.nowUs); // what ran unseen is shown now
    h.session.handle({ op: 'setStreaming', on: true });
    h.session.handle({ op: 'play' });
    h.session.handle({ op: 'frameDone' });
    h.advance(16);
    h.session.handle({ op: 'frameDone' });
    expect(h.frames().length).toBeGreaterThan(inFlight + 1); // streaming again
  });

  it('behind, a tick stops after its budget and the next waits a real pause (never 0 ms), so the page keeps a core', async () => {
    // A clock where the model's work takes time: every reading is 0.25 ms later.
    let now = 0;
    const timers: { at: number; fn: () => void; id: number; ms: number }[] = [];
    let nextId = 1;
    const posted: Event[] = [];
    const session = new SimSession({
      post: (m) => posted.push(m),
      nowMs: () => (now += 0.25),
      setTimer: (fn, ms) => {
        timers.push({ at: now + ms, fn, id: nextId++, ms });
        return nextId - 1;
      },
      clearTimer: (id) => {
        const i = timers.findIndex((t) => t.id === id);
        if (i >= 0) timers.splice(i, 1);
      },
    });
    session.handle({ op: 'load', source: { kind: 'preset', name: 'stress' } });
    for (let i = 0; i < 500 && !posted.some((m) => m.op === 'loaded'); i++) await new Promise((r) => setTimeout(r, 5));
    session.handle({ op: 'setSpeed', speed: 1000 });
    session.handle({ op: 'play' });
    const delays: number[] = [];
    const tickMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      timers.sort((a, b) => a.at - b.at);
      const t = timers.shift()!;
      delays.push(t.ms);
      now = Math.max(now, t.at);
      const start = now;
      t.fn();
      tickMs.push(now - start);
      session.handle({ op: 'frameDone' });
    }
    const frames = posted.filter((m): m is EventOf<'frame'> => m.op === 'frame');
    expect(frames.at(-1)!.behind).toBe(true);
    expect(Math.min(...delays.slice(1))).toBeGreaterThanOrEqual(BEHIND_YIELD_MS);
    // One 2,048-event chunk past the budget at most (each chunk here reads the clock a few times).
    expect(Math.max(...tickMs)).toBeLessThan(TICK_BUDGET_MS + 10);
    // Paused, it is not behind any more (the page said "can't keep up" under a paused run).
    const before = frames.length;
    session.handle({ op: 'pause' });
    session.handle({ op: 'frameDone' });
    const after = posted.filter((m): m is EventOf<'frame'> => m.op === 'frame');
    expect(after.length).toBeGreaterThan(before);
    expect(after.at(-1)!.playing).toBe(false);
    expect(after.at(-1)!.behind).toBe(false);
  });
});

// Fuzz (#10 "Done when"): commands a script or a damaged page may send — every op of the protocol,
// with hostile payloads — never break the worker. Each is carried out or answered with a failure
// that names the problem (no internal error text), and the session still loads and steps after.
describe(`fuzz (#10): generated worker commands (FUZZ_RUNS / 10 sequences)`, () => {
  const RUNS = Math.max(1, Math.round((Number(process.env.FUZZ_RUNS) || 300) / 10));
  const INTERNAL = /Cannot read|is not a function|undefined|null \(reading|Maximum call stack|\n\s+at /;
  const hostile = fc.oneof(
    fc.constantFrom(-1, 0, 1.5, 1e20, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, '', 'nic0', 'BOGUS', 'STATUS_LINK_FAILED', '__proto__', null, true),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const payload = fc.record(
    {
      id: fc.nat(50),
      version: fc.oneof(fc.constant(PROTOCOL_VERSION), hostile),
      source: fc.oneof(fc.constant({ kind: 'preset', name: 'basics' }), fc.constant({ kind: 'json', scenario: null }), fc.record({ kind: hostile, name: hostile, scenario: hostile })),
      seed: hostile,
      speed: hostile,
      driver: fc.oneof(fc.constantFrom('nic0', 'ip', 'tcp'), hostile),
      status: fc.oneof(fc.constantFrom('STATUS_LINK_FAILED', 'STATUS_ADAPTER_HARDWARE_ERROR'), hostile),
      fatal: hostile,
      recoverAfterUs: hostile,
      change: fc.oneof(fc.record({ client: fc.oneof(fc.constant('A'), hostile), resubmit: fc.record({ from: hostile, delayUs: hostile, size: hostile }, { requiredKeys: [] }) }, { requiredKeys: [] }), hostile),
      connection: hostile,
      timeUs: hostile,
      events: hostile,
      seq: hostile,
      format: fc.oneof(fc.constantFrom('jsonl', 'summary'), hostile),
      untilUs: hostile,
      match: fc.oneof(fc.record({ type: fc.constantFrom('send.complete', 'nope'), where: fc.jsonValue({ maxDepth: 1 }) }), hostile),
      on: hostile,
    },
    { requiredKeys: [] },
  );
  const ops = ['hello', 'load', 'play', 'pause', 'step', 'runToEnd', 'reset', 'setSpeed', 'injectFault', 'changePolicy', 'inspect', 'summary', 'frameDone', 'ping', 'setStreaming', 'seek', 'stepBack', 'why', 'export', 'cancel', 'find'] as const;
  const command = fc.tuple(fc.constantFrom(...ops), payload).map(([op, p]) => ({ ...p, op }) as unknown as Parameters<SimSession['handle']>[0]);

  it('every op with hostile payloads: carried out or refused by name; the worker lives on', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 8 }), async (cmds) => {
        const h = harness();
        h.session.handle({ op: 'load', source: { kind: 'preset', name: 'basics' } });
        await h.loaded();
        for (const c of cmds) {
          h.session.handle(c);
          h.advance(50);
          await h.flush();
        }
        h.advance(2000);
        for (let i = 0; i < 20; i++) await h.flush();
        for (const m of h.posted) {
          if (m.op === 'failure') expect(m.message).not.toMatch(INTERNAL);
          if (m.op === 'invalid') for (const p of m.problems) expect(p).not.toMatch(INTERNAL);
        }
        // Still alive: a fresh load plays.
        const before = h.posted.length;
        h.session.handle({ op: 'load', source: { kind: 'preset', name: 'basics' } });
        for (let i = 0; i < 500 && !h.posted.slice(before).some((m) => m.op === 'loaded'); i++) await new Promise((r) => setTimeout(r, 2));
        h.session.handle({ op: 'setStreaming', on: true });
        h.session.handle({ op: 'frameDone' });
        h.session.handle({ op: 'step' });
        h.session.handle({ op: 'frameDone' });
        expect(h.frames().at(-1)!.eventCount).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

describe('record-level time', () => {
  /** The whole trace of a preset, straight (type, t, a of each record), and the session's harness on it. */
  /** The whole trace of a preset, straight, and the session's harness on it. */
  async function straight(name: 'cascade' | 'race') {
    const { records, topo } = await straightRecords(name);
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name } });
    await h.loaded();
    h.session.handle({ op: 'frameDone' });
    return { records, h, topo };
  }

  /** What the first `count` records say: the broken connections, and how often each address heard ClientEventError. */
  function told(records: { type: number; a: number }[], count: number, nConn: number, nAddr: number) {
    const broken = new Array<boolean>(nConn).fill(false);
    const errorCalls = new Array<number>(nAddr).fill(0);
    for (const r of records.slice(0, count)) {
      if (r.type === R.CONNECTION_BROKEN) broken[r.a] = true;
      if (r.type === R.CONNECTION_CONNECT) broken[r.a] = false;
      if (r.type === R.CALLBACK_ERROR) errorCalls[r.a]!++;
    }
    return { broken, errorCalls };
  }
  const shown = (f: EventOf<'frame'>) => ({ broken: Array.from(f.connState, (s) => (s & CONN_BROKEN) !== 0), errorCalls: Array.from(f.addressErrorCalls) });

  it("R30, R31: Step moves one record at a time through the cascade's one fault event, the stage's breaks and told addresses as the records up to there; Back retraces it", async () => {
    const { records, h, topo } = await straight('cascade');
    const faultSeq = records.findIndex((r) => r.type === R.DRIVER_FAULT);
    expect(faultSeq).toBeGreaterThan(0);
    const faultUs = records[faultSeq]!.t;
    // The cascade is everything written at the fault's microsecond after it: error callbacks and breaks among it.
    let end = faultSeq;
    while (end + 1 < records.length && records[end + 1]!.t === faultUs) end++;
    const cascade = records.slice(faultSeq, end + 1);
    expect(cascade.filter((r) => r.type === R.CALLBACK_ERROR).length).toBeGreaterThan(1);
    expect(cascade.filter((r) => r.type === R.CONNECTION_BROKEN).length).toBeGreaterThan(1);

    // The moment just after the fault record: inside its event, nothing of the cascade yet.
    h.session.handle({ op: 'seek', timeUs: faultUs, events: faultSeq + 1 });
    h.session.handle({ op: 'frameDone' });
    let frame = h.frames().at(-1)!;
    expect(frame.eventCount).toBe(faultSeq + 1);
    expect(shown(frame)).toEqual(told(records, faultSeq + 1, topo.connectionIds.length, topo.addressIds.length));
    expect(frame.addressErrorCalls.every((n) => n === 0)).toBe(true);

    const forward: { count: number; state: ReturnType<typeof shown> }[] = [];
    let checked = 0;
    while (frame.eventCount <= end) {
      const before = frame.eventCount;
      h.session.handle({ op: 'step' });
      h.session.handle({ op: 'frameDone' });
      frame = h.frames().at(-1)!;
      // One record further (two when the first is a TDI_SEND submission: it goes with its completion).
      const grew = frame.eventCount - before;
      expect(grew === 1 || (grew === 2 && records[before]!.type === R.SEND_SUBMIT)).toBe(true);
      // The frame brings exactly the new records, not the event's start again.
      expect(frame.rewound).toBe(false);
      expect(frame.events.firstSeq).toBe(before);
      expect(frame.events.length).toBe(grew);
      expect(shown(frame)).toEqual(told(records, frame.eventCount, topo.connectionIds.length, topo.addressIds.length));
      forward.push({ count: frame.eventCount, state: shown(frame) });
      checked++;
    }
    // A stop after every record of the cascade but the submissions (each goes with its completion).
    expect(checked).toBe(cascade.slice(1).filter((r) => r.type !== R.SEND_SUBMIT).length);
    // Back, one record at a time, gives the same moments in reverse.
    for (let i = forward.length - 2; i >= 0; i--) {
      h.session.handle({ op: 'stepBack' });
      h.session.handle({ op: 'frameDone' });
      frame = h.frames().at(-1)!;
      expect(frame.eventCount).toBe(forward[i]!.count);
      expect(shown(frame)).toEqual(forward[i]!.state);
    }
  });

  it('a moment inside an event is a place: a seek (a shared link) to it from anywhere shows it, and play goes on from it with each record sent once', async () => {
    const { records, h, topo } = await straight('cascade');
    const firstBreak = records.findIndex((r) => r.type === R.CONNECTION_BROKEN);
    const count = firstBreak + 1; // just after the first broken connection, the rest of the cascade still to come
    expect(records[count]!.t).toBe(records[firstBreak]!.t); // inside the event, not at its end
    h.session.handle({ op: 'runToEnd' });
    h.advance(200);
    h.session.handle({ op: 'frameDone' });
    h.session.handle({ op: 'seek', timeUs: records[firstBreak]!.t, events: count });
    h.session.handle({ op: 'frameDone' });
    const at = h.frames().at(-1)!;
    expect(at.eventCount).toBe(count);
    expect(shown(at)).toEqual(told(records, count, topo.connectionIds.length, topo.addressIds.length));
    expect(shown(at).broken.filter(Boolean).length).toBe(1);
    // Play on: every later record reaches the page once, in order, from exactly where it stopped.
    const seqs: number[] = [];
    const from = h.frames().length;
    h.session.handle({ op: 'setSpeed', speed: 1 });
    h.session.handle({ op: 'play' });
    for (let i = 0; i < 50; i++) {
      h.advance(10);
      h.session.handle({ op: 'frameDone' });
    }
    for (const f of h.frames().slice(from)) for (let i = 0; i < f.events.length; i++) seqs.push(f.events.firstSeq + i);
    expect(seqs.length).toBeGreaterThan(10);
    expect(seqs[0]).toBe(count);
    expect(seqs).toEqual(seqs.map((_, i) => count + i));
  });
});

describe('worker session under WSK (#20): the page\'s views of the run', () => {
  it('W1: a load with api "wsk" runs through WskSend IRPs; reset, time travel, the summary, find and the export keep the API', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'race' }, api: 'wsk' });
    await h.loaded();
    expect(h.posted.find((m) => m.op === 'loaded')).toMatchObject({ api: 'wsk' });
    h.session.handle({ op: 'runToEnd' });
    for (let i = 0; i < 200; i++) h.advance(1);
    h.session.handle({ op: 'frameDone' });
    const end = h.frames().at(-1)!;
    expect(end.finished).toBe(true);
    // R24 has no WSK counterpart: no lost race; the IRPs still pending keep their bytes locked.
    expect(Array.from(end.lostRaces).every((n) => n === 0)).toBe(true);
    const locked = Array.from(end.lockedBytes!).reduce((a, b) => a + b, 0);
    expect(Array.from(end.irpsPending!).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    h.session.handle({ op: 'summary', id: 1 });
    const summary = (await h.answer(1)) as EventOf<'summary'>;
    expect(summary.summary.api).toBe('wsk');
    expect(summary.summary.total.lostRaces).toBe(0);
    expect(summary.summary.wsk!.total.lockedBytes).toBe(locked);
    // Back to the middle and forward again: the checkpoints restore the WSK run, not a TDI one.
    h.session.handle({ op: 'seek', timeUs: 3000 });
    h.session.handle({ op: 'frameDone' });
    h.session.handle({ op: 'seek', timeUs: end.nowUs });
    h.session.handle({ op: 'frameDone' });
    expect(Array.from(h.frames().at(-1)!.lockedBytes!)).toEqual(Array.from(end.lockedBytes!));
    h.session.handle({ op: 'find', id: 2, match: { type: 'irp.pending' } });
    expect(((await h.answer(2)) as EventOf<'found'>).record).toMatchObject({ type: 'irp.pending' });
    h.session.handle({ op: 'export', id: 3, format: 'summary' });
    await h.answer(3);
    for (let i = 0; i < 50 && !h.posted.some((m) => m.op === 'exported'); i++) h.advance(1);
    const text = h.posted.filter((m): m is EventOf<'exportPart'> => m.op === 'exportPart' && m.id === 3).map((m) => m.text).join('');
    expect(JSON.parse(text).api).toBe('wsk');
    h.session.handle({ op: 'reset' });
    expect(h.posted.filter((m) => m.op === 'loaded').at(-1)).toMatchObject({ reason: 'reset', api: 'wsk' });
  });
});

describe('#20: a run through Winsock Kernel', () => {
  it("W1: load with api 'wsk' runs the scenario through WSK (loaded says so), a reset keeps it, and the summary has no lost race", async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'race' }, api: 'wsk' });
    await h.loaded();
    expect(h.posted.filter((m) => m.op === 'loaded').map((m) => (m as EventOf<'loaded'>).api)).toEqual(['wsk']);
    h.session.handle({ op: 'reset' });
    h.session.handle({ op: 'runToEnd' });
    h.session.handle({ op: 'summary', id: 1 });
    const answer = (await h.answer(1)) as EventOf<'summary'>;
    expect(h.posted.filter((m) => m.op === 'loaded').map((m) => [(m as EventOf<'loaded'>).reason, (m as EventOf<'loaded'>).api])).toEqual([['load', 'wsk'], ['reset', 'wsk']]);
    expect(answer.summary.api).toBe('wsk');
    expect(answer.summary.total.lostRaces).toBe(0);
    expect(answer.summary.wsk!.total.peakLockedBytes).toBeGreaterThan(0);
    // A later load without api is TDI again.
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'race' } });
    await h.flush();
    expect((h.posted.filter((m) => m.op === 'loaded').at(-1) as EventOf<'loaded'>).api).toBe('tdi');
  });

  it('a load with an api that is neither tdi nor wsk is refused, naming the field', () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'race' }, api: 'winsock' } as never);
    expect(h.posted).toEqual([{ op: 'invalid', problems: ['load.api: must be "tdi" or "wsk"'] }]);
  });
});

