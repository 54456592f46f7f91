// Issue 16, an embed explains itself: at 800×450 a reader saw pink circles and ⚑1/⚑8 with nothing
// saying what they meant. The embed shows the caption line (what just happened, in plain words) and a
// compact legend between the stage and the bar, by default where there is room; `caption="off"` and
// `legend="off"` (embed.html: caption=off, legend=off) leave them out.
import { expect, test, type Frame } from '@playwright/test';
import { EmbedHost, elementPage, startHost, type HostServer } from './embedHost.ts';
import { seriousViolations } from './axe.ts';

let host: HostServer;
test.beforeAll(async () => {
  host = await startHost();
});
test.afterAll(async () => {
  await host.close();
});

/** Stops just after the first lost race (R24): the caption must say so, the legend say what ⚑n is. */
const AT_LOST_RACE = 'preset="race" speed="100" autoplay pause-at="first:send.complete,lostRace=true"';
const LEGEND_NAMES = ['refused', 'resubmit pending', 'broken', 'bytes queued', 'SendPossible', 'Error', 'lost races', 'handlers'];

interface Layout {
  stageBottom: number;
  caption: { top: number; bottom: number; left: number; right: number } | null;
  legend: { top: number; bottom: number; left: number; right: number } | null;
  legendItems: { name: string; left: number; right: number; top: number; bottom: number }[];
  barTop: number;
  width: number;
}

/** Where the stage's drawing ends and where the caption, the legend's keys and the bar are, in the frame. */
function readLayout(f: Frame): Promise<Layout> {
  return f.evaluate(() => {
    const box = (e: Element | null) => {
      if (!e) return null;
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 ? { top: r.top, bottom: r.bottom, left: r.left, right: r.right } : null;
    };
    const drawn = [...document.querySelectorAll('svg.stack g.client, svg.stack g.address, svg.stack g.conn, svg.stack g.pool, svg.stack [data-node-id]')];
    return {
      stageBottom: Math.max(...drawn.map((e) => e.getBoundingClientRect().bottom)),
      caption: box(document.querySelector('.embed-caption')),
      legend: box(document.querySelector('.embed-legend')),
      legendItems: [...document.querySelectorAll('.embed-legend li')].map((li) => ({ name: li.textContent!.trim(), ...box(li)! })),
      barTop: document.querySelector('.embed-bar')!.getBoundingClientRect().top,
      width: innerWidth,
    };
  });
}

for (const theme of ['light', 'dark'] as const) {
  test(`issue 16: at 800×450 and 1280×720 (${theme}) the embed at a lost race says so in its caption and keys its marks in a legend, clear of the stage`, async ({ page, baseURL }, info) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width: 1320, height: 760 });
    for (const size of [
      { width: 800, height: 450 },
      { width: 1280, height: 720 },
    ]) {
      await page.goto(host.page(`/explain-${theme}-${size.width}.html`, elementPage(baseURL!, `${AT_LOST_RACE} theme="${theme}"`, size)));
      const lab = new EmbedHost(page);
      await lab.ready();
      const f = await lab.frame();
      await expect(f.locator('.app.embed')).toHaveAttribute('data-playing', 'false');
      // R24: the caption tells the moment the embed stopped at: B1's resubmission lost the race.
      await expect(f.getByTestId('caption')).toContainText(/lost the race/);
      await expect(f.getByTestId('caption')).toHaveAttribute('title', /ClientEventSendPossible had said/);
      const legend = f.getByTestId('legend');
      await expect(legend).toBeVisible();
      const l = await readLayout(f);
      expect(l.legendItems.map((i) => i.name)).toEqual(LEGEND_NAMES.map((n, k) => (k === 6 ? `⚑n ${n}` : k === 7 ? `S E X D ${n}` : n)));
      // Top to bottom: the drawing, the caption, the legend, the bar — nothing over anything.
      expect(l.caption, 'the caption shows').not.toBeNull();
      expect(l.stageBottom).toBeLessThanOrEqual(l.caption!.top + 0.5);
      expect(l.caption!.bottom).toBeLessThanOrEqual(l.legend!.top + 0.5);
      expect(l.legend!.bottom).toBeLessThanOrEqual(l.barTop + 0.5);
      // Each key whole, inside the frame, and no two keys over each other.
      expect(l.legendItems).toHaveLength(8);
      const clashes: string[] = [];
      for (const [i, a] of l.legendItems.entries()) {
        if (a.left < -0.5 || a.right > l.width + 0.5) clashes.push(`${a.name} outside the frame`);
        for (const b of l.legendItems.slice(i + 1)) if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) clashes.push(`${a.name} × ${b.name}`);
      }
      expect(clashes).toEqual([]);
      // Each key's tooltip says the whole meaning (the ⚑n one cites the rule it counts).
      await expect(legend.locator('li').nth(6)).toHaveAttribute('title', /lost the race.*\(R24\)/);
      await lab.element.screenshot({ path: info.outputPath(`embed-explained-${size.width}x${size.height}-${theme}.png`) });
    }
  });
}

test('issue 16: the caption follows a step; caption="off" and legend="off" leave both out and give the stage their room', async ({ page, baseURL }) => {
  await page.goto(host.page('/explain-step.html', elementPage(baseURL!, 'preset="race" t="5800"')));
  const lab = new EmbedHost(page);
  await lab.ready();
  let f = await lab.frame();
  const caption = f.getByTestId('caption');
  await expect(caption).toBeVisible();
  const before = await caption.getAttribute('data-seq');
  await lab.call('step');
  // A step is told at once, with its time: the record the caption tells changed.
  await expect.poll(() => caption.getAttribute('data-seq')).not.toBe(before);
  await expect(caption.locator('.caption-t')).toHaveText(/µs|ms/);
  const withExplain = await f.locator('.stack-fit').evaluate((e) => e.clientHeight);

  await page.goto(host.page('/explain-off.html', elementPage(baseURL!, 'preset="race" t="5800" caption="off" legend="off"')));
  await lab.ready();
  f = await lab.frame();
  expect(f.url()).toMatch(/[?&]caption=off&legend=off/);
  await lab.expectStageShown();
  await expect(f.getByTestId('caption')).toHaveCount(0);
  await expect(f.getByTestId('legend')).toHaveCount(0);
  expect(await f.locator('.stack-fit').evaluate((e) => e.clientHeight)).toBeGreaterThan(withExplain + 30);
});

test('issue 16: a small frame (480×260) leaves the caption and legend out unless asked for (caption="on" shows it there); a phone\'s tall frame shows both', async ({ page, baseURL }) => {
  const size = { width: 480, height: 260 };
  await page.goto(host.page('/explain-small.html', elementPage(baseURL!, 'preset="race" t="5800"', size)));
  const lab = new EmbedHost(page);
  await lab.ready();
  let f = await lab.frame();
  await expect(f.getByTestId('caption')).toBeHidden();
  await expect(f.getByTestId('legend')).toBeHidden();

  await page.goto(host.page('/explain-small-on.html', elementPage(baseURL!, 'preset="race" t="5800" caption="on"', size)));
  await lab.ready();
  f = await lab.frame();
  await expect(f.getByTestId('caption')).toBeVisible();
  await expect(f.getByTestId('legend')).toBeHidden();

  // A phone's frame is narrow but tall: the legend wraps there, and has the room to.
  await page.setViewportSize({ width: 420, height: 900 });
  await page.goto(host.page('/explain-phone.html', elementPage(baseURL!, 'preset="race" t="5800"', { width: 390, height: 844 })));
  await lab.ready();
  f = await lab.frame();
  await expect(f.getByTestId('caption')).toBeVisible();
  await expect(f.getByTestId('legend')).toBeVisible();
});

test('issue 16: the embed with its caption and legend has no serious or critical accessibility violations (axe)', async ({ page }) => {
  for (const theme of ['light', 'dark']) {
    await page.setViewportSize({ width: 800, height: 450 });
    await page.goto(`/embed.html?preset=race&t=5800&theme=${theme}`);
    await expect(page.locator('.app.embed')).toHaveAttribute('data-ready', 'true');
    await expect(page.getByTestId('legend')).toBeVisible();
    await expect(page.getByTestId('caption')).toBeVisible();
    expect(await seriousViolations(page), theme).toEqual([]);
  }
});

test("issue 16: docs/embedding.md says what is true — the API exports the stage as SVG and as PNG", async ({ page, baseURL }) => {
  await page.goto(host.page('/explain-export.html', elementPage(baseURL!, 'preset="race" t="5800"')));
  const lab = new EmbedHost(page);
  await lab.ready();
  const svg = await lab.call<{ format: string; fileName: string; mime: string; text: string }>('export', 'svg');
  expect(svg).toMatchObject({ format: 'svg', mime: expect.stringMatching(/^image\/svg\+xml/), fileName: expect.stringMatching(/^race-5800us.*\.svg$/) });
  // The stage as drawn at 5800 µs: the pool holding A1's bytes, B1 with its lost races.
  expect(svg.text).toMatch(/^(<\?xml[^>]*>\s*)?<svg/);
  expect(svg.text).toContain('tcp send pool');
  const png = await lab.call<{ format: string; mime: string; text: string }>('export', 'png');
  expect(png).toMatchObject({ format: 'png', mime: 'image/png' });
  // A data: address of a real PNG (its 8-byte signature), not an empty picture.
  expect(png.text).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
  expect(png.text.length).toBeGreaterThan(2000);
});
