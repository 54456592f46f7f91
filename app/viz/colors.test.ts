import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
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

describe('#10: the dense grid\'s key', () => {
  // The theme variables as styles.css defines them: the light :root block and the forced-dark block.
  const css = readFileSync(new URL('../styles.css', import.meta.url), 'utf8');
  const block = (selector: string): Record<string, string> => {
    const at = css.indexOf(selector);
    const body = css.slice(css.indexOf('{', at) + 1, css.indexOf('}', at));
    return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]));
  };
  const themes = { light: block(':root {'), dark: block(":root[data-theme='dark']") };

  it('a11y: in both themes the state colours (waiting, refused, broken) and the swatch borders reach 3:1 on the panel, the key text 4.5:1', () => {
    for (const [name, t] of Object.entries(themes)) {
      expect(t['--panel'], name).toMatch(/^#/);
      for (const v of ['--warn', '--bad', '--muted']) expect(contrast(t[v]!, t['--panel']!), `${name} ${v}`).toBeGreaterThanOrEqual(3);
      expect(contrast(t['--muted']!, t['--panel']!), `${name} key text`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('#10 grid key: the states tell apart: refused, waiting and broken differ from each other and from idle', () => {
    for (const [name, t] of Object.entries(themes)) {
      const states = ['--cell-ok', '--warn', '--bad', '--muted'].map((v) => t[v]!);
      expect(new Set(states).size, name).toBe(4);
      // Broken (grey) against idle (light grey): told apart by lightness, not hue alone.
      expect(contrast(t['--muted']!, t['--cell-ok']!), `${name} broken vs idle`).toBeGreaterThanOrEqual(1.8);
    }
  });
});
