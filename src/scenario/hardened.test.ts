// Hardened edges of scenario input (issue 10, "Hardened edges (command line and page)"): whatever a
// file holds, validation ends with one line per problem naming its path — bounded in size, nesting,
// problem count and stack depth — and never throws. The page and the CLI share these functions.
import { describe, expect, it } from 'vitest';
import {
  MAX_JSON_DEPTH,
  MAX_PROBLEMS,
  MAX_SCENARIO_CHARS,
  jsonErrorAt,
  parseScenarioText,
  validateFault,
  validatePolicyChange,
  validateScenario,
  validateSeed,
  type Validation,
} from './validate.ts';
import { Engine } from '../model/engine.ts';
import { summarize } from '../trace/summary.ts';
import { DEFAULT_QUEUE_LIMIT_BYTES } from './options.ts';
import { scenarioSchema } from './schema.ts';
import { scenarioArb } from './arbitrary.ts';
import fc from 'fast-check';
import race from './presets/race.json' with { type: 'json' };

const raceText = JSON.stringify(race);
const problems = (v: Validation): string[] => (v.ok ? [] : v.problems);
const mutated = (mutate: (s: any) => void): any => {
  const s = structuredClone(race) as any;
  mutate(s);
  return s;
};
const bad = (mutate: (s: any) => void): string[] => problems(validateScenario(mutated(mutate)));
const valid = (s: unknown) => {
  const v = validateScenario(s);
  if (!v.ok) throw new Error(v.problems.join('\n'));
  return v.scenario;
};

describe('hardened edges: scenario text', () => {
  it('a UTF-8 byte order mark is accepted (the page accepted it; the CLI did not)', () => {
    expect(problems(parseScenarioText('\uFEFF' + raceText))).toEqual([]);
    // Only a leading one: elsewhere it is still not JSON.
    expect(problems(parseScenarioText(' \uFEFF' + raceText))[0]).toMatch(/^\(root\): not valid JSON at line 1, column 2: expected a value, found "\uFEFF"$/);
  });

  it(`text over ${MAX_SCENARIO_CHARS} characters is refused before parsing, naming the cap`, () => {
    const huge = ' '.repeat(MAX_SCENARIO_CHARS) + '{}';
    expect(problems(parseScenarioText(huge))).toEqual(['(root): too large: a scenario may have at most 64 MiB']);
  });

  it(`nesting deeper than ${MAX_JSON_DEPTH} levels (a 1e6-deep file) gets a clear line, not a stack overflow`, () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(problems(parseScenarioText(deep))).toEqual([`(root): nested more than 64 levels deep at line 1, column 65 (a scenario needs at most 5)`]);
    // Brackets inside strings do not count.
    expect(problems(parseScenarioText(JSON.stringify({ ...race, title: '['.repeat(1000) })))).toEqual([]);
  });

  it('the JSON error locator keeps its own stack: a 1e6-deep broken file does not overflow it', () => {
    const deep = '['.repeat(1_000_000) + '1,';
    expect(jsonErrorAt(deep)).toEqual({ offset: deep.length, expected: 'a value' });
    const objs = '{"a":'.repeat(200_000) + '}';
    expect(jsonErrorAt(objs)).toEqual({ offset: objs.length - 1, expected: 'a value' });
    expect(jsonErrorAt('{"a": [1, {"b": tru}]}')).toEqual({ offset: 16, expected: 'a value' });
    expect(jsonErrorAt('{"a": [1, {"b": true]]}')).toEqual({ offset: 20, expected: '"," or "}"' });
    expect(jsonErrorAt('{"a": [1, {"b": true}]}')).toEqual({ offset: 23, expected: 'valid JSON' });
  });
});

describe('hardened edges: problems', () => {
  it(`lists the first ${MAX_PROBLEMS} problems, then "and N more", each naming a path`, () => {
    const v = bad((s) => (s.connections = Array.from({ length: 50 }, () => ({}))));
    expect(v).toHaveLength(MAX_PROBLEMS + 1);
    expect(v[0]).toBe('connections[0].id: id is required for a connection');
    expect(v[MAX_PROBLEMS]).toBe(`(root): and 50 more problems (only the first ${MAX_PROBLEMS} are listed)`);
  });

  it('a million empty connections: bounded work, 101 lines (it took 81 s, 2.9 GB and printed 327 MB)', () => {
    const text = JSON.stringify({ ...race, connections: '@' }).replace('"@"', `[${Array(1_000_000).fill('{}').join(',')}]`);
    expect(text.length).toBeGreaterThan(3_000_000);
    const v = problems(parseScenarioText(text));
    expect(v).toHaveLength(MAX_PROBLEMS + 1);
    expect(v.at(-1)).toMatch(/^\(root\): and at least \d+ more problems \(only the first 100 are listed\)$/);
  });

  it('a long list inside an element (a million bad sends in one connection) is bounded the same way', () => {
    const v = bad((s) => (s.connections[0].sends = Array.from({ length: 1_000_000 }, () => 0)));
    expect(v).toHaveLength(MAX_PROBLEMS + 1);
    expect(v[0]).toBe('connections[0].sends[0]: must be an object { … }, not 0');
  });

  it('checking part by part gives the same result as the whole schema (values, defaults, key order)', () => {
    const s = valid(race);
    expect(JSON.stringify(s.connections[0])).toBe(
      '{"id":"A1","address":"A-445","nic":"nic0","sends":[{"atUs":0,"bytes":6000,"flags":["NON_BLOCKING"]}],"generator":{"startUs":1000,"everyUs":1000,"bytes":3000,"count":15,"flags":["NON_BLOCKING"],"jitterUs":0}}',
    );
    expect(s.faults).toEqual([]);
    expect(s.transports[0]!.abortStatus).toBe('STATUS_CONNECTION_ABORTED');
    // Problems in shape order: a field before the lists is reported first.
    expect(bad((s) => ((s.seed = 'x'), (s.connections[0].id = 'a b')))).toEqual([
      'seed: must be a whole number between 0 and 4294967295, not "x"',
      'connections[0].id: may only contain letters, digits, "_", ".", ":" and "-"',
    ]);
    expect(bad((s) => (s.drivers[0].kind = 'disk'))).toEqual(['drivers[0].kind: kind must be "nic" or "protocol", not "disk"']);
    // Every problem at once (#15): the addresses that named the transport are named too.
    expect(bad((s) => (s.transports = []))).toEqual([
      'transports: needs at least one transport',
      'addresses[0].transport: unknown transport "tcp"',
      'addresses[1].transport: unknown transport "tcp"',
    ]);
  });
});

describe('checking part by part agrees with the whole schema', () => {
  it('on generated scenarios with one value replaced by random JSON: same verdict, same parsed scenario', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.nat(), { maxLength: 5 }), fc.jsonValue({ maxDepth: 3 }), fc.boolean(), (input, steps, value, mutate) => {
        const x = structuredClone(input) as any;
        if (mutate) {
          let node = x;
          for (const step of steps) {
            const keys = Object.keys(node);
            const k = keys[step % keys.length]!;
            if (typeof node[k] !== 'object' || node[k] === null || step % 4 === 0) {
              node[k] = value;
              break;
            }
            node = node[k];
          }
        }
        const whole = scenarioSchema.safeParse(x);
        const v = validateScenario(x);
        if (!whole.success) expect(v.ok).toBe(false);
        else if (v.ok) expect(JSON.stringify(v.scenario)).toBe(JSON.stringify(whole.data));
        else expect(v.problems.every((p) => !p.includes('Invalid input'))).toBe(true); // only cross-reference problems
      }),
      { numRuns: 200 },
    );
  });
});

describe('hardened edges: the driver graph', () => {
  const layered = (n: number, cycle: boolean) =>
    mutated((s) => {
      for (let i = 0; i < n; i++) {
        const last = i === n - 1;
        s.drivers.push({ id: `p${i}`, kind: 'protocol', lower: last ? (cycle ? ['p0'] : ['nic0', 'nic1']) : [`p${i + 1}`] });
      }
      s.transports[0].lower = ['p0'];
    });

  it('a 10,000-layer driver cycle is reported (it was "internal error: Maximum call stack size exceeded")', () => {
    expect(problems(validateScenario(layered(10_000, true)))).toEqual([
      'drivers[3].lower: cycle: p0 → p1 → p2 → p3 → p4 → … → p9998 → p9999 → p0 (10000 drivers)',
    ]);
  });

  it('a 10,000-layer chain is valid and the engine builds and runs it (address dependencies include every layer)', () => {
    const s = valid(layered(10_000, false));
    const e = new Engine(s, { trace: null });
    expect(e.topo.addressDeps[0]).toHaveLength(1 + 10_000 + 1); // transport, every layer, nic0 (ip is no longer used)
    e.runUntil(s.durationUs);
    expect(summarize(e).clients.A!.bytesTransmitted).toBeGreaterThan(0);
  });

  it('a lower list of 200,000 ids is walked without spreading it into arguments', () => {
    const s = mutated((x) => (x.drivers[2].lower = [...Array.from({ length: 200_000 }, () => 'nic0'), 'nic1']));
    expect(problems(validateScenario(s))).toEqual([]);
  });
});

describe('hardened edges: ids, text and numbers', () => {
  it('"__proto__" as an id is an id like any other: the summary keeps that entity', () => {
    const s = valid(
      mutated((x) => {
        x.clients[1].id = '__proto__';
        x.addresses[1].client = '__proto__';
        x.connections[1].id = '__proto__';
        x.transports[0].id = 'constructor';
        x.addresses.forEach((a: any) => (a.transport = 'constructor'));
      }),
    );
    const e = new Engine(s, { trace: null });
    e.runUntil(s.durationUs);
    const summary = JSON.parse(JSON.stringify(summarize(e)));
    expect(Object.keys(summary.clients)).toEqual(['A', '__proto__']);
    expect(Object.keys(summary.connections)).toEqual(['A1', '__proto__']);
    expect(Object.keys(summary.transports)).toEqual(['constructor']);
    expect(Object.getOwnPropertyDescriptor(summary.clients, '__proto__')!.value.bytesSubmitted).toBeGreaterThan(0);
  });

  it('unknown field names and other user text are escaped JSON-style: no control character reaches a terminal', () => {
    const v = bad((s) => (s['\u001b[31mred\u0007'] = 1));
    expect(v).toEqual(['(root): unknown field "\\u001b[31mred\\u0007"']);
    const long = bad((s) => (s.clients[0]['x'.repeat(500) + '\u2028'] = 1))[0]!;
    expect(long).toBe(`clients[0]: unknown field "${'x'.repeat(80)}…"`);
    const found = problems(parseScenarioText('{"a": \u0007}'));
    expect(found).toEqual(['(root): not valid JSON at line 1, column 7: expected a value, found "\\u0007"']);
    // eslint-disable-next-line no-control-regex
    for (const line of [...v, long, ...found]) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  });

  it('2^53 and 1e308 are "too large", not "not a whole number"; seed -1 names its range', () => {
    expect(bad((s) => (s.durationUs = 2 ** 53))).toEqual(['durationUs: too large: at most 9007199254740991']);
    expect(bad((s) => (s.connections[0].sends[0].bytes = 1e308))).toEqual(['connections[0].sends[0].bytes: too large: at most 9007199254740991']);
    expect(bad((s) => (s.drivers[0].linkBytesPerMs = 2 ** 53))).toEqual(['drivers[0].linkBytesPerMs: too large: at most 9007199254740991']);
    expect(bad((s) => (s.faults = [{ atUs: -1e308, driver: 'nic0', status: 'STATUS_ADAPTER_HARDWARE_ERROR' }]))).toEqual(['faults[0].atUs: must not be negative']);
    expect(bad((s) => (s.durationUs = 1.5))).toEqual(['durationUs: must be a whole number, not 1.5']);
    expect(bad((s) => (s.seed = -1))).toEqual(['seed: must be between 0 and 4294967295']);
    expect(bad((s) => (s.seed = 2 ** 32))).toEqual(['seed: must be between 0 and 4294967295']);
    expect(bad((s) => (s.seed = 1e308))).toEqual(['seed: must be between 0 and 4294967295']);
  });
});

describe('validation helpers for commands that write into a scenario (for the worker)', () => {
  const s = valid(race);

  it('validateFault: status BOGUS, recoverAfterUs -5, an unknown driver, STATUS_SUCCESS are refused with paths', () => {
    expect(validateFault({ atUs: 100, driver: 'nic0', status: 'STATUS_ADAPTER_HARDWARE_ERROR' }, s)).toEqual({
      ok: true,
      value: { atUs: 100, driver: 'nic0', status: 'STATUS_ADAPTER_HARDWARE_ERROR', fatal: true },
    });
    expect(problems2(validateFault({ atUs: 100, driver: 'nic0', status: 'BOGUS', recoverAfterUs: -5 }, s))).toEqual([
      'faults[0].status: "BOGUS" is not a known NTSTATUS name',
      'faults[0].recoverAfterUs: must be at least 1 µs',
    ]);
    expect(problems2(validateFault({ atUs: 0, driver: 'nic9', status: 'STATUS_SUCCESS' }, s, ['command']))).toEqual([
      'command.driver: unknown driver or transport "nic9"',
      'command.status: a fault needs an error status, not STATUS_SUCCESS',
    ]);
    expect(validateFault({ atUs: 0, driver: 'tcp', status: 'STATUS_ADAPTER_HARDWARE_ERROR' }, s).ok).toBe(true);
  });

  it('validatePolicyChange: a delay of 1.5 or 1e20, an unknown client, a threshold above the pool are refused', () => {
    expect(validatePolicyChange({ atUs: 5, client: 'B', resubmit: { delayUs: 20 } }, s)).toEqual({
      ok: true,
      value: { atUs: 5, client: 'B', resubmit: { delayUs: 20 } },
    });
    expect(problems2(validatePolicyChange({ atUs: 5, resubmit: { delayUs: 1.5 } }, s))).toEqual([
      'policyChanges[0].resubmit.delayUs: must be a whole number of microseconds, not 1.5',
    ]);
    expect(problems2(validatePolicyChange({ atUs: 5, resubmit: { delayUs: 1e20 } }, s))).toEqual([
      'policyChanges[0].resubmit.delayUs: too large: at most 9007199254740991',
    ]);
    expect(problems2(validatePolicyChange({ atUs: 5, client: 'Z', transport: 'tcp', sendPossible: { thresholdBytes: 9000 } }, s))).toEqual([
      'policyChanges[0].sendPossible.thresholdBytes: 9000 B is more than the 8192 B pool of transport "tcp": no SendPossible could ever be called',
      'policyChanges[0].client: unknown client "Z"',
    ]);
    expect(problems2(validatePolicyChange({ atUs: 5, resubmit: { from: 'timer', delayUs: 0 } }, s))).toEqual([
      'policyChanges[0].resubmit.delayUs: a timer retry needs a delay of at least 1 µs',
    ]);
  });

  it('validateSeed: -1, 1.5, 2^32 and "7" are refused; 0 and 4294967295 accepted', () => {
    expect(validateSeed(0)).toEqual({ ok: true, value: 0 });
    expect(validateSeed(0xffffffff)).toEqual({ ok: true, value: 0xffffffff });
    for (const seed of [-1, 2 ** 32, 1e308]) expect(problems2(validateSeed(seed))).toEqual(['seed: must be between 0 and 4294967295']);
    expect(problems2(validateSeed(1.5))).toEqual(['seed: must be a whole number between 0 and 4294967295, not 1.5']);
    expect(problems2(validateSeed('7'))).toEqual(['seed: must be a whole number between 0 and 4294967295, not "7"']);
  });
});

describe('the default bound on the client queue', () => {
  it(`without queueLimitBytes, a client holds at most ${DEFAULT_QUEUE_LIMIT_BYTES} bytes per connection; beyond it sends fail STATUS_INSUFFICIENT_RESOURCES`, () => {
    // Offered 1460 B/µs against links of 1 B/ms: the queue would grow without end.
    const s = valid(
      mutated((x) => {
        x.drivers[0].linkBytesPerMs = 1;
        x.drivers[1].linkBytesPerMs = 1;
        x.durationUs = 30_000;
        x.connections[1].generator = { startUs: 0, everyUs: 1, bytes: 1460, count: 1_000_000, flags: ['NON_BLOCKING'] };
      }),
    );
    const e = new Engine(s, { trace: null });
    e.runUntil(s.durationUs);
    const m = e.metrics();
    expect(m.heldBytes[1]).toBeLessThanOrEqual(DEFAULT_QUEUE_LIMIT_BYTES);
    expect(m.heldBytes[1]).toBeGreaterThan(DEFAULT_QUEUE_LIMIT_BYTES - 1460);
    expect(m.queueFull[1]).toBeGreaterThan(0);
    expect(m.failed[1]).toBe(m.queueFull[1]);
    // An explicit limit still wins.
    const limited = new Engine({ ...s, clients: s.clients.map((c) => ({ ...c, queueLimitBytes: 10_000 })) }, { trace: null });
    limited.runUntil(s.durationUs);
    expect(limited.metrics().heldBytes[1]).toBeLessThanOrEqual(10_000);
  });
});

function problems2(v: { ok: true } | { ok: false; problems: string[] }): string[] {
  return v.ok ? [] : v.problems;
}
