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
    // Every problem at once: the duplicate, and the address whose client "B" is gone with it.
    expect(bad((s) => (s.clients[1].id = 'A'))).toEqual(['clients[1].id: duplicate id "A" (also clients[0])', 'addresses[1].client: unknown client "B"']);
    expect(bad((s) => s.drivers.push({ id: 'x', kind: 'protocol', lower: ['ip'] }, { id: 'ip2', kind: 'protocol', lower: ['x'] }) && (s.drivers[2].lower = ['nic0', 'x']))).toEqual([
      'drivers[2].lower: cycle: ip → x → ip',
    ]);
    expect(bad((s) => (s.connections[0].sends[0].bytes = -3))).toEqual(['connections[0].sends[0].bytes: must be at least 1 byte']);
    expect(bad((s) => (s.transports[0].sendPossible.notify = 'some'))).toEqual([
      'transports[0].sendPossible.notify: must be "all" or "oldest", not "some"',
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

describe('#15: every problem at once, in words, each with its path', () => {
  it('three bad cross-references give three problems (not the first one only)', () => {
    expect(
      bad((s) => {
        s.drivers[2].lower = ['nic0', 'nicX']; // a cross-reference in the driver graph …
        s.addresses[0].client = 'Q'; // … no longer hides the ones after it
        s.connections[0].address = 'Z';
      }),
    ).toEqual(['drivers[2].lower[1]: unknown driver "nicX"', 'addresses[0].client: unknown client "Q"', 'connections[0].address: unknown address "Z"']);
  });

  it('cross-references are checked even when a shape is wrong elsewhere', () => {
    expect(
      bad((s) => {
        s.durationUs = 'long';
        s.connections[1].address = 'Z';
        s.handlerChanges = [{ atUs: 1, address: 'Y', handler: 'Error', registered: 'no' }];
      }),
    ).toEqual([
      'durationUs: must be a whole number, not "long"',
      'handlerChanges[0].registered: must be true or false, not "no"',
      'connections[1].address: unknown address "Z"',
      'handlerChanges[0].address: unknown address "Y"',
    ]);
  });

  it('a missing field is "required for" what it belongs to; a wrong choice lists the choices', () => {
    expect(bad((s) => delete s.drivers[0].linkBytesPerMs)).toEqual(['drivers[0].linkBytesPerMs: linkBytesPerMs is required for a NIC']);
    expect(bad((s) => delete s.drivers[2].lower)).toEqual(['drivers[2].lower: lower is required for a protocol layer']);
    expect(bad((s) => delete s.connections[0].generator.everyUs)).toEqual(['connections[0].generator.everyUs: everyUs is required for a generator']);
    expect(bad((s) => delete s.addresses[1].nics)).toEqual(['addresses[1].nics: nics is required for an address']);
    expect(bad((s) => (s.clients[0].resubmit.from = 'isr'))).toEqual(['clients[0].resubmit.from: must be "handler", "dpc", "workItem" or "timer", not "isr"']);
    expect(bad((s) => (s.connections[0].sends[0].flags = ['URGENT']))).toEqual(['connections[0].sends[0].flags[0]: "URGENT" is not a TDI_SEND flag']);
  });

  it('no problem carries the schema library\'s own wording', () => {
    const lines = bad((s) => {
      s.title = 5;
      s.clients[0].handlers = 'Error';
      s.transports[0].buffersSends = 'yes';
      s.drivers[0].mtuBytes = 0;
      s.connections[0].sends = {};
      delete s.seed;
    });
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).not.toMatch(/Invalid|expected|received|Too (small|big)/);
  });
});
