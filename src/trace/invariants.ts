// An independent check of the invariants I1–I7 and of the rules a trace can show (docs/rules.md).
// It rebuilds the pool, the connection accounting, the SendPossible queue, the clients' waits and
// what each client was told from the public trace and the scenario alone — none of the engine's code
// — so it can catch the engine lying.
import type { Scenario } from '../scenario/schema.ts';
import type { TraceEvent } from './names.ts';
import type { RecordNamed } from './recordTable.ts';
import { checkWskInvariants } from './wskInvariants.ts';

/** What the run ended with, for the end-of-run checks. */
export interface FinalState {
  /** Per connection (scenario order), bytes still in the pool. */
  buffered: ArrayLike<number>;
  /** The simulated time the run stopped at. */
  nowUs?: number;
}

export function checkInvariants(s: Scenario, events: readonly TraceEvent[], final?: FinalState): string[] {
  const problems: string[] = [];
  const bad = (e: TraceEvent, msg: string): void => {
    if (problems.length < 20) problems.push(`seq ${e.seq} (${e.type} at ${e.t} µs): ${msg}`);
  };
  const cap = new Map(s.transports.map((t) => [t.id, t.sendBufferBytes]));
  const pool = new Map(s.transports.map((t) => [t.id, 0]));
  const addressById = new Map(s.addresses.map((a) => [a.id, a]));
  const addrOf = new Map(s.connections.map((c) => [c.id, addressById.get(c.address)!]));
  const clientById = new Map(s.clients.map((c) => [c.id, c]));
  const connsOf = new Map(s.addresses.map((a) => [a.id, s.connections.filter((c) => c.address === a.id).map((c) => c.id)]));
  const buffered = new Map(s.connections.map((c) => [c.id, 0]));
  const accepted = new Map(s.connections.map((c) => [c.id, 0]));
  const transmitted = new Map(s.connections.map((c) => [c.id, 0]));
  const discarded = new Map(s.connections.map((c) => [c.id, 0]));
  const owed = new Set<string>();
  const regs = new Map<string, Set<string>>(); // address → registered handlers
  const open = new Set<string>();
  const brokenSince = new Set<string>(); // I5
  const submits = new Map<number, RecordNamed<'send.submit'>>();
  const blockingOrder = new Map<string, number[]>(); // conn/class → pending sendIds in order (I6)
  const classOf = (e: RecordNamed<'send.submit'>): string => `${e.connection}/${e.flags.includes('EXPEDITED') ? 'x' : 'n'}`;

  // Dependencies, computed afresh (R30): the transport, and every driver on a path to a bound NIC.
  const drivers = new Map(s.drivers.map((d) => [d.id, d]));
  const reaches = (from: string, nic: string): boolean => {
    if (from === nic) return true;
    const d = drivers.get(from);
    return d?.kind === 'protocol' ? d.lower.some((l) => reaches(l, nic)) : false;
  };
  const depends = (addressId: string, node: string): boolean => {
    const a = addressById.get(addressId)!;
    if (a.transport === node) return true;
    const t = s.transports.find((x) => x.id === a.transport)!;
    const onPath = (from: string): boolean => a.nics.some((n) => reaches(from, n));
    const below = (from: string): boolean => from === node ? onPath(from) : (drivers.get(from)?.kind === 'protocol' && (drivers.get(from) as { lower: string[] }).lower.some(below));
    return t.lower.some(below);
  };
  let expected: Map<string, number> | null = null; // "address/ex" → calls still owed for the current fault (I4)
  let expectedAt: TraceEvent | null = null;
  const closeFault = (): void => {
    if (expected && expectedAt) {
      for (const [k, n] of expected) if (n !== 0) bad(expectedAt, `I4: ${k} got ${n > 0 ? n + ' fewer' : -n + ' more'} error callbacks than registered handlers`);
    }
    expected = null;
    expectedAt = null;
  };

  // R22: per transport, the connections owed a SendPossible that can be called, in the order they
  // became so. Whoever is called must be at the head: nobody who waited longer is passed over.
  const queue = new Map(s.transports.map((t) => [t.id, [] as string[]]));
  const usable = new Set<string>(); // addresses not made unusable by a fatal fault (R31)
  const callable = (c: string): boolean => {
    const a = addrOf.get(c)!.id;
    return regs.get(a)?.has('SendPossible') === true && usable.has(a) && !brokenSince.has(c);
  };
  const unqueue = (c: string): void => {
    const q = queue.get(addrOf.get(c)!.transport)!;
    const at = q.indexOf(c);
    if (at >= 0) q.splice(at, 1);
  };
  const enqueue = (c: string): void => {
    const q = queue.get(addrOf.get(c)!.transport)!;
    if (owed.has(c) && callable(c) && !q.includes(c)) q.push(c);
  };

  // R25: the client's resubmission policy in force at a time, from the scenario and its changes.
  const policiesByTime = [...s.policyChanges].sort((x, y) => x.atUs - y.atUs); // stable: ties in file order
  const policyTimes = (client: string): number[] =>
    s.policyChanges.filter((p) => p.resubmit && (p.client === undefined || p.client === client)).map((p) => p.atUs);
  const policyAt = (client: string, t: number): { from: string; delayUs: number } => {
    const c = clientById.get(client)!;
    const now = { from: c.resubmit.from as string, delayUs: c.resubmit.delayUs };
    for (const p of policiesByTime) {
      if (p.atUs >= t || !p.resubmit || (p.client !== undefined && p.client !== client)) continue;
      if (p.resubmit.from) now.from = p.resubmit.from;
      if (p.resubmit.delayUs !== undefined) now.delayUs = p.resubmit.delayUs;
    }
    if (now.from === 'timer' && now.delayUs < 1) now.delayUs = 1;
    return now;
  };
  const changedWithin = (client: string, from: number, to: number): boolean => policyTimes(client).some((t) => t >= from && t <= to);
  // Per connection: the next non-blocking submission the client owes, and when (R25); atUs null when
  // a policy change came in between, so that when (and whether) it comes is not checked.
  const due = new Map<string, { atUs: number | null; resubmit: boolean; why: string }>();
  const lastRefusalUs = new Map<string, number>();

  // R33, R34: addresses whose client was told, through Error/ErrorEx, that they are unusable.
  const toldAt = new Map<string, number>();
  let faultFatal = false;
  let sawBugcheck = false;
  let lastTimeUs = 0;

  for (const e of events) {
    if (sawBugcheck) bad(e, 'R41: a record after the bug check — the machine had stopped');
    if (e.t > lastTimeUs) {
      for (const [c, d] of due) {
        if (d.atUs !== null && d.atUs < e.t) {
          bad(e, `R25: ${c} owed a ${d.why} at ${d.atUs} µs that never came`);
          due.delete(c);
        }
      }
      lastTimeUs = e.t;
    }
    // A fault's callbacks all happen in its own dispatch, at its instant (interleaved with the
    // breaking of each address); the tally closes when time moves on or another fault starts.
    if (expectedAt && (e.t !== expectedAt.t || e.type === 'driver.fault')) closeFault();
    switch (e.type) {
      case 'address.open': {
        const a = e.address;
        open.add(a);
        usable.add(a);
        toldAt.delete(a);
        regs.set(a, new Set());
        for (const c of connsOf.get(a)!) brokenSince.delete(c);
        break;
      }
      case 'address.close': {
        const a = e.address;
        open.delete(a);
        regs.set(a, new Set());
        for (const c of connsOf.get(a)!) unqueue(c);
        break;
      }
      case 'handler.register':
        if (e.status === 'STATUS_SUCCESS') {
          const a = e.address;
          if (e.registered) regs.get(a)!.add(e.event);
          else regs.get(a)!.delete(e.event);
          if (e.event === 'SendPossible') for (const c of connsOf.get(a)!) (e.registered ? enqueue : unqueue)(c);
        }
        break;
      case 'send.submit': {
        const conn = e.connection;
        submits.set(e.sendId, e);
        const a = e.address;
        if (toldAt.has(a)) bad(e, `R33: ${a}'s client was told at ${toldAt.get(a)!} µs that it is unusable, yet submits on it`);
        if (!e.flags.includes('NON_BLOCKING')) break;
        const d = due.get(conn);
        if (d) {
          // atUs null: a policy change came in between, so when (and whether) it comes is not checked.
          if (d.atUs !== null && d.atUs !== e.t) bad(e, `R25: ${conn} submitted at ${e.t} µs; its ${d.why} was due at ${d.atUs} µs`);
          else if (d.atUs !== null && d.resubmit && e.resubmit !== true) bad(e, `R24: ${conn}'s ${d.why} is not marked resubmit`);
          due.delete(conn);
        } else if (e.resubmit) {
          bad(e, `R24: ${conn} marked resubmit with no SendPossible it was answering`);
        }
        break;
      }
      case 'send.pending': {
        const sub = submits.get(e.sendId)!;
        const k = classOf(sub);
        if (!blockingOrder.has(k)) blockingOrder.set(k, []);
        blockingOrder.get(k)!.push(e.sendId);
        break;
      }
      case 'send.complete': {
        const conn = e.connection;
        const sub = submits.get(e.sendId);
        if (!sub) {
          bad(e, 'completion of a send never submitted');
          break;
        }
        const info = e.information;
        if (info > sub.bytes) bad(e, 'Information exceeds SendLength');
        if (e.blocking) {
          const order = blockingOrder.get(classOf(sub)) ?? [];
          if (order[0] !== e.sendId) bad(e, `I6: blocking send ${e.sendId} completed before ${order[0]}`);
          order.shift();
        }
        // A blocking send's bytes were counted by its buffer.copy events as they entered the pool
        // (its Information is their sum); a non-blocking send's bytes enter the pool at completion.
        if (!e.blocking) {
          accepted.set(conn, accepted.get(conn)! + info);
          const tr = addrOf.get(conn)!.transport;
          pool.set(tr, pool.get(tr)! + info);
          buffered.set(conn, buffered.get(conn)! + info);
        }
        if (e.status === 'STATUS_DEVICE_NOT_READY') {
          owed.add(conn);
          enqueue(conn);
          lastRefusalUs.set(conn, e.t);
          // R25 timer: the client retries exactly delayUs later (unless its policy changes meanwhile).
          const client = addrOf.get(conn)!.client;
          const p = policyAt(client, e.t);
          if (p.from === 'timer') {
            const atUs = changedWithin(client, e.t, e.t + p.delayUs) ? null : e.t + p.delayUs;
            due.set(conn, { atUs, resubmit: false, why: 'timer retry' });
          } else if (changedWithin(client, e.t, e.t)) {
            due.set(conn, { atUs: null, resubmit: false, why: 'retry' });
          }
        }
        if (e.status === 'STATUS_SUCCESS' && brokenSince.has(conn)) bad(e, `I5: a send on broken ${conn} succeeded`);
        break;
      }
      case 'buffer.copy': {
        const { transport: tr, connection: conn, bytes } = e;
        accepted.set(conn, accepted.get(conn)! + bytes);
        buffered.set(conn, buffered.get(conn)! + bytes);
        pool.set(tr, pool.get(tr)! + bytes);
        if (pool.get(tr) !== e.bufferedAfter) bad(e, `I1: pool ${tr} should hold ${pool.get(tr)!}, trace says ${e.bufferedAfter}`);
        break;
      }
      case 'buffer.transmit':
      case 'buffer.discard': {
        const { transport: tr, connection: conn, bytes: n } = e;
        // Bytes of blocking sends enter the pool while pending; the transmit shows the pool total.
        (e.type === 'buffer.transmit' ? transmitted : discarded).set(conn, (e.type === 'buffer.transmit' ? transmitted : discarded).get(conn)! + n);
        pool.set(tr, pool.get(tr)! - n);
        if (pool.get(tr) !== e.bufferedAfter) bad(e, `I2: pool ${tr} should hold ${pool.get(tr)!} after this, trace says ${e.bufferedAfter}`);
        break;
      }
      case 'callback.sendPossible': {
        const { address: a, connection: conn } = e;
        const tr = addrOf.get(conn)!.transport;
        if (!owed.has(conn)) bad(e, `I3: ${conn} called without a DEVICE_NOT_READY since its last SendPossible`);
        if (!regs.get(a)?.has('SendPossible')) bad(e, `I3: ${a} has no SendPossible handler`);
        const free = cap.get(tr)! - pool.get(tr)!;
        if (e.bytesAvailable !== free) bad(e, `I3: BytesAvailable ${e.bytesAvailable} ≠ free space ${free}`);
        const head = queue.get(tr)![0];
        if (head !== conn) bad(e, `R22: ${conn} called while ${head ?? 'nobody'} heads the queue of those owed`);
        unqueue(conn);
        owed.delete(conn);
        // R25: the client answers with a resubmission at once (handler) or delayUs later (dpc,
        // workItem) — when its policy held still since the refusal, it still holds the refused data.
        const client = e.client;
        const since = lastRefusalUs.get(conn) ?? 0;
        const p = policyAt(client, e.t);
        if (changedWithin(client, since, e.t + p.delayUs)) {
          due.set(conn, { atUs: null, resubmit: true, why: 'resubmission' });
        } else if (p.from !== 'timer') {
          due.set(conn, { atUs: e.t + (p.from === 'handler' ? 0 : p.delayUs), resubmit: true, why: `resubmission (${p.from})` });
        }
        break;
      }
      case 'client.fail':
        // The client gave up what it held: no retry or resubmission is owed any more.
        if (e.status !== 'STATUS_INSUFFICIENT_RESOURCES') due.delete(e.connection);
        break;
      case 'connection.broken':
        brokenSince.add(e.connection);
        owed.delete(e.connection);
        unqueue(e.connection);
        break;
      case 'connection.connect':
        due.delete(e.connection);
        break;
      case 'driver.fault': {
        expected = new Map();
        expectedAt = e;
        faultFatal = e.fatal === true;
        for (const a of s.addresses) {
          if (!open.has(a.id) || !depends(a.id, e.driver)) continue;
          if (faultFatal) usable.delete(a.id); // R31
          const r = regs.get(a.id)!;
          if (r.has('Error')) expected.set(`${a.id}/Error`, 1);
          if (r.has('ErrorEx')) expected.set(`${a.id}/ErrorEx`, 1);
        }
        break;
      }
      case 'callback.error': {
        const a = e.address;
        const k = `${a}/${e.ex ? 'ErrorEx' : 'Error'}`;
        if (!expected || !expected.has(k)) bad(e, `I4: unexpected ${k} callback`);
        else expected.set(k, expected.get(k)! - 1);
        // R33: told of a fatal failure of an address that is unusable (now or since an earlier one).
        if (faultFatal && !usable.has(a) && !toldAt.has(a)) {
          toldAt.set(a, e.t);
          for (const c of connsOf.get(a)!) due.delete(c);
        }
        break;
      }
      case 'bugcheck':
        sawBugcheck = true;
        expected = null;
        break;
    }
    // I1 after every event.
    for (const [tr, used] of pool) {
      if (used < 0 || used > cap.get(tr)!) bad(e, `I1: pool ${tr} holds ${used} of ${cap.get(tr)!} bytes`);
    }
    if (e.type === 'buffer.transmit' || e.type === 'buffer.discard') {
      const conn = e.connection;
      const b = accepted.get(conn)! - transmitted.get(conn)! - discarded.get(conn)!;
      if (b < 0) bad(e, `I2: ${conn} transmitted/discarded more than it was accepted`);
    }
  }
  if (!sawBugcheck) closeFault();
  if (final) {
    // I2 at the end: accepted = transmitted + buffered + discarded, per connection.
    s.connections.forEach((c, i) => {
      const b = accepted.get(c.id)! - transmitted.get(c.id)! - discarded.get(c.id)!;
      if (b !== final.buffered[i]) problems.push(`I2: ${c.id} accepted − transmitted − discarded = ${b}, but ${final.buffered[i]} bytes are buffered`);
    });
    const end = final.nowUs;
    if (end !== undefined && !sawBugcheck) {
      // R25: a retry or resubmission due before the end happened.
      for (const [c, d] of due) if (d.atUs !== null && d.atUs < end) problems.push(`R25: ${c} owed a ${d.why} at ${d.atUs} µs that never came (run ended at ${end} µs)`);
      // R34: a client told its address is unusable closes it closeAfterUs later.
      for (const [a, t] of toldAt) {
        const closeAt = t + clientById.get(addressById.get(a)!.client)!.onError.closeAfterUs;
        if (open.has(a) && closeAt <= end) problems.push(`R34: ${a} was told at ${t} µs but is still open at ${end} µs (close due at ${closeAt} µs)`);
      }
    }
  }
  // W10–W13 on a trace of a run through WSK (nothing to check on a TDI trace).
  for (const p of checkWskInvariants(s, events)) if (problems.length < 20) problems.push(p);
  return problems;
}
