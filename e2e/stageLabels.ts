// The label-overlap measure of labels.spec.ts, shared with the specs that check it in other states
// (a lesson's panel open, lesson.spec.ts).
import type { Page } from '@playwright/test';

/** Pairs of visible stage labels whose boxes overlap by more than a pixel each way, or that run together on one line. */
export async function overlappingLabels(page: Page): Promise<string[]> {
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
        // Two phrases on one line closer than a word space read as one ("4096 B — full tcp-oldest
        // send pool"); single letters and short names (badges, H1 H2) are drawn close on purpose.
        else if (seen[i]!.text.length > 4 && seen[j]!.text.length > 4) {
          const sameLine = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5 * Math.min(a.height, b.height);
          const gap = Math.max(b.left - a.right, a.left - b.right);
          if (sameLine && gap >= -1 && gap < 8) out.push(`"${seen[i]!.text}" runs into "${seen[j]!.text}" (${gap.toFixed(1)} px apart)`);
        }
      }
    }
    return out;
  });
}


/**
 * How many stage labels are visible now (as overlappingLabels counts them), how many of them are
 * callouts (the labels beside an entity at a moment), and how many effects the paused moment holds:
 * a check of "no overlap" over none proves nothing.
 */
export async function visibleLabelCount(page: Page): Promise<{ labels: number; callouts: number; pinned: number }> {
  return page.evaluate(() => {
    let labels = 0;
    let callouts = 0;
    // #14: the moment's beams, rings and arrows held on the stage while paused.
    const pinned = document.querySelectorAll('[data-testid="stack"] svg.stack g.fx .pinned').length;
    for (const t of document.querySelectorAll<SVGTextElement>('[data-testid="stack"] svg.stack text')) {
      if ((t.textContent?.trim() ?? '') === '') continue;
      let opacity = 1;
      let hidden = false;
      for (let el: Element | null = t; el && el.tagName.toLowerCase() !== 'div'; el = el.parentElement) {
        const cs = getComputedStyle(el);
        if (cs.display === 'none' || cs.visibility === 'hidden' || el.getAttribute('display') === 'none') hidden = true;
        opacity *= Number(cs.opacity);
      }
      if (hidden || opacity < 0.2 || t.getBoundingClientRect().width === 0) continue;
      labels++;
      if (t.closest('g.callout')) callouts++;
    }
    return { labels, callouts, pinned };
  });
}
