// `npm run bench` (engine part): the stress preset headless — model events/s with the trace
// recorded (columnar chunks streamed to a sink) and with it off, against a bare heap loop of the
// same event count; then a 10-million-event run to show memory stays flat. Prints figures; asserts
// nothing (targets are in the issue: ≥ 1,000,000 events/s with the trace on, model/bare ≥ 0.3).
import { performance } from 'node:perf_hooks';
import { Engine } from '../src/model/engine.ts';
import { loadPreset } from '../src/scenario/presets.ts';
import { validateScenario } from '../src/scenario/validate.ts';
import { TraceRecorder } from '../src/trace/records.ts';
import { EventHeap } from '../src/sim/heap.ts';
import type { Scenario } from '../src/scenario/schema.ts';
import type { Api } from '../src/model/state.ts';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const gc = (globalThis as { gc?: () => void }).gc;

async function stress(durationUs: number, count: number): Promise<Scenario> {
  const v = validateScenario(await loadPreset('stress'));
  if (!v.ok) throw new Error(v.problems.join('\n'));
  const s = v.scenario;
  s.durationUs = durationUs;
  for (const c of s.connections) if (c.generator) c.generator.count = count;
  return s;
}

function runModel(s: Scenario, traceOn: boolean, api: Api = 'tdi'): { events: number; dispatches: number; ms: number } {
  let recorder: TraceRecorder | null = null;
  if (traceOn) recorder = new TraceRecorder((k) => recorder!.recycle(k));
  const engine = new Engine(s, { trace: recorder, api });
  const t0 = performance.now();
  engine.runToEnd();
  recorder?.flush();
  return { events: engine.eventCount, dispatches: engine.dispatchCount, ms: performance.now() - t0 };
}

/** The same heap, the same number of pops and pushes, nothing else: the floor the model stands on. */
function runBare(events: number, queueSize: number): number {
  const heap = new EventHeap(1024);
  let x = 12345;
  for (let i = 0; i < queueSize; i++) heap.push(i, 1, i, 0);
  const t0 = performance.now();
  for (let i = 0; i < events; i++) {
    heap.pop();
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    heap.push(heap.topTimeUs + 1 + (x % 4000), heap.topKind, heap.topArg0, heap.topArg1);
  }
  return performance.now() - t0;
}

const best = <T extends { ms: number }>(runs: T[]): T => runs.reduce((a, b) => (b.ms < a.ms ? b : a));

const s = await stress(1_000_000, 200);
console.log(`stress preset: ${s.connections.length} connections, ${s.durationUs / 1000} ms simulated`);
runModel(s, true); // warm-up
const on = best([runModel(s, true), runModel(s, true), runModel(s, true)]);
const off = best([runModel(s, false), runModel(s, false), runModel(s, false)]);
const bareMs = Math.min(runBare(on.events, s.connections.length), runBare(on.events, s.connections.length));
const rateOn = on.events / (on.ms / 1000);
const rateOff = off.events / (off.ms / 1000);
const rateBare = on.events / (bareMs / 1000);
console.log(`  trace on : ${fmt(on.events)} events (${fmt(on.dispatches)} kernel dispatches) in ${on.ms.toFixed(0)} ms → ${fmt(rateOn)} events/s`);
console.log(`  trace off: ${fmt(off.events)} events in ${off.ms.toFixed(0)} ms → ${fmt(rateOff)} events/s`);
console.log(`  bare heap: ${fmt(on.events)} pop+push in ${bareMs.toFixed(0)} ms → ${fmt(rateBare)} events/s`);
console.log(`  model/bare (trace on): ${(rateOn / rateBare).toFixed(2)}   target ≥ 0.30; events/s target ≥ 1,000,000`);
// The same scenario through Winsock Kernel (#20): WskSend IRPs instead of TDI_SEND, beside TDI's figures.
runModel(s, true, 'wsk'); // warm-up
const wskOn = best([runModel(s, true, 'wsk'), runModel(s, true, 'wsk'), runModel(s, true, 'wsk')]);
const wskOff = best([runModel(s, false, 'wsk'), runModel(s, false, 'wsk'), runModel(s, false, 'wsk')]);
console.log(`  WSK trace on : ${fmt(wskOn.events)} events (${fmt(wskOn.dispatches)} kernel dispatches) in ${wskOn.ms.toFixed(0)} ms → ${fmt(wskOn.events / (wskOn.ms / 1000))} events/s (TDI ${fmt(rateOn)})`);
console.log(`  WSK trace off: ${fmt(wskOff.events)} events in ${wskOff.ms.toFixed(0)} ms → ${fmt(wskOff.events / (wskOff.ms / 1000))} events/s (TDI ${fmt(rateOff)})`);

// Memory: a run of over 10 million events with the trace streamed (each chunk read, then recycled).
const long = await stress(10_600_000, 2100);
gc?.();
const heapBefore = process.memoryUsage().heapUsed;
let peakHeap = heapBefore;
let chunks = 0;
const recorder: TraceRecorder = new TraceRecorder((k) => {
  chunks++;
  if (chunks % 64 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  recorder.recycle(k);
});
const engine = new Engine(long, { trace: recorder });
const t0 = performance.now();
engine.runToEnd();
const ms = performance.now() - t0;
gc?.();
const heapAfter = process.memoryUsage().heapUsed;
console.log(
  `long run: ${fmt(engine.eventCount)} events in ${(ms / 1000).toFixed(1)} s (${fmt(engine.eventCount / (ms / 1000))} events/s); ` +
    `heap ${(heapBefore / 2 ** 20).toFixed(1)} MiB before, peak ${(peakHeap / 2 ** 20).toFixed(1)} MiB, ${(heapAfter / 2 ** 20).toFixed(1)} MiB after; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
);

// The worker session's own cost of streaming (no page, no CPU contention): the stress run played
// flat out with a frame built and "posted" (structured-cloned, as postMessage would) at every
// 16 ms tick, against the same run with streaming off.
import { SimSession } from '../src/worker/session.ts';
import type { Event } from '../src/protocol/messages.ts';

async function sessionRate(streaming: boolean): Promise<number> {
  let now = 0;
  const pending: { timer: (() => void) | null } = { timer: null };
  let frames = 0;
  let lastCount = 0;
  const session: SimSession = new SimSession({
    post: (m: Event) => {
      if (m.op !== 'frame') return;
      frames++;
      lastCount = m.eventCount;
      structuredClone(m); // what postMessage pays for the non-transferred part
      queueMicrotask(() => session.handle({ op: 'frameDone' }));
    },
    nowMs: () => now,
    setTimer: (fn) => ((pending.timer = fn), 1),
    clearTimer: () => (pending.timer = null),
  });
  const scenario = await stress(200_000_000, 40_000);
  session.handle({ op: 'load', source: { kind: 'json', scenario } });
  await new Promise((r) => setTimeout(r, 50));
  session.handle({ op: 'setStreaming', on: streaming });
  session.handle({ op: 'setSpeed', speed: 1000 });
  session.handle({ op: 'play' });
  const t0 = performance.now();
  // Drive the injected clock with real time, so the session's 12 ms budget per tick is real.
  while (performance.now() - t0 < 3000) {
    now = performance.now();
    const fn = pending.timer;
    pending.timer = null;
    fn?.();
    await Promise.resolve();
  }
  session.handle({ op: 'pause' });
  await Promise.resolve();
  void frames;
  return lastCount / ((performance.now() - t0) / 1000);
}
const streamOn = await sessionRate(true);
const streamOff = await sessionRate(false);
console.log(
  `worker session (Node, no page): ${fmt(streamOn)} events/s streaming, ${fmt(streamOff)} events/s not → streaming's own cost ${(100 * (1 - streamOn / streamOff)).toFixed(1)}%`,
);

// Time travel: 50 seeded random seeks on a run of about a million events (the stress preset's
// first second), each restoring the nearest checkpoint and replaying, including building the frame.
import { Prng } from '../src/base/prng.ts';
import { serialize } from 'node:v8';
/** A session host whose timers the bench runs by hand: End comes in slices (the worker yields). */
function handHost(post: (m: Event) => void = () => undefined) {
  let next: (() => void) | null = null;
  return {
    host: { post, nowMs: () => performance.now(), setTimer: (fn: () => void) => ((next = fn), 1), clearTimer: () => void (next = null) },
    /** Runs End's slices until it has finished. */
    drain() {
      while (next) {
        const fn = next;
        next = null;
        fn();
      }
    },
  };
}
{
  const frames: number[] = [];
  const hand = handHost((m: Event) => {
    if (m.op === 'frame') frames.push(m.eventCount);
  });
  const session = new SimSession(hand.host);
  const scenario = await stress(1_000_000, 200);
  session.handle({ op: 'load', source: { kind: 'json', scenario } });
  await new Promise((r) => setTimeout(r, 50));
  const t0 = performance.now();
  session.handle({ op: 'runToEnd' });
  hand.drain();
  const runMs = performance.now() - t0;
  session.handle({ op: 'frameDone' });
  const total = frames.at(-1)!;
  const marks = (session as unknown as { timeline: { marks: unknown[] } }).timeline.marks.length;
  const rng = new Prng(42);
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = rng.intInclusive(scenario.durationUs);
    const s0 = performance.now();
    session.handle({ op: 'seek', timeUs: t });
    session.handle({ op: 'frameDone' });
    times.push(performance.now() - s0);
  }
  times.sort((a, b) => a - b);
  console.log(
    `seek: run of ${fmt(total)} events (${runMs.toFixed(0)} ms with checkpoints, ${marks} kept); 50 random seeks p50 ${times[25]!.toFixed(1)} ms, p95 ${times[47]!.toFixed(1)} ms, max ${times[49]!.toFixed(1)} ms   target p95 ≤ 100 ms`,
  );
  const cpBytes = (sess: SimSession) =>
    (sess as unknown as { timeline: { marks: { cp: unknown }[] } }).timeline.marks.reduce((sum, m) => sum + serialize(m.cp).length, 0);
  console.log(`  checkpoints after ${fmt(total)} events: ${marks}, ${(cpBytes(session) / 2 ** 20).toFixed(1)} MiB serialized`);

  // The same bookkeeping over a ten-times longer run: checkpoints thin out, so memory stays bounded.
  const longHand = handHost();
  const long = new SimSession(longHand.host);
  long.handle({ op: 'load', source: { kind: 'json', scenario: await stress(10_600_000, 2100) } });
  await new Promise((r) => setTimeout(r, 50));
  long.handle({ op: 'runToEnd' });
  longHand.drain();
  const longMarks = (long as unknown as { timeline: { marks: unknown[] } }).timeline.marks.length;
  gc?.();
  console.log(
    `  checkpoints after ~11 M events: ${longMarks}, ${(cpBytes(long) / 2 ** 20).toFixed(1)} MiB serialized; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB (history ring 12 MiB fixed)`,
  );
}
