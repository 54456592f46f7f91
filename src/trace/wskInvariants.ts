// An independent check of the WSK invariants W10–W13 (docs/rules.md § Invariants under WSK), from the
// public trace and the scenario alone — none of the engine's code. A trace with no WSK record is not
// checked here (checkInvariants checks I1–I6 on every trace, WSK's too).
import type { Scenario } from '../scenario/schema.ts';
import type { TraceEvent } from './names.ts';

const WSK_TYPES = new Set<TraceEvent['type']>(['irp.pending', 'irp.complete', 'wsk.sendBacklog', 'wsk.disconnect']);
/** Records only a run through TDI writes (W1, W4). */
const TDI_ONLY = new Set<TraceEvent['type']>(['send.submit', 'send.complete', 'send.pending', 'callback.sendPossible', 'callback.error', 'callback.disconnect', 'handler.register', 'address.open', 'address.close', 'connection.broken', 'bugcheck']);

interface Irp {
  connection: string;
  bytes: number;
  copied: number;
}

/** Per connection, what the trace has shown of it so far. */
interface Conn {
  locked: number;
  pending: number;
  transmitted: number;
  /** Information of its completed IRPs. */
  completedInfo: number;
  disconnected: boolean;
  /** The ideal send backlog it was last told or queried (W3); undefined since it connected. */
  ideal: number | undefined;
}

export function checkWskInvariants(s: Scenario, events: readonly TraceEvent[]): string[] {
  const problems: string[] = [];
  if (!events.some((e) => WSK_TYPES.has(e.type))) return problems;
  const bad = (e: TraceEvent, msg: string): void => {
    if (problems.length < 20) problems.push(`seq ${e.seq} (${e.type} at ${e.t} µs): ${msg}`);
  };
  const clientById = new Map(s.clients.map((c) => [c.id, c]));
  const addressById = new Map(s.addresses.map((a) => [a.id, a]));
  const policyOf = new Map(s.connections.map((c) => [c.id, clientById.get(addressById.get(c.address)!.client)!.wsk]));
  const conns = new Map<string, Conn>(
    s.connections.map((c) => [c.id, { locked: 0, pending: 0, transmitted: 0, completedInfo: 0, disconnected: false, ideal: undefined }]),
  );
  const irps = new Map<number, Irp>();
  const completed = new Set<number>();
  /** Bytes copied from a connection's IRPs still pending. */
  const pendingCopied = (conn: string): number => {
    let n = 0;
    for (const p of irps.values()) if (p.connection === conn) n += p.copied;
    return n;
  };

  for (const e of events) {
    const id = e.connection;
    const c = id === undefined ? undefined : conns.get(id);
    if (TDI_ONLY.has(e.type)) bad(e, 'W1, W4: a TDI record in a run through WSK');
    switch (e.type) {
      case 'irp.pending': {
        const irpId = e.irpId;
        if (c!.disconnected) bad(e, `W13: a WskSend on ${id}, which was disconnected`);
        if (irps.has(irpId) || completed.has(irpId)) bad(e, `W11: IRP #${irpId} pends a second time`);
        // W3: the client keeps within its limit when it sends.
        const policy = policyOf.get(id!)!;
        if (policy.inFlight === 'irps' && c!.pending >= policy.irps) bad(e, `W3: ${id} already had ${c!.pending} IRPs pending (wsk.irps ${policy.irps})`);
        if (policy.inFlight === 'idealBacklog') {
          if (c!.ideal === undefined) bad(e, `W3: ${id} sent before it queried its ideal send backlog`);
          else if (c!.locked >= c!.ideal) bad(e, `W3: ${id} had ${c!.locked} bytes locked, its ideal send backlog is ${c!.ideal}`);
        }
        irps.set(irpId, { connection: id!, bytes: e.bytes, copied: 0 });
        c!.pending++;
        c!.locked += e.bytes;
        if (e.lockedAfter !== c!.locked) bad(e, `W10: ${id} has ${c!.locked} bytes locked in pending IRPs, the trace says ${e.lockedAfter}`);
        break;
      }
      case 'irp.complete': {
        const irpId = e.irpId;
        const p = irps.get(irpId);
        if (!p || p.connection !== id) {
          bad(e, `W11: IRP #${irpId} completes ${completed.has(irpId) ? 'a second time' : 'without having pended'}`);
          break;
        }
        irps.delete(irpId);
        completed.add(irpId);
        const info = e.information;
        if (e.status === 'STATUS_SUCCESS' && (info !== p.bytes || p.copied !== p.bytes)) {
          bad(e, `W12: IRP #${irpId} completes STATUS_SUCCESS with ${info} of its ${p.bytes} bytes sent (${p.copied} taken into the send buffer)`);
        }
        if (info > p.copied) bad(e, `W12: IRP #${irpId} reports ${info} bytes sent, but only ${p.copied} reached the send buffer`);
        c!.completedInfo += info;
        if (c!.completedInfo > c!.transmitted) bad(e, `W12: ${id}'s completed IRPs report ${c!.completedInfo} bytes sent, its NIC sent ${c!.transmitted}`);
        c!.pending--;
        c!.locked -= p.bytes;
        if (e.lockedAfter !== c!.locked) bad(e, `W10: ${id} has ${c!.locked} bytes locked in pending IRPs, the trace says ${e.lockedAfter}`);
        break;
      }
      case 'buffer.copy': {
        if (e.irpId === undefined) break;
        const p = irps.get(e.irpId);
        if (c!.disconnected) bad(e, `W13: bytes of ${id}, which was disconnected, taken into the send buffer`);
        if (!p || p.connection !== id) bad(e, `W11: bytes taken from IRP #${e.irpId}, which is not pending on ${id}`);
        else {
          p.copied += e.bytes;
          if (p.copied > p.bytes) bad(e, `W10: ${p.copied} bytes taken from IRP #${e.irpId} of ${p.bytes}`);
        }
        break;
      }
      case 'buffer.transmit':
        if (c!.disconnected) bad(e, `W13: bytes of ${id} sent after it was disconnected`);
        c!.transmitted += e.bytes;
        // W10: what the NIC sent of a connection came from its IRPs: completed ones, or pending ones' taken bytes.
        if (c!.transmitted > c!.completedInfo + pendingCopied(id!)) bad(e, `W10: ${id} sent ${c!.transmitted} bytes, more than its IRPs handed over`);
        break;
      case 'wsk.sendBacklog':
        if (c!.disconnected) bad(e, `W13: ${id} told its ideal send backlog after it was disconnected`);
        c!.ideal = e.idealBacklogSize;
        break;
      case 'wsk.disconnect':
        if (c!.disconnected) bad(e, `W5: ${id} disconnected twice`);
        c!.disconnected = true;
        c!.ideal = undefined;
        break;
      case 'connection.connect':
        // W5: the abort completed every IRP of the connection, with what of each was sent.
        if (c!.pending !== 0) bad(e, `W5: ${id} connects again with ${c!.pending} IRPs still pending`);
        if (c!.completedInfo !== c!.transmitted) bad(e, `W10: ${id}'s IRPs report ${c!.completedInfo} bytes sent, its NIC sent ${c!.transmitted}`);
        c!.disconnected = false;
        break;
    }
  }
  return problems;
}
