// `npm run bench` (browser part): plays presets in the built app in headless Chromium and prints
// main-thread script time per animation frame (p50/p95/max), frames over 50 ms, long tasks, and the
// worker's events/s with frame streaming on and off. Prints figures; asserts nothing.
// Targets (issue 3): p95 ≤ 8 ms per frame, no frame over 50 ms after load, streaming ≤ 10% of throughput.
import { chromium, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** What the page exposes to this script: the app's handle and the instrumentation below. */
type LabWindow = Window & {
  __bench: { frames: Map<number, number>; longTasks: number[]; on: boolean };
  tdiFlowLab: { command(cmd: unknown): void; lastFrame(): { eventCount: number } | null };
};

const PORT = 4174;
const base = `http://127.0.0.1:${PORT}`;
const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
const stop = () => {
  try {
    process.kill(-server.pid!);
  } catch {
    /* already gone */
  }
};
process.on('exit', stop);
for (let i = 0; i < 100; i++) {
  try {
    if ((await fetch(base)).ok) break;
  } catch {
    await new Promise((r) => setTimeout(r, 100));
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

// Times every requestAnimationFrame callback, grouped by frame (callbacks of one frame share its
// timestamp): the app's frame work (D3 views, log, status) and D3's transitions all run there.
const INSTRUMENT = () => {
  const w = window as unknown as { __bench: { frames: Map<number, number>; longTasks: number[]; on: boolean } };
  w.__bench = { frames: new Map(), longTasks: [], on: false };
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) =>
    raf((ts) => {
      const t0 = performance.now();
      try {
        cb(ts);
      } finally {
        if (w.__bench.on) w.__bench.frames.set(ts, (w.__bench.frames.get(ts) ?? 0) + performance.now() - t0);
      }
    });
  new PerformanceObserver((list) => {
    if (w.__bench.on) for (const e of list.getEntries()) w.__bench.longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: false });
};

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function framesWhilePlaying(preset: string, speed: string, seconds: number): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.addInitScript(INSTRUMENT);
  await page.goto(`${base}/?preset=${preset}&speed=${speed}`);
  await page.getByTestId('stack').locator('svg.stack').waitFor();
  await page.waitForTimeout(800); // after load
  await page.evaluate(() => ((window as unknown as LabWindow).__bench.on = true));
  await page.keyboard.press(' ');
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await page.waitForTimeout(250);
    // A short preset finishes quickly: start it again so the whole window is spent playing.
    if ((await page.getByTestId('play-state').textContent()) === 'finished') {
      await page.keyboard.press('r');
      await page.keyboard.press(' ');
    }
  }
  const r = await page.evaluate(() => {
    const b = (window as unknown as LabWindow).__bench;
    b.on = false;
    const ts = [...b.frames.keys()].sort((x, y) => x - y);
    const gaps = ts.slice(1).map((t, i) => t - ts[i]!);
    return { costs: [...b.frames.values()], gaps, longTasks: b.longTasks };
  });
  const events = await page.getByTestId('event-count').textContent();
  console.log(
    `${preset.padEnd(7)} at ${speed}× for ${seconds} s: ${r.costs.length} frames, script per frame p50 ${pct(r.costs, 50).toFixed(2)} ms, ` +
      `p95 ${pct(r.costs, 95).toFixed(2)} ms, max ${Math.max(0, ...r.costs).toFixed(1)} ms; frames over 50 ms: ${r.gaps.filter((g) => g > 50).length}; ` +
      `long tasks: ${r.longTasks.length}${r.longTasks.length ? ` (max ${Math.max(...r.longTasks).toFixed(0)} ms)` : ''}; events shown ${events}`,
  );
  await page.close();
}

async function workerThroughput(): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${base}/?preset=basics`);
  await page.getByTestId('stack').locator('svg.stack').waitFor();
  // The stress preset, made 200× longer so it cannot finish while we measure.
  const stress = JSON.parse(readFileSync(new URL('../src/scenario/presets/stress.json', import.meta.url), 'utf8'));
  stress.durationUs = 200_000_000;
  for (const c of stress.connections) c.generator.count = 40_000;
  await page.evaluate((s) => (window as unknown as LabWindow).tdiFlowLab.command({ op: 'load', source: { kind: 'json', scenario: s } }), stress);
  await page.getByTestId('title').filter({ hasText: 'Stress' }).waitFor();
  await page.evaluate(() => {
    const api = (window as unknown as LabWindow).tdiFlowLab;
    api.command({ op: 'setSpeed', speed: 1000 });
    api.command({ op: 'play' });
  });
  const read = (p: Page) => p.evaluate(() => ({ n: (window as unknown as LabWindow).tdiFlowLab.lastFrame()?.eventCount ?? 0, t: performance.now() }));
  await page.waitForTimeout(1000);
  const rates: Record<string, number[]> = { on: [], off: [] };
  for (let round = 0; round < 3; round++) {
    const a = await read(page);
    await page.waitForTimeout(2000);
    const b = await read(page);
    rates.on!.push((b.n - a.n) / ((b.t - a.t) / 1000));
    await page.evaluate(() => (window as unknown as LabWindow).tdiFlowLab.command({ op: 'setStreaming', on: false }));
    const c = await read(page);
    await page.waitForTimeout(2000);
    await page.evaluate(() => (window as unknown as LabWindow).tdiFlowLab.command({ op: 'setStreaming', on: true }));
    await page.waitForFunction((n) => ((window as unknown as LabWindow).tdiFlowLab.lastFrame()?.eventCount ?? 0) > n, c.n);
    const d = await read(page);
    rates.off!.push((d.n - c.n) / ((d.t - c.t) / 1000));
  }
  const med = (xs: number[]) => pct(xs, 50);
  const on = med(rates.on!);
  const off = med(rates.off!);
  console.log(
    `worker (stress, flat out): ${Math.round(on).toLocaleString('en-US')} events/s streaming, ${Math.round(off).toLocaleString('en-US')} events/s not streaming → streaming costs ${(100 * (1 - on / off)).toFixed(1)}%`,
  );
  await page.close();
}

try {
  await framesWhilePlaying('basics', '10', 6);
  await framesWhilePlaying('stress', '10', 6);
  await workerThroughput();
} finally {
  await browser.close();
  stop();
}
