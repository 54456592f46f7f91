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
    const v = validateScenario({
      format: 'tdi-flow-lab/scenario@1', seed: 3, durationUs: 5000,
      drivers: [{ id: 'nic0', kind: 'nic', linkBytesPerMs: 1000 }],
      transports: [{ id: 'tcp', lower: ['nic0'], sendBufferBytes: 3000, maxSendBytes: 9000 }],
      clients: [{ id: 'A', handlers: ['SendPossible', 'Error'] }],
      addresses: [{ id: 'a', client: 'A', transport: 'tcp', nics: ['nic0'] }],
      connections: [{ id: 'k', address: 'a', nic: 'nic0', generator: { startUs: 0, everyUs: 200, bytes: 700, count: 20, flags: ['NON_BLOCKING'] } }],
    });
    if (!v.ok) throw new Error('invalid');
    const live = traced(v.scenario);
    live.engine.runUntil(1234);
    const fault = live.engine.injectFault({ driver: 'nic0', status: 'STATUS_LINK_FAILED', recoverAfterUs: 500 });
    live.engine.runToEnd();
    expect(live.engine.faults).toContainEqual(fault);
    const replay = traced({ ...v.scenario, faults: [...live.engine.faults] });
    replay.engine.runToEnd();
    expect(replay.text()).toBe(live.text());
  });
});
