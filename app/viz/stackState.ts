// What the latest frame means for each entity of the stack view: the pool's fill and its segments,
// an address's flags and handler badges, a connection's state, lost races and waiting-queue blocks,
// a driver's failure. Pure (numbers and strings from the frame's arrays); the scene writes them to
// the DOM. Each `…Key` changes exactly when what is drawn for that entity changes, so the scene can
// skip untouched entities on a frame.
import type { Frame } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import { connectionStateName } from '../../src/trace/csv.ts';
import { HANDLER_NAMES } from '../../src/base/status.ts';
import type { StackGeometry } from './stackGeometry.ts';
import { fmtBytes } from '../format.ts';

export { connectionStateName };

/** One pool segment: a connection's bytes, or (c < 0, dense view) client -1-c's bytes. */
export interface PoolSegment {
  c: number;
  x: number;
  w: number;
}

export interface PoolState {
  used: number;
  capacity: number;
  full: boolean;
  segments: PoolSegment[];
  /** "6 KiB / 8 KiB — full" beside the pool's name; not shown on a narrow pool (the bar says it). */
  fillText: string;
  showFill: boolean;
}

/** Pools: one segment per connection with bytes in the pool; in the dense view one per client (2048 slivers say nothing). */
export function poolState(info: Topology, geo: StackGeometry, f: Frame, tr: number): PoolState {
  const p = geo.layout.pools[tr]!;
  const capacity = info.connectionIds.length ? (info.transportCapacity[tr] ?? 1) : 1;
  const used = f.poolUsed[tr]!;
  const segments: PoolSegment[] = [];
  let x = p.x;
  if (geo.layout.dense) {
    const perClient = new Float64Array(info.clientIds.length);
    for (let c = 0; c < info.connectionIds.length; c++) {
      const a = info.connectionAddress[c]!;
      if (info.addressTransport[a] === tr) perClient[info.addressClient[a]!]! += f.buffered[c]!;
    }
    perClient.forEach((b, cl) => {
      if (b <= 0) return;
      const w = (b / capacity) * p.w;
      segments.push({ c: -1 - cl, x, w });
      x += w;
    });
  } else {
    for (let c = 0; c < info.connectionIds.length; c++) {
      if (info.addressTransport[info.connectionAddress[c]!] !== tr) continue;
      const b = f.buffered[c]!;
      if (b <= 0) continue;
      const w = (b / capacity) * p.w;
      segments.push({ c, x, w });
      x += w;
    }
  }
  return {
    used,
    capacity,
    full: used >= capacity,
    segments,
    fillText: `${fmtBytes(used)} / ${fmtBytes(capacity)}${used >= capacity ? ' — full' : ''}`,
    showFill: p.w >= 240,
  };
}

/** The client whose colour a segment takes. */
export function segmentClient(info: Topology, c: number): number {
  return c < 0 ? -1 - c : info.addressClient[info.connectionAddress[c]!]!;
}

/** The name written on a segment (where it fits) and in its data-owner. */
export function segmentName(info: Topology, c: number): string {
  return c < 0 ? `client ${info.clientIds[-1 - c]!}` : info.connectionIds[c]!;
}

/** The segment's label: its name where the segment is wide enough (about 7 px a character). */
export function segmentLabel(info: Topology, s: PoolSegment): string {
  const name = segmentName(info, s.c);
  return s.w > name.length * 7 + 8 ? name : '';
}

export function nodeFailed(f: Frame, node: number): boolean {
  return !!f.nodeFailed[node];
}

export function addressKey(f: Frame, a: number): string {
  return `${f.addressState[a]}/${f.addressHandlers[a]}/${f.addressErrorCalls[a]}`;
}

const BADGE: Record<(typeof HANDLER_NAMES)[number], string> = { SendPossible: 'S', Error: 'E', ErrorEx: 'X', Disconnect: 'D' };

export interface AddressState {
  /** The file object is open (bit 0) / still usable (bit 1, R31). */
  open: boolean;
  usable: boolean;
  errorCalls: number;
  /** Registered handlers, space-separated. */
  handlers: string;
  /** S E X D badges, each on or off. */
  badges: { h: string; on: boolean; text: string }[];
}

export function addressState(f: Frame, a: number): AddressState {
  const regs = f.addressHandlers[a]!;
  return {
    open: (f.addressState[a]! & 1) !== 0,
    usable: (f.addressState[a]! & 2) !== 0,
    errorCalls: f.addressErrorCalls[a]!,
    handlers: HANDLER_NAMES.filter((_, h) => regs & (1 << h)).join(' '),
    badges: HANDLER_NAMES.map((h, i) => ({ h, on: (regs & (1 << i)) !== 0, text: BADGE[h] })),
  };
}

export function connectionKey(f: Frame, c: number): string {
  return `${f.connState[c]}/${f.lostRaces[c]}/${f.heldBytes[c]}/${f.pendingBytes[c]}/${f.queued[c]}/${f.irpsPending?.[c] ?? 0}/${f.lockedBytes?.[c] ?? 0}`;
}

export interface QueueBlock {
  y: number;
  h: number;
  /** The bottom block of a connection with a blocking send pending in the transport (R14). */
  pending: boolean;
}

export interface ConnectionState {
  state: ReturnType<typeof connectionStateName>;
  lostRaces: number;
  heldBytes: number;
  pendingBytes: number;
  queued: number;
  /** "⚑3": lost races (R24), empty when none. */
  raceBadge: string;
  /** Under WSK (W1): its pending WskSend IRPs and the bytes they keep locked; 0 under TDI. */
  irps: number;
  lockedBytes: number;
  /** "3 IRPs · 4.4 KB locked" (or as much of it as fits beside the endpoint), in the lost-race badge's place: WSK has no lost race. */
  irpBadge: string;
  /** The waiting queue: stacked blocks sized by bytes, above the endpoint (at most 8). */
  queue: QueueBlock[];
}

export function connectionState(f: Frame, c: number, geo: StackGeometry): ConnectionState {
  const r = geo.connection.radius;
  const { fullBytes, room } = geo.queue;
  const held = f.heldBytes[c]! + f.pendingBytes[c]!;
  const queue: QueueBlock[] = [];
  if (held > 0) {
    const total = Math.min(room, (held / fullBytes) * room);
    const n = Math.min(8, f.queued[c]! || 1);
    const each = total / n;
    for (let i = 0; i < n; i++) queue.push({ y: -r - 3 - (i + 1) * each, h: Math.max(2, each - 1.5), pending: f.pendingBytes[c]! > 0 && i === 0 });
  }
  return {
    state: connectionStateName(f.connState[c]!),
    lostRaces: f.lostRaces[c]!,
    heldBytes: f.heldBytes[c]!,
    pendingBytes: f.pendingBytes[c]!,
    queued: f.queued[c]!,
    raceBadge: f.lostRaces[c]! > 0 ? `⚑${f.lostRaces[c]!}` : '',
    irps: f.irpsPending?.[c] ?? 0,
    lockedBytes: f.lockedBytes?.[c] ?? 0,
    irpBadge: irpBadge(f.irpsPending?.[c] ?? 0, f.lockedBytes?.[c] ?? 0, irpBadgeWidth(geo)),
    queue,
  };
}

/** The width of a character of the badge beside an endpoint (11 px bold). */
const BADGE_CHAR_PX = 6.8;

/** Room for the IRP badge: from the endpoint's edge to just before the next endpoint. */
export function irpBadgeWidth(geo: StackGeometry): number {
  return Math.max(0, geo.layout.connectionSpacing - 2 * geo.connection.radius - 8);
}

/** W1: a connection's pending IRPs as the longest text that fits in widthPx ('' with none pending). */
export function irpBadge(irps: number, lockedBytes: number, widthPx: number): string {
  if (irps <= 0) return '';
  const n = `${irps} IRP${irps === 1 ? '' : 's'}`;
  return [`${n} · ${fmtBytes(lockedBytes)} locked`, `${n} · ${fmtBytes(lockedBytes)}`, n, `${irps}`].find((t) => t.length * BADGE_CHAR_PX <= widthPx) ?? '';
}
