// The transport's pending FIFO of blocking sends (R14: a blocking send that does not fit waits in the
// transport until all of it is copied into the pool; R10: an EXPEDITED send goes ahead of the queued
// normal ones). Drawn as a queue of chips under the pool, head first — the connection and the bytes
// still to copy, the head's copied part filled — from each frame's `transportPending`. A send that
// joins ahead of sends already waiting has overtaken them: the layer reports it, and the effects draw
// an arc from the tail to its place and a callout. Chips never overlap each other or the picture's
// labels (they keep to the band between the pool and the row below); what does not fit is counted.
// Only types from D3 here: this module loads on demand, and the selection and transition code it
// uses is the stack view's (already loaded).
import type { Selection } from 'd3-selection';
import type {} from 'd3-transition';
import type { Frame } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import type { PendingEntry } from '../../src/model/engine.ts';
import type { Box, Measure } from './callouts.ts';
import type { StackGeometry } from './stackGeometry.ts';
import { fmtBytes } from '../format.ts';
import { clientColor } from './colors.ts';

export const FIFO_FONT = "600 10.5px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
const CHIP_H = 16;
const GAP = 4;
const PAD = 5;

export interface FifoChip {
  key: string;
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** The client's colour index; -1 for the "+n more" chip. */
  client: number;
  expedited: boolean;
  /** Share of the send already copied into the pool (the head may be part-way). */
  copied: number;
}

export interface FifoPlacement {
  /** Per transport: its caption's box (null: none drawn) and its chips, head first. */
  transports: { caption: Box | null; chips: FifoChip[] }[];
}

/** The band under a transport's pool where its FIFO may go: between the pool and the row below (its boxes and caption). */
export function fifoBand(geo: StackGeometry, tr: number): { x: number; y: number; w: number; h: number } {
  const { layout } = geo;
  const pool = layout.pools[tr]!;
  const below = [...layout.rows.protocols, layout.rows.nics].filter((y) => y > pool.y + pool.h).sort((a, b) => a - b)[0] ?? layout.height;
  const rowCaption = geo.showRowLabels && geo.rowLabels.some(([, y]) => y === below);
  const top = pool.y + pool.h + 4;
  // A driver box reaches 12 above its row; a row caption 24.
  const bottom = below - (rowCaption ? 26 : 15);
  return { x: pool.x, y: top, w: Math.min(pool.w, layout.width - 4 - pool.x), h: bottom - top };
}

export const FIFO_CAPTION = 'held (R14):';

/**
 * Where each transport's chips go (pure): in one row in its band, head first, after a caption; the
 * sends that do not fit are one "+n more" chip with their bytes. No room (a short band): nothing.
 */
export function placeFifo(info: Topology, geo: StackGeometry, pending: Frame['transportPending'], measure: Measure): FifoPlacement {
  return {
    transports: pending.map((tp, tr) => {
      const band = fifoBand(geo, tr);
      if (tp.total === 0 || band.h < CHIP_H || band.w < 60) return { caption: null, chips: [] };
      // The caption goes when it would cost a send its chip (a phone).
      const withCaption = placeRow(info, tp, tr, band, measure, true);
      const without = placeRow(info, tp, tr, band, measure, false);
      const sends = (r: { chips: FifoChip[] }) => r.chips.filter((c) => c.client >= 0).length;
      return sends(without) > sends(withCaption) ? without : withCaption;
    }),
  };
}

function placeRow(info: Topology, tp: Frame['transportPending'][number], tr: number, band: Box, measure: Measure, caption: boolean): { caption: Box | null; chips: FifoChip[] } {
  const y = band.y;
  const capW = measure(FIFO_CAPTION, 'fifo').w;
  const withCaption = caption && capW + 4 + 60 <= band.w;
  let x = band.x + (withCaption ? capW + 4 : 0);
  const right = band.x + band.w;
  const chips: FifoChip[] = [];
  const more = (from: number): FifoChip | null => {
    const rest = tp.total - from;
    if (rest <= 0) return null;
    const shownBytes = tp.sends.slice(0, from).reduce((s, p) => s + p.left, 0);
    const text = `+${rest} more, ${fmtBytes(tp.totalBytes - shownBytes)}`;
    return { key: `more${tr}`, text, x: 0, y, w: measure(text, 'fifo').w + 2 * PAD, h: CHIP_H, client: -1, expedited: false, copied: 0 };
  };
  for (let i = 0; i < tp.sends.length; i++) {
    const p = tp.sends[i]!;
    const text = chipText(info, p);
    const w = measure(text, 'fifo').w + 2 * PAD;
    const tail = more(i + 1);
    // This chip fits, with room left for the count of the rest (if any).
    if (x + w + (tail ? GAP + tail.w : 0) > right) break;
    const client = info.addressClient[info.connectionAddress[p.connection]!]!;
    chips.push({ key: `${p.connection}:${p.sendId}`, text, x, y, w, h: CHIP_H, client, expedited: p.expedited, copied: p.bytes > 0 ? 1 - p.left / p.bytes : 0 });
    x += w + GAP;
  }
  const tail = more(chips.length);
  if (tail && x + tail.w <= right) chips.push({ ...tail, x });
  return { caption: withCaption ? { x: band.x, y, w: capW, h: CHIP_H } : null, chips };
}

function chipText(info: Topology, p: PendingEntry): string {
  return `${p.expedited ? 'EXP ' : ''}${info.connectionIds[p.connection]!} ${fmtBytes(p.left)}`;
}

/** A send that joined the FIFO ahead of sends already waiting (R10): from the tail to its place. */
export interface Overtake {
  transport: number;
  /** Its chip (where it now is) and where the tail was (where a normal send would have joined). */
  chip: FifoChip;
  tailX: number;
  overtook: number;
}

/** What a frame's FIFOs mean for the effects layer. */
export interface FifoFrame {
  /** The boxes the chips take: callouts keep clear of them. */
  boxes: Box[];
  /** Sends that just overtook others (none when the frame replays history). */
  overtakes: Overtake[];
  /** Draws an overtaking's arc, from the tail to the send's place, into the effects layer. */
  drawArc(gFx: G, o: Overtake, reduced: boolean, fxMs: number): void;
}

export interface FifoLayer {
  /** Draws the frame's FIFOs; `history`: a seek or step back replays the past (nothing overtakes). */
  update(f: Frame, geo: StackGeometry, opts: { history: boolean; reduced: boolean }): FifoFrame;
}

/** How long a chip takes to close up (slide left into its place). */
const SLIDE_MS = 250;

function drawArc(gFx: G, o: Overtake, reduced: boolean, fxMs: number): void {
  const c = o.chip;
  const y = c.y + c.h;
  const to = c.x + c.w / 2;
  const arc = gFx.append('path').attr('class', 'overtake-arc').attr('d', `M${o.tailX},${y} Q${(o.tailX + to) / 2},${y + 18} ${to},${y + 1}`).attr('marker-end', 'url(#arrow)');
  if (reduced) {
    arc.transition().delay(fxMs * 3).duration(0).remove();
    return;
  }
  const len = (arc.node() as SVGPathElement).getTotalLength?.() ?? 200;
  arc
    .attr('stroke-dasharray', `${len} ${len}`)
    .attr('stroke-dashoffset', len)
    .transition()
    .duration(fxMs)
    .attr('stroke-dashoffset', 0)
    .transition()
    .delay(fxMs)
    .duration(fxMs * 1.5)
    .style('opacity', 0)
    .remove();
}

type G = Selection<SVGGElement, unknown, null, undefined>;

export function createFifoLayer(g: G, info: Topology, measure: Measure): FifoLayer {
  /** The chips drawn last, per transport in order: who was waiting before this frame. */
  let before: string[][] = [];
  /** Chips sliding left (closing up): from where, until when (real ms). */
  const sliding = new Map<string, { fromX: number; untilMs: number }>();

  return {
    update(f, geo, { history, reduced }) {
      const pending = f.transportPending ?? [];
      const placed = placeFifo(info, geo, pending, measure);
      const overtakes: Overtake[] = [];
      const boxes: Box[] = [];
      placed.transports.forEach((t, tr) => {
        if (t.caption) boxes.push(t.caption);
        for (const c of t.chips) boxes.push({ x: c.x, y: c.y, w: c.w, h: c.h });
        if (history) return;
        const was = new Set(before[tr] ?? []);
        t.chips.forEach((c, i) => {
          if (c.client < 0 || was.has(c.key)) return;
          const overtook = t.chips.slice(i + 1).filter((d) => d.client >= 0 && was.has(d.key)).length;
          const last = t.chips.filter((d) => d.client >= 0).at(-1)!;
          if (overtook > 0) overtakes.push({ transport: tr, chip: c, tailX: last.x + last.w, overtook });
        });
      });
      before = placed.transports.map((t) => t.chips.map((c) => c.key));

      const groups = g
        .selectAll<SVGGElement, number>('g.fifo')
        .data(placed.transports.map((_, tr) => tr))
        .join((enter) => {
          const e = enter.append('g').attr('class', 'fifo');
          e.append('text').attr('class', 'fifo-caption').attr('dy', '0.35em');
          return e;
        });
      // For a screen reader: the queue in one sentence.
      const said = (tr: number): string | null => {
        const tp = pending[tr];
        if (!tp || tp.total === 0) return null;
        const list = tp.sends.map((p) => chipText(info, p)).join(', ');
        return `Transport ${info.nodeIds[info.transportNodes[tr]!]!} holds ${tp.total} blocking send${tp.total === 1 ? '' : 's'} (R14), next to copy first: ${list}${tp.total > tp.sends.length ? ', …' : ''}`;
      };
      groups
        .attr('role', (tr) => (said(tr) ? 'img' : null))
        .attr('aria-label', said)
        .attr('aria-hidden', (tr) => (said(tr) ? null : 'true'));
      groups
        .select<SVGTextElement>('text.fifo-caption')
        .attr('display', (tr) => (placed.transports[tr]!.caption ? null : 'none'))
        .attr('x', (tr) => placed.transports[tr]!.caption?.x ?? 0)
        .attr('y', (tr) => (placed.transports[tr]!.caption?.y ?? 0) + CHIP_H / 2)
        .text(FIFO_CAPTION);
      placed.transports.forEach((_, tr) => {
        const chips = groups
          .filter((d) => d === tr)
          .selectAll<SVGGElement, FifoChip>('g.fifo-chip')
          .data(placed.transports[tr]!.chips, (d) => d.key)
          .join(
            (enter) => {
              const e = enter.append('g').attr('class', 'fifo-chip').attr('transform', (d) => `translate(${d.x},${d.y})`);
              e.append('rect').attr('class', 'chip-bg').attr('rx', 3);
              e.append('rect').attr('class', 'chip-copied').attr('rx', 3);
              e.append('text').attr('dy', '0.35em');
              // A newcomer appears once the chips it goes ahead of have made room (they move together, so no text crosses another).
              if (!reduced && !history) e.style('opacity', 0).transition().delay(260).duration(200).style('opacity', 1);
              return e;
            },
            (update) => update,
            // A send that leaves (copied, or failed) goes at once: the chips behind it then close up.
            (exit) => exit.interrupt().remove(),
          );
        chips
          .attr('data-send', (d) => d.key)
          .classed('exp', (d) => d.expedited)
          .classed('more', (d) => d.client < 0);
        // Closing up (a send left, or the head's remaining bytes got shorter) slides left; making room
        // jumps right at once, before the newcomer shows: a sliding text never crosses another.
        const at = (el: SVGGElement) => Number(el.getAttribute('data-x') ?? NaN);
        const left = chips.filter(function (d) {
          return !reduced && !history && at(this) > d.x;
        });
        chips
          .filter(function (d) {
            return at(this) !== d.x && !left.nodes().includes(this);
          })
          .interrupt('move')
          .attr('transform', (d) => `translate(${d.x},${d.y})`);
        left.transition('move').duration(SLIDE_MS).attr('transform', (d) => `translate(${d.x},${d.y})`);
        // While a chip slides, its text crosses the ground from where it was: callouts keep clear of
        // all of it until it lands, not only of where it lands — frames come faster than a slide
        // ends, and a label placed in its way in the next one was crossed (labels.spec, a busy machine).
        const nowMs = performance.now();
        // Slides that ended, of chips still here or gone (copied): a long run must not keep them all.
        for (const [key, slide] of sliding) if (slide.untilMs <= nowMs) sliding.delete(key);
        left.each(function (d) {
          const was = sliding.get(d.key);
          sliding.set(d.key, { fromX: Math.max(at(this), was && was.untilMs > nowMs ? was.fromX : -Infinity), untilMs: nowMs + SLIDE_MS });
        });
        for (const d of placed.transports[tr]!.chips) {
          const slide = sliding.get(d.key);
          if (slide && slide.fromX > d.x) boxes.push({ x: d.x, y: d.y, w: slide.fromX - d.x + d.w, h: d.h });
        }
        chips.attr('data-x', (d) => d.x);
        chips
          .select('rect.chip-bg')
          .attr('width', (d) => d.w)
          .attr('height', (d) => d.h)
          .style('stroke', (d) => (d.client >= 0 ? clientColor(d.client) : null));
        chips
          .select('rect.chip-copied')
          .attr('width', (d) => d.w * d.copied)
          .attr('height', (d) => d.h)
          .style('fill', (d) => (d.client >= 0 ? clientColor(d.client) : null));
        chips
          .select('text')
          .attr('x', PAD)
          .attr('y', CHIP_H / 2)
          .text((d) => d.text);
      });
      return { boxes, overtakes, drawArc };
    },
  };
}
