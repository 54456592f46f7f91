// The stack view's transient animations, drawn from each frame's trace records: sends flying into
// the pool or bouncing back (DEVICE_NOT_READY), SendPossible beams with BytesAvailable, lost-race
// rings, fault ripples up the dependency path, ClientEventError/ErrorEx arrows. DOM only in its own
// layer (pointer-events off); what it draws at most per frame is bounded. Under
// prefers-reduced-motion nothing moves, grows or fades: each effect appears in its end state, stays
// as long as it would have been seen, and goes (a sent packet is shown by the pool's fill alone).
// Paused, the moment stays on the stage (#14): the records of the last instant shown — what a step,
// a seek or a lesson's pause arrived at — keep their beams, rings, arrows and callouts in their end
// state until play goes on, or a step or a seek brings another moment.
import type { Selection } from 'd3-selection';
import 'd3-transition';
import { easeCubicOut, easeQuadIn } from 'd3-ease';
import type { Frame } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import { COMPLETE_LOST_RACE, ERROR_EX, R, BACKLOG_QUERY } from '../../src/trace/records.ts';
import { H_ERROR, H_ERROR_EX, STATUS_NAMES } from '../../src/base/status.ts';
import type { StackLayout } from './layout.ts';
import type { StackGeometry } from './stackGeometry.ts';
import { fmtBytes } from '../format.ts';
import { clientColor } from './colors.ts';
import { canvasMeasure, createCalloutLayer, type Box } from './callouts.ts';
import { sceneObstacles, STACK_FONTS } from './stackObstacles.ts';
import type { FifoFrame, Overtake } from './pendingFifo.ts';

const MAX_FX_PER_FRAME = 40;
const FX_MS = 700;

export interface StackEffects {
  /**
   * Animates the frame's events on the geometry the view is drawn with now; `held`: the boxes the
   * pending FIFOs take (callouts keep clear) and the sends that overtook others there (R10).
   */
  animate(f: Frame, geo: StackGeometry, held?: FifoFrame): void;
  /** Another moment (a reload): nothing of the previous one may linger. */
  clear(): void;
  /** The stage was drawn anew (a resize): a pinned moment is drawn again on the new geometry. */
  relayout(f: Frame, geo: StackGeometry): void;
}

/** At most this many records of one instant are kept as the moment (the newest): more are not drawn anyway. */
const MOMENT_MAX = 512;

/** The trace records of the last instant shown, kept to draw them again while paused. */
export class MomentRecords {
  t = -1;
  length = 0;
  readonly type: number[] = [];
  readonly a: number[] = [];
  readonly b: number[] = [];
  readonly d: number[] = [];
  readonly f: number[] = [];

  clear(): void {
    this.t = -1;
    this.length = 0;
    this.type.length = this.a.length = this.b.length = this.d.length = this.f.length = 0;
  }

  /**
   * Takes the frame's records at its last instant: they continue the moment if the frame starts at
   * its instant (an instant may arrive in several frames, or one record at a time by steps).
   */
  note(ev: Frame['events']): void {
    const n = ev.length;
    if (n === 0) return;
    const t = ev.t[n - 1]!;
    let i = n - 1;
    while (i > 0 && ev.t[i - 1] === t) i--;
    if (!(i === 0 && t === this.t)) this.clear();
    this.t = t;
    for (let k = Math.max(i, n - MOMENT_MAX); k < n; k++) {
      this.type.push(ev.type[k]!);
      this.a.push(ev.a[k]!);
      this.b.push(ev.b[k]!);
      this.d.push(ev.d[k]!);
      this.f.push(ev.f[k]!);
    }
    if (this.type.length > MOMENT_MAX) for (const col of [this.type, this.a, this.b, this.d, this.f]) col.splice(0, col.length - MOMENT_MAX);
    this.length = this.type.length;
  }
}

// Callout priorities: at one moment the most important label of an entity wins, and the most
// important are placed first.
const P_FAULT = 6;
const P_ERROR = 5;
const P_RACE = 5;
const P_REFUSED = 4;
const P_NOT_TOLD = 4;
const P_TOLD = 3;
const P_FAILED_UP = 3;
const P_PENDING = 2;

const reducedMotionQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null;

/** `api` 'wsk' (#20): no TDI handler is told of a fault (no "not told" label); WSK's own records have their effects. */
export function createStackEffects(gFx: Selection<SVGGElement, unknown, null, undefined>, gCallouts: Selection<SVGGElement, unknown, null, undefined>, info: Topology, api: 'tdi' | 'wsk' = 'tdi'): StackEffects {
  let layout: StackLayout;
  let laneOf: Int32Array;
  let fxBudget = 0;
  let reduced = false;
  /**
   * How effects are drawn: `play` moves and fades them (or, under reduced motion, shows their end
   * state for a while); `grow` (a step's moment) moves them to their end state, where they stay;
   * `still` (a moment arrived at by a seek or a pause, or under reduced motion) draws them there.
   */
  let mode: 'play' | 'grow' | 'still' = 'play';
  /** Paused on a moment: its effects and callouts stay until play, a step or a seek. */
  let pinned = false;
  const moment = new MomentRecords();
  /** Below a connection, where its name ends: the label lanes start there. */
  let nameBottom = 26;
  /** Below an address's centre, where its box (and its handler badges) ends: error arrows stop there. */
  let addressBottom = 16;
  const measure = canvasMeasure(STACK_FONTS);
  const callouts = createCalloutLayer(gCallouts, measure, () => reduced);
  let obstaclesOf: { geo: StackGeometry; boxes: Box[] } | null = null;
  /** The scene's obstacles with the FIFOs' chips, kept while the chips stay where they are. */
  let withHeld: { base: Box[]; key: string; boxes: Box[] } | null = null;
  /** Where the FIFOs' chips were when the callouts were last placed: a paused frame that moves them places them again. */
  let placedChipsKey = '';
  const chipsKey = (held?: FifoFrame): string => held?.boxes.map((b) => `${b.x},${b.y},${b.w}`).join(';') ?? '';
  /** Addresses told by ClientEventError in this frame (to say Error + ErrorEx in one callout). */
  const toldThisFrame = new Set<number>();

  /** Under reduced motion: an element drawn in its end state is removed after `ms`, without fading. */
  function holdThenRemove<E extends SVGElement>(sel: Selection<E, unknown, null, undefined>, ms: number): void {
    sel.transition().delay(ms).duration(0).remove();
  }

  function setGeometry(geo: StackGeometry): void {
    const wasReduced = reduced;
    reduced = reducedMotionQuery?.matches === true;
    if (reduced !== wasReduced || !gFx.attr('data-motion')) gFx.attr('data-motion', reduced ? 'reduced' : 'full');
    layout = geo.layout;
    laneOf = geo.connection.laneOf;
    nameBottom = geo.connection.radius + (geo.connection.showNames ? 16 : 4);
    addressBottom = geo.address.height / 2;
  }

  function animate(f: Frame, geo: StackGeometry, held?: FifoFrame): void {
    setGeometry(geo);
    const ev = f.events;
    if (f.rewound) {
      // A seek or a step back: the frame replays history; its last instant is the moment arrived at.
      clear();
      moment.note(ev);
      if (!f.playing) drawMoment(f, 'still');
    } else if (f.playing) {
      moment.note(ev);
      if (pinned) release();
      mode = 'play';
      toldThisFrame.clear();
      fxBudget = MAX_FX_PER_FRAME - gFx.node()!.childElementCount / 2;
      // Newest events matter most when there are too many to draw.
      for (let i = Math.max(0, ev.length - 200); i < ev.length; i++) record(ev.type[i]!, ev.a[i]!, ev.b[i]!, ev.d[i]!, ev.f[i]!, f);
    } else if (ev.length > 0 || !pinned) {
      // Paused: a step brought records (they move to their end state and stay), or play stopped on
      // the moment it had shown (drawn again where it ends, as it was).
      moment.note(ev);
      drawMoment(f, ev.length > 0 && !reduced ? 'grow' : 'still');
    } else if (!held?.overtakes.length && chipsKey(held) === placedChipsKey) return; // paused, nothing new: the pinned moment stays as it is
    placeCallouts(geo, held);
  }

  function placeCallouts(geo: StackGeometry, held?: FifoFrame): void {
    if (obstaclesOf?.geo !== geo) obstaclesOf = { geo, boxes: sceneObstacles(info, geo, measure, api === 'wsk') };
    for (const o of held?.overtakes ?? []) overtake(o, held!.drawArc);
    let obstacles = obstaclesOf.boxes;
    placedChipsKey = chipsKey(held);
    if (held && held.boxes.length > 0) {
      const key = placedChipsKey;
      if (withHeld?.base !== obstacles || withHeld.key !== key) withHeld = { base: obstacles, key, boxes: [...obstacles, ...held.boxes] };
      obstacles = withHeld.boxes;
    }
    callouts.flush(performance.now(), obstacles, { x: 2, y: 2, w: layout.width - 4, h: layout.height - 4 }, pinned);
  }

  /** One trace record's effects, drawn as `mode` says. */
  function record(type: number, a: number, b: number, d: number, fl: number, f: Frame): void {
    switch (type) {
      case R.DRIVER_FAULT:
        faultRipple(a, fl === 1, b, f);
        break;
      case R.DRIVER_RECOVER:
        flashNode(a, 'recover');
        break;
      case R.CALLBACK_ERROR:
        errorArrow(a, (fl & ERROR_EX) !== 0);
        break;
      case R.BUGCHECK:
        break;
      default:
        if (layout.dense || fxBudget <= 0) break;
        connectionFx(type, a, b, d, fl);
    }
  }

  /** The moment's records, pinned: nothing of an earlier moment stays. */
  function drawMoment(f: Frame, how: 'grow' | 'still'): void {
    clear();
    pinned = true;
    mode = reduced ? 'still' : how;
    toldThisFrame.clear();
    fxBudget = MAX_FX_PER_FRAME;
    const m = moment;
    for (let i = Math.max(0, m.length - 200); i < m.length; i++) record(m.type[i]!, m.a[i]!, m.b[i]!, m.d[i]!, m.f[i]!, f);
  }

  /** Play goes on: the pinned effects and callouts go as they would have. */
  function release(): void {
    pinned = false;
    const stay = gFx.selectAll<SVGElement, unknown>('.pinned').classed('pinned', false).interrupt();
    if (reduced) stay.remove();
    else stay.transition().duration(FX_MS).style('opacity', 0).remove();
    callouts.release(performance.now());
  }

  function clear(): void {
    pinned = false;
    gFx.selectAll('*').interrupt().remove();
    callouts.clear();
  }

  function relayout(f: Frame, geo: StackGeometry): void {
    if (!pinned) return;
    setGeometry(geo);
    drawMoment(f, 'still');
    placeCallouts(geo);
  }

  /**
   * An effect's end: under `play` it goes after `ms` (drawn in its end state under reduced motion);
   * pinned, it stays.
   */
  function ending<E extends SVGElement>(sel: Selection<E, unknown, null, undefined>, ms: number): void {
    if (mode === 'play') holdThenRemove(sel, ms);
    else sel.classed('pinned', true);
  }

  /** Drawn in its end state at once: under reduced motion, and for a moment arrived at by a seek or a pause. */
  function still(): boolean {
    return reduced || mode === 'still';
  }

  function connectionFx(type: number, c: number, b: number, d: number, fl: number): void {
    const p = layout.connections[c];
    if (!p) return;
    const tr = info.addressTransport[info.connectionAddress[c]!]!;
    const pool = layout.pools[tr]!;
    const poolX = Math.min(Math.max(p.x, pool.x + 6), pool.x + pool.w - 6);
    const color = clientColor(info.addressClient[info.connectionAddress[c]!]!);
    // Sends leave, and SendPossible arrives, below the connection's name: what flies never covers
    // it (the review found A1 and B1 hidden under every send and arrow). Without names, at the circle.
    const nearY = p.y + nameBottom + 2;
    switch (type) {
      case R.SEND_COMPLETE: {
        const status = b;
        const info_ = d;
        const odd = laneOf[c]! % 2; // neighbours alternate lanes
        const s0 = slot(p.y + nameBottom, pool.y, 0, odd, layout.connectionSpacing);
        if (status === S_SUCCESS && info_ > 0) packet(p.x, nearY, poolX, pool.y + 4, color, false);
        else if (status === S_NOT_READY) {
          packet(p.x, nearY, poolX, pool.y - 2, 'var(--bad)', true);
          // A lost race is a refusal too: one label in the refusal's slot says which (not two labels,
          // and none up among the address's handler badges).
          const lost = (fl & COMPLETE_LOST_RACE) !== 0;
          label(`c${c}`, p.x, p.y, s0.y, fit(lost ? ['lost race!', 'lost!', '✕'] : ['DEVICE_NOT_READY', 'NOT_READY', '✕'], s0.w), lost ? 'lbl-race' : 'lbl-bad', lost ? P_RACE : P_REFUSED);
        } else if (status !== S_SUCCESS && status !== S_PENDING_IDX) {
          label(`c${c}`, p.x, p.y, s0.y, fit([shortStatus(status), 'failed', '✕'], s0.w), 'lbl-bad', P_REFUSED);
        }
        if (fl & COMPLETE_LOST_RACE) {
          ring(p.x, p.y, 'var(--bad)');
          if (status !== S_NOT_READY) label(`c${c}`, p.x, p.y, s0.y, fit(['lost race!', 'lost!'], s0.w), 'lbl-race', P_RACE);
        }
        break;
      }
      case R.CALLBACK_SEND_POSSIBLE: {
        beam(poolX, pool.y, p.x, nearY, 'var(--good)');
        const s1 = slot(p.y + nameBottom, pool.y, 1, laneOf[c]! % 2, layout.connectionSpacing);
        // In a short view the refusal's label takes the only lane; the green beam still shows the call.
        label(`c${c}`, p.x, p.y, s1.y, fit([`SendPossible ${fmtBytes(d)}`, fmtBytes(d)], s1.w), 'lbl-good', P_TOLD);
        break;
      }
      case R.BUFFER_TRANSMIT: {
        const nic = layout.nodes[b]!;
        packet(poolX, pool.y + pool.h, nic.x, nic.y - 12, color, false, 0.6);
        break;
      }
      case R.BUFFER_DISCARD:
        for (let k = 0; k < 3; k++) packet(poolX + (k - 1) * 8, pool.y + pool.h, poolX + (k - 1) * 26, pool.y + pool.h + 40, 'var(--bad)', false, 0.7);
        break;
      case R.CONNECTION_BROKEN:
        ring(p.x, p.y, 'var(--bad)');
        break;
      case R.CLIENT_FAIL:
        label(`c${c}`, p.x, p.y, p.y + nameBottom + 8, '✕ failed', 'lbl-bad', P_FAILED_UP);
        break;
      case R.WSK_SEND_BACKLOG: {
        // W3: WskSendBacklogEvent, the transport telling the client its ideal backlog: a beam like SendPossible's
        // (a query the client made itself is its own call: no beam).
        if (fl & BACKLOG_QUERY) break;
        beam(poolX, pool.y, p.x, nearY, 'var(--accent)');
        const s1 = slot(p.y + nameBottom, pool.y, 1, laneOf[c]! % 2, layout.connectionSpacing);
        label(`c${c}`, p.x, p.y, s1.y, fit([`backlog ${fmtBytes(d)}`, fmtBytes(d)], s1.w), 'lbl-accent', P_TOLD);
        break;
      }
      case R.WSK_DISCONNECT: {
        // W5: WskDisconnectEvent on this socket (abortive): nothing more can be sent on it.
        ring(p.x, p.y, 'var(--bad)');
        const s0 = slot(p.y + nameBottom, pool.y, 0, laneOf[c]! % 2, layout.connectionSpacing);
        label(`c${c}`, p.x, p.y, s0.y, fit(['WskDisconnectEvent', 'disconnect', '✕'], s0.w), 'lbl-bad', P_ERROR);
        break;
      }
      case R.IRP_COMPLETE:
        // W5: a pending IRP that fails (the socket was disconnected or closed).
        if (b !== S_SUCCESS) label(`c${c}`, p.x, p.y, p.y + nameBottom + 8, '✕ IRP failed', 'lbl-bad', P_FAILED_UP);
        break;
      case R.SEND_PENDING: {
        const sp = slot(p.y + nameBottom, pool.y, 0, laneOf[c]! % 2, layout.connectionSpacing);
        label(`c${c}`, p.x, p.y, sp.y, fit(['PENDING'], sp.w), 'lbl-muted', P_PENDING);
        break;
      }
      default:
        break;
    }
  }

  function packet(x1: number, y1: number, x2: number, y2: number, fill: string, bounce: boolean, scale = 1): void {
    if (still() || fxBudget-- <= 0) return;
    const w = 12 * scale;
    const h = 8 * scale;
    const rect = gFx
      .append('rect')
      .attr('class', 'packet')
      .attr('width', w)
      .attr('height', h)
      .attr('rx', 2)
      .attr('fill', fill)
      .attr('x', x1 - w / 2)
      .attr('y', y1 - h / 2);
    const t = rect.transition().duration(FX_MS * (bounce ? 0.5 : 1)).ease(bounce ? easeQuadIn : easeCubicOut).attr('x', x2 - w / 2).attr('y', y2 - h / 2);
    if (bounce) {
      t.transition().duration(FX_MS * 0.6).ease(easeCubicOut).attr('x', x1 - w / 2).attr('y', y1 - h / 2).style('opacity', 0.2).remove();
    } else t.style('opacity', 0.15).remove();
  }

  function beam(x1: number, y1: number, x2: number, y2: number, stroke: string): void {
    if (fxBudget-- <= 0) return;
    if (still()) {
      ending(gFx.append('line').attr('class', 'beam').attr('stroke', stroke).attr('marker-end', 'url(#arrow)').attr('x1', x1).attr('y1', y1).attr('x2', x2).attr('y2', y2), FX_MS * 1.6);
      return;
    }
    const grown = gFx
      .append('line')
      .attr('class', 'beam')
      .attr('stroke', stroke)
      .attr('marker-end', 'url(#arrow)')
      .attr('x1', x1)
      .attr('y1', y1)
      .attr('x2', x1)
      .attr('y2', y1)
      .classed('pinned', mode === 'grow')
      .transition()
      .duration(FX_MS * 0.6)
      .attr('x2', x2)
      .attr('y2', y2);
    if (mode === 'play') grown.transition().duration(FX_MS).style('opacity', 0).remove();
  }

  /**
   * A callout for an entity (key), anchored at (x, y) on it, preferably centred at (x, atY); the
   * callout layer places it clear of every other label (callouts.ts).
   */
  function label(key: string, x: number, y: number, atY: number, text: string, cls: string, priority: number): void {
    if (text === '') return;
    callouts.show({ key, text, cls, anchorX: x, anchorY: y, preferDx: 0, preferDy: atY - y - 4, priority });
  }


  function ring(x: number, y: number, stroke: string): void {
    if (fxBudget-- <= 0) return;
    if (still() || mode === 'grow') {
      ending(gFx.append('circle').attr('class', 'ring').attr('cx', x).attr('cy', y).attr('r', 16).attr('stroke', stroke), FX_MS * 1.4);
      return;
    }
    gFx
      .append('circle')
      .attr('class', 'ring')
      .attr('cx', x)
      .attr('cy', y)
      .attr('r', 8)
      .attr('stroke', stroke)
      .transition()
      .duration(FX_MS * 1.4)
      .attr('r', 34)
      .style('opacity', 0)
      .remove();
  }

  function flashNode(node: number, cls: string): void {
    const p = layout.nodes[node];
    if (!p) return;
    if (still() || mode === 'grow') {
      ending(gFx.append('circle').attr('class', `ring ${cls}`).attr('cx', p.x).attr('cy', p.y).attr('r', 30), FX_MS * 1.6);
      return;
    }
    gFx
      .append('circle')
      .attr('class', `ring ${cls}`)
      .attr('cx', p.x)
      .attr('cy', p.y)
      .attr('r', 14)
      .transition()
      .duration(FX_MS * 1.6)
      .attr('r', 60)
      .style('opacity', 0)
      .remove();
  }

  /** A fault: ripple at the driver, climbing to every dependent address; "not told" where no handler. */
  function faultRipple(node: number, fatal: boolean, status: number, f: Frame): void {
    flashNode(node, fatal ? 'fault' : 'warn');
    const p = layout.nodes[node]!;
    label(`n${node}`, p.x, p.y, p.y - 22, `${fatal ? 'FAILED' : 'reports'} ${shortStatus(status)}`, fatal ? 'lbl-bad' : 'lbl-warn', P_FAULT);
    info.addressIds.forEach((_, a) => {
      if (!info.addressDeps[a]!.includes(node) || !(f.addressState[a]! & 1)) return;
      const q = layout.addresses[a]!;
      if (still() || mode === 'grow') ending(gFx.append('line').attr('class', 'ripple').attr('x1', p.x).attr('y1', p.y).attr('x2', q.x).attr('y2', q.y + 10), FX_MS * 3);
      else gFx
        .append('line')
        .attr('class', 'ripple')
        .attr('x1', p.x)
        .attr('y1', p.y)
        .attr('x2', p.x)
        .attr('y2', p.y)
        .transition()
        .duration(FX_MS)
        .attr('x2', q.x)
        .attr('y2', q.y + 10)
        .transition()
        .duration(FX_MS * 2)
        .style('opacity', 0)
        .remove();
      const regs = f.addressHandlers[a]!;
      // W5: under WSK no address is told of a fault at all (its sockets' IRPs fail, one by one).
      if (api === 'tdi' && !(regs & (H_ERROR | H_ERROR_EX))) label(`a${a}`, q.x, q.y, q.y + 30, 'no Error handler: not told', 'lbl-muted', P_NOT_TOLD);
    });
  }

  /** R10: an EXPEDITED send joined the transport's FIFO ahead of waiting sends: its arc (pendingFifo.ts) and a callout. */
  function overtake(o: Overtake, drawArc: (gFx: Selection<SVGGElement, unknown, null, undefined>, o: Overtake, reduced: boolean, holdMs: number) => void): void {
    if (fxBudget-- > 0) drawArc(gFx, o, still(), FX_MS);
    const c = o.chip;
    callouts.show({ key: `fifo${o.transport}`, text: `EXPEDITED: overtakes ${o.overtook} (R10)`, cls: 'lbl-warn', anchorX: c.x + c.w / 2, anchorY: c.y + c.h, preferDx: 0, preferDy: 24, priority: P_ERROR });
  }

  function errorArrow(a: number, ex: boolean): void {
    const q = layout.addresses[a]!;
    const tr = info.addressTransport[a]!;
    const pool = layout.pools[tr]!;
    const from = { x: pool.x + pool.w / 2, y: pool.y };
    if (still() || mode === 'grow') {
      ending(
        gFx.append('line').attr('class', `error-arrow${ex ? ' ex' : ''}`).attr('marker-end', 'url(#arrow)').attr('x1', from.x).attr('y1', from.y).attr('x2', q.x + (ex ? 8 : -8)).attr('y2', q.y + addressBottom + 3),
        FX_MS * 3.5,
      );
    } else gFx
      .append('line')
      .attr('class', `error-arrow${ex ? ' ex' : ''}`)
      .attr('marker-end', 'url(#arrow)')
      .attr('x1', from.x)
      .attr('y1', from.y)
      .attr('x2', from.x)
      .attr('y2', from.y)
      .transition()
      .delay(ex ? FX_MS * 0.4 : 0)
      .duration(FX_MS)
      .attr('x2', q.x + (ex ? 8 : -8))
      .attr('y2', q.y + addressBottom + 3)
      .transition()
      .duration(FX_MS * 2.5)
      .style('opacity', 0)
      .remove();
    // One callout per address: a client that registered both hears both (R30).
    const both = ex && toldThisFrame.has(a);
    toldThisFrame.add(a);
    label(`a${a}`, q.x, q.y, q.y + 30, both ? 'ClientEventError + ErrorEx' : ex ? 'ClientEventErrorEx' : 'ClientEventError', 'lbl-warn', P_ERROR);
  }

  return { animate, clear, relayout };
}

const S_SUCCESS = STATUS_NAMES.indexOf('STATUS_SUCCESS');
const S_NOT_READY = STATUS_NAMES.indexOf('STATUS_DEVICE_NOT_READY');
const S_PENDING_IDX = STATUS_NAMES.indexOf('STATUS_PENDING');

/** The width of a character of an effect label (11.5 px bold; capitals, as in DEVICE_NOT_READY, are the widest). */
const CHAR_PX = 7.4;

/** The longest of the texts that fits in widthPx (CHAR_PX a character), or '' if none does. */
function fit(texts: string[], widthPx: number): string {
  return texts.find((t) => t.length * CHAR_PX <= widthPx) ?? '';
}

/**
 * A label's slot in the band between a connection's name and the pool's name: its baseline and the
 * width it may take (0: no slot; the label is not drawn, the beam or bounce still shows the event).
 * With room, four rows: refusals (k 0) above SendPossibles (k 1), each split between even and odd
 * neighbours, so a label may be wider than the spacing. With less, two rows or one, and a label no
 * wider than the spacing, so neighbours' labels side by side do not touch.
 */
function slot(belowName: number, poolY: number, k: 0 | 1, odd: number, spacing: number): { y: number; w: number } {
  // A baseline: the text's top clears the connection's name, its bottom the pool's name and fill.
  const top = Math.min(belowName + 11, poolY - 17);
  const band = poolY - 20 - top;
  if (band >= 36) return { y: top + (band * (k * 2 + odd)) / 3, w: (k === 0 ? 1.6 : 1.4) * spacing };
  if (band >= 14) return { y: k === 0 ? top : top + band, w: 0.85 * spacing };
  return { y: top, w: k === 0 ? 0.85 * spacing : 0 };
}

function shortStatus(index: number): string {
  return (STATUS_NAMES[index] ?? '').replace(/^STATUS_/, '');
}
