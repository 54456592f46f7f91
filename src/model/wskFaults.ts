// Failures through Winsock Kernel (api "wsk"; docs/rules.md W4–W6). There is no ClientEventError and no
// broadcast to every address that depends on a failed driver: a fatal failure reaches a WSK client only
// through its own connections whose path runs through the failed driver — WskDisconnectEvent with
// WSK_FLAG_ABORTIVE, and its pending IRPs failing. TDI's handler and policy changes have nothing to act
// on here (W4).
import { IRQL_NAMES } from '../base/status.ts';
import { R, WSK_FLAG_ABORTIVE, WSK_FLAG_AT_DISPATCH_LEVEL } from '../trace/records.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Topology } from './topology.ts';
import { failHeld } from './sends.ts';
import { discardBuffered, driverFault } from './faults.ts';
import { completeIrp, deactivate, serveIrps } from './wsk.ts';
import { EV_FAULT, EV_HANDLER_CHANGE, EV_POLICY, EV_WSK_RECONNECT, emit, schedule, type EventHandlers, type Model } from './state.ts';

const DISPATCH = IRQL_NAMES.indexOf('DISPATCH_LEVEL');

/** EV_FAULT under WSK: a driver fails (W5); non-fatal reports reach no client (W4). */
function wskFault(m: Model, i: number): void {
  const topo = m.topo;
  const { node, status, fatal } = driverFault(m, i);
  if (!fatal) return; // W4: no ClientEventErrorEx counterpart
  const freed = new Uint8Array(topo.transportNodes.length);
  const deps = connectionDeps(topo, m.scenario);
  for (let c = 0; c < topo.connectionIds.length; c++) {
    if (m.wsk.disconnected[c] || !deps[c]!.includes(node)) continue;
    disconnect(m, c, status, node);
    freed[topo.connectionTransport[c] as number] = 1;
  }
  // Discarded bytes freed space for the IRPs of connections on other paths (W2).
  for (let tr = 0; tr < freed.length; tr++) if (freed[tr]) serveIrps(m, tr);
}

/** W5: the connection is aborted: WskDisconnectEvent, its pending IRPs fail, its bytes in the send buffer are dropped. */
function disconnect(m: Model, c: number, status: number, node: number): void {
  const topo = m.topo;
  const wsk = m.wsk;
  const conn = m.conn;
  const tr = topo.connectionTransport[c] as number;
  const irql = m.params.transport.callbackIrql[tr] as number;
  emit(m, R.WSK_DISCONNECT, c, status, node, 0, 0, WSK_FLAG_ABORTIVE | (irql === DISPATCH ? WSK_FLAG_AT_DISPATCH_LEVEL : 0));
  wsk.disconnected[c] = 1;
  conn.broken[c] = 1;
  wsk.disconnects[c]!++;
  // The transport fails the IRPs still pending with the transport's abort status (model; scenario `abortStatus`).
  // Information is what of each was sent; what never reached the send buffer counts as failed.
  const abort = m.params.transport.abortStatus[tr] as number;
  const irps = wsk.irps[c]!;
  while (irps.length > 0) {
    const irp = irps.shift()!;
    m.metrics.failed[c]! += irp.bytes - irp.copied;
    conn.pendingBytes[c]! -= irp.bytes - irp.copied;
    completeIrp(m, c, irp, abort);
  }
  if (wsk.inCopyRing[c]) {
    const ring = wsk.copyRing[tr]!;
    ring.splice(ring.indexOf(c), 1);
    wsk.inCopyRing[c] = 0;
  }
  // Its bytes still in the send buffer are dropped, freeing that space (as R32 under TDI).
  discardBuffered(m, c, tr);
  // The client was told: it fails what it still holds for the connection, and closes the socket.
  failHeld(m, c, abort);
  deactivate(m, c);
  const cl = topo.connectionClient[c] as number;
  const reopen = m.params.client.reopenAfterUs[cl] as number;
  if (reopen > 0) schedule(m, m.clock.nowUs + (m.params.client.closeAfterUs[cl] as number) + reopen, EV_WSK_RECONNECT, c, 0);
}

/** W6: the client connects a new socket once every driver on the connection's path works again; otherwise it tries later. */
function reconnect(m: Model, c: number): void {
  const deps = connectionDeps(m.topo, m.scenario)[c]!;
  const cl = m.topo.connectionClient[c] as number;
  for (let k = 0; k < deps.length; k++) {
    if (m.nodes.failed[deps[k]!]) {
      schedule(m, m.clock.nowUs + (m.params.client.reopenAfterUs[cl] as number), EV_WSK_RECONNECT, c, 0);
      return;
    }
  }
  emit(m, R.CONNECTION_CONNECT, c, 0, 0, 0, 0, 0);
  m.wsk.disconnected[c] = 0;
  m.conn.broken[c] = 0;
}

/**
 * W5 (model): per connection, the nodes its data goes through — its transport and every driver on a
 * path from the transport down to the connection's own NIC — and no other (computed once per topology).
 */
const depsByTopology = new WeakMap<Topology, Int32Array[]>();
export function connectionDeps(topo: Topology, s: Scenario): Int32Array[] {
  let deps = depsByTopology.get(topo);
  if (deps) return deps;
  const drivers = new Map(s.drivers.map((d) => [d.id, d]));
  const reaches = (from: string, nic: string): boolean => {
    if (from === nic) return true;
    const d = drivers.get(from);
    return d?.kind === 'protocol' && d.lower.some((l) => reaches(l, nic));
  };
  deps = s.connections.map((c, i) => {
    const t = s.transports[topo.connectionTransport[i] as number]!;
    const on = new Set<string>([t.id]);
    const walk = (id: string): void => {
      if (!reaches(id, c.nic) || on.has(id)) return;
      on.add(id);
      const d = drivers.get(id);
      if (d?.kind === 'protocol') d.lower.forEach(walk);
    };
    t.lower.forEach(walk);
    return Int32Array.from([...on].map((id) => topo.nodeIndex.get(id) as number));
  });
  depsByTopology.set(topo, deps);
  return deps;
}

/** W4: TDI's event-handler registrations and resubmit/notify policies have nothing to act on under WSK. */
function nothingUnderWsk(): void {}

/** The kernel events this module runs under WSK. */
export const WSK_FAULT_EVENTS = {
  [EV_FAULT]: wskFault,
  [EV_WSK_RECONNECT]: reconnect,
  [EV_HANDLER_CHANGE]: nothingUnderWsk,
  [EV_POLICY]: nothingUnderWsk,
} as const satisfies EventHandlers;
