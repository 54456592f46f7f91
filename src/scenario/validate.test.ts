// Validation messages name the JSON path of each problem (formats.md).
import { describe, expect, it } from 'vitest';
import { parseScenarioText, validateScenario } from './validate.ts';
import race from './presets/race.json' with { type: 'json' };

const bad = (mutate: (s: any) => void): string[] => {
  const s = structuredClone(race) as any;
  mutate(s);
  const v = validateScenario(s);
  return v.ok ? [] : v.problems;
};

describe('scenario validation', () => {
  it('the example from formats.md: a connection on a NIC its address is not bound to', () => {
    expect(bad((s) => (s.connections[1].nic = 'nic2'))).toEqual(['connections[1].nic: "nic2" is not a NIC of address "B-any"']);
  });

  it('unknown ids, duplicate ids, cycles and negative numbers each name their path', () => {
    expect(bad((s) => (s.addresses[0].transport = 'udp'))).toEqual(['addresses[0].transport: unknown transport "udp"']);
    expect(bad((s) => (s.clients[1].id = 'A'))).toEqual(['clients[1].id: duplicate id "A" (also clients[0])']);
    expect(bad((s) => s.drivers.push({ id: 'x', kind: 'protocol', lower: ['ip'] }, { id: 'ip2', kind: 'protocol', lower: ['x'] }) && (s.drivers[2].lower = ['nic0', 'x']))).toEqual([
      'drivers[2].lower: cycle: ip → x → ip',
    ]);
    expect(bad((s) => (s.connections[0].sends[0].bytes = -3))).toEqual(['connections[0].sends[0].bytes: must be at least 1 byte']);
    expect(bad((s) => (s.transports[0].sendPossible.notify = 'some'))).toEqual([
      'transports[0].sendPossible.notify: Invalid option: expected one of "all"|"oldest"',
    ]);
  });

  it('an unknown field is reported, not silently ignored (a typo would change nothing)', () => {
    expect(bad((s) => (s.clients[0].resubmit.delayus = 10))).toEqual(['clients[0].resubmit: unknown field "delayus"']);
  });

  it('a NIC that is not below the address\'s transport is rejected', () => {
    expect(bad((s) => s.drivers.push({ id: 'nic9', kind: 'nic', linkBytesPerMs: 1 }) && (s.addresses[0].nics = ['nic9']))).toContain(
      'addresses[0].nics[0]: NIC "nic9" is not below transport "tcp"',
    );
  });

  it('R22: a thresholdBytes above the pool is rejected, in the file and in a policy change', () => {
    expect(bad((s) => (s.transports[0].sendPossible.thresholdBytes = 9000))).toEqual([
      'transports[0].sendPossible.thresholdBytes: 9000 B is more than the 8192 B pool of transport "tcp": no SendPossible could ever be called',
    ]);
    expect(bad((s) => (s.transports[0].sendPossible.thresholdBytes = 8192))).toEqual([]);
    expect(bad((s) => (s.policyChanges = [{ atUs: 5, sendPossible: { thresholdBytes: 8193 } }]))).toEqual([
      'policyChanges[0].sendPossible.thresholdBytes: 8193 B is more than the 8192 B pool of transport "tcp": no SendPossible could ever be called',
    ]);
  });

  it('R32: an abort status must be an error', () => {
    expect(bad((s) => (s.transports[0].abortStatus = 'STATUS_SUCCESS'))).toEqual([
      'transports[0].abortStatus: aborted sends need an error status, not STATUS_SUCCESS (R32)',
    ]);
  });

  it('broken JSON is located by line and column', () => {
    const v = parseScenarioText('{\n  "format": "x",\n  "seed": ,\n}');
    expect(v.ok ? [] : v.problems).toEqual(['(root): not valid JSON at line 3, column 11: expected a value, found ","']);
    const trailing = parseScenarioText('{"a": [1, 2,]}');
    expect(trailing.ok ? [] : trailing.problems[0]).toMatch(/column 13: expected a value, found "]"/);
  });
});
