import { describe, expect, it } from 'vitest';
import { applyVariant, describeVariant } from './variant.ts';
import { validateScenario } from './validate.ts';
import { loadPreset } from './presets.ts';
import { Engine } from '../model/engine.ts';
import { summarize } from '../trace/summary.ts';

describe('variants for comparison', () => {
  it('R22: the herd preset with notify: oldest everywhere makes far fewer SendPossible calls', async () => {
    const v = validateScenario(await loadPreset('herd'));
    if (!v.ok) throw new Error('invalid');
    const run = (s: typeof v.scenario) => {
      const e = new Engine(s);
      e.runToEnd();
      return summarize(e);
    };
    const all = run(applyVariant(v.scenario, { notify: 'all' }));
    const oldest = run(applyVariant(v.scenario, { notify: 'oldest' }));
    expect(oldest.total.sendPossible).toBeLessThan(all.total.sendPossible);
    expect(oldest.total.lostRaces).toBeLessThan(all.total.lostRaces);
  });

  it('leaves the original untouched, keeps the seed, and stays valid', async () => {
    const v = validateScenario(await loadPreset('race'));
    if (!v.ok) throw new Error('invalid');
    const b = applyVariant(v.scenario, { from: 'timer', delayUs: 0, size: 'available' });
    expect(v.scenario.clients[0]!.resubmit.from).toBe('dpc');
    expect(b.seed).toBe(v.scenario.seed);
    expect(b.clients.every((c) => c.resubmit.from === 'timer' && c.resubmit.delayUs === 1)).toBe(true);
    expect(validateScenario(b).ok).toBe(true);
    expect(describeVariant({ from: 'workItem', delayUs: 100 })).toBe('resubmit from workItem after 100 µs');
  });

  it('R25, R22: a variant can apply to one client or one transport, as policyChanges can; the others keep their own', async () => {
    const v = validateScenario(await loadPreset('stress'));
    if (!v.ok) throw new Error('invalid');
    const b = applyVariant(v.scenario, { from: 'timer', delayUs: 200, client: 'K1', notify: 'oldest', transport: 'tcp' });
    const before = new Map(v.scenario.clients.map((c) => [c.id, c.resubmit]));
    expect(b.clients.find((c) => c.id === 'K1')!.resubmit).toEqual({ ...before.get('K1')!, from: 'timer', delayUs: 200 });
    const others = b.clients.filter((c) => c.id !== 'K1');
    expect(others).toHaveLength(7);
    for (const c of others) expect(c.resubmit).toEqual(before.get(c.id));
    expect(b.transports[0]!.sendPossible.notify).toBe('oldest');
    expect(applyVariant(v.scenario, { notify: 'oldest', transport: 'no-such' }).transports[0]!.sendPossible.notify).toBe('all');
    expect(validateScenario(b).ok).toBe(true);
    expect(describeVariant({ from: 'timer', delayUs: 200, client: 'K1' })).toBe('resubmit from timer after 200 µs (for client K1)');
    expect(describeVariant({ notify: 'oldest', transport: 'tcp', client: 'K1' })).toBe('notify: oldest (on tcp)');
  });
});
