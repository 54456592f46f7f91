import { chromium } from '@playwright/test';
const [,, url, out, w, h, action] = process.argv;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const p = await b.newPage({ viewport: { width: +w, height: +h } });
await p.goto(url);
await p.waitForFunction(() => document.querySelector('[data-testid="title"]')?.textContent !== 'Loading…');
await p.waitForTimeout(800);
if (action === 'fault') { await p.locator('[data-node-id="nic0"]').first().click(); await p.waitForTimeout(300); }
if (action === 'inject') { await p.locator('[data-node-id="nic0"]').first().click(); await p.getByRole('button', { name: 'STATUS_LINK_FAILED' }).click(); await p.getByRole('button', {name: 'Share', exact: true}).click(); await p.waitForTimeout(500); }
await p.screenshot({ path: out });
await b.close();
