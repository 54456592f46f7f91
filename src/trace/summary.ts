// The `summary` format: totals per client and per connection, pool occupancy, fairness.
import { WAIT_BINS, waitBinValueUs } from '../model/state.ts';
import type { Engine } from '../model/engine.ts';
import type { Api } from '../model/state.ts';

export interface Counters {
  bytesSubmitted: number; // handed by the application to the client
  bytesAccepted: number; // copied into the pool (sum of Information)
  bytesTransmitted: number;
  bytesDiscarded: number; // dropped from the pool by R32
  /** Failed to the application: by the client (R33, its queue limit, R15) or by the transport (R15, R16, R32). */
  bytesFailed: number;
  /** Still held by the client (refused, or queued behind a refusal) when the run stopped. */
  bytesHeld: number;
  /** Still pending in the transport (blocking sends, R14) when the run stopped. */
  bytesPending: number;
  tdiSends: number;
  deviceNotReady: number;
  sendPossible: number;
  lostRaces: number;
  meanWaitUs: number | null; // first refusal → all of that send accepted
  maxWaitUs: number | null;
}

/** The p-th percentile (0–100) of a wait histogram, or null when it is empty. */
export function histPercentile(hist: ArrayLike<number>, p: number): number | null {
  let total = 0;
  for (let i = 0; i < hist.length; i++) total += hist[i]!;
  if (total === 0) return null;
  const rank = (p / 100) * total;
  let acc = 0;
  for (let i = 0; i < hist.length; i++) {
    acc += hist[i]!;
    if (acc >= rank) return waitBinValueUs(i);
  }
  return waitBinValueUs(hist.length - 1);
}

/** What a run through Winsock Kernel costs the client and tells it (W1, W3, W5), per client and in all. */
export interface WskCounters {
  /** WskSend IRPs issued. */
  wskSends: number;
  /** IRPs still pending when the run stopped. */
  irpsPending: number;
  /** IRPs completed with an error (W5). */
  irpsFailed: number;
  /** Bytes locked in pending IRPs when the run stopped (W1). */
  lockedBytes: number;
  /** The most bytes locked in pending IRPs at once (W1). */
  peakLockedBytes: number;
  /** WskSendBacklogEvent calls (W3; the client's own queries are not counted). */
  backlogEvents: number;
  /** WskDisconnectEvent calls (W5). */
  disconnects: number;
  /** Sockets (connections) with at least one IRP completed with an error (W5): whom a failure reached. */
  socketsFailed: number;
}

export interface Summary {
  /** The kernel interface the clients used: 'tdi', or 'wsk' (Winsock Kernel). */
  api: Api;
  title: string;
  seed: number;
  events: number;
  simulatedUs: number;
  clients: Record<string, Counters & { errorCallbacks: number; waitP50Us: number | null; waitP95Us: number | null }>;
  /** All clients together: bytes transmitted per simulated second, and wait percentiles. */
  total: { throughputBytesPerS: number; deviceNotReady: number; sendPossible: number; lostRaces: number; waitP50Us: number | null; waitP95Us: number | null };
  connections: Record<string, Counters>;
  transports: Record<string, { sendBufferBytes: number; peakPoolBytes: number; meanPoolBytes: number }>;
  /** Jain's fairness index of per-connection throughput over connections that had data to send. */
  jainFairness: number | null;
  bugcheck: Engine['bugcheck'];
  /** Only in a run through WSK: its measures. TDI's refusals, SendPossible calls and lost races are 0 there (W1). */
  wsk?: { total: WskCounters; clients: Record<string, WskCounters> };
}

/** Jain's index: (Σx)² / (n·Σx²); 1 when all equal, 1/n when one takes everything. */
export function jainIndex(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let sum = 0;
  let sq = 0;
  for (const x of xs) {
    sum += x;
    sq += x * x;
  }
  return sq === 0 ? 1 : (sum * sum) / (xs.length * sq);
}

export function summarize(engine: Engine): Summary {
  const m = engine.metrics();
  const s = engine.scenario;
  const topo = engine.topo;
  const zero = (): Counters & { waitSum: number; waitN: number } => ({
    bytesSubmitted: 0,
    bytesAccepted: 0,
    bytesTransmitted: 0,
    bytesDiscarded: 0,
    bytesFailed: 0,
    bytesHeld: 0,
    bytesPending: 0,
    tdiSends: 0,
    deviceNotReady: 0,
    sendPossible: 0,
    lostRaces: 0,
    meanWaitUs: null,
    maxWaitUs: null,
    waitSum: 0,
    waitN: 0,
  });
  const perClient = s.clients.map(zero);
  // Keyed by the scenario's ids: objects without a prototype, so an id such as "__proto__" is a
  // key like any other instead of silently vanishing (ids are any letters, digits, _ . : -).
  const connections: Summary['connections'] = byId();
  const loads: number[] = [];
  for (let c = 0; c < topo.connectionIds.length; c++) {
    const row = zero();
    row.bytesSubmitted = m.offered[c]!;
    row.bytesAccepted = m.accepted[c]!;
    row.bytesTransmitted = m.transmitted[c]!;
    row.bytesDiscarded = m.discarded[c]!;
    row.bytesFailed = m.failed[c]!;
    row.bytesHeld = m.heldBytes[c]!;
    row.bytesPending = m.pendingBytes[c]!;
    row.tdiSends = m.submits[c]!;
    row.deviceNotReady = m.refusals[c]!;
    row.sendPossible = m.sendPossibles[c]!;
    row.lostRaces = m.lostRaces[c]!;
    row.waitSum = m.waitSumUs[c]!;
    row.waitN = m.waitCount[c]!;
    row.maxWaitUs = row.waitN > 0 ? m.waitMaxUs[c]! : null;
    const cl = perClient[topo.connectionClient[c] as number]!;
    for (const k of ['bytesSubmitted', 'bytesAccepted', 'bytesTransmitted', 'bytesDiscarded', 'bytesFailed', 'bytesHeld', 'bytesPending', 'tdiSends', 'deviceNotReady', 'sendPossible', 'lostRaces', 'waitSum', 'waitN'] as const) {
      cl[k] += row[k];
    }
    if (row.maxWaitUs !== null) cl.maxWaitUs = Math.max(cl.maxWaitUs ?? 0, row.maxWaitUs);
    if (m.offered[c]! > 0) loads.push(m.transmitted[c]!);
    connections[topo.connectionIds[c]!] = finish(row);
  }
  const clients: Summary['clients'] = byId();
  const allWaits = new Float64Array(WAIT_BINS);
  perClient.forEach((row, i) => {
    const hist = m.waitHist.subarray(i * WAIT_BINS, (i + 1) * WAIT_BINS);
    for (let b = 0; b < WAIT_BINS; b++) allWaits[b]! += hist[b]!;
    clients[s.clients[i]!.id] = { ...finish(row), errorCallbacks: m.errorCallbacks[i]!, waitP50Us: histPercentile(hist, 50), waitP95Us: histPercentile(hist, 95) };
  });
  const sum = (k: 'bytesTransmitted' | 'deviceNotReady' | 'sendPossible' | 'lostRaces') => perClient.reduce((a, r) => a + r[k], 0);
  const total: Summary['total'] = {
    throughputBytesPerS: m.nowUs > 0 ? Math.round((sum('bytesTransmitted') * 1e6) / m.nowUs) : 0,
    deviceNotReady: sum('deviceNotReady'),
    sendPossible: sum('sendPossible'),
    lostRaces: sum('lostRaces'),
    waitP50Us: histPercentile(allWaits, 50),
    waitP95Us: histPercentile(allWaits, 95),
  };
  const transports: Summary['transports'] = byId();
  s.transports.forEach((t, i) => {
    transports[t.id] = {
      sendBufferBytes: t.sendBufferBytes,
      peakPoolBytes: m.poolPeak[i]!,
      meanPoolBytes: Math.round(m.poolMean[i]! * 100) / 100,
    };
  });
  const jain = jainIndex(loads);
  return {
    api: engine.api,
    title: s.title,
    seed: s.seed,
    events: m.eventCount,
    simulatedUs: m.nowUs,
    clients,
    total,
    connections,
    transports,
    jainFairness: jain === null ? null : Math.round(jain * 10000) / 10000,
    bugcheck: m.bugcheck,
    ...(engine.api === 'wsk' ? { wsk: wskMeasures(engine) } : {}),
  };
}

/** W1, W3, W5: the summary's WSK measures, per client and in all. */
function wskMeasures(engine: Engine): NonNullable<Summary['wsk']> {
  const w = engine.metrics().wsk;
  const topo = engine.topo;
  const zero = (): WskCounters => ({ wskSends: 0, irpsPending: 0, irpsFailed: 0, lockedBytes: 0, peakLockedBytes: 0, backlogEvents: 0, disconnects: 0, socketsFailed: 0 });
  const perClient = topo.clientIds.map(zero);
  const total = zero();
  for (let c = 0; c < topo.connectionIds.length; c++) {
    for (const row of [perClient[topo.connectionClient[c] as number]!, total]) {
      row.wskSends += w.sends[c]!;
      row.irpsPending += w.irps[c]!.length;
      row.irpsFailed += w.irpsFailed[c]!;
      row.lockedBytes += w.lockedBytes[c]!;
      row.backlogEvents += w.backlogEvents[c]!;
      row.disconnects += w.disconnects[c]!;
      if (w.irpsFailed[c]! > 0) row.socketsFailed++;
    }
  }
  const clients: Record<string, WskCounters> = byId();
  perClient.forEach((row, i) => (clients[topo.clientIds[i]!] = { ...row, peakLockedBytes: w.clientPeakLocked[i]! }));
  return { total: { ...total, peakLockedBytes: w.totalPeakLocked }, clients };
}

/** An empty object without a prototype, for keys that are scenario ids. */
function byId<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function finish(row: Counters & { waitSum: number; waitN: number }): Counters {
  const { waitSum, waitN, ...rest } = row;
  return { ...rest, meanWaitUs: waitN > 0 ? Math.round((waitSum / waitN) * 10) / 10 : null };
}
