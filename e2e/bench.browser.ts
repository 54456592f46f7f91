// `npm run bench` (browser part): plays presets in the built app in headless Chromium and prints
// what the user feels (issue 10): the gaps between animation frames (p50/p95/max, gaps over 100 ms
// after load), the main thread's CPU per frame (all its tasks: script, style, layout, paint — from
// the DevTools protocol's TaskDuration — and Long Animation Frames), and updates/s (frames carrying
// new state), for `stress` (2,048 connections) and a 20,480-connection variant, at the default
// speed and at 1×. Then script time per animation frame and the worker's events/s with frame
// streaming on and off. Prints figures; asserts nothing.
// BENCH_BASELINE=<a built dist folder> (e.g. a build of main) measures that build too, alternating
// with this one in the same conditions, for a before/after table. PORT picks the preview port.
// Targets: issue 10 — rAF gap p95 ≤ 17 ms at 2,048 and ≤ 34 ms at 20,480, no gap over 100 ms after
// load; issue 3 — streaming ≤ 10% of throughput; issue 16 — a seek after End on stress, command to
// the moment shown in the page, p95 ≤ 100 ms. BENCH_SEEK_ONLY=1 runs only that (BENCH_SEEK_PROFILE=<file>:
// a CPU profile of the page while seeking, for the DevTools).
// Then loading 20,480 and 102,400 connections (issue 18, loadTable below; BENCH_LOAD_ONLY=1 runs only that).
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** What the page exposes to this script: the app's handle and the instrumentation below. */
type LabWindow = Window & {
  __bench: { frames: Map<number, number>; longTasks: number[]; on: boolean };
  tdiFlowLab: { command(cmd: unknown): void; lastFrame(): { eventCount: number } | null };
};

const PORT = Number(process.env.PORT ?? 4174);
const base = `http://127.0.0.1:${PORT}`;
const BASELINE = process.env.BENCH_BASELINE;
/** The build measured as "this" (BENCH_DIST: a copy, so the working tree can be rebuilt meanwhile). */
const THIS_DIST = process.env.BENCH_DIST ?? 'dist';
let server: ReturnType<typeof spawn> | null = null;
let serving = '';
const stop = () => {
  try {
    if (server) process.kill(-server.pid!);
  } catch {
    /* already gone */
  }
  server = null;
  serving = '';
};
process.on('exit', stop);

/** Serves a built folder on PORT (restarting the preview server when the folder changes). */
async function serve(dir: string): Promise<void> {
  if (serving === dir) return;
  stop();
  // The old server lets go of the port before the new one takes it.
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(base);
      await new Promise((r) => setTimeout(r, 100));
    } catch {
      break;
    }
  }
  server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort', '--outDir', dir], { stdio: 'ignore', detached: true });
  serving = dir;
  // Wait for the new server (the old one's port is free once it is gone).
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(base)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vite preview of ${dir} did not start on port ${PORT}`);
}
await serve(THIS_DIST);

// Every page blocks the offline cache's worker (app/offline): caching the build would compete with what is measured.
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
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
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

// What the user feels: an rAF loop of its own (the page's rAF runs only when a frame arrives)
// records every animation frame's timestamp and whether the app had drawn a new frame since the
// last one; Long Animation Frames are collected as they come.
// Plain JavaScript text: a function here would be compiled with helpers the page does not have.
const FEEL = `(() => {
  const feel = { on: false, ts: [], updates: 0, loaf: [] };
  window.__feel = feel;
  let prev = null;
  const loop = (t) => {
    const f = window.tdiFlowLab ? window.tdiFlowLab.lastFrame() : null;
    if (feel.on) {
      feel.ts.push(t);
      if (f !== prev) feel.updates++;
    }
    prev = f;
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  try {
    new PerformanceObserver((list) => {
      // Each long frame's duration and how much of it was the page's own script (the rest, on a
      // busy machine, is mostly the thread waiting for a core).
      if (feel.on) for (const e of list.getEntries()) feel.loaf.push([e.duration, (e.scripts || []).reduce((a, x) => a + x.duration, 0)]);
    }).observe({ type: 'long-animation-frame', buffered: false });
  } catch {
    /* no Long Animation Frames in this browser */
  }
})();`;
type FeelWindow = Window & { __feel: { on: boolean; ts: number[]; updates: number; loaf: [number, number][] } };

/** The stress preset with `times`× the connections on each address (ids suffixed), same load per connection. */
function stressTimes(times: number): unknown {
  const s = JSON.parse(readFileSync(new URL('../src/scenario/presets/stress.json', import.meta.url), 'utf8'));
  if (times === 1) return s;
  const conns: { id: string }[] = s.connections;
  s.connections = conns.flatMap((c) => Array.from({ length: times }, (_, k) => ({ ...c, id: k === 0 ? c.id : `${c.id}x${k}` })));
  s.title = `Stress: ${s.connections.length} connections`;
  return s;
}

interface Feel {
  gapP50: number;
  gapP95: number;
  gapMax: number;
  gapsOver100: number;
  cpuPerFrameMs: number;
  mainBusyPct: number;
  scriptPerFrameMs: number;
  styleLayoutPerFrameMs: number;
  loafs: number;
  loafP95: number;
  /** Long animation frames in which the page's own script ran 50 ms or more. */
  loafsOwn: number;
  updatesPerS: number;
  fps: number;
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: m } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(m.map((x) => [x.name, x.value]));
}

/** Loads `times`× stress at `speed` (null: the app's default), plays it `seconds` and measures. */
async function feel(times: number, speed: number | null, seconds: number): Promise<Feel> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
  await page.addInitScript({ content: FEEL });
  await page.goto(`${base}/?preset=stress`);
  await page.getByTestId('title').filter({ hasText: 'Stress' }).waitFor();
  if (times > 1) {
    await page.evaluate((s) => (window as unknown as LabWindow).tdiFlowLab.command({ op: 'load', source: { kind: 'json', scenario: s } }), stressTimes(times));
    await page.getByTestId('title').filter({ hasText: `${2048 * times} connections` }).waitFor({ timeout: 120_000 });
  }
  await page.getByTestId('stack').locator('svg.stack').waitFor();
  if (speed !== null) await page.evaluate((x) => (window as unknown as LabWindow).tdiFlowLab.command({ op: 'setSpeed', speed: x }), speed);
  await page.waitForTimeout(1000); // after load
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await page.evaluate(() => {
    (window as unknown as FeelWindow).__feel.on = true;
    (window as unknown as LabWindow).tdiFlowLab.command({ op: 'play' });
  });
  const m0 = await metrics(cdp);
  await page.waitForTimeout(seconds * 1000);
  const m1 = await metrics(cdp);
  const r = await page.evaluate(() => {
    const f = (window as unknown as FeelWindow).__feel;
    f.on = false;
    return { ts: f.ts, updates: f.updates, loaf: f.loaf };
  });
  await page.close();
  const gaps = r.ts.slice(1).map((t, i) => t - r.ts[i]!);
  const frames = Math.max(1, gaps.length);
  const d = (k: string) => ((m1[k] ?? 0) - (m0[k] ?? 0)) * 1000;
  return {
    gapP50: pct(gaps, 50),
    gapP95: pct(gaps, 95),
    gapMax: Math.max(0, ...gaps),
    gapsOver100: gaps.filter((g) => g > 100).length,
    cpuPerFrameMs: d('TaskDuration') / frames,
    mainBusyPct: d('TaskDuration') / (seconds * 10),
    scriptPerFrameMs: d('ScriptDuration') / frames,
    styleLayoutPerFrameMs: (d('RecalcStyleDuration') + d('LayoutDuration')) / frames,
    loafs: r.loaf.length,
    loafP95: pct(r.loaf.map((x) => x[0]), 95),
    loafsOwn: r.loaf.filter((x) => x[1] >= 50).length,
    updatesPerS: r.updates / seconds,
    fps: gaps.length / seconds,
  };
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** Each case for each build, the builds alternating, then one line per case and build. */
async function feelTable(): Promise<void> {
  const builds: { name: string; dir: string }[] = [...(BASELINE ? [{ name: 'baseline', dir: BASELINE }] : []), { name: 'this', dir: THIS_DIST }];
  const cases = [
    { label: 'stress 2,048 default', times: 1, speed: null, target: 17 },
    { label: 'stress 2,048 at 1×', times: 1, speed: 1, target: 17 },
    { label: 'stress 20,480 default', times: 10, speed: null, target: 34 },
    { label: 'stress 20,480 at 1×', times: 10, speed: 1, target: 34 },
  ];
  const seconds = Number(process.env.BENCH_FEEL_S ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
  console.log(`frames as felt (${seconds} s each, 1280×720; rAF gaps; CPU = main-thread task time per animation frame; targets: p95 gap ≤ 17 ms at 2,048, ≤ 34 ms at 20,480, no gap > 100 ms after load)`);
  console.log('LoAF: long animation frames (> 50 ms), their p95, and how many had ≥ 50 ms of the page\'s own script (the others waited for a core: see the load average)');
  console.log('case                    build     load avg       | gap p50  p95    max  >100ms | CPU/frame script style+layout busy | LoAF n  p95 own | fps  updates/s | p95 target');
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) {
      for (const b of builds) {
        await serve(b.dir);
        const before = load();
        const f = await feel(c.times, c.speed, seconds);
        console.log(
          `${c.label.padEnd(23)} ${b.name.padEnd(9)} ${before.padEnd(14)} | ${f.gapP50.toFixed(1).padStart(6)} ${f.gapP95.toFixed(1).padStart(5)} ${f.gapMax.toFixed(0).padStart(6)} ${String(f.gapsOver100).padStart(6)} | ` +
            `${f.cpuPerFrameMs.toFixed(1).padStart(9)} ${f.scriptPerFrameMs.toFixed(1).padStart(6)} ${f.styleLayoutPerFrameMs.toFixed(1).padStart(12)} ${f.mainBusyPct.toFixed(0).padStart(3)}% | ${String(f.loafs).padStart(6)} ${f.loafP95.toFixed(0).padStart(4)} ${String(f.loafsOwn).padStart(3)} | ` +
            `${f.fps.toFixed(0).padStart(3)} ${f.updatesPerS.toFixed(1).padStart(10)} | ${f.gapP95 <= c.target ? 'met' : 'MISSED'} (≤ ${c.target} ms)`,
        );
      }
    }
  }
  await serve(THIS_DIST);
}

async function workerThroughput(): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
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

// A seek after End on stress as the user feels it (issue 16): from the command to the page showing the
// new moment — the frame in which the scrubber, status line, stage, log and charts were redrawn for
// it, painted (the task after that animation frame). Plain JavaScript text, as FEEL above.
const SEEK_PROBE = `window.__seekProbe = (t) => new Promise((resolve) => {
  const api = window.tdiFlowLab;
  const scrubber = document.querySelector('[data-testid="scrubber"] svg.scrubber');
  const t0 = performance.now();
  const seen = () => scrubber.getAttribute('data-now-us') === String(t) && api.lastFrame() && api.lastFrame().nowUs === t;
  const obs = new MutationObserver(() => {
    if (!seen()) return;
    obs.disconnect();
    // The rest of this animation frame (the other views, style, layout, paint), then the time.
    setTimeout(() => resolve(performance.now() - t0), 0);
  });
  obs.observe(scrubber, { attributes: true, attributeFilter: ['data-now-us'] });
  api.actions.seek(t);
});`;
type SeekWindow = Window & { __seekProbe(t: number): Promise<number> };

/** Random seeks (the same ones for every build) over the stress run after End: p50/p95 in the browser. */
async function seekAfterEnd(dir: string, name: string, profileTo?: string): Promise<number[]> {
  await serve(dir);
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${base}/?preset=stress`);
  await page.getByTestId('title').filter({ hasText: 'Stress' }).waitFor();
  await page.getByTestId('stack').locator('svg.stack').waitFor();
  await page.getByRole('button', { name: 'Run to end' }).click();
  await page.getByTestId('play-state').filter({ hasText: 'finished' }).waitFor({ timeout: 600_000 });
  await page.evaluate(SEEK_PROBE);
  const duration = 30_000_000;
  let seed = 16;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  // 30 measured: the p95 of 12 was their largest, one slow seek on a busy machine.
  const times = Array.from({ length: 32 }, () => Math.round(next() * duration));
  const cdp = profileTo ? await page.context().newCDPSession(page) : null;
  // A .cpuprofile: the page's script; a .trace.json: the main thread's whole work (style, layout, paint).
  const tracing = profileTo?.endsWith('.trace.json') === true;
  const traceEvents: unknown[] = [];
  if (cdp && tracing) {
    cdp.on('Tracing.dataCollected', (e) => traceEvents.push(...e.value));
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink', transferMode: 'ReportEvents' });
  } else if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const ms: number[] = [];
  for (const t of times) {
    ms.push(await page.evaluate((x) => (window as unknown as SeekWindow).__seekProbe(x), t));
    await page.waitForTimeout(150); // the user reads the moment before the next seek
  }
  if (cdp && tracing) {
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    (await import('node:fs')).writeFileSync(profileTo!, JSON.stringify({ traceEvents }));
  } else if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    (await import('node:fs')).writeFileSync(profileTo!, JSON.stringify(profile));
  }
  await page.close();
  const measured = ms.slice(2); // the first two warm the page's code up
  console.log(
    `seek after End on stress (${name}): ${measured.length} seeks, command → moment shown p50 ${pct(measured, 50).toFixed(0)} ms, p95 ${pct(measured, 95).toFixed(0)} ms, max ${Math.max(...measured).toFixed(0)} ms ` +
      `[${measured.map((x) => x.toFixed(0)).join(' ')}] (target p95 ≤ 100 ms: ${pct(measured, 95) <= 100 ? 'met' : 'MISSED'}; load avg ${load()})`,
  );
  return measured;
}

// Loading a big scenario (issue 18): the stress preset with 10× and 50× the connections, loaded
// through window.tdiFlowLab.command at 1280×720, timed from the command to the title shown and to
// the first frame drawn. The page's part (posting the command; after the run arrives, drawing it)
// and the worker's (from the command posted to its `loaded` message read on the page: checking,
// building, and the message's copy) apart, with the main thread's CPU over the whole load; then the
// rAF gap while playing the biggest one. Measured from outside the app (a wrapped Worker and rAF),
// so a build without issue 18 (BENCH_BASELINE) is measured the same way.
// Targets: 20,480 ≤ 1.5 s and 102,400 ≤ 5 s to the first frame, p95 rAF gap playing 102,400 ≤ 34 ms.
const LOAD_PROBE = `(() => {
  const probe = { loadedMs: 0, ts: [], on: false };
  window.__loadProbe = probe;
  const W = window.Worker;
  window.Worker = class extends W {
    constructor(...args) {
      super(...args);
      // Registered before the app's onmessage: runs first, and reading data pays its copy here.
      this.addEventListener('message', (e) => {
        if (e.data && e.data.op === 'loaded' && !probe.loadedMs) probe.loadedMs = performance.now();
      });
    }
  };
  const loop = (t) => {
    if (probe.on) probe.ts.push(t);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
})();`;
type ProbeWindow = Window & { __loadProbe: { loadedMs: number; ts: number[]; on: boolean }; __load: { cmdMs: number; postedMs: number; titleMs: number; frameMs: number } };

interface LoadFigures {
  titleMs: number;
  frameMs: number;
  pagePostMs: number;
  workerMs: number;
  pageDrawMs: number;
  mainCpuMs: number;
  playGapP95: number | null;
  playGapMax: number | null;
}

const LOAD_TIMEOUT_MS = Number(process.env.BENCH_LOAD_TIMEOUT_S ?? 900) * 1000;

async function loadOnce(times: number, playSeconds: number): Promise<LoadFigures> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.addInitScript({ content: LOAD_PROBE });
  await page.goto(`${base}/?preset=basics`);
  await page.getByTestId('stack').locator('svg.stack').waitFor();
  const scenario = stressTimes(times) as { connections: unknown[] };
  const want = `Stress: ${scenario.connections.length} connections`;
  await page.evaluate((s) => ((window as unknown as { __scenario: unknown }).__scenario = s), scenario);
  await page.waitForTimeout(500);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const m0 = await metrics(cdp);
  // Plain JavaScript text: the timer runs in the page, from the command on.
  await page.evaluate(`(() => {
    const want = ${JSON.stringify(want)};
    const t = (window.__load = { cmdMs: performance.now(), postedMs: 0, titleMs: 0, frameMs: 0 });
    window.__loadProbe.loadedMs = 0; // the preset the page opened with was loaded too
    const watch = () => {
      const now = performance.now();
      if (!t.titleMs && document.querySelector('[data-testid=title]')?.textContent === want) t.titleMs = now;
      if (t.titleMs && !t.frameMs && window.tdiFlowLab.lastFrame()) t.frameMs = now;
      if (!t.frameMs) requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
    window.tdiFlowLab.command({ op: 'load', source: { kind: 'json', scenario: window.__scenario } });
    t.postedMs = performance.now();
  })()`);
  // A build that takes longer than LOAD_TIMEOUT_MS is reported as "more than" that (the issue's 116 s, on a busy machine).
  const arrived = await page
    .waitForFunction(() => (window as unknown as ProbeWindow).__load.frameMs > 0, null, { timeout: LOAD_TIMEOUT_MS, polling: 250 })
    .then(() => true, () => false);
  if (!arrived) {
    await page.close();
    return { titleMs: Infinity, frameMs: Infinity, pagePostMs: NaN, workerMs: NaN, pageDrawMs: NaN, mainCpuMs: NaN, playGapP95: null, playGapMax: null };
  }
  const m1 = await metrics(cdp);
  const t = await page.evaluate(() => ({ ...(window as unknown as ProbeWindow).__load, loadedMs: (window as unknown as ProbeWindow).__loadProbe.loadedMs }));
  let playGapP95: number | null = null;
  let playGapMax: number | null = null;
  if (playSeconds > 0) {
    await page.waitForTimeout(1000); // after load
    await page.evaluate(() => {
      (window as unknown as ProbeWindow).__loadProbe.on = true;
      (window as unknown as LabWindow).tdiFlowLab.command({ op: 'play' });
    });
    await page.waitForTimeout(playSeconds * 1000);
    const ts = await page.evaluate(() => {
      const p = (window as unknown as ProbeWindow).__loadProbe;
      p.on = false;
      return p.ts;
    });
    const gaps = ts.slice(1).map((x, i) => x - ts[i]!);
    playGapP95 = pct(gaps, 95);
    playGapMax = Math.max(0, ...gaps);
  }
  await page.close();
  return {
    titleMs: t.titleMs - t.cmdMs,
    frameMs: t.frameMs - t.cmdMs,
    pagePostMs: t.postedMs - t.cmdMs,
    workerMs: t.loadedMs - t.postedMs,
    pageDrawMs: t.frameMs - t.loadedMs,
    mainCpuMs: ((m1.TaskDuration ?? 0) - (m0.TaskDuration ?? 0)) * 1000,
    playGapP95,
    playGapMax,
  };
}

async function loadTable(): Promise<void> {
  const builds: { name: string; dir: string }[] = [...(BASELINE ? [{ name: 'baseline', dir: BASELINE }] : []), { name: 'this', dir: THIS_DIST }];
  const seconds = Number(process.env.BENCH_FEEL_S ?? 5);
  const cases = [
    { label: 'load 20,480', times: 10, target: 1500, play: 0 },
    { label: 'load 102,400', times: 50, target: 5000, play: seconds },
  ];
  console.log(`loading (1280×720; ms from the command; page = posting the command + drawing after the run arrived, worker = command posted → its run read on the page, CPU = main-thread task time; targets: first frame ≤ 1,500 ms at 20,480, ≤ 5,000 ms at 102,400, p95 rAF gap playing 102,400 for ${seconds} s ≤ 34 ms)`);
  console.log('case            build     load avg       |   title  1st frame | page: post  draw   CPU | worker+copy | play gap p95   max | target');
  for (const c of cases) {
    for (const b of builds) {
      await serve(b.dir);
      const before = load();
      const f = await loadOnce(c.times, c.play);
      const met = f.frameMs <= c.target && (f.playGapP95 === null || f.playGapP95 <= 34);
      const ms = (x: number) => (x === Infinity ? `>${LOAD_TIMEOUT_MS / 1000} s` : Number.isNaN(x) ? '-' : Math.round(x).toLocaleString('en-US'));
      console.log(
        `${c.label.padEnd(15)} ${b.name.padEnd(9)} ${before.padEnd(14)} | ${ms(f.titleMs).padStart(7)} ${ms(f.frameMs).padStart(10)} | ${ms(f.pagePostMs).padStart(10)} ${ms(f.pageDrawMs).padStart(5)} ${ms(f.mainCpuMs).padStart(6)} | ${ms(f.workerMs).padStart(11)} | ` +
          `${f.playGapP95 === null ? '           -     -' : `${f.playGapP95.toFixed(1).padStart(12)} ${f.playGapMax!.toFixed(0).padStart(5)}`} | ${met ? 'met' : 'MISSED'}`,
      );
    }
  }
  await serve(THIS_DIST);
}

try {
  if (process.env.BENCH_SEEK_ONLY === '1') {
    for (let round = 0; round < Number(process.env.BENCH_ROUNDS ?? 1); round++) {
      if (BASELINE) await seekAfterEnd(BASELINE, 'baseline');
      await seekAfterEnd(process.env.BENCH_SEEK_DIST ?? THIS_DIST, 'this', process.env.BENCH_SEEK_PROFILE);
    }
  } else if (process.env.BENCH_LOAD_ONLY === '1') {
    await loadTable();
  } else {
    if (BASELINE) await seekAfterEnd(BASELINE, 'baseline');
    await seekAfterEnd(THIS_DIST, 'this');
    await feelTable();
    if (process.env.BENCH_FEEL_ONLY !== '1') {
      await loadTable();
      await framesWhilePlaying('basics', '10', 6);
      await workerThroughput();
    }
  }
} finally {
  await browser.close();
  stop();
}
