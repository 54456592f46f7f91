import { describe, expect, it } from 'vitest';
import { playedDomainEndUs } from './timelineView.ts';

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
