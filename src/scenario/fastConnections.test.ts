// Issue 18: the connections' fast path accepts only what the schema accepts, and returns exactly
// what zod returns (defaults, field order); anything it declines still gets zod's message.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as z from 'zod/mini';
import { fastConnection } from './fastConnections.ts';
import { scenarioSchema } from './schema.ts';
import { scenarioArb } from './arbitrary.ts';
import { validateScenario } from './validate.ts';
import stress from './presets/stress.json' with { type: 'json' };

const connectionSchema = scenarioSchema.def.shape.connections.def.element;

/** Connection-like values: valid ones, and ones with a field wrong, missing, extra or odd. */
const value = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer({ min: -3, max: 3 }),
  fc.double(),
  fc.constantFrom('', 'a', 'nic0', 'a b', 'x'.repeat(64), 'x'.repeat(65), 'NON_BLOCKING', 'EXPEDITED', 'bogus'),
  fc.boolean(),
);
/** Mostly `good`, now and then an odd value. */
const mostly = <T>(good: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: value, weight: 1 });
const flagsArb = mostly(fc.array(fc.oneof({ arbitrary: fc.constantFrom('NON_BLOCKING', 'EXPEDITED'), weight: 12 }, { arbitrary: fc.constant('bogus'), weight: 1 }), { maxLength: 2 }));
const generatorArb = fc.record(
  { startUs: mostly(fc.nat()), everyUs: mostly(fc.integer({ min: 0, max: 9 })), bytes: mostly(fc.integer({ min: 0, max: 9 })), count: mostly(fc.nat()), flags: flagsArb, jitterUs: mostly(fc.nat()) },
  { requiredKeys: ['startUs', 'everyUs', 'bytes', 'count'] },
);
const connectionArb = fc.record(
  {
    id: mostly(fc.constantFrom('c1', 'K0-1.2x3', 'a:b_c-d')),
    address: mostly(fc.constant('A')),
    nic: mostly(fc.constant('nic0')),
    sends: mostly(fc.array(fc.record({ atUs: mostly(fc.nat()), bytes: mostly(fc.integer({ min: 0, max: 9 })), flags: flagsArb }, { requiredKeys: ['atUs', 'bytes'] }), { maxLength: 3 })),
    generator: mostly(generatorArb),
  },
  { requiredKeys: ['id', 'address', 'nic'] },
);
/** Now and then a field the schema does not know. */
const connectionOrExtraArb = fc.oneof({ arbitrary: connectionArb, weight: 8 }, { arbitrary: fc.tuple(connectionArb, value).map(([c, other]) => ({ ...c, other })), weight: 1 });

describe('fastConnection (issue 18: validation without zod for plainly valid connections)', () => {
  it('accepts only what the schema accepts, with the very output zod gives (defaults, field order)', () => {
    let accepted = 0;
    let declined = 0;
    fc.assert(
      fc.property(connectionOrExtraArb, (c) => {
        const fast = fastConnection(c);
        const slow = z.safeParse(connectionSchema, c);
        if (fast === null) {
          declined++;
          return;
        }
        accepted++;
        expect(slow.success).toBe(true);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.data));
      }),
      { numRuns: 3000 },
    );
    // Both sides were exercised (counted, so the property is not vacuous).
    expect(accepted).toBeGreaterThan(300);
    expect(declined).toBeGreaterThan(300);
  });

  it('takes every connection of valid scenarios, which then validate as they did with zod alone', () => {
    let connections = 0;
    fc.assert(
      fc.property(scenarioArb, (s) => {
        for (const c of s.connections) {
          connections++;
          const slow = z.safeParse(connectionSchema, c);
          expect(slow.success).toBe(true);
          expect(JSON.stringify(fastConnection(c))).toBe(JSON.stringify(slow.data));
        }
      }),
      { numRuns: 200 },
    );
    expect(connections).toBeGreaterThan(100);
    const v = validateScenario(stress);
    expect(v.ok && v.scenario.connections.length).toBe(2048);
    expect(v.ok && JSON.stringify(v.scenario.connections)).toBe(JSON.stringify(stress.connections.map((c) => z.parse(connectionSchema, c))));
  });

  it('declines what zod must name: a bad connection among good ones still gets its message', () => {
    const s = structuredClone(stress) as { connections: Record<string, unknown>[] };
    s.connections[5] = { ...s.connections[5], nic: 'not a nic!' };
    s.connections[7] = { ...s.connections[7], colour: 'red' };
    const v = validateScenario(s);
    expect(v.ok).toBe(false);
    const problems = v.ok ? [] : v.problems;
    expect(problems.some((p) => p.startsWith('connections[5].nic:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('connections[7]') && p.includes('colour'))).toBe(true);
  });
});
