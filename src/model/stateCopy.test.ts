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

// #16: a seek replays from the nearest checkpoint, and the memory budget keeps as many as fit: the
// smaller and cheaper a checkpoint, the denser they are and the shorter a seek's replay.
describe('#16: checkpoints packed small', () => {
  /** The integer array a Float64Array of these numbers is kept as (null: kept as Float64Array). */
  const keptAs = (xs: number[]): string | null => {
    const p = packState(Float64Array.from(xs)) as { narrowed?: ArrayBufferView; base?: number };
    return p.narrowed ? `${p.narrowed.constructor.name}${p.base ? `+${p.base}` : ''}` : null;
  };

  it('whole numbers go into the narrowest integer array their range fits, from their least value when that is narrower', () => {
    expect(keptAs([0, 1, 255])).toBe('Uint8Array');
    expect(keptAs([-128, 0, 127])).toBe('Int8Array');
    expect(keptAs([0, 65_535])).toBe('Uint16Array');
    expect(keptAs([-32_768, 32_767])).toBe('Int16Array');
    expect(keptAs([-1, 2 ** 31 - 1])).toBe('Int32Array');
    // Times of pending events lie close together, far from 0: 1 byte each from their least.
    expect(keptAs([29_000_000, 29_000_200])).toBe('Uint8Array+29000000');
    expect(keptAs([29_000_000, 29_060_000])).toBe('Uint16Array+29000000');
    // Not whole, −0, or beyond 32 bits: kept exactly as they are.
    expect(keptAs([1, 0.5])).toBeNull();
    expect(keptAs([1, -0])).toBeNull();
    expect(keptAs([0, 2 ** 31])).toBeNull();
  });

  it('any whole numbers come back exactly, whatever their range and offset', () => {
    const offset = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    const span = fc.constantFrom(0, 1, 127, 255, 256, 32_767, 65_535, 65_536, 2 ** 31);
    fc.assert(
      fc.property(offset, span, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }), (lo, width, fractions) => {
        const xs = Float64Array.from(fractions, (u) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, lo + Math.floor(u * width))));
        expect(unpackState(packState(xs))).toEqual(xs);
      }),
      { numRuns: 300 },
    );
  });

  it("the model's record types (held sends, pending blocking sends, WSK IRPs) come back exactly, booleans too, by their own codec", () => {
    const held = Array.from({ length: 300 }, (_, c) => Array.from({ length: c % 4 }, (_, i) => ({ remaining: 1460 - i, flags: i, origin: c * 8 + i - 1, refusedAtUs: i === 0 ? -1 : 29_000_000 + i })));
    const pending = [[{ sendId: 7, bytes: 4096, copied: 1000, expedited: true }], [], [{ sendId: 9, bytes: 10, copied: 0, expedited: false }]];
    const irps = [[{ irpId: 1, bytes: 1460, copied: 1460, sent: 0 }], [{ irpId: 2, bytes: 7, copied: 0, sent: 0 }]];
    for (const lists of [held, pending, irps]) {
      const packed = packState(lists) as { codec?: number };
      expect(packed.codec).toBeGreaterThanOrEqual(0); // packed by name, not by the generic path
      expect(unpackState(packed)).toEqual(lists); // distinct values per field: a column its codec forgot to write would differ
    }
    // A record of one of those shapes holding something else, or one more key, or its keys in another
    // order, is not forced through the codec: it comes back as it was.
    const held1 = { remaining: 1, flags: 0, origin: -1, refusedAtUs: -1 };
    for (const odd of [
      [[{ ...held1, refusedAtUs: 'soon' }]],
      [[held1], [{ ...held1, note: 'x' }]],
      [[held1], [{ flags: 0, remaining: 2, origin: -1, refusedAtUs: -1 }]],
    ]) {
      const back = unpackState<typeof odd>(packState(odd));
      expect(back).toEqual(odd);
      expect(back.map((l) => l.map((r) => Object.keys(r)))).toEqual(odd.map((l) => l.map((r) => Object.keys(r))));
    }
  });

  it('a checkpoint of stress at 2,048 connections holds its numbers in ~3 bytes each (the budget keeps half as many again), and restores to the same run', async () => {
    const { loadPreset } = await import('../scenario/presets.ts');
    const v = validateScenario(await loadPreset('stress'));
    if (!v.ok) throw new Error(v.problems.join('\n'));
    const engine = new Engine(v.scenario);
    engine.runUntil(300_000);
    const cp = engine.checkpoint();
    const plain = structuredClone(cp);
    let numbers = 0;
    const count = (x: unknown): void => {
      if (ArrayBuffer.isView(x)) numbers += (x as Float64Array).length;
      else if (typeof x === 'number') numbers++;
      else if (x && typeof x === 'object') for (const y of Object.values(x)) count(y);
    };
    count(unpackState(cp.stores));
    const bytes = packedBytes(cp);
    expect(numbers).toBeGreaterThan(50_000);
    expect(bytes / numbers).toBeLessThan(3.5); // 3.0 here; 4.6 when Int32 was the narrowest and the event queue kept 8 bytes a number
    const again = Engine.fromCheckpoint(v.scenario, plain, { shapeOf: engine });
    engine.runUntil(400_000);
    again.runUntil(400_000);
    expect(again.checkpoint()).toEqual(engine.checkpoint());
  });
});
