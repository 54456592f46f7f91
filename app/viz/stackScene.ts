// The stack view's standing picture in SVG: draws the geometry (rows, edges, pools, drivers, clients,
// addresses, connections — or the dense grid), writes each frame's state onto it (touching only
// entities whose state changed) and the selection highlight. D3 owns these nodes; React never does.
import { select, type Selection } from 'd3-selection';
import type { Frame } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import { ROW_LABEL_X, type StackGeometry, type Edge } from './stackGeometry.ts';
import { addressKey, addressState, connectionKey, connectionState, nodeFailed, poolState, segmentClient, segmentLabel, segmentName, type PoolSegment, type QueueBlock } from './stackState.ts';
import type { DenseGrid } from './denseGrid.ts';
import { clientColor, clientTextColor } from './colors.ts';
import { nameByShownText, setAttr, setText } from './dom.ts';

export type Entity = { kind: 'connection' | 'address' | 'client' | 'node'; index: number };

export interface StackViewCallbacks {
  onSelect(entity: Entity | null): void;
  onNodeMenu(node: number, clientX: number, clientY: number): void;
}

export interface StackScene {
  /** Draws the structure for this geometry (a new size); the next apply() rewrites every entity. */
  draw(geo: StackGeometry, scale?: number): void;
  /** Writes the frame's state onto the drawn entities. */
  apply(f: Frame): void;
  highlight(entities: Entity[]): void;
  /** A lesson step's focus (#8): these entities are marked `focus` (outlined), the rest stay as they are. */
  focus(entities: Entity[]): void;
  destroy(): void;
}

type Svg = Selection<SVGSVGElement, unknown, null, undefined>;

/** Enter on a focused entity: what a click does (the keyboard reaches everything the mouse does). Space plays (stageFocus.ts). */
function onActivate<D>(act: (d: D, el: Element) => void): (ev: KeyboardEvent, d: D) => void {
  return (ev, d) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    ev.stopPropagation();
    act(d, ev.currentTarget as Element);
  };
}

/** Where a menu opened from the keyboard goes: under the element. */
function below(el: Element): { x: number; y: number } {
  const r = el.getBoundingClientRect();
  return { x: r.x + r.width / 2, y: r.y + r.height };
}

/** The dense grid's code, loaded with the first stage of many connections (#19: not in the first load). */
let denseModule: typeof import('./denseGrid.ts') | null = null;

export function createStackScene(svg: Svg, host: HTMLElement, info: Topology, callbacks: StackViewCallbacks): StackScene {
  const gLabels = svg.append('g').attr('class', 'row-labels');
  const gEdges = svg.append('g').attr('class', 'edges');
  const gPools = svg.append('g').attr('class', 'pools');
  const gNodes = svg.append('g').attr('class', 'drivers');
  const gClients = svg.append('g').attr('class', 'clients');
  const gAddresses = svg.append('g').attr('class', 'addresses');
  const gConns = svg.append('g').attr('class', 'connections');

  let geo: StackGeometry | null = null;
  // What each address and connection last showed; a redraw (resize) clears it.
  let addrSeen: string[] = [];
  let connSeen: string[] = [];
  let dense: DenseGrid | null = null;
  /** What the dense grid shows once its code is in (it loads with the first dense stage: #19). */
  let denseLoad: 'loading' | 'failed' | null = null;
  let lastFrame: Frame | null = null;
  let highlighted = new Set<number>();
  let gone = false;

  /** Screen pixels per geometry unit (the viewBox's scale): the dense grid's canvas is placed in pixels. */
  let pxPerUnit = 1;

  function draw(g: StackGeometry, scale = 1): void {
    geo = g;
    pxPerUnit = scale;
    drawRowLabels(g);
    drawEdges(g);
    drawPools(g);
    drawDrivers(g);
    drawClients(g);
    drawAddresses(g);
    drawConnections(g);
    addrSeen = [];
    connSeen = [];
  }

  function drawRowLabels(g: StackGeometry): void {
    gLabels.attr('display', g.showRowLabels ? null : 'none');
    gLabels
      .selectAll('text')
      .data(g.rowLabels)
      .join('text')
      .attr('x', ROW_LABEL_X)
      .attr('y', (d) => d[1] - 14)
      .text((d) => d[0]);
  }

  function drawEdges(g: StackGeometry): void {
    gEdges
      .selectAll<SVGLineElement, Edge>('line')
      .data(g.edges, (d) => d.key)
      .join('line')
      .attr('class', (d) => d.cls)
      .attr('data-edge', (d) => d.key)
      .attr('x1', (d) => d.x1)
      .attr('y1', (d) => d.y1)
      .attr('x2', (d) => d.x2)
      .attr('y2', (d) => d.y2);
  }

  function drawPools(geo: StackGeometry): void {
    const layout = geo.layout;
    const g = gPools
      .selectAll<SVGGElement, number>('g.pool')
      .data(info.transportNodes.map((_, i) => i))
      .join((enter) => {
        const p = enter.append('g').attr('class', 'pool').attr('tabindex', 0).attr('role', 'button');
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
        p.on(
          'keydown',
          onActivate<number>((tr, el) => {
            callbacks.onSelect({ kind: 'node', index: info.transportNodes[tr]! });
            const at = below(el);
            callbacks.onNodeMenu(info.transportNodes[tr]!, at.x, at.y);
          }),
        );
        return p;
      })
      .attr('aria-label', (tr) => `${geo.names.pool[tr]!} send pool: send pool of transport ${info.nodeIds[info.transportNodes[tr]!]!}: inspect it, or fail it`)
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
      .text((tr) => `${geo.names.pool[tr]!} send pool`);
    g.select('text.pool-fill')
      .attr('x', (tr) => layout.pools[tr]!.x + layout.pools[tr]!.w)
      .attr('y', (tr) => layout.pools[tr]!.y - 5)
      .attr('text-anchor', 'end');
    g.select('title').text((tr) => `Transport ${info.nodeIds[info.transportNodes[tr]!]!}: one send pool shared by all its connections. Click to fail it.`);
  }

  function drawDrivers(geo: StackGeometry): void {
    const layout = geo.layout;
    const g = gNodes
      .selectAll<SVGGElement, number>('g.driver')
      .data(geo.drivers, (d) => String(d))
      .join((enter) => {
        const e = enter.append('g').attr('class', (n) => `driver ${info.nodeKinds[n]}`).attr('tabindex', 0).attr('role', 'button');
        e.append('rect').attr('rx', 5);
        e.append('text').attr('class', 'name').attr('dy', '0.35em').attr('text-anchor', 'middle');
        e.append('title');
        e.on('click', (ev: MouseEvent, n) => {
          ev.stopPropagation();
          callbacks.onSelect({ kind: 'node', index: n });
          callbacks.onNodeMenu(n, ev.clientX, ev.clientY);
        });
        e.on(
          'keydown',
          onActivate<number>((n, el) => {
            callbacks.onSelect({ kind: 'node', index: n });
            const at = below(el);
            callbacks.onNodeMenu(n, at.x, at.y);
          }),
        );
        return e;
      })
      .attr('data-node-id', (n) => info.nodeIds[n]!)
      .attr('aria-label', (n) => `${info.nodeKinds[n] === 'nic' ? 'NIC' : 'Protocol layer'} ${info.nodeIds[n]!}: inspect it, or fail it`)
      .attr('transform', (n) => `translate(${layout.nodes[n]!.x},${layout.nodes[n]!.y})`);
    const boxW = (n: number) => geo.driverBoxWidth[n]!;
    g.select('rect').attr('x', (n) => -boxW(n) / 2).attr('y', -12).attr('width', boxW).attr('height', 24);
    g.select('text.name').text((n) => geo.names.node[n]!);
    g.select('title').text((n) => `${info.nodeKinds[n] === 'nic' ? 'NIC driver' : 'Lower protocol layer'} ${info.nodeIds[n]!}. Click to fail it now.`);
  }

  function drawClients(geo: StackGeometry): void {
    const layout = geo.layout;
    const g = gClients
      .selectAll<SVGGElement, number>('g.client')
      .data(info.clientIds.map((_, i) => i))
      .join((enter) => {
        const e = enter.append('g').attr('class', 'client').attr('tabindex', 0).attr('role', 'button');
        e.append('rect').attr('rx', 12);
        e.append('text').attr('dy', '0.35em').attr('text-anchor', 'middle');
        e.append('title');
        e.on('click', (ev: MouseEvent, cl) => {
          ev.stopPropagation();
          callbacks.onSelect({ kind: 'client', index: cl });
        });
        e.on('keydown', onActivate<number>((cl) => callbacks.onSelect({ kind: 'client', index: cl })));
        return e;
      })
      .attr('data-client-id', (cl) => info.clientIds[cl]!)
      .attr('aria-label', (cl) => `Client ${info.clientIds[cl]!}, registers ${info.clientHandlers[cl]!.join(', ') || 'no handlers'}`)
      .attr('transform', (cl) => `translate(${layout.clients[cl]!.x},${layout.clients[cl]!.y})`);
    const w = geo.client.width;
    g.select('rect').attr('x', -w / 2).attr('y', -12).attr('width', w).attr('height', 24).attr('fill', (cl) => clientColor(cl));
    g.select('text').style('fill', (cl) => clientTextColor(cl)).text((cl) => geo.client.labels[cl]!);
    g.select('title').text((cl) => `Client ${info.clientIds[cl]!} — registers ${info.clientHandlers[cl]!.join(', ') || 'no handlers'}`);
  }

  function drawAddresses(geo: StackGeometry): void {
    const layout = geo.layout;
    const g = gAddresses
      .selectAll<SVGGElement, number>('g.address')
      .data(info.addressIds.map((_, i) => i))
      .join((enter) => {
        const e = enter.append('g').attr('class', 'address').attr('tabindex', 0).attr('role', 'button');
        e.append('rect').attr('rx', 4);
        e.append('text').attr('class', 'name').attr('dy', '0.35em').attr('text-anchor', 'middle');
        e.append('g').attr('class', 'badges').attr('aria-hidden', 'true');
        e.append('title');
        e.on('click', (ev: MouseEvent, a) => {
          ev.stopPropagation();
          callbacks.onSelect({ kind: 'address', index: a });
        });
        e.on('keydown', onActivate<number>((a) => callbacks.onSelect({ kind: 'address', index: a })));
        return e;
      })
      .attr('data-address-id', (a) => info.addressIds[a]!)
      .attr('transform', (a) => `translate(${layout.addresses[a]!.x},${layout.addresses[a]!.y})`);
    const { small, width: w, height: h, nameY } = geo.address;
    g.select('rect').attr('x', -w / 2).attr('y', -h / 2).attr('width', w).attr('height', h);
    g.select('text.name').attr('y', nameY).text((a) => (small ? '' : geo.names.address[a]!));
    g.select('title').text((a) => `Address ${info.addressIds[a]!} of client ${info.clientIds[info.addressClient[a]!]!}, bound to ${info.addressNics[a]!.map((n) => info.nodeIds[n]).join(', ')}`);
    // Handler badges: which events are registered (S = SendPossible, E = Error, X = ErrorEx, D = Disconnect).
    g.select('g.badges').attr('transform', 'translate(-21,11)').attr('display', small ? 'none' : null);
  }

  function drawConnections(geo: StackGeometry): void {
    const layout = geo.layout;
    if (layout.dense) {
      gConns.selectAll('*').remove();
      if (!dense && !denseModule) {
        // Its code comes with the first stage that needs it; meanwhile (a moment) the rows are empty.
        if (denseLoad === 'failed') gConns.append('text').attr('class', 'dense-failed').attr('x', 28).attr('y', layout.rows.connections).text('Could not load the connections’ grid: reload the page.');
        if (denseLoad) return;
        denseLoad = 'loading';
        import('./denseGrid.ts').then(
          (m) => {
            denseModule = m;
            denseLoad = null;
            if (gone || !geo?.layout.dense) return;
            drawConnections(geo);
            if (lastFrame) dense?.update(lastFrame);
            dense?.highlight(highlighted);
          },
          () => {
            denseLoad = 'failed';
            if (!gone && geo?.layout.dense) drawConnections(geo);
          },
        );
        return;
      }
      if (!dense) {
        dense = denseModule!.createDenseGrid(
          host,
          info,
          (c) => callbacks.onSelect({ kind: 'connection', index: c }),
          (a) => callbacks.onSelect({ kind: 'address', index: a }),
        );
      }
      dense.layout(pxPerUnit === 1 ? layout : scaledLayout(layout, pxPerUnit), pxPerUnit);
      return;
    }
    dense?.destroy();
    dense = null;
    const { radius: r, hit, showNames } = geo.connection;
    const g = gConns
      .selectAll<SVGGElement, number>('g.conn')
      .data(info.connectionIds.map((_, i) => i))
      .join((enter) => {
        const e = enter.append('g').attr('class', 'conn').attr('tabindex', 0).attr('role', 'button');
        // A generous, invisible hit area: the queue, the endpoint and its label are one target.
        e.append('rect').attr('class', 'hit');
        e.append('g').attr('class', 'queue');
        e.append('circle').attr('class', 'body');
        e.append('text').attr('class', 'name').attr('text-anchor', 'middle');
        e.append('text').attr('class', 'race-badge').attr('text-anchor', 'start');
        e.append('text').attr('class', 'irp-badge').attr('text-anchor', 'start');
        e.append('title');
        e.on('click', (ev: MouseEvent, c) => {
          ev.stopPropagation();
          callbacks.onSelect({ kind: 'connection', index: c });
        });
        e.on('keydown', onActivate<number>((c) => callbacks.onSelect({ kind: 'connection', index: c })));
        return e;
      })
      .attr('data-connection-id', (c) => info.connectionIds[c]!)
      .attr('aria-label', (c) => connectionLabel(c, null))
      .attr('transform', (c) => `translate(${layout.connections[c]!.x},${layout.connections[c]!.y})`);
    g.select('rect.hit').attr('x', -hit.width / 2).attr('width', hit.width).attr('y', hit.top).attr('height', hit.height);
    g.select('circle.body').attr('r', r).attr('stroke', (c) => clientColor(info.addressClient[info.connectionAddress[c]!]!));
    g.select('text.name').attr('y', r + 12).text((c) => (showNames ? geo.names.connection[c]! : ''));
    g.select('text.race-badge').attr('x', r + 2).attr('y', -r + 2);
    g.select('text.irp-badge').attr('x', r + 2).attr('y', -r + 2);
    g.select('title').text((c) => `Connection ${info.connectionIds[c]!} on ${info.addressIds[info.connectionAddress[c]!]!}, routed over ${info.nodeIds[info.connectionNicNode[c]!]!}`);
  }

  // ---- State from each frame ------------------------------------------------------------------

  function apply(f: Frame): void {
    lastFrame = f;
    const g = geo;
    if (!g) return;
    gPools.selectAll<SVGGElement, number>('g.pool').each(function (tr) {
      const p = g.layout.pools[tr]!;
      const pool = poolState(info, g, f, tr);
      const gp = select(this);
      setAttr(this, 'data-used', pool.used);
      setAttr(this, 'data-capacity', pool.capacity);
      gp.classed('full', pool.full);
      const seg = gp
        .select('g.segments')
        .selectAll<SVGGElement, PoolSegment>('g.seg')
        .data(pool.segments, (d) => String(d.c))
        .join((enter) => {
          const e = enter.append('g').attr('class', 'seg');
          e.append('rect');
          e.append('text').attr('text-anchor', 'middle').attr('dy', '0.35em');
          return e;
        })
        .each(function (d) {
          setAttr(this, 'data-owner', segmentName(info, d.c));
        });
      seg.select<SVGRectElement>('rect').each(function (d) {
        setAttr(this, 'y', p.y + 2);
        setAttr(this, 'height', p.h - 4);
        setAttr(this, 'fill', clientColor(segmentClient(info, d.c)));
        setAttr(this, 'x', d.x);
        setAttr(this, 'width', Math.max(0, d.w - 1));
      });
      seg.select<SVGTextElement>('text').each(function (d) {
        const fill = clientTextColor(segmentClient(info, d.c));
        if (styleFill.get(this) !== fill) {
          styleFill.set(this, fill);
          this.style.fill = fill;
        }
        setAttr(this, 'x', d.x + d.w / 2);
        setAttr(this, 'y', p.y + p.h / 2);
        setText(this, segmentLabel(info, d));
      });
      // A narrow pool has no room for its fill beside its name (the bar and the tooltip still say it).
      const fillText = gp.select<SVGTextElement>('text.pool-fill').node()!;
      setAttr(fillText, 'display', pool.showFill ? null : 'none');
      setText(fillText, pool.fillText);
      nameByShownText(this, `send pool of transport ${info.nodeIds[info.transportNodes[tr]!]!}: inspect it, or fail it`);
    });

    // Written only when a driver fails or recovers, not every frame (#10).
    gNodes.selectAll<SVGGElement, number>('g.driver').each(function (n) {
      setAttr(this, 'data-failed', nodeFailed(f, n) ? 'true' : 'false');
    });
    gPools.selectAll<SVGGElement, number>('g.pool').each(function (tr) {
      setAttr(this, 'data-failed', nodeFailed(f, info.transportNodes[tr]!) ? 'true' : 'false');
    });

    // Addresses and connections: touch the DOM only where something changed since the last frame.
    gAddresses
      .selectAll<SVGGElement, number>('g.address')
      .filter((a) => {
        const k = addressKey(f, a);
        if (addrSeen[a] === k) return false;
        addrSeen[a] = k;
        return true;
      })
      .each(function (a) {
        const s = addressState(f, a);
        // Only what differs is written: a rewritten <text> is laid out again even when its words are
        // the same, and a seek changes every address's error count (64 addresses × 4 badges on stress).
        setAttr(this, 'data-open', s.open ? 'true' : 'false');
        setAttr(this, 'data-usable', s.usable ? 'true' : 'false');
        setAttr(this, 'data-error-calls', s.errorCalls);
        setAttr(this, 'data-handlers', s.handlers);
        select(this)
          .select('g.badges')
          .selectAll<SVGTextElement, { on: boolean; text: string }>('text')
          .data(s.badges)
          .join('text')
          .each(function (d, i) {
            setAttr(this, 'x', i * 12);
            setAttr(this, 'class', d.on ? 'badge on' : 'badge off');
            setText(this, d.text);
          });
        nameByShownText(this, `address ${info.addressIds[a]!} of client ${info.clientIds[info.addressClient[a]!]!}, ${!s.open ? 'closed' : s.usable ? 'open' : 'unusable'}, handlers ${s.handlers.replaceAll(' ', ', ') || 'none'}`);
      });

    if (g.layout.dense) {
      dense?.update(f);
      return;
    }
    const stackW = g.queue.width;
    gConns
      .selectAll<SVGGElement, number>('g.conn')
      .filter((c) => {
        const k = connectionKey(f, c);
        if (connSeen[c] === k) return false;
        connSeen[c] = k;
        return true;
      })
      .each(function (c) {
        const s = connectionState(f, c, g);
        setAttr(this, 'data-state', s.state);
        setAttr(this, 'data-lost-races', s.lostRaces);
        setAttr(this, 'data-held-bytes', s.heldBytes);
        setAttr(this, 'data-pending-bytes', s.pendingBytes);
        setAttr(this, 'data-queued', s.queued);
        const gc = select(this);
        setText(gc.select<SVGTextElement>('text.race-badge').node(), s.raceBadge);
        setText(gc.select<SVGTextElement>('text.irp-badge').node(), s.irpBadge);
        setAttr(this, 'data-irps', s.irps);
        setAttr(this, 'data-locked-bytes', s.lockedBytes);
        nameByShownText(this, connectionLabel(c, s));
        gc.select('g.queue')
          .selectAll<SVGRectElement, QueueBlock>('rect')
          .data(s.queue)
          .join('rect')
          .attr('class', (d) => (d.pending ? 'qblock pending' : 'qblock'))
          .attr('x', -stackW / 2)
          .attr('width', stackW)
          .attr('y', (d) => d.y)
          .attr('height', (d) => d.h);
      });
  }

  /** A connection's accessible name: what it is and, once a frame has come, its state. */
  function connectionLabel(c: number, s: { state: string; lostRaces: number; heldBytes: number; irps?: number; lockedBytes?: number } | null): string {
    const what = `Connection ${info.connectionIds[c]!} of client ${info.clientIds[info.addressClient[info.connectionAddress[c]!]!]!}`;
    if (!s) return what;
    const irps = s.irps ? `, ${s.irps} WskSend IRP${s.irps === 1 ? '' : 's'} pending with ${s.lockedBytes} bytes locked` : '';
    return `${what}: ${s.state === 'ok' ? 'sending' : s.state}${s.heldBytes > 0 ? `, ${s.heldBytes} bytes waiting` : ''}${s.lostRaces > 0 ? `, ${s.lostRaces} lost races` : ''}${irps}`;
  }

  function highlight(entities: Entity[]): void {
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
    highlighted = conns;
    dense?.highlight(conns);
  }

  let focused: Entity[] = [];
  function focus(entities: Entity[]): void {
    focused = entities;
    const on = (kind: Entity['kind']) => new Set(entities.filter((e) => e.kind === kind).map((e) => e.index));
    const conns = on('connection');
    const addrs = on('address');
    const nodes = on('node');
    const clients = on('client');
    gConns.selectAll<SVGGElement, number>('g.conn').classed('focus', (c) => conns.has(c));
    gAddresses.selectAll<SVGGElement, number>('g.address').classed('focus', (a) => addrs.has(a));
    gNodes.selectAll<SVGGElement, number>('g.driver').classed('focus', (n) => nodes.has(n));
    gPools.selectAll<SVGGElement, number>('g.pool').classed('focus', (tr) => nodes.has(info.transportNodes[tr]!));
    gClients.selectAll<SVGGElement, number>('g.client').classed('focus', (cl) => clients.has(cl));
    drawFocusRings();
  }

  /**
   * #14: the entity a lesson step is about, ringed: a dashed outline a few pixels outside its shape,
   * in the text colour (it reads in both themes and on a projector, and by its shape, not its colour alone).
   */
  function drawFocusRings(): void {
    const g = geo;
    if (!g) return;
    // Close outside the shape: a wider ring would cross the names drawn next to it (a client's over its address).
    const PAD = 4;
    const box = (sel: Selection<SVGGElement, number, SVGGElement, unknown>, size: (d: number) => { x: number; y: number; w: number; h: number } | null) => {
      sel.each(function (d) {
        const on = this.classList.contains('focus') ? size(d) : null;
        select(this)
          .selectAll<SVGRectElement, { x: number; y: number; w: number; h: number }>('rect.focus-ring')
          .data(on ? [on] : [])
          .join((e) => e.insert('rect', ':first-child').attr('class', 'focus-ring').attr('aria-hidden', 'true'))
          .attr('x', (b) => b.x - PAD)
          .attr('y', (b) => b.y - PAD)
          .attr('width', (b) => b.w + 2 * PAD)
          .attr('height', (b) => b.h + 2 * PAD)
          .attr('rx', 8);
      });
    };
    const r = g.connection.radius;
    gConns.selectAll<SVGGElement, number>('g.conn').each(function () {
      const on = this.classList.contains('focus') && !g.layout.dense;
      select(this)
        .selectAll('circle.focus-ring')
        .data(on ? [r + 4] : [])
        .join((e) => e.insert('circle', ':first-child').attr('class', 'focus-ring').attr('aria-hidden', 'true'))
        .attr('r', (d) => d);
    });
    const { width: aw, height: ah } = g.address;
    box(gAddresses.selectAll<SVGGElement, number>('g.address'), () => ({ x: -aw / 2, y: -ah / 2, w: aw, h: ah }));
    box(gClients.selectAll<SVGGElement, number>('g.client'), () => ({ x: -g.client.width / 2, y: -12, w: g.client.width, h: 24 }));
    box(gNodes.selectAll<SVGGElement, number>('g.driver'), (n) => ({ x: -g.driverBoxWidth[n]! / 2, y: -12, w: g.driverBoxWidth[n]!, h: 24 }));
    // The pool's ring keeps below its title and fill (drawn just above it): only its top is tight.
    box(gPools.selectAll<SVGGElement, number>('g.pool'), (tr) => {
      const p = g.layout.pools[tr]!;
      return { x: p.x, y: p.y + PAD - 1, w: p.w, h: p.h - PAD + 1 };
    });
  }

  return {
    draw(g: StackGeometry, scale?: number) {
      draw(g, scale); // the scale too: without it the dense grid was laid out at 1× on a scaled stage
      // A redraw makes new elements: the lesson's focus goes back on them.
      if (focused.length) focus(focused);
    },
    apply,
    highlight,
    focus,
    destroy() {
      gone = true;
      dense?.destroy();
    },
  };
}

/** The fill last written into an element's style (read back, the browser would normalise it). */
const styleFill = new WeakMap<Element, string>();

/** The rows and size of a layout in screen pixels, for the dense grid's canvas (outside the SVG's viewBox). */
function scaledLayout(l: StackGeometry['layout'], k: number): StackGeometry['layout'] {
  return {
    ...l,
    width: l.width * k,
    height: l.height * k,
    rows: { ...l.rows, clients: l.rows.clients * k, addresses: l.rows.addresses * k, connections: l.rows.connections * k, transports: l.rows.transports * k, protocols: l.rows.protocols.map((y) => y * k), nics: l.rows.nics * k },
  };
}
