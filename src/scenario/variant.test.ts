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
});
