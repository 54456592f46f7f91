// An independent check of invariants I1–I6 (tdi-semantics.md) over a decoded trace. It rebuilds the
// pool and connection accounting from the public trace alone, so it can catch the engine lying.
import type { Scenario } from '../scenario/schema.ts';
import type { TraceEvent } from './names.ts';

export function checkInvariants(s: Scenario, events: readonly TraceEvent[], final?: { buffered: Float64Array }): string[] {
  const problems: string[] = [];
  const bad = (e: TraceEvent, msg: string): void => {
    if (problems.length < 20) problems.push(`seq ${e.seq} (${e.type} at ${e.t} µs): ${msg}`);
  };
  const cap = new Map(s.transports.map((t) => [t.id, t.sendBufferBytes]));
  const pool = new Map(s.transports.map((t) => [t.id, 0]));
  const addrOf = new Map(s.connections.map((c) => [c.id, s.addresses.find((a) => a.id === c.address)!]));
  const buffered = new Map(s.connections.map((c) => [c.id, 0]));
  const accepted = new Map(s.connections.map((c) => [c.id, 0]));
  const transmitted = new Map(s.connections.map((c) => [c.id, 0]));
  const discarded = new Map(s.connections.map((c) => [c.id, 0]));
  const owed = new Set<string>();
  const regs = new Map<string, Set<string>>(); // address → registered handlers
  const open = new Set<string>();
  const brokenSince = new Set<string>(); // I5
  const submits = new Map<number, TraceEvent>();
  const blockingOrder = new Map<string, number[]>(); // conn/class → pending sendIds in order (I6)
  const classOf = (e: TraceEvent): string => `${e.connection as string}/${(e.flags as string[]).includes('EXPEDITED') ? 'x' : 'n'}`;

  // Dependencies, computed afresh (R30): the transport, and every driver on a path to a bound NIC.
  const drivers = new Map(s.drivers.map((d) => [d.id, d]));
  const reaches = (from: string, nic: string): boolean => {
    if (from === nic) return true;
    const d = drivers.get(from);
    return d?.kind === 'protocol' ? d.lower.some((l) => reaches(l, nic)) : false;
  };
  const depends = (addressId: string, node: string): boolean => {
    const a = s.addresses.find((x) => x.id === addressId)!;
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
  let sawBugcheck = false;

  for (const e of events) {
    const conn = e.connection as string | undefined;
    // A fault's callbacks all happen in its own dispatch, at its instant (interleaved with the
    // breaking of each address); the tally closes when time moves on or another fault starts.
    if (expectedAt && (e.t !== expectedAt.t || e.type === 'driver.fault')) closeFault();
    switch (e.type) {
      case 'address.open':
        open.add(e.address as string);
        regs.set(e.address as string, new Set());
        for (const c of s.connections) if (c.address === e.address) brokenSince.delete(c.id);
        break;
      case 'address.close':
        open.delete(e.address as string);
        regs.set(e.address as string, new Set());
        break;
      case 'handler.register':
        if (e.status === 'STATUS_SUCCESS') {
          if (e.registered) regs.get(e.address as string)!.add(e.event as string);
          else regs.get(e.address as string)!.delete(e.event as string);
        }
        break;
      case 'send.submit':
        submits.set(e.sendId as number, e);
        break;
      case 'send.pending': {
        const sub = submits.get(e.sendId as number)!;
        const k = classOf(sub);
        if (!blockingOrder.has(k)) blockingOrder.set(k, []);
        blockingOrder.get(k)!.push(e.sendId as number);
        break;
      }
      case 'send.complete': {
        const sub = submits.get(e.sendId as number);
        if (!sub) {
          bad(e, 'completion of a send never submitted');
          break;
        }
        const info = e.information as number;
        if (info > (sub.bytes as number)) bad(e, 'Information exceeds SendLength');
        if (e.blocking) {
          const order = blockingOrder.get(classOf(sub)) ?? [];
          if (order[0] !== e.sendId) bad(e, `I6: blocking send ${e.sendId as number} completed before ${order[0]}`);
          order.shift();
        }
        // A blocking send's bytes were counted by its buffer.copy events as they entered the pool
        // (its Information is their sum); a non-blocking send's bytes enter the pool at completion.
        if (!e.blocking) {
          accepted.set(conn!, accepted.get(conn!)! + info);
          const tr = addrOf.get(conn!)!.transport;
          pool.set(tr, pool.get(tr)! + info);
          buffered.set(conn!, buffered.get(conn!)! + info);
        }
        if (e.status === 'STATUS_DEVICE_NOT_READY') owed.add(conn!);
        if (e.status === 'STATUS_SUCCESS' && brokenSince.has(conn!)) bad(e, `I5: a send on broken ${conn} succeeded`);
        break;
      }
      case 'buffer.copy': {
        const tr = e.transport as string;
        accepted.set(conn!, accepted.get(conn!)! + (e.bytes as number));
        buffered.set(conn!, buffered.get(conn!)! + (e.bytes as number));
        pool.set(tr, pool.get(tr)! + (e.bytes as number));
        if (pool.get(tr) !== e.bufferedAfter) bad(e, `I1: pool ${tr} should hold ${pool.get(tr)!}, trace says ${e.bufferedAfter as number}`);
        break;
      }
      case 'buffer.transmit':
      case 'buffer.discard': {
        const tr = e.transport as string;
        const n = e.bytes as number;
        // Bytes of blocking sends enter the pool while pending; the transmit shows the pool total.
        (e.type === 'buffer.transmit' ? transmitted : discarded).set(conn!, (e.type === 'buffer.transmit' ? transmitted : discarded).get(conn!)! + n);
        pool.set(tr, pool.get(tr)! - n);
        if (pool.get(tr) !== e.bufferedAfter) bad(e, `I2: pool ${tr} should hold ${pool.get(tr)!} after this, trace says ${e.bufferedAfter as number}`);
        break;
      }
      case 'callback.sendPossible': {
        const a = e.address as string;
        if (!owed.has(conn!)) bad(e, `I3: ${conn} called without a DEVICE_NOT_READY since its last SendPossible`);
        if (!regs.get(a)?.has('SendPossible')) bad(e, `I3: ${a} has no SendPossible handler`);
        const tr = addrOf.get(conn!)!.transport;
        const free = cap.get(tr)! - pool.get(tr)!;
        if (e.bytesAvailable !== free) bad(e, `I3: BytesAvailable ${e.bytesAvailable as number} ≠ free space ${free}`);
        owed.delete(conn!);
        break;
      }
      case 'connection.broken':
        brokenSince.add(conn!);
        owed.delete(conn!);
        break;
      case 'driver.fault': {
        expected = new Map();
        expectedAt = e;
        for (const a of s.addresses) {
          if (!open.has(a.id) || !depends(a.id, e.driver as string)) continue;
          const r = regs.get(a.id)!;
          if (r.has('Error')) expected.set(`${a.id}/Error`, 1);
          if (r.has('ErrorEx')) expected.set(`${a.id}/ErrorEx`, 1);
        }
        break;
      }
      case 'callback.error': {
        const k = `${e.address as string}/${e.ex ? 'ErrorEx' : 'Error'}`;
        if (!expected || !expected.has(k)) bad(e, `I4: unexpected ${k} callback`);
        else expected.set(k, expected.get(k)! - 1);
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
      const b = accepted.get(conn!)! - transmitted.get(conn!)! - discarded.get(conn!)!;
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
  }
  return problems;
}
