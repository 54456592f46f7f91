// The built app and the embed run under a Content-Security-Policy with no inline script and no eval:
// the policy is in each page, and using the app — playing, stepping, dialogs, exporting a picture —
// makes the browser refuse nothing.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { Lab } from './lab.ts';
import { startHost } from './embedHost.ts';

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

// #17 hole 8: a meta tag cannot say who may frame a page; the headers can, and `npm start` sends them.
test('#17 hole 8: the preview server sends the documented headers — the app may not be framed, the embed may', async ({ page, request, baseURL }) => {
  const app = await request.get('/?preset=race');
  const embed = await request.get('/embed.html?preset=race');
  const appCsp = app.headers()['content-security-policy'] ?? '';
  const embedCsp = embed.headers()['content-security-policy'] ?? '';
  expect(appCsp).toContain("script-src 'self'");
  expect(appCsp).toContain("frame-ancestors 'none'");
  expect(app.headers()['x-frame-options']).toBe('DENY');
  expect(embedCsp).toContain("script-src 'self'");
  expect(embedCsp).toContain('frame-ancestors *');
  expect(embed.headers()['x-frame-options']).toBeUndefined();
  expect(app.headers()['x-content-type-options']).toBe('nosniff');
  // docs/embedding.md names the same policies, word for word.
  const docs = readFileSync(new URL('../docs/embedding.md', import.meta.url), 'utf8');
  expect(docs).toContain(appCsp);
  expect(docs).toContain(embedCsp);

  // A page of another origin frames both: the browser refuses the app and shows the embed.
  const host = await startHost();
  try {
    await page.goto(host.page('/frames.html', `<!doctype html><html lang="en"><title>Frames</title>
<iframe id="app" src="${baseURL}/?preset=race" style="width:400px;height:300px"></iframe>
<iframe id="embed" src="${baseURL}/embed.html?preset=race" style="width:400px;height:300px"></iframe></html>`));
    const embedFrame = await (await page.locator('#embed').elementHandle())!.contentFrame();
    await expect(embedFrame!.locator('svg.stack')).toBeVisible();
    const appFrame = await (await page.locator('#app').elementHandle())!.contentFrame();
    await expect.poll(() => appFrame!.url()).toMatch(/^chrome-error:/);
    expect(await appFrame!.locator('.app').count()).toBe(0);
  } finally {
    await host.close();
  }
});
