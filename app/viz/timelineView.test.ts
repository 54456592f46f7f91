import { describe, expect, it } from 'vitest';
import { linearScale, playedDomainEndUs } from './timelineView.ts';

describe('#10: the time axis of the timeline and charts follows the played range', () => {
  it('0.5 s into a 30 s run, the played part fills most of the axis, not its left 3%', () => {
    const end = playedDomainEndUs(500_000, 30_000_000);
    expect(500_000 / end).toBeGreaterThan(0.4);
    expect(end).toBeGreaterThan(500_000); // with room ahead
  });

  it('it grows in a few steps as the run plays (not every frame), and ends at the duration', () => {
    const ends = new Set<number>();
    for (let reached = 0; reached <= 30_000_000; reached += 10_000) {
      const end = playedDomainEndUs(reached, 30_000_000);
      expect(end).toBeGreaterThanOrEqual(Math.min(30_000_000, reached));
      expect(end).toBeLessThanOrEqual(30_000_000);
      ends.add(end);
    }
    expect(ends.size).toBeLessThan(20);
    expect(playedDomainEndUs(30_000_000, 30_000_000)).toBe(30_000_000);
    expect(playedDomainEndUs(29_000_000, 30_000_000)).toBe(30_000_000);
  });

  it('a short run (shorter than the smallest step) shows whole', () => {
    expect(playedDomainEndUs(0, 500)).toBe(500);
  });
});

describe('#19: the scrubber maps time to x as D3 did, without d3-scale in the first load', () => {
  it('forward and back (invert) as scaleLinear, for a domain that grows and a range that moves with the width', async () => {
    const { scaleLinear } = await import('d3-scale');
    const ours = linearScale(1000);
    const d3 = scaleLinear().domain([0, 1000]);
    const cases: [number, number, number][] = [
      [1000, 8, 592],
      [30_000_000, 8, 1192],
      [2_000_000, 8, 200],
    ];
    let checked = 0;
    for (const [end, r0, r1] of cases) {
      ours.domain([0, end]).range([r0, r1]);
      d3.domain([0, end]).range([r0, r1]);
      for (const t of [0, end / 3, end, end * 1.5]) {
        expect(ours(t)).toBeCloseTo(d3(t), 9);
        expect(ours.invert(ours(t))).toBeCloseTo(t, 6);
        expect(ours.invert(r0 + 17)).toBeCloseTo(d3.invert(r0 + 17), 6);
        checked++;
      }
    }
    expect(checked).toBe(12);
    // An empty domain maps to the middle of the range, as D3 does.
    expect(linearScale(0).range([0, 100])(5)).toBe(d3.domain([0, 0]).range([0, 100])(5));
  });
});
