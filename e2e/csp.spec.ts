// The built app and the embed run under a Content-Security-Policy with no inline script and no eval:
// the policy is in each page, and using the app — playing, stepping, dialogs, exporting a picture —
// makes the browser refuse nothing.
import { expect, test, type Page } from '@playwright/test';
import { Lab } from './lab.ts';

/** Violations the page reports, collected from its first moment. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective}: ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
  });
  const console: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) console.push(m.text());
  });
  return async () => [...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)), ...console];
}

async function policyOf(page: Page): Promise<string> {
  return (await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
}

test('csp: the app carries a strict policy and using it is refused nothing', async ({ page }) => {
  const violations = await watchViolations(page);
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.002' });
  const policy = await policyOf(page);
  expect(policy).toContain("script-src 'self'");
  expect(policy).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  await page.keyboard.press('Space');
  await expect.poll(() => lab.events()).toBeGreaterThan(60);
  await page.keyboard.press('Space');
  await lab.stepOnce();
  await page.keyboard.press('?');
  await page.keyboard.press('Escape');
  const png = (await lab.act('export', 'png')) as unknown;
  expect(png).toBeTruthy();
  expect(await violations()).toEqual([]);
});

test('csp: the embed carries the same policy and plays refused nothing', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/embed.html?preset=race&autoplay&speed=0.002');
  const policy = await policyOf(page);
  expect(policy).toContain("script-src 'self'");
  expect(policy).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  await expect(page.locator('svg.stack')).toBeVisible();
  await expect.poll(async () => page.locator('svg.stack .conn').count()).toBeGreaterThan(0);
  expect(await violations()).toEqual([]);
});
