// "Why did this happen?" — a causal chain drawn from the trace for a refused send, a lost race or an
// error callback. Pure: it reads decoded trace events (oldest first) and the topology; links about a
// single record use the record table's sentence for it.
import type { TraceEvent } from './names.ts';
import type { Topology } from '../model/topology.ts';
import { recordSentence, type RecordContext } from './recordTable.ts';

export interface WhyLink {
  seq: number;
  t: number;
  /** What this event contributed, in a sentence. */
  text: string;
  role: 'subject' | 'filled' | 'freed' | 'told' | 'took' | 'resubmit' | 'fault' | 'path' | 'note';
}

export interface WhyChain {
  subject: string;
  links: WhyLink[];
  /** Set when the chain could not be followed back far enough (the history is bounded). */
  truncated?: string;
}

/** Explains `events[at]`; `events` must be consecutive trace records ending at or after it. */
export function explain(events: readonly TraceEvent[], at: number, topo: Topology): WhyChain | null {
  const e = events[at];
  if (!e) return null;
  if (e.type === 'send.complete' && e.status === 'STATUS_DEVICE_NOT_READY' || (e.type === 'send.complete' && e.lostRace)) {
    return explainSend(events, at, topo);
  }
  if (e.type === 'callback.error') return explainError(events, at, topo);
  if (e.type === 'connection.broken') return explainBroken(events, at, topo);
  return null;
}

const transportOf = (topo: Topology, conn: string): number => {
  const c = topo.connectionIds.indexOf(conn);
  return topo.addressTransport[topo.connectionAddress[c]!]!;
};

function explainSend(events: readonly TraceEvent[], at: number, topo: Topology): WhyChain {
  const e = events[at]!;
  const conn = e.connection as string;
  const tr = transportOf(topo, conn);
  const cap = topo.transportCapacity[tr]!;
  const trName = topo.nodeIds[topo.transportNodes[tr]!]!;
  const sameTransport = (x: TraceEvent) => typeof x.connection === 'string' && transportOf(topo, x.connection) === tr;
  const submit = findBack(events, at, (x) => x.type === 'send.submit' && x.sendId === e.sendId);
  const context: RecordContext = { topo };
  const links: WhyLink[] = [];
  const subject = e.lostRace
    ? `${conn}'s resubmission got ${e.information as number} B although it was told ${e.bytesAvailableTold as number} B were free: it lost the race (R24).`
    : `${conn}'s TDI_SEND of ${(submit?.bytes as number) ?? '?'} B was refused with STATUS_DEVICE_NOT_READY: ${trName}'s ${cap} B pool was full (R13).`;
  links.push({ seq: e.seq, t: e.t, text: subject, role: 'subject' });

  if (e.lostRace) {
    // The SendPossible that told it, and what went on between that call and the resubmission.
    const sp = findBack(events, at, (x) => x.type === 'callback.sendPossible' && x.connection === conn);
    if (!sp) return { subject, links, truncated: 'The SendPossible call that told it is older than the history kept.' };
    const spAt = events.indexOf(sp);
    const freed = findBack(events, spAt, (x) => (x.type === 'buffer.transmit' || x.type === 'buffer.discard') && x.transport === trName);
    if (freed) links.push({ seq: freed.seq, t: freed.t, role: 'freed', text: recordSentence(freed, context) });
    const sweep = events.slice(Math.max(0, spAt - 200), spAt + 200).filter((x) => x.type === 'callback.sendPossible' && x.t === sp.t && sameTransport(x));
    for (const x of sweep) {
      links.push({ seq: x.seq, t: x.t, role: 'told', text: recordSentence(x, context).replace(/\.$/, ' (R23).') });
    }
    const resub = submit ?? e;
    for (let i = spAt + 1; i < at; i++) {
      const x = events[i]!;
      if (x.type === 'send.complete' && (x.information as number) > 0 && x.connection !== conn && sameTransport(x)) {
        const s = findBack(events, i, (y) => y.type === 'send.submit' && y.sendId === x.sendId);
        links.push({
          seq: x.seq,
          t: x.t,
          role: 'took',
          text: `${x.connection as string} took ${x.information as number} B first${s?.resubmit ? ' (its own resubmission after the same call)' : ''}, ${x.t - sp.t} µs after the call.`,
        });
      }
    }
    links.push({
      seq: resub.seq,
      t: resub.t,
      role: 'resubmit',
      text: `${conn} resubmitted ${(resub.bytes as number) ?? '?'} B only ${resub.t - sp.t} µs after the call (its client's resubmit policy): by then ${e.information as number} B were left for it.`,
    });
  } else {
    // Who filled the pool: the latest copies into it, until they add up to its capacity.
    let sum = 0;
    const byConn = new Map<string, { bytes: number; first: TraceEvent }>();
    for (let i = at - 1; i >= 0 && sum < cap; i--) {
      const x = events[i]!;
      if ((x.type === 'send.complete' && !x.blocking) || x.type === 'buffer.copy') {
        const bytes = (x.type === 'buffer.copy' ? x.bytes : x.information) as number;
        if (bytes > 0 && sameTransport(x)) {
          sum += bytes;
          const k = x.connection as string;
          const prev = byConn.get(k);
          byConn.set(k, { bytes: (prev?.bytes ?? 0) + bytes, first: x });
        }
      }
    }
    for (const [k, v] of [...byConn.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 8)) {
      links.push({ seq: v.first.seq, t: v.first.t, role: 'filled', text: `${k} had ${v.bytes} B copied into the pool since ${v.first.t} µs.` });
    }
    if (sum < cap) links.push({ seq: e.seq, t: e.t, role: 'note', text: 'Older copies are beyond the history kept, or the pool was filled before it started.' });
    const next = findForward(events, at, (x) => x.type === 'callback.sendPossible' && x.connection === conn);
    links.push(
      next
        ? { seq: next.seq, t: next.t, role: 'told', text: `Owed a SendPossible (R21), it was called ${next.t - e.t} µs later with BytesAvailable = ${next.bytesAvailable as number}.` }
        : { seq: e.seq, t: e.t, role: 'note', text: 'It is owed a SendPossible (R21) if its address has the handler registered; otherwise its client must retry by timer.' },
    );
  }
  return { subject, links };
}

function explainError(events: readonly TraceEvent[], at: number, topo: Topology): WhyChain {
  const e = events[at]!;
  const driver = e.driver as string;
  const addr = e.address as string;
  const subject = `${addr} (client ${e.client as string}) got ClientEvent${e.ex ? 'ErrorEx' : 'Error'}(${e.status as string}) because it depends on ${driver}, which failed (R30).`;
  const links: WhyLink[] = [{ seq: e.seq, t: e.t, text: subject, role: 'subject' }];
  const fault = findBack(events, at, (x) => x.type === 'driver.fault' && x.driver === driver);
  if (fault) links.push({ seq: fault.seq, t: fault.t, role: 'fault', text: `${driver} ${fault.fatal ? 'failed' : 'reported'} ${fault.status as string}${fault.fatal ? '' : ' (non-fatal, R36)'}.` });
  const path = dependencyPath(topo, topo.addressIds.indexOf(addr), topo.nodeIds.indexOf(driver));
  if (path.length) links.push({ seq: e.seq, t: e.t, role: 'path', text: `Dependency: ${path.map((n) => topo.nodeIds[n]).join(' → ')} → ${addr}'s NIC${topo.addressNics[topo.addressIds.indexOf(addr)]!.length > 1 ? 's' : ''} ${topo.addressNics[topo.addressIds.indexOf(addr)]!.map((n) => topo.nodeIds[n]).join(', ')}.` });
  return { subject, links };
}

function explainBroken(events: readonly TraceEvent[], at: number, topo: Topology): WhyChain {
  const e = events[at]!;
  const addr = e.address as string;
  const fault = findBack(events, at, (x) => x.type === 'driver.fault' && x.fatal === true && x.t === e.t);
  const subject = `${e.connection as string} broke because its address ${addr} became unusable (R31)${fault ? ` when ${fault.driver as string} failed` : ''}.`;
  const links: WhyLink[] = [{ seq: e.seq, t: e.t, text: subject, role: 'subject' }];
  if (fault) {
    links.push({ seq: fault.seq, t: fault.t, role: 'fault', text: `${fault.driver as string} failed: ${fault.status as string}.` });
    const path = dependencyPath(topo, topo.addressIds.indexOf(addr), topo.nodeIds.indexOf(fault.driver as string));
    if (path.length) links.push({ seq: e.seq, t: e.t, role: 'path', text: `Dependency: ${path.map((n) => topo.nodeIds[n]).join(' → ')}; the connection's own route does not matter.` });
  }
  return { subject, links };
}

/** The path from the address's transport down to `node` that makes the address depend on it. */
export function dependencyPath(topo: Topology, address: number, node: number): number[] {
  if (address < 0 || node < 0) return [];
  const start = topo.transportNodes[topo.addressTransport[address]!]!;
  const nics = new Set(topo.addressNics[address]);
  const reachesNic = (n: number): boolean => nics.has(n) || (topo.nodeLower[n] ?? []).some(reachesNic);
  const walk = (n: number, trail: number[]): number[] | null => {
    const next = [...trail, n];
    if (n === node) return reachesNic(n) || n === start ? next : null;
    for (const l of topo.nodeLower[n] ?? []) {
      const found = walk(l, next);
      if (found) return found;
    }
    return null;
  };
  return walk(start, []) ?? [];
}

function findBack(events: readonly TraceEvent[], from: number, pred: (e: TraceEvent) => boolean): TraceEvent | undefined {
  for (let i = from - 1; i >= 0; i--) if (pred(events[i]!)) return events[i];
  return undefined;
}

function findForward(events: readonly TraceEvent[], from: number, pred: (e: TraceEvent) => boolean): TraceEvent | undefined {
  for (let i = from + 1; i < events.length; i++) if (pred(events[i]!)) return events[i];
  return undefined;
}
