// #8: text in the stage scales with the stage, and projector mode draws it larger still.
import { describe, expect, it } from 'vitest';
import { stageTextScale } from './stackView.ts';

describe('stageTextScale', () => {
  it('#8: a 1280×720 window and a phone draw at 1× (the sizes the label checks were tuned on)', () => {
    expect(stageTextScale(940, 300, false)).toBe(1);
    expect(stageTextScale(370, 300, false)).toBe(1);
    expect(stageTextScale(370, 300, true)).toBe(1); // projector mode on a phone: no room to grow
  });

  it('#8: a larger stage draws larger, up to 1.4× without projector mode', () => {
    const small = stageTextScale(1200, 450, false);
    const big = stageTextScale(1600, 700, false);
    expect(small).toBeGreaterThan(1);
    expect(big).toBeGreaterThan(small);
    expect(stageTextScale(4000, 3000, false)).toBe(1.4);
  });

  it('#8: projector mode at a 1920×1080 stage draws labels at least 1.6× (11.5 px → 18 px and more), at most 2.2×', () => {
    expect(stageTextScale(1490, 560, true)).toBeGreaterThanOrEqual(1.6);
    expect(stageTextScale(1490, 560, true)).toBeGreaterThan(stageTextScale(1490, 560, false));
    expect(stageTextScale(8000, 4000, true)).toBe(2.2);
  });
});
