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

  it('#8: projector mode on 1024×768 and 1280×720 projectors draws at 1.4× and more, the stage alone or beside a 320 px panel', () => {
    // The stage's drawing area there (projector.css: the side column folds away on a short screen).
    expect(stageTextScale(1004, 430, true)).toBeGreaterThanOrEqual(1.4);
    expect(stageTextScale(1260, 415, true)).toBeGreaterThanOrEqual(1.4);
    // Beside the lesson panel at 1024: narrower, still larger than 1×.
    expect(stageTextScale(674, 430, true)).toBeGreaterThanOrEqual(1.25);
  });
});
