// The model-based property test: generated scenarios with handler changes, policy changes, faults
// that recover, addresses that close and reopen, non-buffering transports and misbehaving handlers.
// Every event of every run goes through the independent checker (trace/invariants.ts); the summary
// must account for every byte; a run restored from a checkpoint must reach the very same state.
// `PROPERTY_RUNS=5000 npx vitest run src/model/model.property.test.ts` runs more locally.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scenarioArb } from '../scenario/arbitrary.ts';
import { validateScenario } from '../scenario/validate.ts';
import { checkInvariants } from '../trace/invariants.ts';
import { summarize } from '../trace/summary.ts';
import { run } from '../testkit.ts';
import { checkChromeFlows } from '../trace/chromeFlows.ts';
import { chromeTraceExporter, jsonlExporter } from '../trace/exporters.ts';
import { TraceRecorder, type TraceChunk } from '../trace/records.ts';
import { Engine } from './engine.ts';
import type { ScenarioInput } from '../scenario/schema.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

function traced(s: ReturnType<typeof validated>): { engine: Engine; text: () => string } {
  const chunks: TraceChunk[] = [];
  const recorder = new TraceRecorder((k) => chunks.push(k), 256);
  const engine = new Engine(s, { trace: recorder });
  return {
    engine,
    text: () => {
      recorder.flush();
      const ex = jsonlExporter(engine.topo);
      return chunks.map((k) => ex.chunk(k)).join('');
    },
  };
}

function validated(s: ScenarioInput) {
  const v = validateScenario(s);
  if (!v.ok) throw new Error(v.problems.join('\n'));
  return v.scenario;
}

describe('model-based: generated scenarios keep every rule the trace can show', () => {
  it('I1–I6, R22 queue order, R25 timer and resubmission times, R33/R34, R41 — at every event', () => {
    let withBugcheck = 0;
    let withRetries = 0;
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = run(s);
        const m = r.engine.metrics();
        expect(checkInvariants(validated(s), r.events, { buffered: m.buffered, nowUs: r.engine.nowUs })).toEqual([]);
        if (r.engine.halted) withBugcheck++;
        if (r.of('callback.sendPossible').length > 0) withRetries++;
      }),
      { numRuns: RUNS },
    );
    // The generator reaches the cases that matter (a property over runs that never get there is vacuous).
    expect(withBugcheck).toBeGreaterThan(0);
    expect(withRetries).toBeGreaterThan(RUNS / 8);
  });

  it('R24, R25: in the chrome trace every SendPossible → resubmission arrow has its own id, on its connection\'s track', () => {
    let arrows = 0;
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const chunks: TraceChunk[] = [];
        const recorder = new TraceRecorder((k) => chunks.push(k), 512);
        const engine = new Engine(validated(s), { trace: recorder });
        engine.runToEnd();
        recorder.flush();
        const ex = chromeTraceExporter(engine);
        const json = ex.header() + chunks.map((k) => ex.chunk(k)).join('') + ex.footer();
        expect(checkChromeFlows(json)).toEqual([]);
        arrows += (json.match(/"ph":"f"/g) ?? []).length;
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
    expect(arrows).toBeGreaterThan(0);
  });

  it('R15, R16, R32, R33: per connection, bytes submitted = accepted + failed + held + pending, in every run', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = run(s);
        const summary = summarize(r.engine);
        const buffered = r.engine.metrics().buffered;
        r.engine.topo.connectionIds.forEach((id, i) => {
          const c = summary.connections[id]!;
          expect({ id, submitted: c.bytesSubmitted }).toEqual({ id, submitted: c.bytesAccepted + c.bytesFailed + c.bytesHeld + c.bytesPending });
          // I2, from the summary's side: what was accepted was transmitted, discarded or is still buffered.
          expect({ id, accepted: c.bytesAccepted }).toEqual({ id, accepted: c.bytesTransmitted + c.bytesDiscarded + buffered[i]! });
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('I7: any change made by hand — a fault, a policy change, even mid-instant — replays to the same trace', () => {
    const STATUSES = ['STATUS_LINK_FAILED', 'STATUS_ADAPTER_HARDWARE_ERROR', 'STATUS_PORT_UNREACHABLE'] as const;
    const actArb = fc.record({
      atUs: fc.integer({ min: 0, max: 10_000 }),
      extraSteps: fc.integer({ min: 0, max: 3 }),
      fault: fc.option(fc.record({ node: fc.nat(), status: fc.constantFrom(...STATUSES), fatal: fc.boolean(), recoverAfterUs: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }) }), { nil: undefined }),
      from: fc.constantFrom('handler', 'dpc', 'timer', 'workItem'),
      notify: fc.constantFrom('all', 'oldest'),
    });
    fc.assert(
      fc.property(scenarioArb, fc.array(actArb, { minLength: 1, maxLength: 4 }), (input, acts) => {
        const scenario = validated(input);
        const nodes = [...scenario.drivers.map((d) => d.id), ...scenario.transports.map((t) => t.id)];
        const live = traced(scenario);
        for (const act of [...acts].sort((a, b) => a.atUs - b.atUs)) {
          live.engine.runUntil(act.atUs);
          for (let k = 0; k < act.extraSteps; k++) live.engine.step(); // land inside an instant
          if (act.fault) {
            const f = act.fault;
            live.engine.injectFault({ driver: nodes[f.node % nodes.length]!, status: f.status, fatal: f.fatal, ...(f.recoverAfterUs ? { recoverAfterUs: f.recoverAfterUs } : {}) });
          } else {
            live.engine.changePolicyNow({ resubmit: { from: act.from, delayUs: 40 }, sendPossible: { notify: act.notify } });
          }
        }
        live.engine.runToEnd();
        // The scenario as the app records it (and a share link carries it), replayed from the start.
        const recorded = validated({ ...input, faults: [...live.engine.faults], policyChanges: [...live.engine.policyChanges] } as ScenarioInput);
        const replay = traced(recorded);
        replay.engine.runToEnd();
        expect(replay.text()).toBe(live.text());
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it('I7: restored from a checkpoint at any time, the engine reaches exactly the state of a straight run', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (input, a, b) => {
        const scenario = validated(input);
        const [cutUs, targetUs] = a <= b ? [a, b] : [b, a];
        const straight = new Engine(scenario);
        straight.runUntil(targetUs);
        const first = new Engine(scenario);
        first.runUntil(cutUs);
        const restored = Engine.fromCheckpoint(scenario, structuredClone(first.checkpoint()));
        first.runToEnd(); // the checkpoint is a copy, not a view
        restored.runUntil(targetUs);
        // The entire state: every store, the event queue, the generator, the faults and changes.
        expect(restored.checkpoint()).toEqual(straight.checkpoint());
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});

describe('model-based under WSK (api "wsk"): generated scenarios keep W1–W13 and the invariants that hold for both APIs', () => {
  it('I1, I2, W3, W10–W13 at every event; no refusal, no SendPossible, no lost race (W1); no error callback (W4)', () => {
    let withDisconnects = 0;
    let withBacklogEvents = 0;
    let withFailedIrps = 0;
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = run(s, undefined, 'wsk');
        const m = r.engine.metrics();
        expect(checkInvariants(validated(s), r.events, { buffered: m.buffered, nowUs: r.engine.nowUs })).toEqual([]);
        const summary = summarize(r.engine);
        expect([summary.total.lostRaces, summary.total.deviceNotReady, summary.total.sendPossible]).toEqual([0, 0, 0]);
        expect(r.of('callback.error')).toEqual([]);
        if (summary.wsk!.total.disconnects > 0) withDisconnects++;
        if (summary.wsk!.total.backlogEvents > 0) withBacklogEvents++;
        if (summary.wsk!.total.irpsFailed > 0) withFailedIrps++;
      }),
      { numRuns: RUNS },
    );
    // The generator reaches the WSK cases that matter (a property over runs that never get there is vacuous).
    expect(withDisconnects).toBeGreaterThan(RUNS / 10);
    expect(withBacklogEvents).toBeGreaterThan(RUNS / 10);
    expect(withFailedIrps).toBeGreaterThan(0);
  });

  it('W10: per connection, bytes submitted = accepted + failed + held + still in pending IRPs, and accepted = transmitted + discarded + buffered', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = run(s, undefined, 'wsk');
        const summary = summarize(r.engine);
        const buffered = r.engine.metrics().buffered;
        r.engine.topo.connectionIds.forEach((id, i) => {
          const c = summary.connections[id]!;
          expect({ id, submitted: c.bytesSubmitted }).toEqual({ id, submitted: c.bytesAccepted + c.bytesFailed + c.bytesHeld + c.bytesPending });
          expect({ id, accepted: c.bytesAccepted }).toEqual({ id, accepted: c.bytesTransmitted + c.bytesDiscarded + buffered[i]! });
        });
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it('I7 under WSK: restored from a checkpoint at any time, the engine reaches exactly the state of a straight run', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (input, a, b) => {
        const scenario = validated(input);
        const [cutUs, targetUs] = a <= b ? [a, b] : [b, a];
        const straight = new Engine(scenario, { api: 'wsk' });
        straight.runUntil(targetUs);
        const first = new Engine(scenario, { api: 'wsk' });
        first.runUntil(cutUs);
        const restored = Engine.fromCheckpoint(scenario, structuredClone(first.checkpoint()));
        first.runToEnd();
        restored.runUntil(targetUs);
        expect(restored.checkpoint()).toEqual(straight.checkpoint());
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });
});

