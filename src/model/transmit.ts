// Transmission: each NIC takes bytes from the pool, round-robin over the connections routed through
// it, one MTU at a time at its link rate. Transmitted bytes free pool space (R20).
import { R } from '../trace/records.ts';
import { setPoolUsed } from './sends.ts';
import { spaceFreed } from './sendPossible.ts';
import { EV_TX_DONE, emit, schedule, type EventHandlers, type Model } from './state.ts';

export function ringPush(m: Model, n: number, c: number): void {
  const nic = m.nic;
  const ring = nic.ring[n]!;
  ring[((nic.ringHead[n] as number) + (nic.ringCount[n] as number)) % ring.length] = c;
  nic.ringCount[n]!++;
  m.conn.inNicRing[c] = 1;
}

/** Starts the next transmission if the NIC is idle and healthy: round-robin over its connections. */
export function kickNic(m: Model, n: number): void {
  const nic = m.nic;
  if (nic.busy[n] || m.nodes.failed[m.topo.nicNode[n] as number]) return;
  const conn = m.conn;
  const ring = nic.ring[n]!;
  const len = ring.length;
  while (nic.ringCount[n]! > 0) {
    const head = nic.ringHead[n] as number;
    const c = ring[head] as number;
    nic.ringHead[n] = (head + 1) % len;
    nic.ringCount[n]!--;
    const ready = (conn.buffered[c] as number) - (conn.inTx[c] as number);
    if (ready <= 0) {
      conn.inNicRing[c] = 0;
      continue;
    }
    const mtu = m.params.nic.mtuBytes[n] as number;
    const bytes = ready < mtu ? ready : mtu;
    conn.inTx[c]! += bytes;
    if (ready > bytes) ring[((nic.ringHead[n] as number) + nic.ringCount[n]!++) % len] = c;
    else conn.inNicRing[c] = 0;
    nic.busy[n] = 1;
    nic.txConn[n] = c;
    nic.txBytes[n] = bytes;
    const durUs = Math.max(1, Math.ceil((bytes * 1000) / (m.params.nic.bytesPerMs[n] as number)));
    schedule(m, m.clock.nowUs + durUs, EV_TX_DONE, n, nic.epoch[n] as number);
    return;
  }
}

/**
 * A NIC's transmission ends: its bytes leave the pool (R20) and the NIC takes the next. Returns the
 * connection whose bytes went, or -1 when the transmission had been cancelled. What the freed space
 * means next is the API's: SendPossible under TDI (txDone), completed IRPs under WSK (wsk.ts).
 */
export function endTransmission(m: Model, n: number, epoch: number): number {
  const nic = m.nic;
  if (epoch !== nic.epoch[n]) return -1; // cancelled by a fault or a discard
  const conn = m.conn;
  const c = nic.txConn[n] as number;
  const bytes = nic.txBytes[n] as number;
  const tr = m.topo.connectionTransport[c] as number;
  // Record-level time: the record first, then what it reports (docs/model.md § Moments between two records).
  const used = (m.pool.used[tr] as number) - bytes;
  emit(m, R.BUFFER_TRANSMIT, c, m.topo.nicNode[n] as number, 0, bytes, used, 0);
  nic.busy[n] = 0;
  nic.txConn[n] = -1;
  conn.inTx[c]! -= bytes;
  conn.buffered[c]! -= bytes;
  m.metrics.transmitted[c]! += bytes;
  setPoolUsed(m, tr, used);
  kickNic(m, n);
  return c;
}

export function txDone(m: Model, n: number, epoch: number): void {
  const c = endTransmission(m, n, epoch);
  if (c >= 0) spaceFreed(m, m.topo.connectionTransport[c] as number);
}

/** Stops a NIC's transmission in progress: its bytes stay in (or leave) the pool with the caller. */
export function cancelTx(m: Model, n: number): void {
  const nic = m.nic;
  if (!nic.busy[n]) return;
  const conn = m.conn;
  const c = nic.txConn[n] as number;
  conn.inTx[c]! -= nic.txBytes[n] as number;
  if (!conn.inNicRing[c] && conn.buffered[c]! > conn.inTx[c]!) ringPush(m, n, c);
  nic.busy[n] = 0;
  nic.txConn[n] = -1;
  nic.epoch[n]!++;
}

/** The kernel events this module runs. */
export const TRANSMIT_EVENTS = { [EV_TX_DONE]: txDone } as const satisfies EventHandlers;
