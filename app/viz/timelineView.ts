// The timeline under the stack (a scrubber with markers and a density strip of refusals) and the
// charts over time. Both are D3 factories; hovering one moves the cursor on all of them (a tiny bus,
// no React), clicking seeks.
import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { area, line, stack as d3stack, type SeriesPoint } from 'd3-shape';
import type { Frame } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import type { TimelineStats } from '../../src/protocol/messages.ts';
import { clientColor } from './colors.ts';
import { fmtUs } from '../format.ts';
import { lowRate } from './lowRate.ts';

/**
 * The end of the time axis: it follows the part of the run that has been played (#10: a 30 s run
 * 0.5 s in was squeezed into the left 3%), in 1-2-5 steps so it rescales rarely, never beyond the
 * scenario's duration and never below 1 ms (or the duration).
 */
export function playedDomainEndUs(reachedUs: number, durationUs: number): number {
  const want = Math.max(1000, reachedUs * 1.1);
  if (want >= durationUs) return durationUs;
  const decade = 10 ** Math.floor(Math.log10(want));
  const step = [1, 2, 5, 10].find((k) => k * decade >= want)!;
  return Math.min(durationUs, step * decade);
}

type HoverListener = (tUs: number | null) => void;
const hoverListeners = new Set<HoverListener>();
export const hoverBus = {
  emit(t: number | null): void {
    for (const l of hoverListeners) l(t);
  },
  on(l: HoverListener): () => void {
    hoverListeners.add(l);
    return () => hoverListeners.delete(l);
  },
};

export interface TimelineCallbacks {
  onSeek(tUs: number): void;
  /** Set: each chart offers to open large (its key: `pool-<transport>`, `rates`, `share`, `fair`, `waits`). */
  onEnlarge?(key: string, title: string): void;
}

/** The charts' size, and (enlarged) the one chart drawn. */
export interface ChartsOptions {
  widthPx?: number;
  heightPx?: number;
  only?: string;
}

export interface TimelineView {
  update(frame: Frame): void;
  destroy(): void;
}

const H = 46;

export function createScrubber(host: HTMLElement, durationUs: number, cb: TimelineCallbacks): TimelineView {
  // The density strip and the markers are drawn on one canvas: on a long, busy run there are
  // hundreds of them, and as SVG elements their restyling cost more than the rest of the frame.
  host.style.position = 'relative';
  const canvas = document.createElement('canvas');
  canvas.className = 'scrubber-marks';
  host.appendChild(canvas);
  const ctx = canvas.getContext('2d')!;
  const svg = select(host).append('svg').attr('class', 'scrubber').attr('height', H).attr('role', 'slider').attr('tabindex', 0)
    .attr('aria-label', 'Timeline: drag to travel in time, ← and → step, Home and End go to the start and the end of the run').attr('aria-valuemin', 0).attr('aria-valuemax', durationUs);
  const gPlayed = svg.append('rect').attr('class', 'played').attr('y', 4).attr('height', H - 8);
  const hoverLine = svg.append('line').attr('class', 'hover').attr('y1', 2).attr('y2', H - 2).style('display', 'none');
  const hoverText = svg.append('text').attr('class', 'hover-text').attr('y', 12).style('display', 'none');
  const cursor = svg.append('g').attr('class', 'cursor');
  cursor.append('line').attr('y1', 0).attr('y2', H);
  cursor.append('path').attr('d', 'M-6,0 L6,0 L0,8 z');
  let width = 600;
  let endUs = playedDomainEndUs(0, durationUs);
  const x = scaleLinear().domain([0, endUs]);
  let stats: TimelineStats | null = null;
  let statsDirty = false;
  let last: Frame | null = null;
  let dragging = false;
  let lastSeekAt = 0;
  const colors = { bad: '#cf222e', warn: '#b35900', fg: '#1b1f24' };

  const resize = () => {
    width = Math.max(200, host.getBoundingClientRect().width);
    svg.attr('width', width).attr('viewBox', `0 0 ${width} ${H}`);
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(H * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${H}px`;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const cs = getComputedStyle(host);
    colors.bad = cs.getPropertyValue('--bad').trim() || colors.bad;
    colors.warn = cs.getPropertyValue('--warn').trim() || colors.warn;
    colors.fg = cs.getPropertyValue('--fg').trim() || colors.fg;
    x.range([8, width - 8]);
    drawStats();
    if (last) drawCursor(last);
  };
  const ro = new ResizeObserver(resize);
  ro.observe(host);

  function drawStats(): void {
    ctx.clearRect(0, 0, width, H);
    if (!stats) return;
    const s = stats;
    const n = s.refusals.length;
    let maxRef = 1;
    for (let i = 0; i < n; i++) maxRef = Math.max(maxRef, s.refusals[i]!);
    const bw = Math.max(1, x(s.bucketUs) - x(0));
    const counts = { fault: 0, error: 0, race: 0, bug: 0 };
    ctx.fillStyle = colors.bad;
    for (let i = 0; i < n; i++) {
      if (s.refusals[i]! <= 0) continue;
      ctx.globalAlpha = 0.3 + 0.7 * (s.refusals[i]! / maxRef); // a single refusal still shows, on either theme
      ctx.fillRect(x(i * s.bucketUs), 28, bw, 12);
    }
    ctx.globalAlpha = 1;
    for (let i = 0; i < n; i++) {
      const cx = x((i + 0.5) * s.bucketUs);
      if (s.lostRaces[i]) {
        counts.race += s.lostRaces[i]!;
        ctx.fillStyle = colors.bad;
        ctx.beginPath();
        ctx.arc(cx, 23, 3, 0, 2 * Math.PI);
        ctx.fill();
      }
      if (s.errorCalls[i]) {
        counts.error += s.errorCalls[i]!;
        ctx.fillStyle = colors.warn;
        ctx.fillRect(cx - 1.5, 12, 3, 8);
      }
      if (s.faults[i]) {
        counts.fault += s.faults[i]!;
        ctx.fillStyle = colors.bad;
        ctx.beginPath();
        ctx.moveTo(cx - 5, 13);
        ctx.lineTo(cx + 5, 13);
        ctx.lineTo(cx, 3);
        ctx.fill();
      }
      if (s.bugchecks[i]) {
        counts.bug += s.bugchecks[i]!;
        ctx.fillStyle = colors.fg;
        ctx.beginPath();
        ctx.moveTo(cx, 3);
        ctx.lineTo(cx + 5, 8);
        ctx.lineTo(cx, 13);
        ctx.lineTo(cx - 5, 8);
        ctx.fill();
      }
    }
    // What the marks say, for assistive technology and tests.
    svg.attr('data-lost-races', counts.race).attr('data-error-calls', counts.error).attr('data-faults', counts.fault).attr('data-bugchecks', counts.bug);
  }

  /** The hover label: the time, and what happened in that bucket. */
  function describeAt(t: number): string {
    const s = stats;
    if (!s) return fmtUs(t);
    const i = Math.min(s.refusals.length - 1, Math.floor(t / s.bucketUs));
    const parts = [fmtUs(t)];
    if (s.faults[i]) parts.push(`${s.faults[i]} fault`);
    if (s.errorCalls[i]) parts.push(`${s.errorCalls[i]} error callback${s.errorCalls[i]! > 1 ? 's' : ''}`);
    if (s.lostRaces[i]) parts.push(`${s.lostRaces[i]} lost race${s.lostRaces[i]! > 1 ? 's' : ''}`);
    if (s.refusals[i]) parts.push(`${s.refusals[i]} refused`);
    return parts.join(' · ');
  }

  function drawCursor(f: Frame): void {
    const end = playedDomainEndUs(f.reachedUs, durationUs);
    if (end !== endUs) {
      endUs = end;
      x.domain([0, end]);
      svg.attr('data-view-end-us', end);
      drawStats();
    }
    gPlayed.attr('x', x(0)).attr('width', Math.max(0, x(f.reachedUs) - x(0)));
    cursor.attr('transform', `translate(${x(f.nowUs)},0)`);
    svg.attr('aria-valuenow', f.nowUs).attr('aria-valuetext', fmtUs(f.nowUs)).attr('data-now-us', f.nowUs).attr('data-reached-us', f.reachedUs);
  }

  const tAt = (ev: PointerEvent) => Math.max(0, Math.min(durationUs, Math.round(x.invert(ev.offsetX))));
  svg.attr('data-view-end-us', endUs);
  const redraw = lowRate(() => {
    if (statsDirty) {
      statsDirty = false;
      drawStats();
    }
    if (last) drawCursor(last);
  });
  svg.on('pointerdown', (ev: PointerEvent) => {
    dragging = true;
    (ev.currentTarget as Element).setPointerCapture(ev.pointerId);
    cb.onSeek(tAt(ev));
    lastSeekAt = performance.now();
  });
  svg.on('pointermove', (ev: PointerEvent) => {
    const t = tAt(ev);
    hoverBus.emit(t);
    if (dragging && performance.now() - lastSeekAt > 60) {
      cb.onSeek(t);
      lastSeekAt = performance.now();
    }
  });
  svg.on('pointerup', (ev: PointerEvent) => {
    if (dragging) cb.onSeek(tAt(ev));
    dragging = false;
  });
  svg.on('pointerleave', () => hoverBus.emit(null));
  // The axis shows the part of the run played so far; Home and End reach the whole run's start and
  // end from the keyboard (a long seek shows its progress, with Cancel).
  svg.on('keydown', (ev: KeyboardEvent) => {
    if (ev.key !== 'Home' && ev.key !== 'End') return;
    ev.preventDefault();
    cb.onSeek(ev.key === 'Home' ? 0 : durationUs);
  });
  const off = hoverBus.on((t) => {
    hoverLine.style('display', t === null ? 'none' : 'inline').attr('x1', t === null ? 0 : x(t)).attr('x2', t === null ? 0 : x(t));
    const text = t === null ? '' : describeAt(t);
    hoverText
      .style('display', t === null ? 'none' : 'inline')
      .attr('text-anchor', t !== null && x(t) > width / 2 ? 'end' : 'start')
      .attr('x', t === null ? 0 : x(t) + (x(t) > width / 2 ? -4 : 4))
      .text(text);
  });

  resize();
  return {
    update(f) {
      last = f;
      if (f.timeline) {
        // A seek sends the statistics again: after End they are the same run's, and redrawing every
        // strip for nothing was part of the page's work on a seek (issue 16).
        const was = stats;
        stats = f.timeline;
        if (!was || !sameSeries(was, stats)) statsDirty = true;
      }
      redraw.request(!f.playing || f.rewound);
    },
    destroy() {
      off();
      redraw.cancel();
      ro.disconnect();
      svg.remove();
      canvas.remove();
    },
  };
}

/** Charts over time, linked to the scrubber by the hover bus; a click seeks. */
export function createCharts(host: HTMLElement, info: Topology, durationUs: number, cb: TimelineCallbacks, opts: ChartsOptions = {}): TimelineView {
  const root = select(host).append('div').attr('class', opts.only ? 'charts large' : 'charts');
  const W = opts.widthPx ?? 280;
  const CH = opts.heightPx ?? 74;
  /** Points of the rate, share and fairness lines: ~60 in the side column, more when large. */
  const POINTS = Math.max(60, Math.round(W / 4.5));
  let endUs = playedDomainEndUs(0, durationUs);
  const x = scaleLinear().domain([0, endUs]).range([30, W - 6]);
  /** A chart's figure: its caption, and a plot with an axis. */
  let figures = 0;
  const figure = (title: string, cls: string) => {
    const key = cls === 'pool' ? `pool-${figures}` : cls;
    if (cls === 'pool') figures++;
    const box = root.append('figure').attr('class', `chart ${cls}`).attr('data-chart', key);
    if (opts.only && opts.only !== key) box.attr('hidden', '');
    box.append('figcaption').text(title);
    if (cb.onEnlarge && !opts.only) {
      box
        .append('button')
        .attr('class', 'icon chart-enlarge')
        .attr('aria-label', `Enlarge: ${title}`)
        .attr('title', 'Open this chart large')
        .text('⤢')
        .on('click', () => cb.onEnlarge!(key, title));
    }
    const svg = box.append('svg').attr('viewBox', `0 0 ${W} ${CH}`).attr('width', '100%').attr('height', CH);
    svg.append('g').attr('class', 'plot');
    svg.append('g').attr('class', 'axis');
    return svg;
  };
  /** A chart over time: a cursor on the hover bus, a click travels, and a slider for the keyboard. */
  const make = (title: string, cls: string) => {
    const svg = figure(title, cls);
    svg.append('line').attr('class', 'hover').attr('y1', 4).attr('y2', CH - 12).style('display', 'none');
    svg.append('line').attr('class', 'now').attr('y1', 4).attr('y2', CH - 12);
    svg.append('rect').attr('class', 'hit').attr('x', 30).attr('y', 0).attr('width', W - 36).attr('height', CH);
    const node = svg.node()!;
    const toT = (ev: PointerEvent) => {
      const r = node.getBoundingClientRect();
      return Math.max(0, Math.min(durationUs, Math.round(x.invert(((ev.clientX - r.left) / r.width) * W))));
    };
    svg.on('pointermove', (ev: PointerEvent) => hoverBus.emit(toT(ev)));
    svg.on('pointerleave', () => hoverBus.emit(null));
    svg.on('click', (ev: PointerEvent) => cb.onSeek(toT(ev)));
    // From the keyboard: ← → move the cursor on every chart (Shift: in bigger steps), Enter travels there.
    let kbT = 0;
    svg
      .attr('tabindex', 0)
      .attr('role', 'slider')
      .attr('aria-label', `${title}: arrow keys move the cursor, Enter travels to it`)
      .attr('aria-valuemin', 0)
      .attr('aria-valuemax', durationUs)
      .attr('aria-valuenow', 0)
      .attr('aria-valuetext', fmtUs(0));
    svg.on('keydown', (ev: KeyboardEvent) => {
      const step = durationUs / (ev.shiftKey ? 10 : 50);
      const moves: Record<string, number> = { ArrowLeft: kbT - step, ArrowDown: kbT - step, ArrowRight: kbT + step, ArrowUp: kbT + step, Home: 0, End: durationUs };
      if (ev.key in moves) kbT = Math.round(Math.max(0, Math.min(durationUs, moves[ev.key]!)));
      else if (ev.key === 'Enter' || ev.key === ' ') cb.onSeek(kbT);
      else return;
      ev.preventDefault();
      ev.stopPropagation(); // not the page's step / play keys
      svg.attr('aria-valuenow', kbT).attr('aria-valuetext', fmtUs(kbT));
      hoverBus.emit(kbT);
    });
    svg.on('blur', () => hoverBus.emit(null));
    return svg;
  };
  const pools = info.transportNodes.map((node) => make(`Send pool of ${info.nodeIds[node]!} over time, by client`, 'pool'));
  const rates = make('Per ms: refusals · SendPossible · lost races', 'rates');
  const share = make('Throughput share by client', 'share');
  const fair = make("Jain's fairness index between clients", 'fair');
  // Its x axis is the wait, not time: a picture, with no time cursor and no seeking.
  const waitsTitle = 'Wait from refusal to acceptance, by client (log scale)';
  const waits = figure(waitsTitle, 'waits').attr('role', 'img').attr('aria-label', waitsTitle);
  // The rates chart's title is its key: a swatch of each line's colour before its name.
  rates.node()!.parentElement!.querySelector('figcaption')!.innerHTML =
    'Per ms: <span class="key bad"></span>refusals · <span class="key good"></span>SendPossible · <span class="key warn"></span>lost races';
  const all = [...pools, rates, share, fair];
  /** Each time chart's time axis: the run's start and the end of the part shown, under the plot. */
  const timeLabels = () => {
    for (const s of all) {
      s.select('g.axis')
        .selectAll('text.x')
        .data([0, endUs])
        .join('text')
        .attr('class', 'x')
        .attr('x', (_, i) => (i === 0 ? 30 : W - 6))
        .attr('text-anchor', (_, i) => (i === 0 ? 'start' : 'end'))
        .attr('y', CH - 1)
        .text((t) => fmtUs(t));
    }
  };
  timeLabels();
  const off = hoverBus.on((t) => {
    for (const s of all) s.select('line.hover').style('display', t === null ? 'none' : 'inline').attr('x1', t === null ? 0 : x(t)).attr('x2', t === null ? 0 : x(t));
  });
  const yAxis = (svg: typeof rates, max: number, fmt: (v: number) => string) => {
    svg.select('g.axis').selectAll('text.y').data([max, 0]).join('text').attr('class', 'y').attr('x', 27).attr('text-anchor', 'end').attr('y', (_, i) => (i === 0 ? 10 : CH - 12)).text((v) => fmt(v));
  };

  /** Areas stacked by client (keys c0, c1, …), from rows indexed by `i`, over [0, max]. */
  function stackedByClient(svg: typeof rates, rows: Record<string, number>[], clients: number, tOfRow: (i: number) => number, max: number): void {
    const y = scaleLinear().domain([0, max]).range([CH - 12, 4]);
    const series = d3stack<Record<string, number>>().keys(Array.from({ length: clients }, (_, cl) => `c${cl}`))(rows);
    svg
      .select('g.plot')
      .selectAll<SVGPathElement, (typeof series)[number]>('path')
      .data(series)
      .join('path')
      .attr('fill', (_, cl) => clientColor(cl))
      .attr('d', (sr) => area<SeriesPoint<Record<string, number>>>().x((d) => x(tOfRow(d.data.i!))).y0((d) => y(d[0])).y1((d) => y(d[1]))(sr));
  }

  function draw(s: TimelineStats): void {
    const n = Math.max(1, s.reached);
    const C = s.clients;
    const T = s.transports;
    const idx = Array.from({ length: n }, (_, i) => i);
    const tOf = (i: number) => (i + 1) * s.bucketUs;
    // Pool: one chart per transport, stacked by client.
    pools.forEach((pool, tr) => {
      const rows = idx.map((i) => {
        const row: Record<string, number> = { i };
        for (let cl = 0; cl < C; cl++) row[`c${cl}`] = Math.max(0, s.poolByClient[(i * T + tr) * C + cl]!);
        return row;
      });
      const cap = info.transportCapacity[tr]!;
      stackedByClient(pool, rows, C, tOf, cap);
      yAxis(pool, cap, (v) => (v >= 10240 ? `${Math.round(v / 1024)}K` : String(v)));
    });

    // Rates, share and fairness are drawn over groups of buckets (at most ~60 points): a bucket is
    // often shorter than one transmission, and per-bucket values would be mostly empty spikes.
    const G = Math.max(1, Math.ceil(n / POINTS), Math.ceil((1500 * 60) / POINTS / s.bucketUs));
    const groups = Array.from({ length: Math.ceil(n / G) }, (_, g) => g);
    const gEnd = (g: number) => Math.min(n, (g + 1) * G);
    const tOfG = (g: number) => gEnd(g) * s.bucketUs;
    const sumG = (arr: Float32Array, g: number) => {
      let v = 0;
      for (let i = g * G; i < gEnd(g); i++) v += arr[i]!;
      return v;
    };
    const perMsG = (g: number) => 1000 / ((gEnd(g) - g * G) * s.bucketUs);
    const keys = [
      ['refusals', s.refusals, 'var(--bad)'],
      ['sendPossible', s.sendPossible, 'var(--good)'],
      ['lostRaces', s.lostRaces, 'var(--warn)'],
    ] as const;
    const maxRate = Math.max(1, ...keys.flatMap(([, a]) => groups.map((g) => sumG(a, g) * perMsG(g))));
    const yRate = scaleLinear().domain([0, maxRate]).range([CH - 12, 4]);
    rates
      .select('g.plot')
      .selectAll<SVGPathElement, (typeof keys)[number]>('path')
      .data(keys)
      .join('path')
      .attr('class', (d) => `series ${d[0]}`)
      .attr('stroke', (d) => d[2])
      .attr('fill', 'none')
      .attr('d', (d) => line<number>().x((g) => x(tOfG(g))).y((g) => yRate(sumG(d[1], g) * perMsG(g)))(groups));
    yAxis(rates, maxRate, (v) => String(Math.round(v)));

    // Share: each client's fraction of the bytes transmitted in each bucket, stacked to 1.
    const shareRows = groups.map((g) => {
      const row: Record<string, number> = { i: g };
      const per = new Float64Array(C);
      for (let i = g * G; i < gEnd(g); i++) for (let cl = 0; cl < C; cl++) per[cl]! += s.txByClient[i * C + cl]!;
      const sum = per.reduce((a, b) => a + b, 0);
      for (let cl = 0; cl < C; cl++) row[`c${cl}`] = sum > 0 ? per[cl]! / sum : 0;
      return row;
    });
    stackedByClient(share, shareRows, C, tOfG, 1);
    yAxis(share, 1, (v) => `${Math.round(v * 100)}%`);

    // Fairness of a group: Jain's index over the clients' bytes transmitted in it, among clients
    // that transmitted anything in the run so far (NaN when nobody sent in the group).
    const everSent = Array.from({ length: C }, (_, cl) => idx.some((i) => s.txByClient[i * C + cl]! > 0));
    const jainG = (g: number) => {
      let sum = 0;
      let sq = 0;
      let k = 0;
      for (let cl = 0; cl < C; cl++) {
        if (!everSent[cl]) continue;
        let v = 0;
        for (let i = g * G; i < gEnd(g); i++) v += s.txByClient[i * C + cl]!;
        sum += v;
        sq += v * v;
        k++;
      }
      return k === 0 || sum === 0 ? NaN : (sum * sum) / (k * sq);
    };
    const yFair = scaleLinear().domain([0, 1]).range([CH - 12, 4]);
    fair
      .select('g.plot')
      .selectAll<SVGPathElement, number>('path')
      .data([0])
      .join('path')
      .attr('fill', 'none')
      .attr('stroke', 'var(--accent)')
      .attr('d', line<number>().defined((g) => !Number.isNaN(jainG(g))).x((g) => x(tOfG(g))).y((g) => yFair(jainG(g)))(groups));
    yAxis(fair, 1, (v) => v.toFixed(1));
  }

  /** The waits chart: it follows the moment shown (the engine's histogram then), not the run's buckets. */
  function drawWaits(s: TimelineStats): void {
    const C = s.clients;
    // Waits: per client, the fraction of its accepted sends in each log-scale bin (a distribution).
    const bins = s.waitHist.length / Math.max(1, C);
    if (bins > 0) {
      let lo = bins;
      let hi = 0;
      for (let b = 0; b < bins; b++) for (let cl = 0; cl < C; cl++) if (s.waitHist[cl * bins + b]! > 0) { lo = Math.min(lo, b); hi = Math.max(hi, b); }
      if (hi >= lo) {
        const xb = scaleLinear().domain([lo - 0.5, hi + 0.5]).range([30, W - 6]);
        const curves = Array.from({ length: C }, (_, cl) => {
          let total = 0;
          for (let b = lo; b <= hi; b++) total += s.waitHist[cl * bins + b]!;
          return { cl, total, pts: Array.from({ length: hi - lo + 1 }, (_, k) => [lo + k, total > 0 ? s.waitHist[cl * bins + lo + k]! / total : 0] as [number, number]) };
        }).filter((c) => c.total > 0);
        const yW = scaleLinear().domain([0, Math.max(0.01, ...curves.flatMap((c) => c.pts.map((p) => p[1])))]).range([CH - 12, 4]);
        waits
          .select('g.plot')
          .selectAll<SVGPathElement, (typeof curves)[number]>('path')
          .data(curves)
          .join('path')
          .attr('fill', 'none')
          .attr('stroke', (c) => clientColor(c.cl))
          .attr('stroke-width', 1.8)
          .attr('d', (c) => line<[number, number]>().x((p) => xb(p[0])).y((p) => yW(p[1]))(c.pts));
        const label = (b: number) => fmtUs(Math.round(Math.pow(1.25, b + 0.5) - 1));
        waits.select('g.axis').selectAll('text.x').data([lo, hi]).join('text').attr('class', 'x').attr('x', (b, i) => (i === 0 ? 30 : W - 6)).attr('text-anchor', (_, i) => (i === 0 ? 'start' : 'end')).attr('y', CH - 1).text(label);
      }
    }
  }

  let stats: TimelineStats | null = null;
  let statsDirty = false;
  let waitsDirty = false;
  let last: Frame | null = null;
  let nowX = NaN;
  const redraw = lowRate(() => {
    const f = last;
    if (!f) return;
    const end = playedDomainEndUs(f.reachedUs, durationUs);
    if (end !== endUs) {
      endUs = end;
      x.domain([0, end]);
      root.attr('data-view-end-us', end);
      timeLabels();
      statsDirty = true;
    }
    if (statsDirty && stats) draw(stats);
    if ((statsDirty || waitsDirty) && stats) drawWaits(stats);
    statsDirty = false;
    waitsDirty = false;
    const nx = x(f.nowUs);
    if (nx !== nowX) {
      nowX = nx;
      for (const s of all) s.select('line.now').attr('x1', nx).attr('x2', nx);
    }
  });
  root.attr('data-view-end-us', endUs);

  return {
    update(f) {
      last = f;
      // Statistics come with some frames only: keep the newest, draw them at the low rate.
      if (f.timeline) {
        // A seek sends the statistics again: after End they are the same run's, and redrawing every
        // chart for nothing was most of the page's work on a seek (issue 16). Only what changed is drawn.
        const was = stats;
        stats = f.timeline;
        if (!was || !sameSeries(was, stats)) statsDirty = true;
        else if (!sameArray(was.waitHist, stats.waitHist)) waitsDirty = true;
      }
      redraw.request(!f.playing || f.rewound);
    },
    destroy() {
      off();
      redraw.cancel();
      root.remove();
    },
  };
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The time series the time charts draw are the same (a few thousand numbers: microseconds to compare). */
function sameSeries(a: TimelineStats, b: TimelineStats): boolean {
  return (
    a.bucketUs === b.bucketUs &&
    a.reached === b.reached &&
    sameArray(a.refusals, b.refusals) &&
    sameArray(a.sendPossible, b.sendPossible) &&
    sameArray(a.lostRaces, b.lostRaces) &&
    sameArray(a.errorCalls, b.errorCalls) &&
    sameArray(a.faults, b.faults) &&
    sameArray(a.bugchecks, b.bugchecks) &&
    sameArray(a.poolByClient, b.poolByClient) &&
    sameArray(a.txByClient, b.txByClient)
  );
}
