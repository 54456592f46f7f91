// Checkpoints (for time travel): a restored run continues exactly like the uninterrupted one (I7).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scenarioArb } from '../scenario/arbitrary.ts';
import { validateScenario } from '../scenario/validate.ts';
import { Engine, type Checkpoint } from './engine.ts';
import { TraceRecorder, type TraceChunk } from '../trace/records.ts';
import { jsonlExporter } from '../trace/exporters.ts';
import type { Scenario } from '../scenario/schema.ts';

function traced(s: Scenario, from?: Checkpoint): { engine: Engine; text: () => string } {
  const chunks: TraceChunk[] = [];
  const rec = new TraceRecorder((k) => chunks.push(k), 64);
  const engine = from ? Engine.fromCheckpoint(s, from, { trace: rec }) : new Engine(s, { trace: rec });
  return {
    engine,
    text: () => {
      rec.flush();
      const ex = jsonlExporter(engine.topo);
      return chunks.map((k) => ex.chunk(k)).join('');
    },
  };
}

describe('checkpoint / restore', () => {
  it('a run restored from a checkpoint at any point continues byte-identical to the uninterrupted run', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 10_000 }), (input, cutUs) => {
        const v = validateScenario(input);
        if (!v.ok) throw new Error(v.problems.join('\n'));
        const whole = traced(v.scenario);
        whole.engine.runToEnd();
        const wholeText = whole.text();

        const first = traced(v.scenario);
        first.engine.runUntil(cutUs);
        const cp = structuredClone(first.engine.checkpoint()); // as it would cross to/from a worker
        const prefix = first.text();
        // Keep running the original past the cut, to prove the checkpoint is a copy, not a view.
        first.engine.runToEnd();

        const second = traced(v.scenario, cp);
        second.engine.runToEnd();
        expect(prefix + second.text()).toBe(wholeText);
        expect(second.engine.metrics().transmitted).toEqual(whole.engine.metrics().transmitted);
      }),
      { numRuns: 150 },
    );
  });

  it('an injected fault is recorded in faults and replays the same from the scenario', () => {
    const v = oneNic();
    const live = traced(v);
    live.engine.runUntil(1234);
    const fault = live.engine.injectFault({ driver: 'nic0', status: 'STATUS_LINK_FAILED', recoverAfterUs: 500 });
    live.engine.runToEnd();
    expect(live.engine.faults).toContainEqual(fault);
    const replay = traced({ ...v, faults: [...live.engine.faults] });
    replay.engine.runToEnd();
    expect(replay.text()).toBe(live.text());
  });

  it('I7: restored with its scenario, a checkpoint from before a change made by hand replays it at its place', () => {
    const v = oneNic();
    const live = traced(v);
    live.engine.runUntil(500);
    const cp = structuredClone(live.engine.checkpoint());
    const prefix = live.text();
    live.engine.runUntil(800);
    live.engine.changePolicyNow({ client: 'A', resubmit: { delayUs: 150 } });
    live.engine.runUntil(1234);
    live.engine.injectFault({ driver: 'nic0', status: 'STATUS_LINK_FAILED', recoverAfterUs: 500 });
    live.engine.runToEnd();
    const recorded = { ...v, faults: [...live.engine.faults], policyChanges: [...live.engine.policyChanges] };
    const restored = traced(recorded, cp);
    restored.engine.runToEnd();
    expect(prefix + restored.text()).toBe(live.text());
    expect(restored.engine.faults).toEqual(live.engine.faults);
    expect(restored.engine.policyChanges).toEqual(live.engine.policyChanges);
  });

  it('I7, a fork: changes a checkpoint holds that had not happened yet, and the scenario no longer does, never happen', () => {
    const v = oneNic();
    const live = traced(v);
    live.engine.runUntil(800);
    live.engine.changePolicyNow({ client: 'A', resubmit: { delayUs: 150 } });
    live.engine.runUntil(1234);
    live.engine.injectFault({ driver: 'nic0', status: 'STATUS_LINK_FAILED' });
    const withChanges = {
      ...v,
      faults: [...live.engine.faults],
      policyChanges: [...live.engine.policyChanges],
    };
    // A replay of that run, checkpointed before the changes: they are in the checkpoint, still ahead.
    const replay = traced(withChanges);
    replay.engine.runUntil(500);
    const cp = structuredClone(replay.engine.checkpoint());
    expect(cp.faults.length).toBe(1);
    const prefix = replay.text();
    // Restored into the scenario without them (the old future abandoned): the straight run of v.
    const fork = traced(v, cp);
    fork.engine.runToEnd();
    const straight = traced(v);
    straight.engine.runToEnd();
    expect(prefix + fork.text()).toBe(straight.text());
    expect(fork.engine.faults).toEqual([]);
    expect(fork.engine.policyChanges).toEqual([]);
  });
});

describe('step(untilUs)', () => {
  it('I7: goes no further than untilUs, a change made by hand due there included: it stops where runUntil(untilUs) does', () => {
    const v = oneNic();
    const live = new Engine(v);
    live.runUntil(1234);
    const before = live.dispatchCount;
    live.injectFault({ driver: 'nic0', status: 'STATUS_LINK_FAILED' }); // at 1234 µs, after the last event before it
    const scenario = { ...v, faults: [...live.faults] };
    for (const untilUs of [1233, 1234, 5000]) {
      const stepped = new Engine(scenario);
      while (stepped.step(untilUs));
      const ran = new Engine(scenario);
      ran.runUntil(untilUs);
      expect(stepped.dispatchCount).toBe(ran.dispatchCount);
      expect(stepped.eventCount).toBe(ran.eventCount);
      // At 1233 µs the fault is due next in the event order, but its time has not come.
      if (untilUs === 1233) expect(stepped.dispatchCount).toBe(before);
    }
  });
});

/** One client on one NIC that fills its pool: refusals, resubmissions, and a driver to fail. */
function oneNic(): Scenario {
  const v = validateScenario({
    format: 'tdi-flow-lab/scenario@1', seed: 3, durationUs: 5000,
    drivers: [{ id: 'nic0', kind: 'nic', linkBytesPerMs: 1000 }],
    transports: [{ id: 'tcp', lower: ['nic0'], sendBufferBytes: 3000, maxSendBytes: 9000 }],
    clients: [{ id: 'A', handlers: ['SendPossible', 'Error'] }],
    addresses: [{ id: 'a', client: 'A', transport: 'tcp', nics: ['nic0'] }],
    connections: [{ id: 'k', address: 'a', nic: 'nic0', generator: { startUs: 0, everyUs: 200, bytes: 700, count: 20, flags: ['NON_BLOCKING'] } }],
  });
  if (!v.ok) throw new Error(v.problems.join('\n'));
  return v.scenario;
}
