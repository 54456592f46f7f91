// The driver-stack view: D3 owns this SVG (React only mounts it). `update(frame)` redraws the state
// from the frame's typed arrays and animates the frame's events; nothing here goes through React.
import { select } from 'd3-selection';
import 'd3-transition';
import { easeCubicOut, easeQuadIn } from 'd3-ease';
import type { Frame } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import { connectionStateName } from '../../src/trace/csv.ts';
import { COMPLETE_LOST_RACE, ERROR_EX, R } from '../../src/trace/records.ts';
import { H_ERROR, H_ERROR_EX, HANDLER_NAMES, STATUS_NAMES } from '../../src/base/status.ts';
import { computeLayout, type StackLayout } from './layout.ts';
import { createDenseGrid, type DenseGrid } from './denseGrid.ts';
import { clientColor } from './colors.ts';

export type Entity = { kind: 'connection' | 'address' | 'client' | 'node'; index: number };

export interface StackViewCallbacks {
  onSelect(entity: Entity | null): void;
  onNodeMenu(node: number, clientX: number, clientY: number): void;
}

export interface StackView {
  update(frame: Frame): void;
  highlight(entities: Entity[]): void;
  resize(): void;
  destroy(): void;
}

const MAX_FX_PER_FRAME = 40;
const FX_MS = 700;

export { connectionStateName };

export function createStackView(host: HTMLElement, info: Topology, callbacks: StackViewCallbacks): StackView {
  const svg = select(host)
    .append('svg')
    .attr('class', 'stack')
    .attr('role', 'img')
    .attr('aria-label', 'Driver stack: clients, addresses, connections, transport send pool, lower drivers and NICs');
  svg.on('click', (ev: MouseEvent) => {
    if (ev.target === svg.node()) callbacks.onSelect(null);
  });
  const defs = svg.append('defs');
  defs
    .append('marker')
    .attr('id', 'arrow')
    .attr('viewBox', '0 0 10 10')
    .attr('refX', 9)
    .attr('refY', 5)
    .attr('markerWidth', 7)
    .attr('markerHeight', 7)
    .attr('orient', 'auto-start-reverse')
    .append('path')
    .attr('d', 'M0,0 L10,5 L0,10 z')
    .attr('fill', 'context-stroke');

  const gLabels = svg.append('g').attr('class', 'row-labels');
  const gEdges = svg.append('g').attr('class', 'edges');
  const gPools = svg.append('g').attr('class', 'pools');
  const gNodes = svg.append('g').attr('class', 'drivers');
  const gClients = svg.append('g').attr('class', 'clients');
  const gAddresses = svg.append('g').attr('class', 'addresses');
  const gConns = svg.append('g').attr('class', 'connections');
  const gFx = svg.append('g').attr('class', 'fx').attr('pointer-events', 'none');

  let layout: StackLayout = computeLayout(info, 800, 480);
  // Left-to-right rank of each connection, so neighbours can take alternate label lanes.
  let laneOf = new Int32Array(info.connectionIds.length);
  // What each address and connection last showed; a redraw (resize) clears it.
  let addrSeen: string[] = [];
  let connSeen: string[] = [];
  let dense: DenseGrid | null = null;
  const lastFrame: { current: Frame | null } = { current: null };
  let fxBudget = 0;

  function size(): { w: number; h: number } {
    const r = host.getBoundingClientRect();
    // The host's own size: CSS gives it a minimum; drawing taller would spill over the scrubber.
    return { w: Math.max(280, Math.round(r.width)), h: Math.max(160, Math.round(r.height)) };
  }

  function draw(): void {
    const { w, h } = size();
    layout = computeLayout(info, w, h);
    svg.attr('viewBox', `0 0 ${w} ${h}`).attr('width', w).attr('height', h);
    drawRowLabels();
    drawEdges();
    drawPools();
    drawDrivers();
    drawClients();
    drawAddresses();
    drawConnections();
    const byX = info.connectionIds.map((_, c) => c).sort((a, b) => layout.connections[a]!.x - layout.connections[b]!.x);
    laneOf = new Int32Array(info.connectionIds.length);
    byX.forEach((c, rank) => (laneOf[c] = rank));
    addrSeen = [];
    connSeen = [];
    if (lastFrame.current) updateState(lastFrame.current);
  }

  function drawRowLabels(): void {
    const rows: [string, number][] = [
      ['clients', layout.rows.clients],
      ['addresses', layout.rows.addresses],
      ['connections', layout.rows.connections],
      ...layout.rows.protocols.map((y): [string, number] => ['protocol', y]),
      ['NICs', layout.rows.nics],
    ];
    gLabels.attr('display', layout.width < 520 ? 'none' : null);
    gLabels
      .selectAll('text')
      .data(rows)
      .join('text')
      .attr('x', 6)
      .attr('y', (d) => d[1] - 14)
      .text((d) => d[0]);
  }

  function drawEdges(): void {
    type Edge = { key: string; x1: number; y1: number; x2: number; y2: number; cls: string };
    const edges: Edge[] = [];
    info.addressIds.forEach((_, a) => {
      const p = layout.addresses[a]!;
      const c = layout.clients[info.addressClient[a]!]!;
      edges.push({ key: `ca${a}`, x1: c.x, y1: c.y + 12, x2: p.x, y2: p.y - (layout.dense || info.addressIds.length > 16 ? 10 : 16), cls: 'e-client' });
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
    gEdges
      .selectAll<SVGLineElement, Edge>('line')
      .data(edges, (d) => d.key)
      .join('line')
      .attr('class', (d) => d.cls)
      .attr('data-edge', (d) => d.key)
      .attr('x1', (d) => d.x1)
      .attr('y1', (d) => d.y1)
      .attr('x2', (d) => d.x2)
      .attr('y2', (d) => d.y2);
  }

  function drawPools(): void {
    const g = gPools
      .selectAll<SVGGElement, number>('g.pool')
      .data(info.transportNodes.map((_, i) => i))
      .join((enter) => {
        const p = enter.append('g').attr('class', 'pool');
        p.append('rect').attr('class', 'pool-bg').attr('rx', 4);
        p.append('g').attr('class', 'segments');
        p.append('text').attr('class', 'pool-name');
        p.append('text').attr('class', 'pool-fill');
        p.append('title');
        p.on('click', (ev: MouseEvent, tr) => {
          ev.stopPropagation();
          callbacks.onSelect({ kind: 'node', index: info.transportNodes[tr]! });
          callbacks.onNodeMenu(info.transportNodes[tr]!, ev.clientX, ev.clientY);
        });
        return p;
      })
      .attr('data-transport-id', (tr) => info.nodeIds[info.transportNodes[tr]!]!)
      .attr('data-node-id', (tr) => info.nodeIds[info.transportNodes[tr]!]!);
    g.select('rect.pool-bg')
      .attr('x', (tr) => layout.pools[tr]!.x)
      .attr('y', (tr) => layout.pools[tr]!.y)
      .attr('width', (tr) => layout.pools[tr]!.w)
      .attr('height', (tr) => layout.pools[tr]!.h);
    g.select('text.pool-name')
      .attr('x', (tr) => layout.pools[tr]!.x)
      .attr('y', (tr) => layout.pools[tr]!.y - 5)
      .text((tr) => `${info.nodeIds[info.transportNodes[tr]!]!} send pool`);
    g.select('text.pool-fill')
      .attr('x', (tr) => layout.pools[tr]!.x + layout.pools[tr]!.w)
      .attr('y', (tr) => layout.pools[tr]!.y - 5)
      .attr('text-anchor', 'end');
    g.select('title').text((tr) => `Transport ${info.nodeIds[info.transportNodes[tr]!]!}: one send pool shared by all its connections. Click to fail it.`);
  }

  function drawDrivers(): void {
    const ids = info.nodeKinds.flatMap((k, i) => (k === 'transport' ? [] : [i]));
    const g = gNodes
      .selectAll<SVGGElement, number>('g.driver')
      .data(ids, (d) => String(d))
      .join((enter) => {
        const e = enter.append('g').attr('class', (n) => `driver ${info.nodeKinds[n]}`).attr('tabindex', 0);
        e.append('rect').attr('rx', 5);
        e.append('text').attr('class', 'name').attr('dy', '0.35em').attr('text-anchor', 'middle');
        e.append('title');
        e.on('click', (ev: MouseEvent, n) => {
          ev.stopPropagation();
          callbacks.onSelect({ kind: 'node', index: n });
          callbacks.onNodeMenu(n, ev.clientX, ev.clientY);
        });
        e.on('keydown', (ev: KeyboardEvent, n) => {
          if (ev.key === 'Enter') {
            const r = (ev.currentTarget as SVGGElement).getBoundingClientRect();
            callbacks.onNodeMenu(n, r.x + r.width / 2, r.y + r.height);
          }
        });
        return e;
      })
      .attr('data-node-id', (n) => info.nodeIds[n]!)
      .attr('transform', (n) => `translate(${layout.nodes[n]!.x},${layout.nodes[n]!.y})`);
    // Boxes shrink to the room a row gives each driver (four NICs on a phone still fit).
    const perRow = new Map<number, number>();
    for (const n of ids) perRow.set(layout.nodes[n]!.y, (perRow.get(layout.nodes[n]!.y) ?? 0) + 1);
    const boxW = (n: number) => Math.max(44, Math.min(84, (layout.width - 40) / perRow.get(layout.nodes[n]!.y)! - 8));
    g.select('rect').attr('x', (n) => -boxW(n) / 2).attr('y', -12).attr('width', boxW).attr('height', 24);
    g.select('text.name').text((n) => info.nodeIds[n]!);
    g.select('title').text((n) => `${info.nodeKinds[n] === 'nic' ? 'NIC driver' : 'Lower protocol layer'} ${info.nodeIds[n]!}. Click to fail it now.`);
  }

  function drawClients(): void {
    const g = gClients
      .selectAll<SVGGElement, number>('g.client')
      .data(info.clientIds.map((_, i) => i))
      .join((enter) => {
        const e = enter.append('g').attr('class', 'client');
        e.append('rect').attr('rx', 12);
        e.append('text').attr('dy', '0.35em').attr('text-anchor', 'middle');
        e.append('title');
        e.on('click', (ev: MouseEvent, cl) => {
          ev.stopPropagation();
          callbacks.onSelect({ kind: 'client', index: cl });
        });
        return e;
      })
      .attr('data-client-id', (cl) => info.clientIds[cl]!)
      .attr('transform', (cl) => `translate(${layout.clients[cl]!.x},${layout.clients[cl]!.y})`);
    const w = Math.min(80, Math.max(40, (layout.width - 60) / Math.max(1, info.clientIds.length) - 8));
    g.select('rect').attr('x', -w / 2).attr('y', -12).attr('width', w).attr('height', 24).attr('fill', (cl) => clientColor(cl));
    g.select('text').text((cl) => (w >= 40 + info.clientIds[cl]!.length * 7 + 30 ? `client ${info.clientIds[cl]!}` : info.clientIds[cl]!));
    g.select('title').text((cl) => `Client ${info.clientIds[cl]!} — registers ${info.clientHandlers[cl]!.join(', ') || 'no handlers'}`);
  }

  function drawAddresses(): void {
    const g = gAddresses
      .selectAll<SVGGElement, number>('g.address')
      .data(info.addressIds.map((_, i) => i))
      .join((enter) => {
        const e = enter.append('g').attr('class', 'address').attr('tabindex', 0);
        e.append('rect').attr('rx', 4);
        e.append('text').attr('class', 'name').attr('dy', '0.35em').attr('text-anchor', 'middle');
        e.append('g').attr('class', 'badges');
        e.append('title');
        e.on('click', (ev: MouseEvent, a) => {
          ev.stopPropagation();
          callbacks.onSelect({ kind: 'address', index: a });
        });
        return e;
      })
      .attr('data-address-id', (a) => info.addressIds[a]!)
      .attr('transform', (a) => `translate(${layout.addresses[a]!.x},${layout.addresses[a]!.y})`);
    const small = layout.dense || info.addressIds.length > 16;
    const w = small ? 14 : Math.min(86, Math.max(52, layout.width / Math.max(1, info.addressIds.length) - 10));
    const h = small ? 20 : 32;
    g.select('rect').attr('x', -w / 2).attr('y', -h / 2).attr('width', w).attr('height', h);
    g.select('text.name').attr('y', small ? 0 : -6).text((a) => (small ? '' : info.addressIds[a]!));
    g.select('title').text((a) => `Address ${info.addressIds[a]!} of client ${info.clientIds[info.addressClient[a]!]!}, bound to ${info.addressNics[a]!.map((n) => info.nodeIds[n]).join(', ')}`);
    // Handler badges: which events are registered (S = SendPossible, E = Error, X = ErrorEx, D = Disconnect).
    g.select('g.badges').attr('transform', 'translate(-21,11)').attr('display', small ? 'none' : null);
  }

  function drawConnections(): void {
    if (layout.dense) {
      gConns.selectAll('*').remove();
      if (!dense) dense = createDenseGrid(host, info, (c) => callbacks.onSelect({ kind: 'connection', index: c }));
      dense.layout(layout);
      return;
    }
    dense?.destroy();
    dense = null;
    const r = Math.max(6, Math.min(15, layout.connectionSpacing * 0.32));
    const g = gConns
      .selectAll<SVGGElement, number>('g.conn')
      .data(info.connectionIds.map((_, i) => i))
      .join((enter) => {
        const e = enter.append('g').attr('class', 'conn').attr('tabindex', 0);
        // A generous, invisible hit area: the queue, the endpoint and its label are one target.
        e.append('rect').attr('class', 'hit');
        e.append('g').attr('class', 'queue');
        e.append('circle').attr('class', 'body');
        e.append('text').attr('class', 'name').attr('text-anchor', 'middle');
        e.append('text').attr('class', 'race-badge').attr('text-anchor', 'start');
        e.append('title');
        e.on('click', (ev: MouseEvent, c) => {
          ev.stopPropagation();
          callbacks.onSelect({ kind: 'connection', index: c });
        });
        e.on('keydown', (ev: KeyboardEvent, c) => {
          if (ev.key === 'Enter') callbacks.onSelect({ kind: 'connection', index: c });
        });
        return e;
      })
      .attr('data-connection-id', (c) => info.connectionIds[c]!)
      .attr('transform', (c) => `translate(${layout.connections[c]!.x},${layout.connections[c]!.y})`);
    const hitW = Math.max(2 * r + 4, Math.min(40, layout.connectionSpacing - 2));
    const hitTop = -Math.max(20, layout.rows.connections - layout.rows.addresses - 24);
    g.select('rect.hit').attr('x', -hitW / 2).attr('width', hitW).attr('y', hitTop).attr('height', -hitTop + r + 16);
    g.select('circle.body').attr('r', r).attr('stroke', (c) => clientColor(info.addressClient[info.connectionAddress[c]!]!));
    g.select('text.name').attr('y', r + 12).text((c) => (layout.connectionSpacing > 26 ? info.connectionIds[c]! : ''));
    g.select('text.race-badge').attr('x', r + 2).attr('y', -r + 2);
    g.select('title').text((c) => `Connection ${info.connectionIds[c]!} on ${info.addressIds[info.connectionAddress[c]!]!}, routed over ${info.nodeIds[info.connectionNicNode[c]!]!}`);
  }

  // ---- State from each frame ------------------------------------------------------------------

  function updateState(f: Frame): void {
    // Pools: one segment per connection with bytes in the pool, coloured by client.
    gPools.selectAll<SVGGElement, number>('g.pool').each(function (tr) {
      const p = layout.pools[tr]!;
      const cap = info.connectionIds.length ? capacityOf(tr) : 1;
      const used = f.poolUsed[tr]!;
      // One segment per connection; in the dense view one per client (2048 slivers say nothing).
      const segs: { c: number; x: number; w: number }[] = [];
      let x = p.x;
      if (layout.dense) {
        const perClient = new Float64Array(info.clientIds.length);
        for (let c = 0; c < info.connectionIds.length; c++) {
          const a = info.connectionAddress[c]!;
          if (info.addressTransport[a] === tr) perClient[info.addressClient[a]!]! += f.buffered[c]!;
        }
        perClient.forEach((b, cl) => {
          if (b <= 0) return;
          const w = (b / cap) * p.w;
          segs.push({ c: -1 - cl, x, w });
          x += w;
        });
      } else {
        for (let c = 0; c < info.connectionIds.length; c++) {
          if (info.addressTransport[info.connectionAddress[c]!] !== tr) continue;
          const b = f.buffered[c]!;
          if (b <= 0) continue;
          const w = (b / cap) * p.w;
          segs.push({ c, x, w });
          x += w;
        }
      }
      const clientOfSeg = (c: number) => (c < 0 ? -1 - c : info.addressClient[info.connectionAddress[c]!]!);
      const nameOfSeg = (c: number) => (c < 0 ? `client ${info.clientIds[-1 - c]!}` : info.connectionIds[c]!);
      const gp = select(this);
      gp.attr('data-used', used).attr('data-capacity', cap).classed('full', used >= cap);
      const seg = gp
        .select('g.segments')
        .selectAll<SVGGElement, { c: number; x: number; w: number }>('g.seg')
        .data(segs, (d) => String(d.c))
        .join((enter) => {
          const e = enter.append('g').attr('class', 'seg');
          e.append('rect');
          e.append('text').attr('text-anchor', 'middle').attr('dy', '0.35em');
          return e;
        })
        .attr('data-owner', (d) => nameOfSeg(d.c));
      seg
        .select('rect')
        .attr('y', p.y + 2)
        .attr('height', p.h - 4)
        .attr('fill', (d) => clientColor(clientOfSeg(d.c)))
        .attr('x', (d) => d.x)
        .attr('width', (d) => Math.max(0, d.w - 1));
      seg
        .select('text')
        .attr('x', (d) => d.x + d.w / 2)
        .attr('y', p.y + p.h / 2)
        .text((d) => (d.w > nameOfSeg(d.c).length * 7 + 8 ? nameOfSeg(d.c) : ''));
      // A narrow pool has no room for its fill beside its name (the bar and the tooltip still say it).
      gp.select('text.pool-fill')
        .attr('display', p.w < 240 ? 'none' : null)
        .text(`${fmtBytes(used)} / ${fmtBytes(cap)}${used >= cap ? ' — full' : ''}`);
    });

    gNodes.selectAll<SVGGElement, number>('g.driver').attr('data-failed', (n) => (f.nodeFailed[n] ? 'true' : 'false'));
    gPools.selectAll<SVGGElement, number>('g.pool').attr('data-failed', (tr) => (f.nodeFailed[info.transportNodes[tr]!] ? 'true' : 'false'));

    // Addresses and connections: touch the DOM only where something changed since the last frame.
    const addrKey = (a: number) => `${f.addressState[a]}/${f.addressHandlers[a]}/${f.addressErrorCalls[a]}`;
    gAddresses
      .selectAll<SVGGElement, number>('g.address')
      .filter((a) => {
        const k = addrKey(a);
        if (addrSeen[a] === k) return false;
        addrSeen[a] = k;
        return true;
      })
      .attr('data-open', (a) => ((f.addressState[a]! & 1) !== 0 ? 'true' : 'false'))
      .attr('data-usable', (a) => ((f.addressState[a]! & 2) !== 0 ? 'true' : 'false'))
      .attr('data-error-calls', (a) => f.addressErrorCalls[a]!)
      .attr('data-handlers', (a) => HANDLER_NAMES.filter((_, h) => f.addressHandlers[a]! & (1 << h)).join(' '))
      .each(function (a) {
        const regs = f.addressHandlers[a]!;
        const badges = HANDLER_NAMES.map((h, i) => ({ h, on: (regs & (1 << i)) !== 0 }));
        select(this)
          .select('g.badges')
          .selectAll<SVGTextElement, { h: string; on: boolean }>('text')
          .data(badges)
          .join('text')
          .attr('x', (_, i) => i * 12)
          .attr('class', (d) => (d.on ? 'badge on' : 'badge off'))
          .text((d) => BADGE[d.h]);
      });

    if (layout.dense) {
      dense?.update(f);
      return;
    }
    const maxQueue = Math.max(1, capacityOf(0) * 0.5);
    const r = Math.max(6, Math.min(15, layout.connectionSpacing * 0.32));
    const stackW = Math.max(8, Math.min(26, layout.connectionSpacing * 0.55));
    const room = Math.max(20, layout.rows.connections - layout.rows.addresses - 30);
    gConns
      .selectAll<SVGGElement, number>('g.conn')
      .filter((c) => {
        const k = `${f.connState[c]}/${f.lostRaces[c]}/${f.heldBytes[c]}/${f.pendingBytes[c]}/${f.queued[c]}`;
        if (connSeen[c] === k) return false;
        connSeen[c] = k;
        return true;
      })
      .attr('data-state', (c) => connectionStateName(f.connState[c]!))
      .attr('data-lost-races', (c) => f.lostRaces[c]!)
      .attr('data-held-bytes', (c) => f.heldBytes[c]!)
      .attr('data-pending-bytes', (c) => f.pendingBytes[c]!)
      .attr('data-queued', (c) => f.queued[c]!)
      .each(function (c) {
        const g = select(this);
        g.select('text.race-badge').text(f.lostRaces[c]! > 0 ? `⚑${f.lostRaces[c]!}` : '');
        // The waiting queue: stacked blocks sized by bytes, above the endpoint.
        const held = f.heldBytes[c]! + f.pendingBytes[c]!;
        const blocks: { y: number; h: number; pending: boolean }[] = [];
        if (held > 0) {
          const total = Math.min(room, (held / maxQueue) * room);
          const n = Math.min(8, f.queued[c]! || 1);
          const each = total / n;
          for (let i = 0; i < n; i++) blocks.push({ y: -r - 3 - (i + 1) * each, h: Math.max(2, each - 1.5), pending: f.pendingBytes[c]! > 0 && i === 0 });
        }
        g.select('g.queue')
          .selectAll<SVGRectElement, { y: number; h: number; pending: boolean }>('rect')
          .data(blocks)
          .join('rect')
          .attr('class', (d) => (d.pending ? 'qblock pending' : 'qblock'))
          .attr('x', -stackW / 2)
          .attr('width', stackW)
          .attr('y', (d) => d.y)
          .attr('height', (d) => d.h);
      });
  }

  function capacityOf(tr: number): number {
    return info.transportCapacity[tr] ?? 1;
  }

  // ---- Animations of the frame's events -----------------------------------------------------

  function animate(f: Frame): void {
    const ev = f.events;
    fxBudget = MAX_FX_PER_FRAME - gFx.node()!.childElementCount / 2;
    // Newest events matter most when there are too many to draw.
    const start = Math.max(0, ev.length - 200);
    for (let i = start; i < ev.length; i++) {
      const type = ev.type[i]!;
      const a = ev.a[i]!;
      switch (type) {
        case R.DRIVER_FAULT:
          faultRipple(a, ev.f[i] === 1, ev.b[i]!, f);
          break;
        case R.DRIVER_RECOVER:
          flashNode(a, 'recover');
          break;
        case R.CALLBACK_ERROR:
          errorArrow(a, (ev.f[i]! & ERROR_EX) !== 0);
          break;
        case R.BUGCHECK:
          break;
        default:
          if (layout.dense || fxBudget <= 0) break;
          connectionFx(type, a, ev, i);
      }
    }
  }

  function connectionFx(type: number, c: number, ev: Frame['events'], i: number): void {
    const p = layout.connections[c];
    if (!p) return;
    const tr = info.addressTransport[info.connectionAddress[c]!]!;
    const pool = layout.pools[tr]!;
    const poolX = Math.min(Math.max(p.x, pool.x + 6), pool.x + pool.w - 6);
    const color = clientColor(info.addressClient[info.connectionAddress[c]!]!);
    switch (type) {
      case R.SEND_COMPLETE: {
        const status = ev.b[i]!;
        const info_ = ev.d[i]!;
        const odd = laneOf[c]! % 2; // neighbours alternate lanes
        const room = 1.6 * layout.connectionSpacing;
        if (status === S_SUCCESS && info_ > 0) packet(p.x, p.y + 10, poolX, pool.y + 4, color, false);
        else if (status === S_NOT_READY) {
          packet(p.x, p.y + 10, poolX, pool.y - 2, 'var(--bad)', true);
          label(p.x, lane(p.y, pool.y, 0, odd), fit(['DEVICE_NOT_READY', 'NOT_READY', '✕'], room), 'lbl-bad');
        } else if (status !== S_SUCCESS && status !== S_PENDING_IDX) {
          label(p.x, lane(p.y, pool.y, 0, odd), fit([shortStatus(status), 'failed', '✕'], room), 'lbl-bad');
        }
        if (ev.f[i]! & COMPLETE_LOST_RACE) {
          ring(p.x, p.y, 'var(--bad)');
          label(p.x, p.y - 30, 'lost race!', 'lbl-race');
        }
        break;
      }
      case R.CALLBACK_SEND_POSSIBLE:
        beam(poolX, pool.y, p.x, p.y + 10, 'var(--good)');
        // In a short view the refusal's label takes the only lane; the green beam still shows the call.
        if (pool.y - p.y >= 60) label(p.x, lane(p.y, pool.y, 1, laneOf[c]! % 2), fit([`SendPossible ${fmtBytes(ev.d[i]!)}`, fmtBytes(ev.d[i]!)], 1.4 * layout.connectionSpacing), 'lbl-good');
        break;
      case R.BUFFER_TRANSMIT: {
        const nic = layout.nodes[ev.b[i]!]!;
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
        label(p.x, p.y - 24, '✕ failed', 'lbl-bad');
        break;
      case R.SEND_PENDING:
        label(p.x, lane(p.y, pool.y, 0, laneOf[c]! % 2), fit(['PENDING'], 1.8 * layout.connectionSpacing), 'lbl-muted');
        break;
      default:
        break;
    }
  }

  function packet(x1: number, y1: number, x2: number, y2: number, fill: string, bounce: boolean, scale = 1): void {
    if (fxBudget-- <= 0) return;
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
      t.transition().duration(FX_MS * 0.6).ease(easeCubicOut).attr('x', x1 - w / 2).attr('y', y1 - 18).style('opacity', 0.2).remove();
    } else t.style('opacity', 0.15).remove();
  }

  function beam(x1: number, y1: number, x2: number, y2: number, stroke: string): void {
    if (fxBudget-- <= 0) return;
    gFx
      .append('line')
      .attr('class', 'beam')
      .attr('stroke', stroke)
      .attr('marker-end', 'url(#arrow)')
      .attr('x1', x1)
      .attr('y1', y1)
      .attr('x2', x1)
      .attr('y2', y1)
      .transition()
      .duration(FX_MS * 0.6)
      .attr('x2', x2)
      .attr('y2', y2)
      .transition()
      .duration(FX_MS)
      .style('opacity', 0)
      .remove();
  }

  function label(x: number, y: number, text: string, cls: string): void {
    if (text === '' || fxBudget-- <= 0) return;
    // Keep the whole label inside the view (it is centred on x).
    const half = (text.length * 6.6) / 2;
    x = Math.min(Math.max(x, half + 4), layout.width - half - 4);
    gFx
      .append('text')
      .attr('class', `fx-label ${cls}`)
      .attr('text-anchor', 'middle')
      .attr('x', x)
      .attr('y', y)
      .text(text)
      .transition()
      .delay(FX_MS)
      .duration(FX_MS * 1.5)
      .style('opacity', 0)
      .remove();
  }

  function ring(x: number, y: number, stroke: string): void {
    if (fxBudget-- <= 0) return;
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
    label(p.x, p.y - 20, `${fatal ? 'FAILED' : 'reports'} ${shortStatus(status)}`, fatal ? 'lbl-bad' : 'lbl-warn');
    info.addressIds.forEach((_, a) => {
      if (!info.addressDeps[a]!.includes(node) || !(f.addressState[a]! & 1)) return;
      const q = layout.addresses[a]!;
      gFx
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
      if (!(regs & (H_ERROR | H_ERROR_EX))) label(q.x, q.y + 30, 'no Error handler: not told', 'lbl-muted');
    });
  }

  function errorArrow(a: number, ex: boolean): void {
    const q = layout.addresses[a]!;
    const tr = info.addressTransport[a]!;
    const pool = layout.pools[tr]!;
    const from = { x: pool.x + pool.w / 2, y: pool.y };
    gFx
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
      .attr('y2', q.y + 16)
      .transition()
      .duration(FX_MS * 2.5)
      .style('opacity', 0)
      .remove();
    label(q.x, q.y + (ex ? 44 : 30), ex ? 'ClientEventErrorEx' : 'ClientEventError', 'lbl-warn');
  }

  // ---- Public ---------------------------------------------------------------------------------

  const ro = new ResizeObserver(() => draw());
  ro.observe(host);
  draw();

  return {
    update(frame) {
      lastFrame.current = frame;
      // After a seek or a step back the events are history being replayed: show the state only.
      if (!frame.rewound) animate(frame);
      updateState(frame);
    },
    highlight(entities) {
      const on = (kind: Entity['kind']) => new Set(entities.filter((e) => e.kind === kind).map((e) => e.index));
      const conns = on('connection');
      const addrs = on('address');
      const nodes = on('node');
      const clients = on('client');
      gConns.selectAll<SVGGElement, number>('g.conn').classed('hl', (c) => conns.has(c));
      gAddresses.selectAll<SVGGElement, number>('g.address').classed('hl', (a) => addrs.has(a));
      gNodes.selectAll<SVGGElement, number>('g.driver').classed('hl', (n) => nodes.has(n));
      gPools.selectAll<SVGGElement, number>('g.pool').classed('hl', (tr) => nodes.has(info.transportNodes[tr]!));
      gClients.selectAll<SVGGElement, number>('g.client').classed('hl', (cl) => clients.has(cl));
      dense?.highlight(conns);
    },
    resize: draw,
    destroy() {
      ro.disconnect();
      dense?.destroy();
      svg.interrupt();
      svg.remove();
    },
  };
}

const S_SUCCESS = STATUS_NAMES.indexOf('STATUS_SUCCESS');
const S_NOT_READY = STATUS_NAMES.indexOf('STATUS_DEVICE_NOT_READY');
const S_PENDING_IDX = STATUS_NAMES.indexOf('STATUS_PENDING');

const BADGE: Record<(typeof HANDLER_NAMES)[number], string> = { SendPossible: 'S', Error: 'E', ErrorEx: 'X', Disconnect: 'D' };

/** The longest of the texts that fits in widthPx (about 6.6 px a character), or '' if none does. */
function fit(texts: string[], widthPx: number): string {
  return texts.find((t) => t.length * 6.6 <= widthPx) ?? '';
}

/**
 * Four label slots in the band between a connection (and its name) and the pool's name: refusals
 * above SendPossibles, each split between even and odd neighbours, so labels do not collide.
 */
function lane(connY: number, poolY: number, k: 0 | 1, odd: number): number {
  const top = connY + 26;
  const bottom = Math.max(top, poolY - 20);
  return top + ((bottom - top) * (k * 2 + odd)) / 3;
}

function shortStatus(index: number): string {
  return (STATUS_NAMES[index] ?? '').replace(/^STATUS_/, '');
}

export function fmtBytes(n: number): string {
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  if (a >= 1_048_576) return `${sign}${(a / 1_048_576).toFixed(1)} MiB`;
  if (a >= 10_240) return `${sign}${(a / 1024).toFixed(0)} KiB`;
  return `${sign}${a} B`;
}
