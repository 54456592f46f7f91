// Issue 18: loading a scenario twice the size does at most about twice the work — counted, not
// timed: the array elements the load path visits through the array methods (a scan inside a loop
// shows up as n² visits, as the stage's name layout and the topology's connections per address
// did), and the messages and bytes the worker posts. From the worker's receipt of the scenario to
// the page's stage geometry for the first frame.
import { loadValidators } from '../src/worker/validators.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { serialize } from 'node:v8';
import { SimSession } from '../src/worker/session.ts';
import { installStateCodec } from '../src/model/engine.ts';
import { stateCodec } from '../src/model/stateCopy.ts';
import type { Event, EventOf } from '../src/protocol/messages.ts';
import { stackGeometry } from './viz/stackGeometry.ts';
import { poolState, connectionState } from './viz/stackState.ts';
import { repeatConnections, stressTimes } from '../src/scenario/scaled.ts';
import race from '../src/scenario/presets/race.json' with { type: 'json' };

/** Array methods whose visits are counted: each call counts the elements it may visit. */
const METHODS = ['forEach', 'map', 'filter', 'flatMap', 'reduce', 'some', 'every', 'find', 'findIndex', 'findLast', 'indexOf', 'lastIndexOf', 'includes', 'join', 'slice', 'sort', 'fill'] as const;
const TYPED = Object.getPrototypeOf(Int32Array.prototype) as Record<string, unknown>;

/** Runs `f` with every array method (plain and typed) counting the elements of the arrays it is called on. */
async function countVisits(f: () => Promise<void>): Promise<number> {
  let visits = 0;
  const saved: [Record<string, unknown>, string, unknown][] = [];
  const wrap = (proto: Record<string, unknown>, name: string) => {
    const original = proto[name] as ((...args: unknown[]) => unknown) | undefined;
    if (!original) return;
    saved.push([proto, name, original]);
    proto[name] = function (this: { length: number }, ...args: unknown[]) {
      visits += this.length;
      return original.apply(this, args);
    };
  };
  for (const name of METHODS) {
    wrap(Array.prototype as unknown as Record<string, unknown>, name);
    wrap(TYPED, name);
  }
  const from = Array.from;
  Array.from = function (this: unknown, ...args: Parameters<typeof Array.from>) {
    const out = from.apply(this, args as never);
    visits += out.length;
    return out;
  } as typeof Array.from;
  try {
    await f();
  } finally {
    Array.from = from;
    for (const [proto, name, original] of saved) proto[name] = original;
  }
  return visits;
}

/** The load path for one scenario: the worker's load (one stage below BIG_LOAD_CONNECTIONS, after the validator's chunk), then the page's geometry and first-frame state. */
async function loadWork(scenario: unknown): Promise<{ visits: number; messages: number; bytes: number; connections: number }> {
  const posted: Event[] = [];
  const session = new SimSession({ post: (m) => posted.push(m), nowMs: () => 0, setTimer: () => 0, clearTimer: () => undefined });
  const visits = await countVisits(async () => {
    session.handle({ op: 'load', source: { kind: 'json', scenario } });
    // The load answers after its awaits (the validator's chunk, loaded in beforeAll): a few turns of the microtask queue.
    for (let turn = 0; turn < 100 && !posted.some((m) => m.op === 'frame'); turn++) await Promise.resolve();
    const loaded = posted.find((m): m is EventOf<'loaded'> => m.op === 'loaded');
    const frame = posted.find((m): m is EventOf<'frame'> => m.op === 'frame');
    if (!loaded || !frame) throw new Error(`not loaded: ${JSON.stringify(posted.map((m) => m.op))}`);
    const geo = stackGeometry(loaded.topology, 1280, 520);
    const { op: _op, ...f } = frame;
    poolState(loaded.topology, geo, f, 0);
    for (let c = 0; c < loaded.topology.connectionIds.length; c++) connectionState(f, c, geo);
  });
  const loaded = posted.find((m): m is EventOf<'loaded'> => m.op === 'loaded')!;
  return { visits, messages: posted.length, bytes: posted.reduce((n, m) => n + serialize(m).length, 0), connections: loaded.topology.connectionIds.length };
}

/** `race` with its connections repeated: below the dense grid's threshold, every name is laid out. */
const raceTimes = (times: number) => repeatConnections(race, times);

describe('loading twice the size does at most about twice the work (issue 18)', () => {
  installStateCodec(stateCodec); // as the worker has it once loaded: checkpoints packed
  // A file's load waits for the validator's chunk the first time (#19); the work measured is the load's.
  beforeAll(() => loadValidators());

  for (const [what, make, n] of [
    ['the stress grid (2,048 → 4,096 connections)', stressTimes, 1],
    ['the full stage with every name (race, 120 → 240 connections)', raceTimes, 60],
  ] as const) {
    it(what, async () => {
      await loadWork(make(n)); // warm: code loaded on first use is not the load's work
      const one = await loadWork(make(n));
      const two = await loadWork(make(2 * n));
      expect(two.connections).toBe(2 * one.connections);
      // A step whose work grows with the square of the size would make this ~4.
      expect(two.visits / one.visits).toBeLessThan(2.25);
      expect(two.messages).toBe(one.messages);
      expect(two.bytes / one.bytes).toBeLessThan(2.1);
      expect(one.visits).toBeGreaterThan(one.connections); // it counted the load, not nothing
    });
  }
});
