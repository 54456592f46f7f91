// No two labels in the stage may overlap at any moment: checked while each preset plays, at several
// moments, on a desktop, on a phone and in projector mode at 1920×1080 (#8: the text there is about
// twice as large, and the callouts are measured and placed at that size). A label counts while it is visible (display, and opacity
// along its ancestors above 0.2).
import { expect, test, type Page } from '@playwright/test';
import { Lab } from './lab.ts';

const PRESETS: [string, string][] = [
  ['basics', '0.002'],
  ['partial-copy', '0.002'],
  ['race', '0.002'],
  ['herd', '0.002'],
  ['blocking', '0.005'],
  ['cascade', '0.002'],
  ['irql', '0.005'],
  ['stress', '0.1'],
];
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 720, projector: false },
  { name: 'phone', width: 390, height: 844, projector: false },
  { name: 'projector 1920×1080', width: 1920, height: 1080, projector: true },
];
const MOMENTS = 5;

/** Pairs of visible stage labels whose boxes overlap by more than a pixel each way. */
async function overlappingLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seen: { text: string; r: DOMRect }[] = [];
    for (const t of document.querySelectorAll<SVGTextElement>('[data-testid="stack"] svg.stack text')) {
      const text = t.textContent?.trim() ?? '';
      if (text === '') continue;
      let opacity = 1;
      let hidden = false;
      for (let el: Element | null = t; el && el.tagName.toLowerCase() !== 'div'; el = el.parentElement) {
        const cs = getComputedStyle(el);
        if (cs.display === 'none' || cs.visibility === 'hidden' || el.getAttribute('display') === 'none') hidden = true;
        opacity *= Number(cs.opacity);
      }
      const r = t.getBoundingClientRect();
      if (hidden || opacity < 0.2 || r.width === 0) continue;
      seen.push({ text, r });
    }
    const out: string[] = [];
    for (let i = 0; i < seen.length; i++) {
      for (let j = i + 1; j < seen.length; j++) {
        const a = seen[i]!.r;
        const b = seen[j]!.r;
        if (a.right - 1 > b.left && b.right - 1 > a.left && a.bottom - 1 > b.top && b.bottom - 1 > a.top) out.push(`"${seen[i]!.text}" × "${seen[j]!.text}"`);
      }
    }
    return out;
  });
}

for (const vp of VIEWPORTS) {
  for (const [preset, speed] of PRESETS) {
    test(`labels: no two stage labels overlap while ${preset} plays (${vp.name})`, async ({ page }) => {
      await page.setViewportSize({ width: vp.width, height: vp.height });
      const lab = new Lab(page);
      await lab.open(preset, { speed, ...(vp.projector ? { projector: '1' } : {}) });
      if (vp.projector) {
        // #8: projector mode really draws the stage larger (not the 1× picture the other runs check).
        const scale = Number(await lab.stack.locator('svg.stack').getAttribute('data-text-scale'));
        expect(scale).toBeGreaterThanOrEqual(1.6);
      }
      expect(await overlappingLabels(page)).toEqual([]);
      await page.keyboard.press('Space');
      let last = await lab.events();
      for (let k = 0; k < MOMENTS; k++) {
        // The next moment: the model has moved on (or stopped: finished, or a bug check), whatever the machine's speed.
        await expect
          .poll(async () => (await lab.events()) > last || (await page.getByTestId('play-state').textContent()) !== '')
          .toBe(true);
        last = await lab.events();
        expect(await overlappingLabels(page), `moment ${k + 1} at ${last} events`).toEqual([]);
      }
    });
  }
}
