// Sending through Winsock Kernel (api "wsk"; docs/rules.md W1–W4): the same application, client queue,
// transport send buffer and NICs as TDI, but a send is a WskSend IRP that pends until all of its data
// has been sent. Nothing is refused, so there is no SendPossible, no resubmission and no lost race; the
// cost moves to the client, whose buffers stay locked while its IRPs pend, and who decides how much to
// keep outstanding (W3: a fixed count of IRPs, or the ideal send backlog the transport tells it).
import { S_INSUFFICIENT_RESOURCES, S_SUCCESS } from '../base/status.ts';
import { BACKLOG_QUERY, COPY_WSK_IRP, R } from '../trace/records.ts';
import type { Topology } from './topology.ts';
import { failUpward, setPoolUsed, takeAppSend } from './sends.ts';
import { endTransmission, kickNic, ringPush } from './transmit.ts';
import { EV_APP_SEND, EV_TX_DONE, emit, recordWait, type EventHandlers, type Model, type WskIrp } from './state.ts';

/** At t = 0 every address is open (a WSK socket's local address); no TDI handler is registered on it (W4). */
export function wskStart(m: Model): void {
  m.addr.open.fill(1);
  m.addr.usable.fill(1);
}

// ---- The client (W1, W3) ---------------------------------------------------------------------

/** EV_APP_SEND: the application hands data to its client, which sends it in a WskSend IRP when its W3 limit allows. */
function wskAppSend(m: Model, c: number, which: number): void {
  const bytes = takeAppSend(m, c, which);
  m.metrics.offered[c]! += bytes;
  const tr = m.topo.connectionTransport[c] as number;
  // W5: the client was told of the abortive disconnect; it fails new work until it has connected again.
  if (m.wsk.disconnected[c]) {
    failUpward(m, c, m.params.transport.abortStatus[tr] as number, -1, bytes);
    return;
  }
  const conn = m.conn;
  const cl = m.topo.connectionClient[c] as number;
  // Backpressure, as under TDI: a client with a full queue fails new work at once.
  if (conn.heldBytes[c]! + bytes > (m.params.client.queueLimitBytes[cl] as number)) {
    m.metrics.queueFull[c]! += bytes;
    failUpward(m, c, S_INSUFFICIENT_RESOURCES, -1, bytes);
    return;
  }
  const q = conn.held[c]!;
  // The wait (summary) of a send under WSK: from when the client got it until its WskSend, when it had to queue.
  const waits = q.length > 0 || !canSend(m, c);
  q.push({ remaining: bytes, flags: 0, origin: -1, refusedAtUs: waits ? m.clock.nowUs : -1 });
  conn.heldBytes[c]! += bytes;
  wskPump(m, c);
}

/** W3: may the client issue one more WskSend on this connection now? */
function canSend(m: Model, c: number): boolean {
  const cl = m.topo.connectionClient[c] as number;
  const wsk = m.wsk;
  if (m.params.client.wskIdealBacklog[cl]) return !wsk.active[c] || (wsk.lockedBytes[c] as number) < (wsk.idealBacklog[c] as number);
  return wsk.irps[c]!.length < (m.params.client.wskIrps[cl] as number);
}

/** The client sends what it holds, in order, one WskSend per application send, while W3 allows. */
export function wskPump(m: Model, c: number): void {
  const conn = m.conn;
  const q = conn.held[c]!;
  const cl = m.topo.connectionClient[c] as number;
  while (q.length > 0 && !m.wsk.disconnected[c]) {
    if (!m.wsk.active[c]) activate(m, c);
    if (!canSend(m, c)) return;
    const item = q.shift()!;
    conn.heldBytes[c]! -= item.remaining;
    if (item.refusedAtUs >= 0) recordWait(m, c, cl, m.clock.nowUs - item.refusedAtUs);
    wskSend(m, c, item.remaining);
  }
}

/** W1: one WskSend IRP. It pends (STATUS_PENDING); the caller's buffer stays locked until it completes. */
function wskSend(m: Model, c: number, bytes: number): void {
  const wsk = m.wsk;
  const irpId = wsk.nextIrpId++;
  wsk.sends[c]!++;
  emit(m, R.IRP_PENDING, c, 0, irpId, bytes, (wsk.lockedBytes[c] as number) + bytes, 0);
  wsk.irps[c]!.push({ irpId, bytes, copied: 0, sent: 0 });
  lock(m, c, bytes);
  m.conn.pendingBytes[c]! += bytes;
  const tr = m.topo.connectionTransport[c] as number;
  if (!wsk.inCopyRing[c]) {
    wsk.copyRing[tr]!.push(c);
    wsk.inCopyRing[c] = 1;
  }
  serveIrps(m, tr);
}

/** Bytes of pending IRPs, per connection, per client and in all, with their peaks (the summary's W1 measures). */
function lock(m: Model, c: number, bytes: number): void {
  const wsk = m.wsk;
  const cl = m.topo.connectionClient[c] as number;
  wsk.lockedBytes[c]! += bytes;
  wsk.clientLocked[cl]! += bytes;
  wsk.totalLocked += bytes;
  if (bytes > 0) {
    if (wsk.lockedBytes[c]! > wsk.peakLocked[c]!) wsk.peakLocked[c] = wsk.lockedBytes[c]!;
    if (wsk.clientLocked[cl]! > wsk.clientPeakLocked[cl]!) wsk.clientPeakLocked[cl] = wsk.clientLocked[cl]!;
    if (wsk.totalLocked > wsk.totalPeakLocked) wsk.totalPeakLocked = wsk.totalLocked;
  }
}

/** Completes a pending IRP (W1 success, W5 failure): its buffer is unlocked. Information = the bytes of it sent. */
export function completeIrp(m: Model, c: number, irp: WskIrp, status: number): void {
  const wsk = m.wsk;
  emit(m, R.IRP_COMPLETE, c, status, irp.irpId, irp.sent, (wsk.lockedBytes[c] as number) - irp.bytes, 0);
  if (status !== S_SUCCESS) wsk.irpsFailed[c]!++;
  lock(m, c, -irp.bytes);
}

// ---- The transport (W2) ----------------------------------------------------------------------

/**
 * W2: the transport takes the data of pending IRPs into its send buffer as space frees, one IRP at a
 * time, connections in the order their data came (a connection with more goes to the back): the same
 * buffer TDI's clients share, but nobody is refused and nobody races for the space.
 */
export function serveIrps(m: Model, tr: number): void {
  const wsk = m.wsk;
  const ring = wsk.copyRing[tr]!;
  const capacity = m.params.transport.capacity[tr] as number;
  const conn = m.conn;
  while (ring.length > 0) {
    const free = capacity - (m.pool.used[tr] as number);
    if (free <= 0) return;
    const c = ring[0]!;
    const irp = firstUncopied(wsk.irps[c]!);
    if (!irp) {
      ring.shift();
      wsk.inCopyRing[c] = 0;
      continue;
    }
    const want = irp.bytes - irp.copied;
    const n = want <= free ? want : free;
    emit(m, R.BUFFER_COPY, c, 0, irp.irpId, n, (m.pool.used[tr] as number) + n, COPY_WSK_IRP);
    irp.copied += n;
    conn.pendingBytes[c]! -= n;
    setPoolUsed(m, tr, (m.pool.used[tr] as number) + n);
    conn.buffered[c]! += n;
    m.metrics.accepted[c]! += n;
    if (!conn.inNicRing[c]) {
      const slot = m.topo.connectionNicSlot[c] as number;
      ringPush(m, slot, c);
      kickNic(m, slot);
    }
    if (irp.copied === irp.bytes) {
      ring.shift();
      if (firstUncopied(wsk.irps[c]!)) ring.push(c);
      else wsk.inCopyRing[c] = 0;
    }
  }
}

function firstUncopied(irps: WskIrp[]): WskIrp | undefined {
  for (let i = 0; i < irps.length; i++) if (irps[i]!.copied < irps[i]!.bytes) return irps[i];
  return undefined;
}

/** EV_TX_DONE: bytes sent; W1: the IRPs all of whose data is now sent complete, oldest first. */
function wskTxDone(m: Model, n: number, epoch: number): void {
  const nic = m.nic;
  if (epoch !== nic.epoch[n]) return; // cancelled by a fault or a discard
  const c = nic.txConn[n] as number;
  let bytes = nic.txBytes[n] as number;
  endTransmission(m, n, epoch);
  const irps = m.wsk.irps[c]!;
  for (let i = 0; i < irps.length && bytes > 0; i++) {
    const irp = irps[i]!;
    const k = Math.min(irp.copied - irp.sent, bytes);
    irp.sent += k;
    bytes -= k;
  }
  while (irps.length > 0 && irps[0]!.sent === irps[0]!.bytes) completeIrp(m, c, irps.shift()!, S_SUCCESS);
  // The completion routine sends the next (W3), then the freed space goes to the IRPs waiting for it (W2).
  wskPump(m, c);
  serveIrps(m, m.topo.connectionTransport[c] as number);
}

// ---- The ideal send backlog (W3) -------------------------------------------------------------

/**
 * W3 (model): a connection's ideal send backlog is its share of its transport's send buffer among the
 * connections that are sending, rounded down to a power of two (so it changes in steps, not at every
 * new connection); 1 at least.
 */
export function idealBacklogOf(m: Model, tr: number): number {
  const active = Math.max(1, m.wsk.activeCount[tr] as number);
  const share = Math.floor((m.params.transport.capacity[tr] as number) / active);
  return share < 1 ? 1 : 2 ** Math.floor(Math.log2(share));
}

/** A connection's first WskSend since it connected: it now counts, and its client (if W3 says so) queries its ideal backlog. */
function activate(m: Model, c: number): void {
  const wsk = m.wsk;
  const tr = m.topo.connectionTransport[c] as number;
  wsk.active[c] = 1;
  wsk.activeCount[tr]!++;
  const value = idealBacklogOf(m, tr);
  if (m.params.client.wskIdealBacklog[m.topo.connectionClient[c] as number]) {
    emit(m, R.WSK_SEND_BACKLOG, c, 0, 0, value, 0, BACKLOG_QUERY);
    wsk.idealBacklog[c] = value;
  }
  retell(m, tr, value);
}

/** A connection disconnected (W5): it no longer counts, and the others' share may grow. */
export function deactivate(m: Model, c: number): void {
  const wsk = m.wsk;
  if (!wsk.active[c]) return;
  const tr = m.topo.connectionTransport[c] as number;
  wsk.active[c] = 0;
  wsk.activeCount[tr]!--;
  wsk.idealBacklog[c] = 0;
  retell(m, tr, idealBacklogOf(m, tr));
}

/** W3: WskSendBacklogEvent to every sending connection of the transport whose ideal backlog changed; a client told more sends more. */
function retell(m: Model, tr: number, value: number): void {
  const wsk = m.wsk;
  const conns = connectionsOf(m.topo)[tr]!;
  const irql = m.params.transport.callbackIrql[tr] as number;
  for (let i = 0; i < conns.length; i++) {
    const k = conns[i]!;
    if (!wsk.active[k] || !m.params.client.wskIdealBacklog[m.topo.connectionClient[k] as number]) continue;
    const was = wsk.idealBacklog[k] as number;
    if (was === value) continue;
    emit(m, R.WSK_SEND_BACKLOG, k, irql, 0, value, 0, 0);
    wsk.idealBacklog[k] = value;
    wsk.backlogEvents[k]!++;
    if (value > was) wskPump(m, k);
  }
}

/** Per transport, its connections (computed once per topology). */
const connectionsByTransport = new WeakMap<Topology, Int32Array[]>();
function connectionsOf(topo: Topology): Int32Array[] {
  let lists = connectionsByTransport.get(topo);
  if (!lists) {
    const byTr: number[][] = Array.from({ length: topo.transportNodes.length }, () => []);
    topo.connectionTransport.forEach((tr, c) => byTr[tr]!.push(c));
    lists = byTr.map((l) => Int32Array.from(l));
    connectionsByTransport.set(topo, lists);
  }
  return lists;
}

/** The kernel events this module runs under WSK. */
export const WSK_SEND_EVENTS = { [EV_APP_SEND]: wskAppSend, [EV_TX_DONE]: wskTxDone } as const satisfies EventHandlers;
