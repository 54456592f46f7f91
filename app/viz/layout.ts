// Where everything goes in the driver-stack diagram, top to bottom: clients → addresses → connection
// endpoints → transports (with their pool) → lower protocol layers → NICs. Pure: no DOM.
import type { Topology } from '../../src/model/topology.ts';

export interface Point {
  x: number;
  y: number;
}

export interface StackLayout {
  width: number;
  height: number;
  rows: { clients: number; addresses: number; connections: number; transports: number; protocols: number[]; nics: number };
  clients: Point[];
  addresses: Point[];
  connections: Point[];
  /** Per transport, its pool bar. */
  pools: { x: number; y: number; w: number; h: number }[];
  /** Per node (drivers and transports), its centre. */
  nodes: Point[];
  connectionSpacing: number;
  dense: boolean;
}

/** Above this many connections the view draws a dense grid instead of one node per connection. */
export const DENSE_THRESHOLD = 256;

/**
 * Where the dense grid goes (the connections row, from under the addresses to above the pool): a
 * caption line (the row's label on the left, the key on the right), then the cells.
 */
export function denseGridBox(l: StackLayout, pxPerUnit = 1): { left: number; width: number; captionTop: number; captionHeight: number; bottom: number } {
  // `l` in screen pixels (scaled by pxPerUnit, the stage's viewBox scale) or in layout units (1).
  const k = pxPerUnit;
  return { left: 28 * k, width: Math.max(40, l.width - 56 * k), captionTop: l.rows.addresses + 14 * k, captionHeight: 16 * k, bottom: l.rows.transports - 30 * k };
}

/** The least gap between two pools side by side (layout units). */
const POOL_GAP = 24;

export function computeLayout(info: Topology, width: number, height: number): StackLayout {
  const nConn = info.connectionIds.length;
  const dense = nConn > DENSE_THRESHOLD;
  const margin = 28;
  const usable = Math.max(100, width - 2 * margin);
  // Protocol layers can stack (a protocol over a protocol): give each depth its own row.
  const depth = protocolDepths(info);
  const protocolRows = Math.max(0, ...depth.filter((d) => d >= 0).map((d) => d + 1));
  const top = 30;
  const bottom = height - 26;
  const span = bottom - top;
  // The band between addresses and connections holds the waiting queues; the band between the
  // connections and the pool holds the sends in flight and their labels. Lower drivers share the rest.
  const transports = top + 0.66 * span;
  const lowerRows = protocolRows + 1;
  const rows = {
    clients: top,
    addresses: top + 0.14 * span,
    connections: top + 0.35 * span,
    transports,
    protocols: Array.from({ length: protocolRows }, (_, i) => transports + ((bottom - transports) * (i + 1)) / lowerRows),
    nics: bottom,
  };

  // Connections in order: by transport, then client, then address, so related ones sit together.
  const order = info.connectionIds
    .map((_, c) => c)
    .sort((a, b) => {
      const aa = info.connectionAddress[a]!;
      const ba = info.connectionAddress[b]!;
      return (
        info.addressTransport[aa]! - info.addressTransport[ba]! ||
        info.addressClient[aa]! - info.addressClient[ba]! ||
        aa - ba ||
        a - b
      );
    });
  const spacing = usable / Math.max(1, nConn);
  const connections: Point[] = new Array(nConn);
  order.forEach((c, i) => (connections[c] = { x: margin + spacing * (i + 0.5), y: rows.connections }));

  const meanX = (cs: Int32Array) => {
    let sum = 0;
    for (const c of cs) sum += connections[c]!.x;
    return cs.length ? sum / cs.length : width / 2;
  };
  const addresses = info.addressIds.map((_, a) => ({ x: meanX(info.addressConnections[a]!), y: rows.addresses }));
  spreadRow(addresses, width, margin, 40);
  // Each client over its addresses' x, each pool over its connections' x: one pass each, not a
  // scan of every address per client or of every connection per transport.
  const clientSum = new Float64Array(info.clientIds.length);
  const clientCount = new Int32Array(info.clientIds.length);
  addresses.forEach((p, a) => {
    clientSum[info.addressClient[a]!]! += p.x;
    clientCount[info.addressClient[a]!]!++;
  });
  const clients = info.clientIds.map((_, cl) => ({ x: clientCount[cl] ? clientSum[cl]! / clientCount[cl]! : width / 2, y: rows.clients }));
  spreadRow(clients, width, margin, 90);

  const nodes: Point[] = info.nodeIds.map(() => ({ x: width / 2, y: rows.nics }));
  const poolLo = new Float64Array(info.transportNodes.length).fill(Infinity);
  const poolHi = new Float64Array(info.transportNodes.length).fill(-Infinity);
  for (let c = 0; c < nConn; c++) {
    const tr = info.addressTransport[info.connectionAddress[c]!]!;
    const x = connections[c]!.x;
    if (x < poolLo[tr]!) poolLo[tr] = x;
    if (x > poolHi[tr]!) poolHi[tr] = x;
  }
  const pools = info.transportNodes.map((node, tr) => {
    const any = poolHi[tr]! >= poolLo[tr]!;
    const lo = any ? poolLo[tr]! - spacing * 0.45 : margin;
    const hi = any ? poolHi[tr]! + spacing * 0.45 : width - margin;
    const w = Math.max(120, hi - lo);
    const x = Math.max(margin, Math.min((lo + hi) / 2 - w / 2, width - margin - w));
    nodes[node] = { x: x + w / 2, y: rows.transports };
    return { x, y: rows.transports - 11, w, h: 22 };
  });
  // Pools side by side keep a gap, so one's fill ("4096 B / 4096 B — full") does not run into the
  // next one's name: their facing ends give way.
  const byX = pools.map((_, tr) => tr).sort((a, b) => pools[a]!.x - pools[b]!.x);
  for (let i = 1; i < byX.length; i++) {
    const left = pools[byX[i - 1]!]!;
    const right = pools[byX[i]!]!;
    const short = POOL_GAP - (right.x - (left.x + left.w));
    if (short <= 0 || left.w < 3 * POOL_GAP || right.w < 3 * POOL_GAP) continue;
    left.w -= short / 2;
    right.x += short / 2;
    right.w -= short / 2;
    nodes[info.transportNodes[byX[i - 1]!]!] = { x: left.x + left.w / 2, y: rows.transports };
    nodes[info.transportNodes[byX[i]!]!] = { x: right.x + right.w / 2, y: rows.transports };
  }
  // Lower drivers: spread each row evenly, in the order their parents reach them.
  const nicIds = info.nodeKinds.flatMap((k, i) => (k === 'nic' ? [i] : []));
  nicIds.forEach((n, i) => (nodes[n] = { x: margin + (usable * (i + 0.5)) / nicIds.length, y: rows.nics }));
  for (let d = 0; d < protocolRows; d++) {
    const ids = info.nodeKinds.flatMap((k, i) => (k === 'protocol' && depth[i] === d ? [i] : []));
    ids.forEach((n, i) => (nodes[n] = { x: margin + (usable * (i + 0.5)) / ids.length, y: rows.protocols[d]! }));
  }
  return { width, height, rows, clients, addresses, connections, pools, nodes, connectionSpacing: spacing, dense };
}

/** Depth of each protocol below the transports (0 = directly below one); -1 for non-protocols. */
function protocolDepths(info: Topology): number[] {
  const depth = info.nodeKinds.map(() => -1);
  const visit = (node: number, d: number): void => {
    if (info.nodeKinds[node] !== 'protocol') return;
    if (depth[node]! >= d) return;
    depth[node] = d;
    for (const l of info.nodeLower[node] ?? []) visit(l, d + 1);
  };
  for (const t of info.transportNodes) for (const l of info.nodeLower[t] ?? []) visit(l, 0);
  return depth;
}

/** Pushes points apart so labels do not overlap, keeping their order and the row inside the view. */
function spreadRow(points: Point[], width: number, margin: number, minGap: number): void {
  const idx = points.map((_, i) => i).sort((a, b) => points[a]!.x - points[b]!.x);
  const gap = Math.min(minGap, (width - 2 * margin) / Math.max(1, points.length));
  for (let k = 1; k < idx.length; k++) {
    const prev = points[idx[k - 1]!]!;
    const cur = points[idx[k]!]!;
    if (cur.x - prev.x < gap) cur.x = prev.x + gap;
  }
  const last = idx.length ? points[idx[idx.length - 1]!]! : null;
  if (last && last.x > width - margin) {
    const shift = last.x - (width - margin);
    for (const i of idx) points[i]!.x -= shift;
  }
  for (let k = idx.length - 2; k >= 0; k--) {
    const next = points[idx[k + 1]!]!;
    const cur = points[idx[k]!]!;
    if (next.x - cur.x < gap) cur.x = next.x - gap;
  }
}
