// Callouts: the short labels the stack view puts beside an entity at a moment ("DEVICE_NOT_READY",
// "SendPossible 1460 B", "lost race!", "ClientEventError"). Placement is a mechanism, not per-case
// nudges: one callout per entity at a time (the newest, or at one moment the most important),
// placed where it overlaps neither another callout nor the picture's own labels and boxes, inside
// the view, with a leader line when it had to move away from its entity. A seek clears them all.
import type { Selection } from 'd3-selection';
import 'd3-transition';

/** A box by its top-left corner. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface CalloutRequest {
  /** The entity it is about (`c3`, `a1`, `n2`): one callout per key. */
  key: string;
  text: string;
  cls: string;
  /** The point on the entity it belongs to. */
  anchorX: number;
  anchorY: number;
  /** Where it would rather be: the label's centre, relative to the anchor. */
  preferDx: number;
  preferDy: number;
  /** Higher is placed first (and wins its entity at one moment). */
  priority: number;
}

export interface PlacedCallout extends CalloutRequest {
  /** The label's box. */
  box: Box;
  /** It sits away from its entity: draw a line back to the anchor. */
  leader: boolean;
}

export type Measure = (text: string, cls: string) => { w: number; h: number };

/** True when the two boxes overlap by more than `slack` pixels both ways. */
export function boxesOverlap(a: Box, b: Box, slack = 0.5): boolean {
  return a.x + a.w - slack > b.x && b.x + b.w - slack > a.x && a.y + a.h - slack > b.y && b.y + b.h - slack > a.y;
}

const LEADER_PX = 22;
/**
 * Room kept left and right of a callout: two phrases on one line closer than a word space read as
 * one ("NOT_READY NOT_READY"), even when their boxes do not touch.
 */
const SIDE_ROOM_PX = 5;

/**
 * Places callouts, most important first. Each tries its preferred spot, then spots stepping away
 * from its entity (up and down first, then sideways), clamped into `bounds`; the first that overlaps
 * no obstacle and no callout already placed wins. One that fits nowhere is left out: a missing label
 * is better than one drawn over another.
 */
export function placeCallouts(requests: readonly CalloutRequest[], obstacles: readonly Box[], bounds: Box, measure: Measure, previous?: ReadonlyMap<string, Box>): PlacedCallout[] {
  const order = [...requests].sort((a, b) => b.priority - a.priority);
  const placed: PlacedCallout[] = [];
  const taken: Box[] = [];
  for (const r of order) {
    const { w, h } = measure(r.text, r.cls);
    if (w > bounds.w || h > bounds.h) continue;
    const candidates: [number, number][] = [];
    const before = previous?.get(r.key);
    // A label that was already on screen stays where it was if it still fits: no jumping.
    if (before && before.w === w) candidates.push([before.x + w / 2 - r.anchorX, before.y + h / 2 - r.anchorY]);
    candidates.push([r.preferDx, r.preferDy]);
    const stepY = h + 3;
    const side = w / 2 + 14;
    for (let k = 1; k <= 4; k++) {
      candidates.push([r.preferDx, r.preferDy - k * stepY], [r.preferDx, r.preferDy + k * stepY]);
      candidates.push([r.preferDx + side * k * 0.7, r.preferDy], [r.preferDx - side * k * 0.7, r.preferDy]);
    }
    for (const dy of [-stepY, stepY, -2 * stepY, 2 * stepY]) candidates.push([side, dy], [-side, dy]);
    for (const [dx, dy] of candidates) {
      const box = clampInto({ x: r.anchorX + dx - w / 2, y: r.anchorY + dy - h / 2, w, h }, bounds);
      const roomy = { ...box, x: box.x - SIDE_ROOM_PX, w: box.w + 2 * SIDE_ROOM_PX };
      if (obstacles.some((o) => boxesOverlap(roomy, o)) || taken.some((o) => boxesOverlap(roomy, o))) continue;
      taken.push(box);
      const cx = box.x + w / 2;
      const cy = box.y + h / 2;
      const far = Math.hypot(cx - (r.anchorX + r.preferDx), cy - (r.anchorY + r.preferDy)) > LEADER_PX;
      placed.push({ ...r, box, leader: far });
      break;
    }
  }
  return placed;
}

function clampInto(b: Box, bounds: Box): Box {
  return {
    ...b,
    x: Math.min(Math.max(b.x, bounds.x), bounds.x + bounds.w - b.w),
    y: Math.min(Math.max(b.y, bounds.y), bounds.y + bounds.h - b.h),
  };
}

/** Text widths from a canvas, cached: no layout is forced to measure a label. */
export function canvasMeasure(fonts: Record<string, string>, lineHeight = 14): Measure {
  const ctx = typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;
  const cache = new Map<string, number>();
  return (text, cls) => {
    const k = `${cls}\u0000${text}`;
    let w = cache.get(k);
    if (w === undefined) {
      const font = fonts[cls] ?? fonts.default ?? '12px sans-serif';
      if (ctx) {
        ctx.font = font;
        w = Math.ceil(ctx.measureText(text).width) + 4;
      } else w = text.length * 7 + 4;
      cache.set(k, w);
    }
    return { w, h: lineHeight };
  };
}

/** How long a callout stays (real time), and how long of that it is fully visible. */
const CALLOUT_MS = 1800;
const HOLD_MS = 700;

export interface CalloutLayer {
  /** Asks for a callout; at one moment (between two `flush`es) the most important per entity wins. */
  show(r: CalloutRequest): void;
  /**
   * Places what is on screen and drawn anew: call once per frame, after the `show`s. `pinned`: the
   * model is paused on a moment (#14): its callouts stay, fully visible, until `release`.
   */
  flush(nowMs: number, obstacles: readonly Box[], bounds: Box, pinned?: boolean): void;
  /** Play went on: the pinned callouts fade as if they had just been shown. */
  release(nowMs: number): void;
  /** A seek or a reload: the labels of another moment must not linger. */
  clear(): void;
}

interface Live {
  req: CalloutRequest;
  bornMs: number;
}

export function createCalloutLayer(g: Selection<SVGGElement, unknown, null, undefined>, measure: Measure, reducedMotion: () => boolean = () => false): CalloutLayer {
  const live = new Map<string, Live>();
  const moment = new Map<string, CalloutRequest>();
  let shownAt = new Map<string, Box>();
  /** What the callouts were placed around last: other obstacles (a FIFO that grew) mean placing again. */
  let placedAround: readonly Box[] | null = null;

  function fade(sel: Selection<SVGGElement, PlacedCallout, SVGGElement, unknown>): void {
    const reduced = reducedMotion();
    sel
      .transition()
      .delay(reduced ? CALLOUT_MS - 200 : HOLD_MS)
      .duration(reduced ? 0 : CALLOUT_MS - HOLD_MS)
      .style('opacity', 0);
  }

  return {
    show(r) {
      const same = moment.get(r.key);
      if (!same || r.priority >= same.priority) moment.set(r.key, r);
    },
    flush(nowMs, obstacles, bounds, pinned = false) {
      for (const [key, req] of moment) live.set(key, { req, bornMs: nowMs });
      const fresh = new Set(moment.keys());
      moment.clear();
      if (!pinned) for (const [key, l] of live) if (nowMs - l.bornMs > CALLOUT_MS) live.delete(key);
      if (fresh.size === 0 && live.size === shownAt.size && obstacles === placedAround) return; // nothing new: the fades run on
      placedAround = obstacles;
      const placed = placeCallouts([...live.values()].map((l) => l.req), obstacles, bounds, measure, shownAt);
      shownAt = new Map(placed.map((p) => [p.key, p.box]));
      const join = g
        .selectAll<SVGGElement, PlacedCallout>('g.callout')
        .data(placed, (d) => d.key)
        .join((enter) => {
          const e = enter.append('g').attr('class', 'callout');
          e.append('line').attr('class', 'leader');
          e.append('text').attr('text-anchor', 'middle').attr('dy', '0.35em');
          return e;
        });
      join.attr('data-key', (d) => d.key);
      join
        .select('text')
        .attr('class', (d) => `fx-label ${d.cls}`)
        .attr('x', (d) => d.box.x + d.box.w / 2)
        .attr('y', (d) => d.box.y + d.box.h / 2)
        .text((d) => d.text);
      join
        .select('line')
        .attr('display', (d) => (d.leader ? null : 'none'))
        .attr('x1', (d) => d.anchorX)
        .attr('y1', (d) => d.anchorY)
        .attr('x2', (d) => Math.min(Math.max(d.anchorX, d.box.x), d.box.x + d.box.w))
        .attr('y2', (d) => (d.anchorY < d.box.y ? d.box.y : d.anchorY > d.box.y + d.box.h ? d.box.y + d.box.h : d.box.y + d.box.h / 2));
      // A new (or renewed) callout starts visible and fades once it has been read; with reduced
      // motion it simply goes, without fading. Pinned to a paused moment, it stays.
      const renewed = join.filter((d) => fresh.has(d.key)).interrupt().style('opacity', 1);
      if (!pinned) fade(renewed);
    },
    release(nowMs) {
      for (const l of live.values()) l.bornMs = nowMs;
      fade(g.selectAll<SVGGElement, PlacedCallout>('g.callout').interrupt().style('opacity', 1));
    },
    clear() {
      live.clear();
      moment.clear();
      shownAt = new Map();
      g.selectAll('g.callout').interrupt().remove();
    },
  };
}
