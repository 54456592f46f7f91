// The Embed… dialog's snippets say what is on screen, point next to the app, and escape what they quote.
import { describe, expect, it } from 'vitest';
import { embedSnippets, type SnippetInput } from './snippet.ts';

const base: SnippetInput = { appUrl: 'https://lab.example.org/tools/?preset=race', preset: 'race', fragment: null, timeUs: 5800, speed: 0.001, theme: 'dark', controls: 'full', autoplay: false, width: 800, height: 450 };

describe('embedSnippets', () => {
  it('writes the element with the preset, time, speed and theme, and the script next to the app', () => {
    const s = embedSnippets(base);
    expect(s.html).toBe(
      '<script src="https://lab.example.org/tools/embed.js" defer></script>\n<tdi-flow-lab preset="race" t="5800" speed="0.001" theme="dark" style="width: 100%; max-width: 800px; height: 450px"></tdi-flow-lab>',
    );
    expect(s.iframe).toContain('src="https://lab.example.org/tools/embed.html?preset=race&amp;t=5800&amp;speed=0.001&amp;theme=dark"');
    expect(s.react).toContain('<tdi-flow-lab preset="race" t="5800" speed="0.001" theme="dark"');
  });

  it('carries a changed scenario in the fragment, flags without values, and leaves defaults out', () => {
    const s = embedSnippets({ ...base, preset: null, fragment: 'scenario=abc_-', timeUs: 0, theme: 'auto', autoplay: true, controls: 'minimal' });
    expect(s.html).toContain('<tdi-flow-lab speed="0.001" controls="minimal" autoplay fragment="scenario=abc_-"');
    expect(s.iframe).toContain('embed.html?speed=0.001&amp;controls=minimal&amp;autoplay#scenario=abc_-');
  });
});

describe('embedSnippets with a lesson (#8)', () => {
  it('#8: an open built-in lesson is embedded by name; its scenario and time are the lesson\'s, so preset and t are left out', () => {
    const s = embedSnippets({ ...base, lesson: 'race' });
    expect(s.html).toContain('<tdi-flow-lab lesson="race" speed="0.001" theme="dark" style=');
    expect(s.html).not.toMatch(/preset=|t="/);
    expect(s.iframe).toContain('embed.html?lesson=race&amp;speed=0.001&amp;theme=dark"');
  });

  it('#8: a lesson document travels packed in the fragment, as a lesson link carries it, instead of the scenario', () => {
    const s = embedSnippets({ ...base, preset: null, fragment: 'scenario=abc', lesson: { packed: 'v1.xyz_-' } });
    expect(s.html).toContain('fragment="lesson=v1.xyz_-"');
    expect(s.html).not.toContain('scenario=abc');
    expect(s.iframe).toContain('#lesson=v1.xyz_-"');
  });
});
