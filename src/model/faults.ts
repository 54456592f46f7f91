// Error notification, breaks and recovery (R30–R36), and the address life cycle around them: an
// address opens with no handlers and its client registers its own (R1–R3); a failure tells every
// dependent address's Error/ErrorEx handlers (R30), breaks its connections (R31, R32); a client that
// hears of it stops using the address and closes it later (R33, R34); drivers may recover (R35).
import { H_DISCONNECT, H_ERROR, H_ERROR_EX, H_SEND_POSSIBLE, HANDLER_NAMES, S_INVALID_PARAMETER, S_SUCCESS, handlerBit, statusIndex, type HandlerName, type StatusName } from '../base/status.ts';
import { COMPLETE_BLOCKING, ERROR_EX, R } from '../trace/records.ts';
import { checkHandler } from './irql.ts';
import { complete, failHeld, setPoolUsed } from './sends.ts';
import { canNotify, listDebtor, spaceFreed, unlistDebtor } from './sendPossible.ts';
import { cancelTx, kickNic } from './transmit.ts';
import { AWAIT_NONE, EV_ADDR_CLOSE, EV_ADDR_REOPEN, EV_FAULT, EV_HANDLER_CHANGE, EV_RECOVER, emit, schedule, type EventHandlers, type Model } from './state.ts';

// ---- Registration (R1–R3) -------------------------------------------------------------------

export function openAddress(m: Model, a: number): void {
  const addr = m.addr;
  addr.open[a] = 1;
  addr.usable[a] = 1;
  addr.knowsBroken[a] = 0;
  addr.handlers[a] = 0; // R1: a new address has no handlers.
  const cl = m.topo.addressClient[a] as number;
  emit(m, R.ADDRESS_OPEN, a, 0, 0, 0, 0, 0);
  const mask = m.topo.clientHandlerMask[cl] as number;
  for (let h = 0; h < HANDLER_NAMES.length; h++) if (mask & (1 << h)) register(m, a, 1 << h, true);
}

export function register(m: Model, a: number, bit: number, on: boolean): void {
  const tr = m.topo.addressTransport[a] as number;
  const handlers = m.addr.handlers;
  let status = S_SUCCESS;
  let listedAny = false;
  if (on && bit === H_SEND_POSSIBLE && !m.params.transport.buffersSends[tr]) {
    status = S_INVALID_PARAMETER; // R3: nothing to be notified about
  } else if (on) {
    handlers[a]! |= bit; // R2: registering again replaces (one handler per event type)
    if (bit === H_SEND_POSSIBLE) {
      // Debts owed before the handler existed become callable now (R21).
      const conns = m.topo.addressConnections[a]!;
      for (let k = 0; k < conns.length; k++) {
        const c = conns[k]!;
        if (m.conn.debt[c] && !m.notifier.listed[c] && canNotify(m, c)) {
          listDebtor(m, tr, c);
          listedAny = true;
        }
      }
    }
  } else {
    handlers[a]! &= ~bit; // R2: registering NULL stops the event
    // R21, R22: its connections can no longer be called; they stay owed, and registering again
    // queues them anew, behind those that were callable meanwhile.
    if (bit === H_SEND_POSSIBLE) unlistAddress(m, a);
  }
  emit(m, R.HANDLER_REGISTER, a, 31 - Math.clz32(bit), on ? 1 : 0, 0, 0, status);
  // R20: if the space is already free the transport has no reason to wait for the next transmit.
  if (listedAny) spaceFreed(m, tr);
}

/** The address's connections leave the SendPossible queue (they keep what they are owed). */
function unlistAddress(m: Model, a: number): void {
  const tr = m.topo.addressTransport[a] as number;
  const conns = m.topo.addressConnections[a]!;
  for (let k = 0; k < conns.length; k++) unlistDebtor(m, tr, conns[k]!);
}

// ---- ClientEventError / ErrorEx (R30–R36) ---------------------------------------------------

/**
 * A driver's fault as it is below the clients, the same under TDI and WSK: its record, a dead NIC's
 * transmission cancelled, its recovery scheduled. What the clients learn is the API's (R30 here, W5
 * in wskFaults.ts).
 */
export function driverFault(m: Model, i: number): { node: number; status: number; fatal: boolean } {
  const f = m.faults[i]!;
  const topo = m.topo;
  const node = topo.nodeIndex.get(f.driver) as number;
  const status = statusIndex(f.status as StatusName);
  emit(m, R.DRIVER_FAULT, node, status, 0, 0, 0, f.fatal ? 1 : 0);
  if (f.fatal) {
    m.nodes.failed[node]!++;
    const slot = topo.nicSlotOfNode[node] as number;
    if (slot >= 0) cancelTx(m, slot); // a dead NIC transmits nothing
  }
  // R35: the driver recovers; a non-fatal report (R36) "recovers" too, which only the trace shows.
  if (f.recoverAfterUs !== undefined) schedule(m, m.clock.nowUs + f.recoverAfterUs, EV_RECOVER, i, 0);
  return { node, status, fatal: f.fatal };
}

/** R32 (and W5 under WSK): a broken connection's bytes still in the pool are discarded, freeing that space. */
export function discardBuffered(m: Model, c: number, tr: number): void {
  const conn = m.conn;
  const n = m.topo.connectionNicSlot[c] as number;
  if (m.nic.txConn[n] === c) cancelTx(m, n);
  const bytes = conn.buffered[c] as number;
  if (bytes > 0) {
    const used = (m.pool.used[tr] as number) - bytes;
    emit(m, R.BUFFER_DISCARD, c, 0, 0, bytes, used, 0);
    conn.buffered[c] = 0;
    conn.inTx[c] = 0;
    m.metrics.discarded[c]! += bytes;
    setPoolUsed(m, tr, used);
    kickNic(m, n); // the NIC may have been sending this connection's bytes; others may go now
  }
}

export function fault(m: Model, i: number): void {
  const f = m.faults[i]!;
  const topo = m.topo;
  const addr = m.addr;
  const { node, status } = driverFault(m, i);
  const freed = new Uint8Array(m.scenario.transports.length);
  const nA = topo.addressIds.length;
  for (let a = 0; a < nA; a++) {
    // R30: every open address that depends on the failed driver, and no other (one already broken
    // by an earlier fault is still open until its client closes it, so it is told again).
    if (!addr.open[a] || !topo.addressDeps[a]!.includes(node)) continue;
    const cl = topo.addressClient[a] as number;
    const tr = topo.addressTransport[a] as number;
    const irql = m.params.transport.callbackIrql[tr] as number;
    const regs = addr.handlers[a] as number;
    // R30 (model): a client that registered both gets both, Error first.
    // Record-level time: each change follows its record, so a cascade stopped between two records
    // shows exactly the callbacks and breaks written so far (Engine.runToRecord).
    if (regs & H_ERROR) {
      emit(m, R.CALLBACK_ERROR, a, status, node, 0, 0, irql);
      m.metrics.errorCallbacks[cl]!++;
      addr.errorCalls[a]!++;
      checkHandler(m, cl, H_ERROR, irql);
    }
    if (regs & H_ERROR_EX) {
      emit(m, R.CALLBACK_ERROR, a, status, node, 0, 0, irql | ERROR_EX);
      m.metrics.errorCallbacks[cl]!++;
      addr.errorCalls[a]!++;
      checkHandler(m, cl, H_ERROR_EX, irql);
    }
    if (!f.fatal) continue; // R36: a non-fatal report breaks nothing
    const conns = topo.addressConnections[a]!;
    if (addr.usable[a]) {
      // R31: the address is no longer usable; every connection on it is broken (the address shows
      // unusable once the last of them is: nothing in breakConnection reads it).
      addr.failStatus[a] = status;
      for (let k = 0; k < conns.length; k++) breakConnection(m, conns[k]!, status, tr, irql);
      addr.usable[a] = 0;
      freed[tr] = 1;
    }
    if (regs & (H_ERROR | H_ERROR_EX) && !addr.knowsBroken[a]) {
      // R33: told that its address is unusable — by this failure, or now about an earlier one it
      // had no handler to hear — the client stops using it and fails what it holds for it.
      addr.knowsBroken[a] = 1;
      for (let k = 0; k < conns.length; k++) failHeld(m, conns[k]!, addr.failStatus[a] as number);
      // R34: closing needs PASSIVE_LEVEL, so it is deferred to a work item.
      schedule(m, m.clock.nowUs + (m.params.client.closeAfterUs[cl] as number), EV_ADDR_CLOSE, a, 0);
    }
  }
  // R32: discarded bytes freed space, which may be owed to connections on healthy addresses (R20).
  for (let tr = 0; tr < freed.length; tr++) if (freed[tr]) spaceFreed(m, tr);
}

function breakConnection(m: Model, c: number, status: number, tr: number, irql: number): void {
  const conn = m.conn;
  emit(m, R.CONNECTION_BROKEN, c, status, 0, 0, 0, 0);
  conn.broken[c] = 1;
  conn.debt[c] = 0;
  unlistDebtor(m, tr, c); // R21, R22: a reopened connection queues anew
  // R32: pending sends complete with the abort status. A blocking send already partly copied
  // reports the bytes the transport took (keeps I2: accepted = transmitted + buffered + discarded);
  // the rest is failed to the application.
  const abort = m.params.transport.abortStatus[tr] as number;
  const q = conn.pending[c]!;
  for (const p of q) {
    m.metrics.failed[c]! += p.bytes - p.copied;
    complete(m, c, p.sendId, abort, p.copied, p.bytes, -1, COMPLETE_BLOCKING);
  }
  q.length = 0;
  conn.pendingBytes[c] = 0;
  const ring = m.pool.blockingRing[tr]!;
  const at = ring.indexOf(c);
  if (at >= 0) ring.splice(at, 1);
  discardBuffered(m, c, tr);
  const a = m.topo.connectionAddress[c] as number;
  if (m.params.transport.disconnectOnError[tr] && m.addr.handlers[a]! & H_DISCONNECT) {
    conn.lastIrql[c] = irql;
    emit(m, R.CALLBACK_DISCONNECT, c, 0, 0, 0, 0, irql);
    checkHandler(m, m.topo.addressClient[a] as number, H_DISCONNECT, irql);
  }
}

/** R35: the fault is over; a NIC with no fault left transmits again. */
export function recover(m: Model, i: number): void {
  const f = m.faults[i]!;
  const node = m.topo.nodeIndex.get(f.driver) as number;
  emit(m, R.DRIVER_RECOVER, node, 0, 0, 0, 0, 0);
  if (f.fatal) m.nodes.failed[node]!--;
  const slot = m.topo.nicSlotOfNode[node] as number;
  if (slot >= 0 && m.nodes.failed[node] === 0) kickNic(m, slot);
}

/** R34: the client's deferred close; it reopens later if configured to. */
export function closeAddress(m: Model, a: number): void {
  const addr = m.addr;
  if (!addr.open[a]) return;
  addr.open[a] = 0;
  addr.handlers[a] = 0; // the handlers go with the file object
  unlistAddress(m, a);
  emit(m, R.ADDRESS_CLOSE, a, 0, 0, 0, 0, 0);
  const cl = m.topo.addressClient[a] as number;
  const reopen = m.params.client.reopenAfterUs[cl] as number;
  if (reopen > 0) schedule(m, m.clock.nowUs + reopen, EV_ADDR_REOPEN, a, 0);
}

/** R34/R35: reopen once every driver the address depends on has recovered; otherwise try later. */
export function reopenAddress(m: Model, a: number): void {
  const deps = m.topo.addressDeps[a]!;
  const cl = m.topo.addressClient[a] as number;
  for (let k = 0; k < deps.length; k++) {
    if (m.nodes.failed[deps[k]!]) {
      schedule(m, m.clock.nowUs + (m.params.client.reopenAfterUs[cl] as number), EV_ADDR_REOPEN, a, 0);
      return;
    }
  }
  openAddress(m, a);
  const conns = m.topo.addressConnections[a]!;
  const conn = m.conn;
  for (let k = 0; k < conns.length; k++) {
    const c = conns[k]!;
    emit(m, R.CONNECTION_CONNECT, c, 0, 0, 0, 0, 0);
    // A new incarnation: nothing owed, nothing waited for, no work of the old one still expected.
    conn.broken[c] = 0;
    conn.awaiting[c] = AWAIT_NONE;
    conn.work[c] = 0;
  }
}

/** R2: a scheduled handler change (the scenario's handlerChanges[i]) on an address that is open. */
function changeHandler(m: Model, i: number): void {
  const h = m.scenario.handlerChanges[i]!;
  const a = m.topo.addressIds.indexOf(h.address); // rare: a scan, not an index kept for it
  if (m.addr.open[a]) register(m, a, handlerBit(h.handler as HandlerName), h.registered);
}

/** The kernel events this module runs. */
export const FAULT_EVENTS = {
  [EV_FAULT]: fault,
  [EV_RECOVER]: recover,
  [EV_ADDR_CLOSE]: closeAddress,
  [EV_ADDR_REOPEN]: reopenAddress,
  [EV_HANDLER_CHANGE]: changeHandler,
} as const satisfies EventHandlers;
