// Issue 18: an event carrying a scenario crosses postMessage as JSON text and arrives as it left.
import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent } from './wire.ts';
import { validateScenario } from '../scenario/validate.ts';
import { buildTopology } from '../model/topology.ts';
import { stressTimes } from '../scenario/scaled.ts';
import type { Event } from './messages.ts';

describe('the worker wire (issue 18)', () => {
  it('a loaded event travels with its scenario as text and is read back equal; other events pass as they are', () => {
    const v = validateScenario(stressTimes(1));
    if (!v.ok) throw new Error(v.problems.join('\n'));
    const loaded: Event = { op: 'loaded', scenario: v.scenario, topology: buildTopology(v.scenario), reason: 'load', api: 'tdi' };
    const wire = structuredClone(encodeEvent(loaded));
    expect('scenario' in wire).toBe(false);
    expect(typeof (wire as { scenarioJson?: unknown }).scenarioJson).toBe('string');
    expect(decodeEvent(wire)).toEqual(loaded);
    const pong: Event = { op: 'pong' };
    expect(encodeEvent(pong)).toBe(pong);
    expect(decodeEvent(encodeEvent(pong))).toBe(pong);
  });
});
