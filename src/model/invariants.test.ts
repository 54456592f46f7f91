// Property tests: I7 (determinism), the checker catches forged traces, invalid input never crashes.
// Every rule the trace shows, at every event of generated runs: model.property.test.ts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scenarioArb } from '../scenario/arbitrary.ts';
import { validateScenario } from '../scenario/validate.ts';
import { checkInvariants } from '../trace/invariants.ts';
import { run } from '../testkit.ts';
import { Engine } from './engine.ts';
import { TraceRecorder, type TraceChunk } from '../trace/records.ts';
import { jsonlExporter } from '../trace/exporters.ts';
import type { ScenarioInput } from '../scenario/schema.ts';

function jsonl(input: unknown, chunkSize: number): string {
  const v = validateScenario(input);
  if (!v.ok) throw new Error(v.problems.join('\n'));
  const chunks: TraceChunk[] = [];
  const rec = new TraceRecorder((k) => chunks.push(k), chunkSize);
  const e = new Engine(v.scenario, { trace: rec });
  e.runToEnd();
  rec.flush();
  const ex = jsonlExporter(e.topo);
  return chunks.map((k) => ex.chunk(k)).join('');
}

describe('invariants over generated scenarios', () => {
  it('generated scenarios are valid', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const v = validateScenario(s);
      expect(v.ok ? [] : v.problems).toEqual([]);
    }), { numRuns: 200 });
  });

  it('I7: same scenario and seed give a byte-identical trace (whatever the chunking)', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      expect(jsonl(s, 7)).toBe(jsonl(structuredClone(s), 4096));
    }), { numRuns: 60 });
  });

  it('I7: the seed matters — jittered generators follow it', () => {
    const base = (seed: number) => jsonl({ ...jitterScenario(), seed }, 1024);
    expect(base(1)).toBe(base(1));
    expect(base(1)).not.toBe(base(2));
  });
});

describe('the checker itself catches broken traces', () => {
  it('flags a SendPossible with the wrong BytesAvailable (I3) and a pool over capacity (I1)', () => {
    const s = validated(jitterScenario());
    const r = run(jitterScenario());
    const sp = r.events.findIndex((e) => e.type === 'callback.sendPossible');
    expect(sp).toBeGreaterThan(0);
    const forged = r.events.map((e, i) => (i === sp && e.type === 'callback.sendPossible' ? { ...e, bytesAvailable: e.bytesAvailable + 1 } : e));
    expect(checkInvariants(s, forged).join('\n')).toMatch(/I3: BytesAvailable/);
    const ok = r.events.findIndex((e) => e.type === 'send.complete' && e.information > 0);
    const overfull = r.events.map((e, i) => (i === ok && e.type === 'send.complete' ? { ...e, information: 1_000_000 } : e));
    expect(checkInvariants(s, overfull).join('\n')).toMatch(/I1/);
  });
});

describe('invalid input', () => {
  const mutations: ((s: Record<string, any>) => void)[] = [
    (s) => delete s.seed,
    (s) => (s.durationUs = -5),
    (s) => (s.connections[0].nic = 'nic9'),
    (s) => (s.addresses[0].client = 'nobody'),
    (s) => (s.transports[0].sendBufferBytes = 'big'),
    (s) => s.clients.push({ ...s.clients[0] }),
    (s) => (s.drivers = [...s.drivers, { id: 'p1', kind: 'protocol', lower: ['p2'] }, { id: 'p2', kind: 'protocol', lower: ['p1'] }]),
    (s) => (s.faults = [{ atUs: 1, driver: 'ghost', status: 'STATUS_LINK_FAILED' }]),
    (s) => (s.faults = [{ atUs: 1, driver: 'nic0', status: 'STATUS_NOPE' }]),
    (s) => (s.connections[0].sends = [{ atUs: 0, bytes: 10, flags: ['FAST'] }]),
    (s) => (s.clients[0].resubmit = { from: 'timer', delayUs: 0 }),
    (s) => (s.transports[0].extra = 1),
    (s) => (s.format = 'tdi-flow-lab/scenario@0'),
  ];

  it('every mutated scenario is rejected with problems that each name a JSON path', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: mutations.length - 1 }), (s, m) => {
        const bad = structuredClone(s) as Record<string, any>;
        mutations[m]!(bad);
        const v = validateScenario(bad);
        expect(v.ok).toBe(false);
        if (!v.ok) for (const p of v.problems) expect(p).toMatch(/^(\(root\)|[a-zA-Z]+(\[\d+\])?(\.[a-zA-Z]+(\[\d+\])?)*): \S/);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary JSON never throws', () => {
    fc.assert(fc.property(fc.jsonValue(), (j) => {
      expect(() => validateScenario(j)).not.toThrow();
    }), { numRuns: 500 });
  });
});

function validated(s: unknown) {
  const v = validateScenario(s);
  if (!v.ok) throw new Error(v.problems.join('\n'));
  return v.scenario;
}

function jitterScenario(): ScenarioInput {
  return {
    format: 'tdi-flow-lab/scenario@1',
    seed: 1,
    durationUs: 5000,
    drivers: [{ id: 'nic0', kind: 'nic', linkBytesPerMs: 1000 }],
    transports: [{ id: 'tcp', lower: ['nic0'], sendBufferBytes: 3000, maxSendBytes: 9000 }],
    clients: [{ id: 'A', handlers: ['SendPossible'], resubmit: { from: 'dpc', delayUs: 20 } }],
    addresses: [{ id: 'a', client: 'A', transport: 'tcp', nics: ['nic0'] }],
    connections: [
      { id: 'k1', address: 'a', nic: 'nic0', generator: { startUs: 0, everyUs: 300, jitterUs: 250, bytes: 900, count: 15, flags: ['NON_BLOCKING'] } },
      { id: 'k2', address: 'a', nic: 'nic0', generator: { startUs: 10, everyUs: 300, jitterUs: 250, bytes: 900, count: 15, flags: ['NON_BLOCKING'] } },
    ],
  };
}
