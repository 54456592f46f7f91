import { chromium } from 'playwright';
const [url, out, w, h] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const p = await b.newPage({ viewport: { width: Number(w), height: Number(h) } });
await p.goto(url); await p.waitForTimeout(2500);
const info = await p.evaluate(() => { const c = document.querySelector('canvas.dense-grid'); const s = document.querySelector('svg.stack'); return { canvas: c && c.getBoundingClientRect().toJSON(), style: c && c.getAttribute('style'), svg: s && s.getBoundingClientRect().toJSON(), scale: s && s.getAttribute('data-text-scale'), vb: s && s.getAttribute('viewBox') }; });
console.log(JSON.stringify(info));
await p.screenshot({ path: out }); await b.close();
