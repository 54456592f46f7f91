// The client's side of R25 and the policy changes a scenario (or the user) makes mid-run (R22, R25).
//
// Client work — a retry timer (R25 timer) or a delayed resubmission (R25 dpc/workItem) — belongs to
// one connection, and a connection has at most one piece of it scheduled. Its kernel event carries the
// work's id; the connection remembers the id it expects (ConnectionStore.work). Whatever ends the wait
// (the client failing what it holds after a break, a SendPossible answered at once, a reopen, a policy
// change) clears that id, so an old timer or resubmission that fires later finds it is not expected
// and does nothing: two timers can never run side by side.
import type { PolicyChange } from '../scenario/schema.ts';
import { pump } from './sends.ts';
import { spaceFreed } from './sendPossible.ts';
import {
  AWAIT_NONE,
  AWAIT_RESUBMIT,
  AWAIT_SEND_POSSIBLE,
  AWAIT_TIMER,
  EV_POLICY,
  EV_RESUBMIT,
  EV_RETRY,
  FROM_CODES,
  FROM_TIMER,
  schedule,
  type EventHandlers,
  type Model,
} from './state.ts';

/** Schedules the connection's one piece of client work, replacing any it had. */
export function scheduleClientWork(m: Model, c: number, kind: number, delayUs: number): void {
  const id = m.clock.nextWorkId++;
  m.conn.work[c] = id;
  schedule(m, m.clock.nowUs + delayUs, kind, c, id);
}

/** EV_RETRY / EV_RESUBMIT: the client's timer or deferred routine runs, if it is still expected. */
export function runClientWork(m: Model, kind: number, c: number, id: number): void {
  const conn = m.conn;
  if (conn.work[c] !== id) return; // cancelled, or replaced by newer work
  conn.work[c] = 0;
  const resubmit = kind === EV_RESUBMIT;
  if (conn.awaiting[c] !== (resubmit ? AWAIT_RESUBMIT : AWAIT_TIMER)) return;
  conn.awaiting[c] = AWAIT_NONE;
  pump(m, c, resubmit); // R24: a resubmission after SendPossible; R25 timer: a plain retry
}

/** A policy change takes effect: the new values, then whoever is waiting under the old ones. */
export function applyPolicy(m: Model, p: PolicyChange): void {
  const s = m.scenario;
  const policy = m.policy;
  if (p.resubmit) {
    const r = p.resubmit;
    s.clients.forEach((client, cl) => {
      if (p.client !== undefined && p.client !== client.id) return;
      const fromBefore = policy.from[cl];
      if (r.from) policy.from[cl] = FROM_CODES[r.from];
      if (r.delayUs !== undefined) policy.delayUs[cl] = r.delayUs;
      if (r.size) policy.sizeAvailable[cl] = r.size === 'available' ? 1 : 0;
      if (policy.from[cl] === FROM_TIMER && policy.delayUs[cl]! < 1) policy.delayUs[cl] = 1;
      if (policy.from[cl] !== fromBefore) rethinkWaits(m, cl);
    });
  }
  if (p.sendPossible) {
    const notifier = m.notifier;
    s.transports.forEach((t, tr) => {
      if (p.transport !== undefined && p.transport !== t.id) return;
      if (p.sendPossible!.notify) notifier.notifyAll[tr] = p.sendPossible!.notify === 'all' ? 1 : 0;
      if (p.sendPossible!.thresholdBytes !== undefined) notifier.thresholdBytes[tr] = p.sendPossible!.thresholdBytes;
      // R20, R22: with a lower threshold (or `all` instead of `oldest`), space already free may now be
      // owed to waiting connections: the transport calls them now, not at the next transmission.
      spaceFreed(m, tr);
    });
  }
}

/**
 * R25: a client whose resubmission source changed re-examines the sends it holds. A connection
 * waiting for its retry timer or for a SendPossible stops waiting the old way and submits again at
 * once; if refused, it then waits the new way. A resubmission already scheduled runs as planned.
 */
function rethinkWaits(m: Model, cl: number): void {
  const conn = m.conn;
  const nC = m.topo.connectionIds.length;
  for (let c = 0; c < nC; c++) {
    if (m.topo.connectionClient[c] !== cl) continue;
    const waiting = conn.awaiting[c];
    if (waiting !== AWAIT_TIMER && waiting !== AWAIT_SEND_POSSIBLE) continue;
    conn.awaiting[c] = AWAIT_NONE;
    conn.work[c] = 0;
    pump(m, c, false);
  }
}

/** The kernel events this module runs. */
export const POLICY_EVENTS = {
  [EV_RESUBMIT]: (m, c, id) => runClientWork(m, EV_RESUBMIT, c, id),
  [EV_RETRY]: (m, c, id) => runClientWork(m, EV_RETRY, c, id),
  [EV_POLICY]: (m, i) => applyPolicy(m, m.policyChanges[i]!),
} as const satisfies EventHandlers;
