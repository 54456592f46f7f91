import { describe, expect, it } from 'vitest';
import { clientColor, clientTextColor } from './colors.ts';

const lum = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const contrast = (a: string, b: string) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);

describe('client colours', () => {
  it('a11y: a client\'s name on its colour (the client boxes, the pool segments) reaches 4.5:1', () => {
    for (let i = 0; i < 10; i++) expect(contrast(clientTextColor(i), clientColor(i)), clientColor(i)).toBeGreaterThanOrEqual(4.5);
  });
});
