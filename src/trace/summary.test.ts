// Summary metrics: Jain's index and wait percentiles.
import { describe, expect, it } from 'vitest';
import { histPercentile, jainIndex, summarize } from './summary.ts';
import { run } from '../testkit.ts';
import { loadPreset } from '../scenario/presets.ts';
import type { ScenarioInput } from '../scenario/schema.ts';

describe('summary', () => {
  it("Jain's index is 1 for equal shares and 1/n when one takes everything", () => {
    expect(jainIndex([5, 5, 5, 5])).toBe(1);
    expect(jainIndex([8, 0, 0, 0])).toBe(0.25);
    expect(jainIndex([])).toBeNull();
  });

  it('wait percentiles come from the histogram, within its resolution', () => {
    const hist = new Float64Array(100);
    hist[20] = 90; // ~86 µs
    hist[40] = 10; // ~7,600 µs
    expect(histPercentile(hist, 50)).toBeGreaterThan(70);
    expect(histPercentile(hist, 50)).toBeLessThan(100);
    expect(histPercentile(hist, 95)).toBeGreaterThan(6000);
    expect(histPercentile(new Float64Array(100), 50)).toBeNull();
  });

  it('race: wait percentiles are ordered and totals add up the clients', async () => {
    const r = run((await loadPreset('race')) as ScenarioInput);
    const s = summarize(r.engine);
    // (B's median completed wait is the shorter one: most of B's refused sends never complete at all.)
    for (const c of [s.clients.A!, s.clients.B!]) expect(c.waitP95Us!).toBeGreaterThanOrEqual(c.waitP50Us!);
    expect(s.total.waitP95Us!).toBeGreaterThanOrEqual(s.total.waitP50Us!);
    expect(s.total.lostRaces).toBe(s.clients.A!.lostRaces + s.clients.B!.lostRaces);
    expect(s.total.throughputBytesPerS).toBe(Math.round(((s.clients.A!.bytesTransmitted + s.clients.B!.bytesTransmitted) * 1e6) / s.simulatedUs));
  });
});
