// ClientEventSendPossible (R20–R26): a refusal makes a connection owed one callback (R21); when space
// frees, the transport calls the owed connections in refusal order — all of them or only the oldest,
// once free space reaches the threshold (R22) — telling each the free space, which is not reserved
// (R23), so a resubmission can still lose the race (R24).
import { H_SEND_POSSIBLE } from '../base/status.ts';
import { R } from '../trace/records.ts';
import { checkHandler } from './irql.ts';
import { pump, servePending } from './sends.ts';
import { scheduleClientWork } from './policy.ts';
import { AWAIT_NONE, AWAIT_RESUBMIT, EV_RESUBMIT, FROM_DPC, FROM_HANDLER, FROM_WORK_ITEM, emit, type Model } from './state.ts';

/** Space may have freed in transport `tr`: pending blocking sends first, then the owed callbacks. */
export function spaceFreed(m: Model, tr: number): void {
  servePending(m, tr); // R14: held blocking sends are the transport's own; they go first.
  const notifier = m.notifier;
  const queue = notifier.queue[tr]!;
  const threshold = notifier.thresholdBytes[tr] as number;
  const capacity = m.params.transport.capacity[tr] as number;
  // R22 all: every indebted connection, in the order of their refusals; `oldest`: only the first.
  // Refusals made during this sweep (a handler's resubmission refused again) join the end of the
  // queue and wait for the next sweep.
  let calls = notifier.notifyAll[tr] ? queue.length : 1;
  let scan = queue.length;
  while (calls > 0 && scan > 0) {
    if (capacity - (m.pool.used[tr] as number) < threshold) return; // R22 threshold
    const c = queue.shift()!;
    notifier.listed[c] = 0;
    scan--;
    // Everyone queued is owed and callable: a break, a NULL registration or a close takes a
    // connection out (R21). Kept as a guard: a connection never called without its debt.
    if (!m.conn.debt[c] || !canNotify(m, c)) continue;
    calls--;
    sendPossible(m, c, tr);
  }
}

/**
 * R22: the connection joins the end of its transport's queue. The queue holds the connections owed
 * a SendPossible that can be called, in the order they became so: refused while their address had
 * the handler, or owed when the handler was registered.
 */
export function listDebtor(m: Model, tr: number, c: number): void {
  m.notifier.queue[tr]!.push(c);
  m.notifier.listed[c] = 1;
}

/** A connection that can no longer be called loses its place (R21, R22): broken, or its handler gone. */
export function unlistDebtor(m: Model, tr: number, c: number): void {
  if (!m.notifier.listed[c]) return;
  const queue = m.notifier.queue[tr]!;
  queue.splice(queue.indexOf(c), 1);
  m.notifier.listed[c] = 0;
}

/** R21: only a connection whose usable address has the SendPossible handler registered is called. */
export function canNotify(m: Model, c: number): boolean {
  const a = m.topo.connectionAddress[c] as number;
  return (m.addr.handlers[a]! & H_SEND_POSSIBLE) !== 0 && m.addr.usable[a] === 1 && !m.conn.broken[c];
}

function sendPossible(m: Model, c: number, tr: number): void {
  const conn = m.conn;
  // R23: BytesAvailable is the free space now, not reserved.
  const bytesAvailable = (m.params.transport.capacity[tr] as number) - (m.pool.used[tr] as number);
  const irql = m.params.transport.callbackIrql[tr] as number;
  // Record-level time: the record first, then what it changes — stopped just before the call (a
  // lesson asking who is called), the connection is still owed (Engine.runToRecord).
  emit(m, R.CALLBACK_SEND_POSSIBLE, c, 0, 0, bytesAvailable, -1, irql); // R40
  // R21: the debt is paid by this call.
  conn.debt[c] = 0;
  conn.told[c] = bytesAvailable;
  m.metrics.sendPossibles[c]!++;
  conn.lastIrql[c] = irql;
  const cl = m.topo.connectionClient[c] as number;
  checkHandler(m, cl, H_SEND_POSSIBLE, irql);
  // R26: the handler returns STATUS_SUCCESS. A client holding nothing has nothing to resubmit;
  // otherwise what it does first is its policy (R25).
  if (conn.held[c]!.length === 0) return;
  const from = m.policy.from[cl];
  if (from === FROM_HANDLER) {
    conn.awaiting[c] = AWAIT_NONE;
    conn.work[c] = 0;
    pump(m, c, true);
  } else if ((from === FROM_DPC || from === FROM_WORK_ITEM) && conn.awaiting[c] !== AWAIT_RESUBMIT) {
    // The delay is the race window: anyone may take the space meanwhile (R24).
    conn.awaiting[c] = AWAIT_RESUBMIT;
    scheduleClientWork(m, c, EV_RESUBMIT, m.policy.delayUs[cl] as number);
  }
  // FROM_TIMER: the client ignores the call; its timer retries.
}
