// #10 cheap checkpoints: the packed copy (stateCopy.ts) must give back exactly the state it was
// made from, independent of it, however often it is unpacked — I7 rests on it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packState, packedBytes, stateCodec, unpackState } from './stateCopy.ts';
import { scenarioArb } from '../scenario/arbitrary.ts';
import { validateScenario } from '../scenario/validate.ts';
import { Engine, installStateCodec } from './engine.ts';

installStateCodec(stateCodec);

const num = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.double(), fc.constantFrom(-0, 2 ** 31, 2 ** 53, -1e12, Infinity, NaN));
const record = fc.record({ remaining: num, flags: fc.integer(), origin: num, done: fc.boolean() });
/** State shaped like the stores: typed arrays, lists of lists of numbers or of records, nested records, scalars. */
const stateArb = fc.record({
  f64: fc.array(num).map((xs) => Float64Array.from(xs)),
  u8: fc.array(fc.integer({ min: 0, max: 255 })).map((xs) => Uint8Array.from(xs)),
  i32s: fc.array(fc.array(fc.integer({ min: -5, max: 5 })).map((xs) => Int32Array.from(xs))),
  held: fc.array(fc.array(record, { maxLength: 6 }), { maxLength: 20 }),
  queue: fc.array(fc.array(num, { maxLength: 6 }), { maxLength: 5 }),
  mixed: fc.array(fc.array(fc.oneof(num, record), { maxLength: 3 }), { maxLength: 4 }),
  clock: fc.record({ nowUs: num, halted: fc.boolean(), bugcheck: fc.option(fc.record({ code: fc.integer(), name: fc.string() })) }),
});

describe('#10: packed checkpoints of model state', () => {
  it('unpack(pack(state)) is the same state (values, −0, NaN, types), a fresh copy each time, independent of the original', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const before = structuredClone(state);
        const packed = packState(state);
        const a = unpackState<typeof state>(packed);
        expect(a).toEqual(before); // toEqual tells −0 from 0 and typed-array kinds apart
        // Change the original everywhere: the copy must not see it.
        state.f64.fill(7);
        for (const l of state.held) for (const r of l) r.remaining = 123;
        for (const l of state.queue) l.push(1);
        const b = unpackState<typeof state>(packed);
        expect(b).toEqual(before);
        // Two restores of one checkpoint share nothing.
        for (const l of b.held) for (const r of l) r.flags = -1;
        if (b.f64.length > 0) b.f64[0] = 99;
        expect(unpackState(packed)).toEqual(before);
        expect(a).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('a packed checkpoint is smaller than its live state (lists of records become columns, whole Float64 numbers Int32)', () => {
    const held = Array.from({ length: 2048 }, (_, c) => Array.from({ length: 5 }, (_, i) => ({ remaining: 1460, flags: 2, origin: c * 8 + i, refusedAtUs: 5000 * i })));
    const bytes = Float64Array.from({ length: 2048 }, (_, i) => i * 1460);
    const packed = packState({ held, bytes });
    // 2048×5 records × 4 fields × 4 bytes, their offsets, 2048 × 4: each number in 4 bytes, not an 8-byte number in an object.
    expect(packedBytes(packed)).toBeLessThan(2048 * 5 * 4 * 4 + 2049 * 4 + 2048 * 4 + 4096);
    expect(unpackState(packed)).toEqual({ held, bytes });
  });

  it('I7 with a shared shape: restored into an engine that borrows another engine\'s topology, the run goes on exactly as a straight one', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 10_000 }), (input, cutUs) => {
        const v = validateScenario(input);
        if (!v.ok) throw new Error(v.problems.join('\n'));
        const straight = new Engine(v.scenario);
        straight.runToEnd();
        const first = new Engine(v.scenario);
        first.runUntil(cutUs);
        const cp = first.checkpoint();
        first.runToEnd(); // the checkpoint is a copy, not a view
        // Restored twice from the one checkpoint: each run must be the straight run.
        for (let i = 0; i < 2; i++) {
          const restored = Engine.fromCheckpoint(v.scenario, cp, { shapeOf: first });
          restored.runToEnd();
          expect(restored.checkpoint()).toEqual(straight.checkpoint());
        }
      }),
      { numRuns: 60 },
    );
  });
});
