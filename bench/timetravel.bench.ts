// `npm run bench` (time travel, issue #10): the stress preset (2,048 connections, 30 s simulated,
// ~33 M events) played to its end by the worker session, as End does — in slices, taking
// checkpoints — then 50 seeded random seeks, each timed from the command to the frame it produces.
// Prints the time to End, the checkpoints' count, memory and share of the time, and seek
// p50/p95/max; asserts nothing (targets: seek p95 ≤ 100 ms, checkpoints ≤ 5% of the worker's time).
import { performance } from 'node:perf_hooks';
import { SimSession } from '../src/worker/session.ts';
import { CHECKPOINT_BUDGET_BYTES, type Timeline } from '../src/worker/timeline.ts';
import { loadPreset } from '../src/scenario/presets.ts';
import { Prng } from '../src/base/prng.ts';
import type { Event } from '../src/protocol/messages.ts';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;

/** A session whose timers the bench runs by hand, at once: End and long seeks come in slices. */
function handSession() {
  let next: (() => void) | null = null;
  let lastFrame: Extract<Event, { op: 'frame' }> | null = null;
  const session = new SimSession({
    post: (m) => {
      if (m.op === 'frame') lastFrame = m;
    },
    nowMs: () => performance.now(),
    setTimer: (fn) => ((next = fn), 1),
    clearTimer: () => void (next = null),
  });
  return {
    session,
    frame: () => lastFrame!,
    /** Waits for the load's first frame, and a moment more: the packed checkpoint codec loads after it, as in the worker. */
    async loaded() {
      while (!lastFrame) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
    },
    /**
     * Runs the pending slices until none is left, acknowledging frames as the page would, and
     * yielding between slices as the worker does (what loads on demand arrives meanwhile).
     */
    async drain() {
      session.handle({ op: 'frameDone' });
      while (next) {
        const fn = next;
        next = null;
        fn();
        session.handle({ op: 'frameDone' });
        if (next) await new Promise((r) => setImmediate(r));
      }
    },
  };
}

// Time spent taking checkpoints, whoever takes them.
let checkpointMs = 0;
const { Engine } = await import('../src/model/engine.ts');
const take = Engine.prototype.checkpoint;
Engine.prototype.checkpoint = function (this: InstanceType<typeof Engine>) {
  const a = performance.now();
  const cp = take.call(this);
  checkpointMs += performance.now() - a;
  return cp;
};

const run = handSession();
run.session.handle({ op: 'load', source: { kind: 'preset', name: 'stress' } });
await run.loaded();
const t0 = performance.now();
run.session.handle({ op: 'runToEnd' });
await run.drain();
const endMs = performance.now() - t0;
const total = run.frame().eventCount;
const durationUs = run.frame().durationUs;
const tl = (run.session as unknown as { timeline: Timeline }).timeline;
console.log(
  `time travel (stress, ${durationUs / 1e6} s simulated): End in ${(endMs / 1000).toFixed(1)} s for ${fmt(total)} events; ` +
    `${tl.marks.length} checkpoints, ${mib(tl.bytes)} (budget ${mib(CHECKPOINT_BUDGET_BYTES)}), taking them ${checkpointMs.toFixed(0)} ms = ` +
    `${((100 * checkpointMs) / endMs).toFixed(1)}% of End   target ≤ 5%`,
);
const gaps = tl.marks.slice(1).map((m, i) => m.seq - tl.marks[i]!.seq);
console.log(`  records between checkpoints: mean ${fmt(gaps.reduce((a, b) => a + b, 0) / gaps.length)}, max ${fmt(Math.max(...gaps))}`);

const rng = new Prng(10);
const times: number[] = [];
for (let i = 0; i < 50; i++) {
  const t = rng.intInclusive(durationUs);
  const s0 = performance.now();
  run.session.handle({ op: 'seek', timeUs: t });
  await run.drain();
  times.push(performance.now() - s0);
  if (run.frame().nowUs !== t) throw new Error(`seek to ${t} µs ended at ${run.frame().nowUs} µs`);
}
times.sort((a, b) => a - b);
const q = (p: number): number => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
console.log(`  50 random seeks (command → frame): p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${q(1).toFixed(1)} ms   target p95 ≤ 100 ms`);

// Beyond what was played: a seek forward on a fresh run goes in slices (progress after 300 ms).
const fresh = handSession();
fresh.session.handle({ op: 'load', source: { kind: 'json', scenario: await loadPreset('stress') } });
await fresh.loaded();
const f0 = performance.now();
fresh.session.handle({ op: 'seek', timeUs: 5_200_000 });
await fresh.drain();
console.log(`  seek forward to 5.2 s on a fresh run (not played): ${((performance.now() - f0) / 1000).toFixed(1)} s, in slices with progress and Cancel`);

// How fast this machine is right now (the figures above scale with it): the engine alone, trace on.
{
  const { TraceRecorder } = await import('../src/trace/records.ts');
  const { validateScenario } = await import('../src/scenario/validate.ts');
  const v = validateScenario(await loadPreset('stress'));
  if (!v.ok) throw new Error(v.problems.join('\n'));
  const rec: InstanceType<typeof TraceRecorder> = new TraceRecorder((k) => rec.recycle(k));
  const e = new Engine(v.scenario, { trace: rec });
  const a = performance.now();
  e.runUntil(1_000_000);
  console.log(`  (this machine now: the engine alone runs ${fmt(e.eventCount / ((performance.now() - a) / 1000))} records/s with the trace on)`);
}
