// The driver-stack view's geometry: where every entity goes and how big it is drawn, from the
// topology and the view's size alone. Pure (no DOM, no frame), so it is unit-tested; the scene draws
// it, the frame state and the effects read it. Row positions come from computeLayout (layout.ts).
import type { Topology } from '../../src/model/topology.ts';
import { computeLayout, denseGridBox, type StackLayout } from './layout.ts';

export interface Edge {
  key: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  cls: string;
}

export interface StackGeometry {
  layout: StackLayout;
  /** Row captions at the left edge ([text, y of the row]); hidden in narrow views. */
  rowLabels: [string, number][];
  showRowLabels: boolean;
  edges: Edge[];
  /** Lower drivers (NICs, protocol layers) in drawing order, and each one's box width. */
  drivers: number[];
  driverBoxWidth: number[];
  client: { width: number; labels: string[] };
  address: { small: boolean; width: number; height: number; nameY: number };
  connection: {
    radius: number;
    /** The invisible hit area: queue, endpoint and label are one target. */
    hit: { width: number; top: number; height: number };
    showNames: boolean;
    /** Left-to-right rank of each connection, so neighbours can take alternate label lanes. */
    laneOf: Int32Array;
  };
  /** The waiting-queue stack above each endpoint: bytes that fill the room, bar width, room. */
  queue: { fullBytes: number; width: number; room: number };
  /** Each entity's name as drawn: an id too long for its room is shortened in the middle (the full id is in its title). */
  names: { node: string[]; address: string[]; connection: string[]; pool: string[] };
}

/** Average advance of one character of the stage's 11–12 px names, and of its bold driver and pool names. */
export const NAME_CHAR_PX = 7;
const BOLD_NAME_CHAR_PX = 8.2;
/** A name longer than this is shortened even with room to spare: it would read as a sentence, not a name. */
const MAX_NAME_PX = 190;

/**
 * `text` in at most `roomPx`: a long id keeps its start and its end (where ids usually differ:
 * `…_connection_17`) around an ellipsis. Ids are up to 64 characters (scenario.md).
 */
export function fitLabel(text: string, roomPx: number, charPx = NAME_CHAR_PX): string {
  const fits = Math.max(0, Math.floor(roomPx / charPx));
  if (text.length <= fits) return text;
  if (fits < 4) return text.slice(0, Math.max(1, fits - 1)) + '…';
  const tail = Math.floor((fits - 1) / 2);
  return text.slice(0, fits - 1 - tail) + '…' + text.slice(text.length - tail);
}

/** Addresses draw small (a box without a name or badges) when dense or when there are many. */
const MANY_ADDRESSES = 16;

export function stackGeometry(info: Topology, width: number, height: number): StackGeometry {
  const layout = computeLayout(info, width, height);
  const small = layout.dense || info.addressIds.length > MANY_ADDRESSES;
  const drivers = driverBoxes(info, layout);
  const client = clientBoxes(info, layout);
  const address = {
    small,
    width: small ? 14 : Math.min(86, Math.max(52, layout.width / Math.max(1, info.addressIds.length) - 10)),
    height: small ? 20 : 32,
    nameY: small ? 0 : -6,
  };
  const connection = connectionShape(info, layout);
  const queue = {
    fullBytes: Math.max(1, (info.transportCapacity[0] ?? 1) * 0.5),
    width: Math.max(8, Math.min(26, layout.connectionSpacing * 0.55)),
    // Between the endpoint and the bottom of its address box (its handler badges stay readable).
    room: Math.max(8, layout.rows.connections - connection.radius - 3 - (layout.rows.addresses + (small ? 10 : 16)) - 4),
  };
  // A row's caption sits at the left edge; it gives way where the row's first entity reaches it
  // (no caption drawn over a box or a label). The dense grid spans the whole connections row.
  const leftOf = (xs: number[]): number => (xs.length ? Math.min(...xs) : Infinity);
  const driverLeft = (y: number): number =>
    leftOf(drivers.drivers.filter((n) => layout.nodes[n]!.y === y).map((n) => layout.nodes[n]!.x - drivers.driverBoxWidth[n]! / 2));
  const rows: [string, number, number][] = [
    ['clients', layout.rows.clients, leftOf(layout.clients.map((p) => p.x - client.width / 2))],
    ['addresses', layout.rows.addresses, leftOf(layout.addresses.map((p) => p.x - address.width / 2))],
    // Dense: on the grid's caption line, above the cells (the key is at the other end of that line).
    layout.dense
      ? ['connections', denseGridBox(layout).captionTop + 25, Infinity]
      : ['connections', layout.rows.connections, leftOf(layout.connections.map((p) => p.x - Math.max(connection.radius, queue.width / 2)))],
    ...layout.rows.protocols.map((y): [string, number, number] => ['protocol', y, driverLeft(y)]),
    ['NICs', layout.rows.nics, driverLeft(layout.rows.nics)],
  ];
  // A name is centred on its entity: it may use the room to the nearest neighbour's centre in its
  // row (each takes half of the gap) and must stay inside the view.
  const rooms = (points: { x: number; y: number }[]): number[] => rowRooms(points, layout.width);
  const nodePoints = info.nodeIds.map((_, n) => (drivers.slotWidth[n] ? layout.nodes[n]! : { x: -1e6, y: -1e6 }));
  const names = {
    node: zipRooms(info.nodeIds, rooms(nodePoints), BOLD_NAME_CHAR_PX),
    address: zipRooms(info.addressIds, rooms(layout.addresses)),
    // The dense grid draws no names: 100,000 of them would only cost time.
    connection: layout.dense ? [] : zipRooms(info.connectionIds, rooms(layout.connections)),
    // "<id> send pool" on the left of the bar, "6160 B / 8192 B — full" on the right.
    // Beside the fill ("4096 B / 4096 B — full", about 140 px, shown from 240 px: stackState.ts) and " send pool", a word space apart.
    pool: info.transportNodes.map((n, tr) => {
      const w = layout.pools[tr]?.w ?? 0;
      return fitLabel(info.nodeIds[n]!, Math.min(MAX_NAME_PX, w * 0.55 - 70, w >= 240 ? w - 205 : Infinity), BOLD_NAME_CHAR_PX);
    }),
  };
  return {
    layout,
    names,
    rowLabels: rows.filter(([text, , left]) => ROW_LABEL_X + captionWidth(text) + 4 <= left).map(([text, y]) => [text, y]),
    showRowLabels: layout.width >= ROW_LABELS_MIN_WIDTH,
    edges: edgesOf(info, layout, small),
    drivers: drivers.drivers,
    driverBoxWidth: drivers.driverBoxWidth,
    client,
    address,
    connection,
    queue,
  };
}

/** Each id fitted to its room. */
function zipRooms(ids: readonly string[], room: readonly number[], charPx = NAME_CHAR_PX): string[] {
  return ids.map((id, i) => fitLabel(id, room[i]!, charPx));
}

/**
 * Per point, the room its centred name may take: up to the nearest neighbour's centre in its row
 * (points less than 1 unit apart in y; each takes half of the gap, less 3 units a side), inside the
 * view, at most MAX_NAME_PX. Sorted once by row and x, so a neighbour is found in O(1): the whole
 * row costs O(n log n), not a scan of every other point per point.
 */
export function rowRooms(points: readonly { x: number; y: number }[], width: number): number[] {
  const room = points.map((p) => Math.min(MAX_NAME_PX, 2 * Math.min(p.x, width - p.x)));
  const byRow = points.map((_, i) => i).sort((a, b) => points[a]!.y - points[b]!.y || points[a]!.x - points[b]!.x);
  let start = 0;
  while (start < byRow.length) {
    // A row: the points within 1 unit in y of its first one, already in x order.
    let end = start + 1;
    while (end < byRow.length && points[byRow[end]!]!.y - points[byRow[start]!]!.y < 1) end++;
    if (end - start > 1) {
      const row = byRow.slice(start, end).sort((a, b) => points[a]!.x - points[b]!.x);
      for (let k = 0; k < row.length; k++) {
        const x = points[row[k]!]!.x;
        const left = k > 0 ? x - points[row[k - 1]!]!.x : Infinity;
        const right = k + 1 < row.length ? points[row[k + 1]!]!.x - x : Infinity;
        room[row[k]!] = Math.min(room[row[k]!]!, Math.min(left, right) - 6);
      }
    }
    start = end;
  }
  return room;
}

/** Where row captions start, and how wide one is (10.5 px uppercase with letter spacing). */
export const ROW_LABEL_X = 6;
/** Narrower stages show no row captions (no room beside the entities). */
export const ROW_LABELS_MIN_WIDTH = 520;
export function captionWidth(text: string): number {
  return text.length * 8;
}

function edgesOf(info: Topology, layout: StackLayout, smallAddresses: boolean): Edge[] {
  const edges: Edge[] = [];
  info.addressIds.forEach((_, a) => {
    const p = layout.addresses[a]!;
    const c = layout.clients[info.addressClient[a]!]!;
    edges.push({ key: `ca${a}`, x1: c.x, y1: c.y + 12, x2: p.x, y2: p.y - (smallAddresses ? 10 : 16), cls: 'e-client' });
  });
  if (!layout.dense) {
    info.connectionIds.forEach((_, c) => {
      const p = layout.connections[c]!;
      const a = layout.addresses[info.connectionAddress[c]!]!;
      edges.push({ key: `ac${c}`, x1: a.x, y1: a.y + 16, x2: p.x, y2: p.y - 9, cls: 'e-address' });
      const pool = layout.pools[info.addressTransport[info.connectionAddress[c]!]!]!;
      edges.push({ key: `ct${c}`, x1: p.x, y1: p.y + 9, x2: Math.min(Math.max(p.x, pool.x + 4), pool.x + pool.w - 4), y2: pool.y, cls: 'e-conn' });
    });
  }
  info.nodeLower.forEach((lower, n) => {
    const from = layout.nodes[n]!;
    for (const l of lower) {
      const to = layout.nodes[l]!;
      edges.push({ key: `n${n}-${l}`, x1: from.x, y1: from.y + 12, x2: to.x, y2: to.y - 12, cls: 'e-driver' });
    }
  });
  return edges;
}

/** Boxes shrink to the room a row gives each driver (four NICs on a phone still fit). */
function driverBoxes(info: Topology, layout: StackLayout): { drivers: number[]; driverBoxWidth: number[]; slotWidth: number[] } {
  const drivers = info.nodeKinds.flatMap((k, i) => (k === 'transport' ? [] : [i]));
  const perRow = new Map<number, number>();
  for (const n of drivers) perRow.set(layout.nodes[n]!.y, (perRow.get(layout.nodes[n]!.y) ?? 0) + 1);
  // The room of one driver in its row; its box is at most 84 px of it.
  const slotWidth = info.nodeIds.map((_, n) => (perRow.has(layout.nodes[n]!.y) ? (layout.width - 40) / perRow.get(layout.nodes[n]!.y)! - 8 : 0));
  const driverBoxWidth = slotWidth.map((w) => (w ? Math.max(44, Math.min(84, w)) : 0));
  return { drivers, driverBoxWidth, slotWidth };
}

function clientBoxes(info: Topology, layout: StackLayout): StackGeometry['client'] {
  const width = Math.min(80, Math.max(40, (layout.width - 60) / Math.max(1, info.clientIds.length) - 8));
  // "client A" where it fits, else just "A".
  const labels = info.clientIds.map((id) => (width >= 40 + id.length * 7 + 30 ? `client ${id}` : fitLabel(id, width - 12, BOLD_NAME_CHAR_PX)));
  return { width, labels };
}

function connectionShape(info: Topology, layout: StackLayout): StackGeometry['connection'] {
  const radius = Math.max(6, Math.min(15, layout.connectionSpacing * 0.32));
  const hitTop = -Math.max(20, layout.rows.connections - layout.rows.addresses - 24);
  const byX = info.connectionIds.map((_, c) => c).sort((a, b) => layout.connections[a]!.x - layout.connections[b]!.x);
  const laneOf = new Int32Array(info.connectionIds.length);
  byX.forEach((c, rank) => (laneOf[c] = rank));
  return {
    radius,
    hit: { width: Math.max(2 * radius + 4, Math.min(40, layout.connectionSpacing - 2)), top: hitTop, height: -hitTop + radius + 16 },
    showNames: layout.connectionSpacing > 26,
    laneOf,
  };
}
