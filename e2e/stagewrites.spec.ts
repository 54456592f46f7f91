// #16: a seek lands quickly on the page only if the stage rewrites just what changed. An address's
// handler badges (S E X D) keep their words when its error count changes; rewriting them anyway made
// Chromium lay out every badge again (~10 ms a seek on stress, 64 addresses × 4 badges).
import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';

type Writes = { errorCalls: number; badgeWords: number; badgeSameValue: number };

test('R30 cascade: a seek across the NIC failure rewrites the addresses\' error counts, never their badges', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('cascade');
  await lab.runToEnd();
  await lab.seek(4_000); // before nic0 fails at 5 ms: no ClientEventError yet
  const addresses = lab.stack.locator('g.address');
  const count = await addresses.count();
  expect(count).toBeGreaterThan(1);
  const before = await addresses.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-error-calls')));
  expect(before.every((x) => x === '0')).toBe(true);

  // Every write from here on, sorted by what it touched.
  await page.evaluate(() => {
    const w = window as unknown as { __writes: Writes };
    w.__writes = { errorCalls: 0, badgeWords: 0, badgeSameValue: 0 };
    new MutationObserver((ms) => {
      for (const m of ms) {
        const el = m.target instanceof Element ? m.target : m.target.parentElement;
        if (el?.closest('g.badges')) {
          // A badge may turn on or off (a handler deregistered); its letter never changes.
          if (m.type !== 'attributes') w.__writes.badgeWords++;
          else if (m.oldValue === (m.target as Element).getAttribute(m.attributeName!)) w.__writes.badgeSameValue++;
        } else if (m.attributeName === 'data-error-calls') w.__writes.errorCalls++;
      }
    }).observe(document.querySelector('[data-testid="stack"]')!, { subtree: true, childList: true, attributes: true, attributeOldValue: true, characterData: true });
  });
  await lab.seek(9_000); // after the cascade (R30: each dependent address's client was told)
  const after = await addresses.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-error-calls')));
  const told = after.filter((x) => Number(x) > 0).length;
  expect(told).toBeGreaterThan(0);
  const writes = await page.evaluate(() => (window as unknown as { __writes: Writes }).__writes);
  expect(writes.errorCalls).toBe(told); // each told address written once
  expect(writes.badgeWords).toBe(0);
  expect(writes.badgeSameValue).toBe(0);
  // The badges still say what they said.
  const badges = await addresses.first().locator('g.badges text').allTextContents();
  expect(badges).toEqual(['S', 'E', 'X', 'D']);
});
