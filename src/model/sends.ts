// TDI_SEND (R10–R16): the application hands data to its client; the client submits non-blocking
// sends and holds what the transport refused; the transport copies into its one shared pool, refuses
// when it is full (R13) and holds blocking sends pending (R14).
import {
  S_DEVICE_NOT_READY,
  S_INSUFFICIENT_RESOURCES,
  S_INVALID_CONNECTION,
  S_INVALID_PARAMETER,
  S_PENDING,
  S_SUCCESS,
  SEND_FLAGS,
} from '../base/status.ts';
import { COMPLETE_BLOCKING, COMPLETE_LOST_RACE, R, SUBMIT_RESUBMIT } from '../trace/records.ts';
import { listDebtor, canNotify } from './sendPossible.ts';
import { kickNic, ringPush } from './transmit.ts';
import { scheduleClientWork } from './policy.ts';
import {
  AWAIT_NONE,
  AWAIT_SEND_POSSIBLE,
  AWAIT_TIMER,
  EV_APP_SEND,
  EV_RETRY,
  FROM_TIMER,
  emit,
  recordWait,
  schedule,
  type EventHandlers,
  type Model,
  type PendingSend,
} from './state.ts';

// ---- The application above the client ----------------------------------------------------------

export function scheduleGenerated(m: Model, c: number, k: number): void {
  const p = m.params.connection;
  let at = (p.generatorStartUs[c] as number) + k * (p.generatorEveryUs[c] as number);
  const jitterUs = p.generatorJitterUs[c] as number;
  if (jitterUs > 0) at += m.prng.intInclusive(jitterUs);
  const last = m.conn.generatorLastUs;
  if (at < (last[c] as number)) at = last[c] as number;
  last[c] = at;
  schedule(m, at, EV_APP_SEND, c, -(k + 1));
}

/**
 * The application's send `which` (explicit send >= 0, or generated send -(k+1)): its bytes, with its
 * TDI_SEND flag mask in `appSendFlags`; a generated one schedules the next. Both APIs start here.
 */
export function takeAppSend(m: Model, c: number, which: number): number {
  if (which >= 0) {
    const x = m.params.connection.appSends[c]![which]!;
    appSendFlags = x.flags;
    return x.bytes;
  }
  const p = m.params.connection;
  const k = -which - 1;
  if (k + 1 < (p.generatorCount[c] as number)) scheduleGenerated(m, c, k + 1);
  appSendFlags = p.generatorFlags[c] as number;
  return p.generatorBytes[c] as number;
}
/** The flag mask of the send takeAppSend returned last. */
let appSendFlags = 0;

/** The application asks its client to send (explicit send `which` >= 0, or generated send -(k+1)). */
export function appSend(m: Model, c: number, which: number): void {
  const bytes = takeAppSend(m, c, which);
  const flags = appSendFlags;
  const metrics = m.metrics;
  metrics.offered[c]! += bytes;
  const a = m.topo.connectionAddress[c] as number;
  // R33: a client that heard of the error (or closed the address) no longer submits on it; it fails
  // the request to its own caller.
  if (m.addr.knowsBroken[a] || !m.addr.open[a]) {
    failUpward(m, c, m.addr.failStatus[a] as number, -1, bytes);
    return;
  }
  if ((flags & SEND_FLAGS.NON_BLOCKING) === 0) {
    // R14: a blocking send goes straight to the transport, which holds it if it does not fit. If the
    // transport fails it at once (R15, R16), the client fails it upward.
    const status = tdiSend(m, c, bytes, flags, false, -1);
    if (status !== S_PENDING) metrics.failed[c]! += bytes;
    return;
  }
  // Backpressure: a client with a full queue fails new work at once instead of holding it.
  const cl = m.topo.connectionClient[c] as number;
  const conn = m.conn;
  // Without a queueLimitBytes the bound is DEFAULT_QUEUE_LIMIT_BYTES, so an endless overload
  // cannot grow the queue until memory runs out.
  if (conn.heldBytes[c]! + bytes > (m.params.client.queueLimitBytes[cl] as number)) {
    m.metrics.queueFull[c]! += bytes;
    failUpward(m, c, S_INSUFFICIENT_RESOURCES, -1, bytes);
    return;
  }
  // The client keeps its stream in order: new data waits behind data the transport refused.
  const q = conn.held[c]!;
  q.push({ remaining: bytes, flags, origin: -1, refusedAtUs: -1 });
  conn.heldBytes[c]! += bytes;
  if (q.length === 1 && conn.awaiting[c] === AWAIT_NONE) pump(m, c, false);
}

/** The client fails bytes to the application above it (R33, backpressure, R15). */
export function failUpward(m: Model, c: number, status: number, origin: number, bytes: number): void {
  m.metrics.failed[c]! += bytes;
  emit(m, R.CLIENT_FAIL, c, status, origin, bytes, 0, 0);
}

/**
 * The client submits what it holds, in order, until it is refused or has nothing left. `resubmit`:
 * the first submission is the resubmission after a SendPossible (R24) — it applies to this call
 * only, so a callback that finds nothing queued marks nothing.
 */
export function pump(m: Model, c: number, resubmit: boolean): void {
  const conn = m.conn;
  const q = conn.held[c]!;
  const a = m.topo.connectionAddress[c] as number;
  const cl = m.topo.connectionClient[c] as number;
  let isResubmit = resubmit;
  while (q.length > 0) {
    if (m.addr.knowsBroken[a] || !m.addr.open[a]) {
      failHeld(m, c, m.addr.failStatus[a] as number); // R33
      return;
    }
    const item = q[0]!;
    let len = item.remaining;
    // R25 size=available: the resubmission asks for at most what it was told.
    if (isResubmit && m.policy.sizeAvailable[cl] && conn.told[c]! < len) len = conn.told[c] as number;
    const status = tdiSend(m, c, len, item.flags, isResubmit, item.origin);
    isResubmit = false;
    if (item.origin < 0) item.origin = m.clock.nextSendId - 1;
    if (status === S_DEVICE_NOT_READY) {
      if (item.refusedAtUs < 0) item.refusedAtUs = m.clock.nowUs;
      if (m.policy.from[cl] === FROM_TIMER) {
        // R25 timer: no SendPossible needed; retry after delayUs.
        conn.awaiting[c] = AWAIT_TIMER;
        scheduleClientWork(m, c, EV_RETRY, m.policy.delayUs[cl] as number);
      } else {
        conn.awaiting[c] = AWAIT_SEND_POSSIBLE;
      }
      return;
    }
    if (status === S_INVALID_PARAMETER) {
      // R15: too long for the transport; the client fails it upward and goes on with the next.
      q.shift();
      conn.heldBytes[c]! -= item.remaining;
      failUpward(m, c, status, item.origin, item.remaining);
      continue;
    }
    // R3: a transport that does not buffer took the send as a blocking one; it owns those bytes now
    // and completes the send itself (R14). The client goes on with what it holds next.
    const moved = status === S_PENDING ? len : status === S_SUCCESS ? m.clock.lastInformation : -1;
    if (moved < 0) {
      // R16: the connection is gone; everything held for it fails.
      failHeld(m, c, status);
      return;
    }
    item.remaining -= moved;
    conn.heldBytes[c]! -= moved;
    if (item.remaining === 0) {
      q.shift();
      if (item.refusedAtUs >= 0) recordWait(m, c, cl, m.clock.nowUs - item.refusedAtUs);
    }
    // R12: a partial copy leaves the rest with the client; the loop submits it again, which the
    // now-full pool refuses (R13), and that refusal is what makes SendPossible owed.
  }
}

/** R33: the client fails to its callers every send it still holds for this connection. */
export function failHeld(m: Model, c: number, status: number): void {
  const conn = m.conn;
  const q = conn.held[c]!;
  for (const item of q) failUpward(m, c, status, item.origin, item.remaining);
  q.length = 0;
  conn.heldBytes[c] = 0;
  conn.awaiting[c] = AWAIT_NONE;
  conn.work[c] = 0; // nothing left to retry or resubmit
}

// ---- The transport: TDI_SEND -----------------------------------------------------------------

/** One TDI_SEND IRP. Returns the completion status index; Information is in clock.lastInformation. */
function tdiSend(m: Model, c: number, bytes: number, flags: number, isResubmit: boolean, origin: number): number {
  const sendId = m.clock.nextSendId++;
  m.metrics.submits[c]!++;
  emit(m, R.SEND_SUBMIT, c, 0, sendId, bytes, origin, flags | (isResubmit ? SUBMIT_RESUBMIT : 0));
  const a = m.topo.connectionAddress[c] as number;
  const tr = m.topo.connectionTransport[c] as number;
  const conn = m.conn;
  const told = isResubmit ? (conn.told[c] as number) : -1;
  if (!m.addr.usable[a] || conn.broken[c]) {
    return complete(m, c, sendId, S_INVALID_CONNECTION, 0, bytes, told, 0); // R16
  }
  const transport = m.params.transport;
  if (bytes > (transport.maxSend[tr] as number)) {
    return complete(m, c, sendId, S_INVALID_PARAMETER, 0, bytes, told, 0); // R15
  }
  // R3: a transport that does not buffer sends ignores NON_BLOCKING: every send is held (R14).
  if ((flags & SEND_FLAGS.NON_BLOCKING) === 0 || !transport.buffersSends[tr]) {
    holdBlocking(m, c, tr, sendId, bytes, (flags & SEND_FLAGS.EXPEDITED) !== 0);
    m.clock.lastInformation = 0;
    return S_PENDING;
  }
  const free = (transport.capacity[tr] as number) - (m.pool.used[tr] as number);
  // R10: a non-blocking send cannot overtake this connection's pending blocking sends, so while
  // any are held it is refused as if the pool were full (model).
  if (free <= 0 || conn.pendingBytes[c]! > 0) {
    // R13: refused at once, Information = 0, not queued; SendPossible is now owed (R21).
    m.metrics.refusals[c]!++;
    conn.debt[c] = 1;
    if (!m.notifier.listed[c] && canNotify(m, c)) listDebtor(m, tr, c);
    return complete(m, c, sendId, S_DEVICE_NOT_READY, 0, bytes, told, 0);
  }
  const copied = bytes <= free ? bytes : free; // R11 all, R12 what fits
  accept(m, c, tr, copied);
  return complete(m, c, sendId, S_SUCCESS, copied, bytes, told, 0);
}

/** Completes a TDI_SEND: `told` is the BytesAvailable a resubmission was told (-1 otherwise). */
export function complete(m: Model, c: number, sendId: number, status: number, info: number, asked: number, told: number, bits: number): number {
  // R24: a resubmission that got less than min(its length, what it was told) lost the race — to
  // someone who took the space; a send failed for another reason (R15, R16) lost nothing.
  if (told >= 0 && (status === S_SUCCESS || status === S_DEVICE_NOT_READY) && info < (asked < told ? asked : told)) {
    bits |= COMPLETE_LOST_RACE;
    m.metrics.lostRaces[c]!++;
  }
  m.clock.lastInformation = info;
  emit(m, R.SEND_COMPLETE, c, status, sendId, info, told, bits);
  return status;
}

/** Bytes enter the pool: counted as accepted, queued for the NIC. */
function accept(m: Model, c: number, tr: number, bytes: number): void {
  setPoolUsed(m, tr, (m.pool.used[tr] as number) + bytes);
  m.conn.buffered[c]! += bytes;
  m.metrics.accepted[c]! += bytes;
  if (!m.conn.inNicRing[c]) {
    const n = m.topo.connectionNicSlot[c] as number;
    ringPush(m, n, c);
    kickNic(m, n);
  }
}

/** Sets a pool's occupancy, keeping its peak and its time integral (for the mean). */
export function setPoolUsed(m: Model, tr: number, value: number): void {
  const pool = m.pool;
  const now = m.clock.nowUs;
  pool.area[tr]! += (pool.used[tr] as number) * (now - (pool.since[tr] as number));
  pool.since[tr] = now;
  pool.used[tr] = value;
  if (value > pool.peak[tr]!) pool.peak[tr] = value;
}

/** R14 + R10: the transport holds a blocking send in the connection's FIFO; expedited go first. */
function holdBlocking(m: Model, c: number, tr: number, sendId: number, bytes: number, expedited: boolean): void {
  const conn = m.conn;
  const q = conn.pending[c]!;
  const p: PendingSend = { sendId, bytes, copied: 0, expedited };
  if (expedited) {
    // Ahead of queued normal sends, FIFO among expedited ones. The head may be partly copied
    // already; it keeps its place.
    let i = 0;
    while (i < q.length && (q[i]!.expedited || (i === 0 && q[0]!.copied > 0))) i++;
    q.splice(i, 0, p);
  } else {
    q.push(p);
  }
  if (conn.pendingBytes[c] === 0) m.pool.blockingRing[tr]!.push(c);
  conn.pendingBytes[c]! += bytes;
  emit(m, R.SEND_PENDING, c, 0, sendId, bytes, -1, 0);
  servePending(m, tr);
}

/** R14: copy pending blocking sends into free space, connection by connection in arrival order. */
export function servePending(m: Model, tr: number): void {
  const ring = m.pool.blockingRing[tr]!;
  const conn = m.conn;
  const capacity = m.params.transport.capacity[tr] as number;
  while (ring.length > 0) {
    const free = capacity - (m.pool.used[tr] as number);
    if (free <= 0) return;
    const c = ring[0]!;
    const q = conn.pending[c]!;
    const p = q[0];
    if (!p) {
      ring.shift();
      continue;
    }
    const want = p.bytes - p.copied;
    const n = want <= free ? want : free;
    p.copied += n;
    conn.pendingBytes[c]! -= n;
    accept(m, c, tr, n);
    emit(m, R.BUFFER_COPY, c, 0, p.sendId, n, m.pool.used[tr] as number, 0);
    if (p.copied === p.bytes) {
      q.shift();
      complete(m, c, p.sendId, S_SUCCESS, p.bytes, p.bytes, -1, COMPLETE_BLOCKING);
      if (q.length === 0) ring.shift();
    }
  }
}

/** The kernel events this module runs. */
export const SEND_EVENTS = { [EV_APP_SEND]: appSend } as const satisfies EventHandlers;
