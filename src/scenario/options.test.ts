// The schema and the menus share one list per option (options.ts): what a menu offers validates, and
// nothing outside the list does.
import { describe, expect, it } from 'vitest';
import { validateScenario } from './validate.ts';
import { baseScenario } from '../testkit.ts';
import { IRQL_NAMES, NOTIFY_POLICIES, RESUBMIT_FROM, RESUBMIT_SIZES, pick } from './options.ts';

const validates = (mutate: (s: any) => void): boolean => {
  const s = baseScenario() as any;
  mutate(s);
  return validateScenario(s).ok;
};

describe('scenario options', () => {
  it('every listed option is accepted where the schema uses it, in the scenario and in a policy change', () => {
    for (const from of RESUBMIT_FROM) {
      for (const size of RESUBMIT_SIZES) {
        expect(validates((s) => (s.clients[0].resubmit = { from, delayUs: 5, size }))).toBe(true);
        expect(validates((s) => (s.policyChanges = [{ atUs: 0, resubmit: { from, size } }]))).toBe(true);
      }
    }
    for (const notify of NOTIFY_POLICIES) {
      expect(validates((s) => (s.transports[0].sendPossible = { notify }))).toBe(true);
      expect(validates((s) => (s.policyChanges = [{ atUs: 0, sendPossible: { notify } }]))).toBe(true);
    }
    for (const irql of IRQL_NAMES) expect(validates((s) => (s.transports[0].callbackIrql = irql))).toBe(true);
  });

  it('a value outside the list is refused by the schema and by pick()', () => {
    expect(validates((s) => (s.clients[0].resubmit = { from: 'thread' }))).toBe(false);
    expect(validates((s) => (s.policyChanges = [{ atUs: 0, sendPossible: { notify: 'newest' } }]))).toBe(false);
    expect(pick(RESUBMIT_FROM, 'dpc')).toBe('dpc');
    expect(pick(RESUBMIT_FROM, 'thread')).toBeNull();
  });
});
