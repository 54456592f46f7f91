// #10 time travel in long runs: the checkpoints keep within their memory budget and stay evenly
// spread (so every seek replays about as little), and the history never returns a record it no
// longer holds after a replay wrote over its ring.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Timeline } from './timeline.ts';
import { Engine, installStateCodec } from '../model/engine.ts';
import { stateCodec } from '../model/stateCopy.ts';
import { loadPreset } from '../scenario/presets.ts';
import { validateScenario } from '../scenario/validate.ts';
import { R, TraceChunk, TraceRecorder } from '../trace/records.ts';
import { STATUS_NAMES } from '../base/status.ts';

const NOT_READY = STATUS_NAMES.indexOf('STATUS_DEVICE_NOT_READY');

installStateCodec(stateCodec); // the packed checkpoints the worker uses

describe('#10: checkpoints within a budget', () => {
  it('a long stress run keeps its checkpoints under the budget, the first kept, evenly spread', async () => {
    const v = validateScenario(await loadPreset('stress'));
    if (!v.ok) throw new Error('invalid');
    const engine = new Engine(v.scenario);
    // A budget that a run of a few seconds reaches (at 2,048 connections a checkpoint is ~0.3 MB).
    const budget = 5 * 2 ** 20;
    const tl = new Timeline(engine.topo, v.scenario.durationUs, () => 0, budget);
    tl.maybeCheckpoint(engine, engine.eventCount);
    const first = tl.marks[0]!;
    while (engine.nowUs < 1_500_000) {
      engine.runUntil(v.scenario.durationUs, 4096);
      tl.maybeCheckpoint(engine, engine.eventCount);
    }
    expect(tl.bytes).toBeLessThanOrEqual(budget);
    expect(tl.bytes).toBeGreaterThan(budget * 0.8); // the budget is used, not halved
    expect(tl.marks.length).toBeGreaterThan(10);
    expect(tl.marks[0]).toBe(first);
    const gaps = tl.marks.slice(1).map((m, i) => m.dispatch - tl.marks[i]!.dispatch);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    // Evenly spread: no gap more than twice the mean (dropping every other one would leave ~2× everywhere at best).
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2.2 * mean);
  });
});

describe('#16: checkpoints spaced by the typical one', () => {
  it('one pause between two checkpoints, or one slow checkpoint, does not change the spacing (a seek replays as far as the widest gap)', async () => {
    const v = validateScenario(await loadPreset('stress'));
    if (!v.ok) throw new Error('invalid');
    const engine = new Engine(v.scenario);
    // A clock the test drives: the run goes 1,000 kernel dispatches a ms, a checkpoint costs 2 ms
    // (read before and after taking it), except where the test says otherwise.
    let ms = 0;
    let costMs = 2;
    let reads = 0;
    const tl = new Timeline(engine.topo, v.scenario.durationUs, () => (reads++ % 2 === 1 ? (ms += costMs) : ms));
    const spacings: number[] = [];
    for (let i = 0; i < 40; i++) {
      const from = engine.dispatchCount;
      engine.runUntil(v.scenario.durationUs, Math.max(1, tl.spacing - (engine.dispatchCount - (tl.marks.at(-1)?.dispatch ?? 0))));
      ms += (engine.dispatchCount - from) / 1000;
      if (i === 20) ms += 60_000; // the user paused for a minute
      costMs = i === 30 ? 40 : 2; // a garbage collection inside one checkpoint
      tl.maybeCheckpoint(engine, engine.eventCount);
      spacings.push(tl.spacing);
    }
    // SEEK_REPLAY_MS (40) of the run at 1,000 dispatches a ms: 40,000, and it stays there.
    const settled = spacings.slice(10);
    expect(settled.length).toBe(30);
    for (const s of settled) expect(s).toBeGreaterThan(38_000);
    for (const s of settled) expect(s).toBeLessThan(42_000);
  });
});

describe('#10: the history ring after replays', () => {
  it('every record the history claims to hold is the one written for that seq, however replays overwrote the ring', async () => {
    const v = validateScenario(await loadPreset('basics'));
    if (!v.ok) throw new Error('invalid');
    const topo = new Engine(v.scenario).topo;
    const HISTORY = 1 << 18;
    // Chunks of the one run (record seq s carries t = s), written forward and replayed from earlier points.
    const chunk = (firstSeq: number, length: number): TraceChunk => {
      const k = new TraceChunk(length);
      k.firstSeq = firstSeq;
      k.length = length;
      for (let i = 0; i < length; i++) k.t[i] = firstSeq + i;
      return k;
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 * HISTORY }), fc.integer({ min: 1, max: 70_000 })), { minLength: 1, maxLength: 12 }), (writes) => {
        const tl = new Timeline(topo, 1_000_000);
        let end = 0;
        for (const [at, n] of writes) {
          // Either the run goes on, or a replay writes again from an earlier seq (never past the run's end).
          const from = Math.min(at, end);
          const length = Math.max(1, Math.min(n, end + n - from));
          tl.record(chunk(from, length));
          end = Math.max(end, from + length);
        }
        expect(tl.histMax - tl.histMin).toBeLessThan(HISTORY);
        if (tl.histMax >= tl.histMin) {
          for (let seq = tl.histMin; seq <= tl.histMax; seq += 4999) expect(tl.slice(seq, seq).t[0]).toBe(seq);
          expect(tl.slice(tl.histMax, tl.histMax).t[0]).toBe(tl.histMax);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('#10: the charts follow the played part of a long run', () => {
  it('buckets start fine and double as the run goes on; every count and byte is kept, and the pool level is the engine\'s', async () => {
    const v = validateScenario(await loadPreset('stress'));
    if (!v.ok) throw new Error('invalid');
    const scenario = v.scenario;
    let refusals = 0;
    let txBytes = 0;
    const tlRef: { tl: Timeline | null } = { tl: null };
    const rec = new TraceRecorder((k) => {
      for (let i = 0; i < k.length; i++) {
        if (k.type[i] === R.SEND_COMPLETE && k.b[i] === NOT_READY) refusals++;
        if (k.type[i] === R.BUFFER_TRANSMIT) txBytes += k.d[i]!;
      }
      tlRef.tl!.record(k);
    }, 4096);
    const engine = new Engine(scenario, { trace: rec });
    const tl = new Timeline(engine.topo, scenario.durationUs);
    tlRef.tl = tl;
    // 6 ms into a 30 s run: many buckets already, not one bucket of 75 ms (30 s / 400).
    engine.runUntil(6000);
    rec.flush();
    expect(tl.stats.bucketUs).toBeLessThan(100);
    expect(tl.stats.reached).toBeGreaterThan(50);
    const fine = tl.stats.bucketUs;
    // 400 ms in: coarser, and still covering the run so far in at most 400 buckets.
    engine.runUntil(400_000);
    rec.flush();
    tl.syncCurrent();
    const s = tl.stats;
    expect(s.bucketUs).toBeGreaterThan(fine);
    expect(s.bucketUs * 400).toBeGreaterThanOrEqual(engine.nowUs);
    expect(s.bucketUs * 200).toBeLessThan(engine.nowUs); // no coarser than it needs to be
    expect(refusals).toBeGreaterThan(0);
    expect(s.refusals.reduce((a, b) => a + b, 0)).toBe(refusals);
    expect(s.txByClient.reduce((a, b) => a + b, 0)).toBe(txBytes);
    // The last bucket's pool level is what the pool holds now.
    const last = s.reached - 1;
    const P = s.transports * s.clients;
    const level = s.poolByClient.slice(last * P, last * P + P).reduce((a, b) => a + b, 0);
    expect(level).toBe(Array.from(engine.snapshot().buffered).reduce((a, b) => a + b, 0));
  });
});
