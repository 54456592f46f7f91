// "Why did this happen?" — a causal chain drawn from the trace for a refused send, a lost race or an
// error callback. Pure: it reads decoded trace events (oldest first) and the topology; links about a
// single record use the record table's sentence for it.
import type { TraceEvent } from './names.ts';
import type { RecordName } from './recordTable.ts';
import type { Topology } from '../model/topology.ts';
import { recordSentence, type RecordContext } from './recordTable.ts';
import type { RecordMoment } from './whyMoment.ts';
import { H_SEND_POSSIBLE } from '../base/status.ts';

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

/**
 * Explains `events[at]`; `events` must be consecutive trace records ending at or after it. `moment`, the
 * model's state just before that record (whyMoment.ts), makes a refusal's holders and handler exact.
 */
export function explain(events: readonly TraceEvent[], at: number, topo: Topology, moment: RecordMoment | null = null): WhyChain | null {
  const e = events[at];
  if (!e) return null;
  if (e.type === 'send.complete' && (e.status === 'STATUS_DEVICE_NOT_READY' || e.lostRace)) return explainSend(events, at, e, topo, moment);
  if (e.type === 'callback.error') return explainError(events, at, e, topo);
  if (e.type === 'connection.broken') return explainBroken(events, at, e, topo);
  return null;
}

const transportOf = (topo: Topology, conn: string): number => {
  const c = topo.connectionIds.indexOf(conn);
  return topo.addressTransport[topo.connectionAddress[c]!]!;
};

/** A record of one of these types (narrowed by `type`). */
type Of<N extends RecordName> = Extract<TraceEvent, { type: N }>;

function explainSend(events: readonly TraceEvent[], at: number, e: Of<'send.complete'>, topo: Topology, moment: RecordMoment | null): WhyChain {
  const conn = e.connection;
  const tr = transportOf(topo, conn);
  const cap = topo.transportCapacity[tr]!;
  const trName = topo.nodeIds[topo.transportNodes[tr]!]!;
  const sameTransport = (x: TraceEvent) => typeof x.connection === 'string' && transportOf(topo, x.connection) === tr;
  const submit = findBack(events, at, ['send.submit'], (x) => x.sendId === e.sendId);
  const context: RecordContext = { topo };
  const links: WhyLink[] = [];
  const subject = e.lostRace
    ? `${conn}'s resubmission got ${e.information} B although it was told ${e.bytesAvailableTold} B were free: it lost the race (R24).`
    : `${conn}'s TDI_SEND of ${submit?.bytes ?? '?'} B was refused with STATUS_DEVICE_NOT_READY: ${trName}'s ${cap} B pool was full (R13).`;
  links.push({ seq: e.seq, t: e.t, text: subject, role: 'subject' });

  if (e.lostRace) {
    // The SendPossible that told it, and what went on between that call and the resubmission.
    const sp = findBack(events, at, ['callback.sendPossible'], (x) => x.connection === conn);
    if (!sp) return { subject, links, truncated: 'The SendPossible call that told it is older than the history kept.' };
    const spAt = events.indexOf(sp);
    const freed = findBack(events, spAt, ['buffer.transmit', 'buffer.discard'], (x) => x.transport === trName);
    if (freed) links.push({ seq: freed.seq, t: freed.t, role: 'freed', text: recordSentence(freed, context) });
    // The calls of the same sweep (R22): one link, however many connections were told.
    const sweep = events.slice(Math.max(0, spAt - 200), spAt + 200).filter((x) => x.type === 'callback.sendPossible').filter((x) => x.t === sp.t && sameTransport(x));
    if (sweep.length <= 1) {
      links.push({ seq: sp.seq, t: sp.t, role: 'told', text: recordSentence(sp, context).replace(/\.$/, ' (R23).') });
    } else {
      const others = sweep.filter((x) => x !== sp).map((x) => x.connection);
      links.push({
        seq: sp.seq,
        t: sp.t,
        role: 'told',
        text: `${trName} called ClientEventSendPossible for ${conn} and ${others.length} other connection${others.length > 1 ? 's' : ''} at once (R22: ${listNames(others)}), telling each ${n(sp.bytesAvailable)} B were free; the space is reserved for none of them (R23).`,
      });
    }
    // Who took the space before the resubmission: one link per connection (several sends summed), by
    // client where there are many.
    const takers = new Map<string, { bytes: number; sends: number; resubmitted: boolean; first: TraceEvent }>();
    for (let i = spAt + 1; i < at; i++) {
      const x = events[i]!;
      const took = poolCopy(x);
      if (took && took.conn !== conn && sameTransport(x)) {
        const { conn: k, bytes } = took;
        const s = x.type === 'send.complete' ? findBack(events, i, ['send.submit'], (y) => y.sendId === x.sendId) : undefined;
        const prev = takers.get(k);
        takers.set(k, { bytes: (prev?.bytes ?? 0) + bytes, sends: (prev?.sends ?? 0) + 1, resubmitted: (prev?.resubmitted ?? false) || s?.resubmit === true, first: prev?.first ?? x });
      }
    }
    const after = (x: TraceEvent) => `${x.t - sp.t} µs after the call`;
    if (takers.size <= MAX_ONE_BY_ONE) {
      for (const [k, v] of takers) {
        const how = v.sends > 1 ? ` in ${v.sends} sends${v.resubmitted ? ', its resubmission after the same call first' : ''}` : v.resubmitted ? ' (its own resubmission after the same call)' : '';
        links.push({ seq: v.first.seq, t: v.first.t, role: 'took', text: `${k} took ${n(v.bytes)} B first${how}, ${after(v.first)}.` });
      }
    } else {
      for (const g of groupByClient(topo, [...takers].map(([k, v]) => ({ conn: k, bytes: v.bytes, first: v.first })))) {
        links.push({
          seq: g.first.seq,
          t: g.first.t,
          role: 'took',
          text: `${g.conns.length === 1 ? `${g.conns[0]!} (${g.client})` : `${g.client}'s ${g.conns.length} connections (${listNames(g.conns)})`} took ${n(g.bytes)} B first, from ${after(g.first)}.`,
        });
      }
    }
    const taken = [...takers.values()].reduce((s, v) => s + v.bytes, 0);
    const told = sp.bytesAvailable;
    if (takers.size > 1) {
      links.push({
        seq: sp.seq,
        t: sp.t,
        role: 'note',
        text: `In all ${n(taken)} B went to ${takers.size} other connections between the call and its resubmission${taken > told ? `, more than the ${n(told)} B it was told (transmissions freed more meanwhile)` : ''}.`,
      });
    }
    const resub = submit ?? e;
    links.push({
      seq: resub.seq,
      t: resub.t,
      role: 'resubmit',
      text: `${conn} resubmitted ${resub.bytes ?? '?'} B only ${resub.t - sp.t} µs after the call (its client's resubmit policy): by then ${e.information} B were left for it.`,
    });
  } else {
    if (moment) holdersAt(events, at, e, topo, tr, moment, links);
    else holdersFromCopies(events, at, e, topo, tr, links);
    const c = topo.connectionIds.indexOf(conn);
    const a = topo.connectionAddress[c]!;
    const addr = topo.addressIds[a]!;
    const registered = sendPossibleRegistered(events, at, topo, a, moment);
    const next = registered ? findForward(events, at, ['callback.sendPossible'], (x) => x.connection === conn) : undefined;
    links.push(
      !registered
        ? { seq: e.seq, t: e.t, role: 'note', text: `${addr} has no SendPossible handler registered, so it is owed none (R21): its client must retry on its own (R25 timer).` }
        : next
        ? { seq: next.seq, t: next.t, role: 'told', text: `Owed a SendPossible (R21: ${addr} has the handler registered), it was called ${next.t - e.t} µs later with BytesAvailable = ${next.bytesAvailable}.` }
        : { seq: e.seq, t: e.t, role: 'note', text: `It is owed a SendPossible (R21: ${addr} has the handler registered); none came by ${events.at(-1)!.t} µs, as far as the history looked at reaches.` },
    );
  }
  return { subject, links };
}

/** Up to this many connections get a link each; more are grouped by client. */
const MAX_ONE_BY_ONE = 6;

const n = (v: unknown): string => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v));

/** The connection and bytes a record put into its transport's pool (a non-blocking copy, or a held blocking send's, R14); null for none. */
function poolCopy(x: TraceEvent): { conn: string; bytes: number } | null {
  const bytes = x.type === 'send.complete' && !x.blocking ? x.information : x.type === 'buffer.copy' ? x.bytes : 0;
  return bytes > 0 && x.connection !== undefined ? { conn: x.connection, bytes } : null;
}

function listNames(names: readonly string[], shown = 5): string {
  return names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

function groupByClient<T extends { conn: string; bytes: number; first: TraceEvent }>(topo: Topology, items: readonly T[]) {
  const groups = new Map<string, { client: string; conns: string[]; bytes: number; first: TraceEvent }>();
  for (const it of items) {
    const client = topo.clientIds[topo.connectionClient[topo.connectionIds.indexOf(it.conn)]!]!;
    const g = groups.get(client) ?? { client, conns: [], bytes: 0, first: it.first };
    g.conns.push(it.conn);
    g.bytes += it.bytes;
    if (it.first.seq < g.first.seq) g.first = it.first;
    groups.set(client, g);
  }
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes);
}

/** Who held the pool at the refusal, from the model's state then: the links add up to what it held. */
function holdersAt(events: readonly TraceEvent[], at: number, e: Of<'send.complete'>, topo: Topology, tr: number, moment: RecordMoment, links: WhyLink[]): void {
  const trName = topo.nodeIds[topo.transportNodes[tr]!]!;
  const cap = topo.transportCapacity[tr]!;
  // The latest copy of each connection before the refusal, to travel to.
  const lastCopy = new Map<string, TraceEvent>();
  for (let i = at - 1; i >= 0; i--) {
    const x = events[i]!;
    const took = poolCopy(x);
    if (took && !lastCopy.has(took.conn)) lastCopy.set(took.conn, x);
  }
  const holders: { conn: string; bytes: number; first: TraceEvent }[] = [];
  let used = 0;
  for (let c = 0; c < topo.connectionIds.length; c++) {
    const bytes = moment.buffered[c]!;
    if (bytes > 0 && topo.connectionTransport[c] === tr) {
      const conn = topo.connectionIds[c]!;
      holders.push({ conn, bytes, first: lastCopy.get(conn) ?? e });
      used += bytes;
    }
  }
  holders.sort((a, b) => b.bytes - a.bytes);
  const copiedLast = (x: TraceEvent) => (x === e ? '' : `, the last copied at ${x.t} µs`);
  if (holders.length <= MAX_ONE_BY_ONE) {
    for (const h of holders) links.push({ seq: h.first.seq, t: h.first.t, role: 'filled', text: `${h.conn} held ${n(h.bytes)} B of the pool${copiedLast(h.first)}.` });
  } else {
    for (const g of groupByClient(topo, holders)) {
      const latest = g.conns.map((k) => lastCopy.get(k)).filter((x): x is TraceEvent => !!x).sort((a, b) => b.seq - a.seq)[0] ?? e;
      links.push({
        seq: latest.seq,
        t: latest.t,
        role: 'filled',
        text: `${g.client} held ${n(g.bytes)} B of the pool on ${g.conns.length === 1 ? g.conns[0] : `${g.conns.length} connections (${listNames(g.conns, 3)})`}${copiedLast(latest)}.`,
      });
    }
  }
  const conn = e.connection;
  links.push({
    seq: e.seq,
    t: e.t,
    role: 'note',
    text: `Together ${n(used)} B of ${trName}'s ${n(cap)} B pool${used < cap ? `; ${n(cap - used)} B were free, but ${conn} still had blocking sends held, which a non-blocking send may not overtake (R10)` : ': nothing was free'}.`,
  });
}

/** Without the model's state: the latest copies into the pool, until they add up to its capacity. */
function holdersFromCopies(events: readonly TraceEvent[], at: number, e: Of<'send.complete'>, topo: Topology, tr: number, links: WhyLink[]): void {
  const cap = topo.transportCapacity[tr]!;
  let sum = 0;
  const byConn = new Map<string, { bytes: number; first: TraceEvent }>();
  for (let i = at - 1; i >= 0 && sum < cap; i--) {
    const x = events[i]!;
    const took = poolCopy(x);
    if (took && transportOf(topo, took.conn) === tr) {
      const { conn: k, bytes } = took;
      sum += bytes;
      const prev = byConn.get(k);
      byConn.set(k, { bytes: (prev?.bytes ?? 0) + bytes, first: x });
    }
  }
  for (const [k, v] of [...byConn.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 8)) {
    links.push({ seq: v.first.seq, t: v.first.t, role: 'filled', text: `${k} had ${v.bytes} B copied into the pool since ${v.first.t} µs.` });
  }
  if (sum < cap) links.push({ seq: e.seq, t: e.t, role: 'note', text: 'Older copies are beyond the history kept, or the pool was filled before it started.' });
}

/** Whether address `a` had a SendPossible handler registered at the record: the model's state, else the trace and the scenario. */
function sendPossibleRegistered(events: readonly TraceEvent[], at: number, topo: Topology, a: number, moment: RecordMoment | null): boolean {
  if (moment) return (moment.addressHandlers[a]! & H_SEND_POSSIBLE) !== 0;
  const addr = topo.addressIds[a];
  const change = findBack(events, at, ['handler.register'], (x) => x.address === addr && x.event === 'SendPossible' && x.status === 'STATUS_SUCCESS');
  if (change) return change.registered === true;
  return (topo.clientHandlerMask[topo.addressClient[a]!]! & H_SEND_POSSIBLE) !== 0;
}

function explainError(events: readonly TraceEvent[], at: number, e: Of<'callback.error'>, topo: Topology): WhyChain {
  const driver = e.driver;
  const addr = e.address;
  const subject = `${addr} (client ${e.client}) got ClientEvent${e.ex ? 'ErrorEx' : 'Error'}(${e.status}) because it depends on ${driver}, which failed (R30).`;
  const links: WhyLink[] = [{ seq: e.seq, t: e.t, text: subject, role: 'subject' }];
  const fault = findBack(events, at, ['driver.fault'], (x) => x.driver === driver);
  if (fault) links.push({ seq: fault.seq, t: fault.t, role: 'fault', text: `${driver} ${fault.fatal ? 'failed' : 'reported'} ${fault.status}${fault.fatal ? '' : ' (non-fatal, R36)'}.` });
  const path = dependencyPath(topo, topo.addressIds.indexOf(addr), topo.nodeIds.indexOf(driver));
  if (path.length) links.push({ seq: e.seq, t: e.t, role: 'path', text: `Dependency: ${path.map((n) => topo.nodeIds[n]).join(' → ')} → ${addr}'s NIC${topo.addressNics[topo.addressIds.indexOf(addr)]!.length > 1 ? 's' : ''} ${topo.addressNics[topo.addressIds.indexOf(addr)]!.map((n) => topo.nodeIds[n]).join(', ')}.` });
  return { subject, links };
}

function explainBroken(events: readonly TraceEvent[], at: number, e: Of<'connection.broken'>, topo: Topology): WhyChain {
  const addr = e.address;
  const fault = findBack(events, at, ['driver.fault'], (x) => x.fatal && x.t === e.t);
  const subject = `${e.connection} broke because its address ${addr} became unusable (R31)${fault ? ` when ${fault.driver} failed` : ''}.`;
  const links: WhyLink[] = [{ seq: e.seq, t: e.t, text: subject, role: 'subject' }];
  if (fault) {
    links.push({ seq: fault.seq, t: fault.t, role: 'fault', text: `${fault.driver} failed: ${fault.status}.` });
    const path = dependencyPath(topo, topo.addressIds.indexOf(addr), topo.nodeIds.indexOf(fault.driver));
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

const isOf = <N extends RecordName>(x: TraceEvent, types: readonly N[]): x is Of<N> => types.some((t) => t === x.type);

/** The latest record before `from` of one of `types` that `pred` accepts. */
function findBack<N extends RecordName>(events: readonly TraceEvent[], from: number, types: readonly N[], pred: (e: Of<N>) => boolean): Of<N> | undefined {
  for (let i = from - 1; i >= 0; i--) {
    const x = events[i]!;
    if (isOf(x, types) && pred(x)) return x;
  }
  return undefined;
}

/** The first record after `from` of one of `types` that `pred` accepts. */
function findForward<N extends RecordName>(events: readonly TraceEvent[], from: number, types: readonly N[], pred: (e: Of<N>) => boolean): Of<N> | undefined {
  for (let i = from + 1; i < events.length; i++) {
    const x = events[i]!;
    if (isOf(x, types) && pred(x)) return x;
  }
  return undefined;
}
