// The timeline under the stack (a scrubber with markers and a density strip of refusals), and what
// it shares with the charts over time (charts.ts, loaded later). Both are D3 factories; hovering one
// moves the cursor on all of them (a tiny bus, no React), clicking seeks.
import { select } from 'd3-selection';
import type { Frame } from '../../src/protocol/messages.ts';
import type { TimelineStats } from '../../src/protocol/messages.ts';
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

/** A linear map from time to x, as D3's scaleLinear draws it (domain, range, invert): the scrubber needs no more, and d3-scale stays out of the first load (#19). */
export function linearScale(d1: number, r1 = 1) {
  let d0 = 0;
  let r0 = 0;
  const at = (v: number, a: number, b: number) => (b - a ? (v - a) / (b - a) : 0.5);
  const x = (v: number) => r0 + at(v, d0, d1) * (r1 - r0);
  x.domain = ([a, b]: [number, number]) => ((d0 = a), (d1 = b), x);
  x.range = ([a, b]: [number, number]) => ((r0 = a), (r1 = b), x);
  x.invert = (px: number) => d0 + at(px, r0, r1) * (d1 - d0);
  return x;
}

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
  const x = linearScale(endUs);
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

export function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The time series the time charts draw are the same (a few thousand numbers: microseconds to compare). */
export function sameSeries(a: TimelineStats, b: TimelineStats): boolean {
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
