// The `summary` format: totals per client and per connection, pool occupancy, fairness.
import type { Engine } from '../model/engine.ts';

export interface Counters {
  bytesSubmitted: number; // handed by the application to the client
  bytesAccepted: number; // copied into the pool (sum of Information)
  bytesTransmitted: number;
  bytesDiscarded: number; // dropped from the pool by R32
  bytesFailed: number; // failed by the client to its callers (R33, R15, R16)
  tdiSends: number;
  deviceNotReady: number;
  sendPossible: number;
  lostRaces: number;
  meanWaitUs: number | null; // first refusal → all of that send accepted
  maxWaitUs: number | null;
}

export interface Summary {
  title: string;
  seed: number;
  events: number;
  simulatedUs: number;
  clients: Record<string, Counters & { errorCallbacks: number }>;
  connections: Record<string, Counters>;
  transports: Record<string, { sendBufferBytes: number; peakPoolBytes: number; meanPoolBytes: number }>;
  /** Jain's fairness index of per-connection throughput over connections that had data to send. */
  jainFairness: number | null;
  bugcheck: Engine['bugcheck'];
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
  const connections: Summary['connections'] = {};
  const loads: number[] = [];
  for (let c = 0; c < topo.connectionIds.length; c++) {
    const row = zero();
    row.bytesSubmitted = m.offered[c]!;
    row.bytesAccepted = m.accepted[c]!;
    row.bytesTransmitted = m.transmitted[c]!;
    row.bytesDiscarded = m.discarded[c]!;
    row.bytesFailed = m.clientFailed[c]!;
    row.tdiSends = m.submits[c]!;
    row.deviceNotReady = m.refusals[c]!;
    row.sendPossible = m.sendPossibles[c]!;
    row.lostRaces = m.lostRaces[c]!;
    row.waitSum = m.waitSumUs[c]!;
    row.waitN = m.waitCount[c]!;
    row.maxWaitUs = row.waitN > 0 ? m.waitMaxUs[c]! : null;
    const cl = perClient[topo.connectionClient[c] as number]!;
    for (const k of ['bytesSubmitted', 'bytesAccepted', 'bytesTransmitted', 'bytesDiscarded', 'bytesFailed', 'tdiSends', 'deviceNotReady', 'sendPossible', 'lostRaces', 'waitSum', 'waitN'] as const) {
      cl[k] += row[k];
    }
    if (row.maxWaitUs !== null) cl.maxWaitUs = Math.max(cl.maxWaitUs ?? 0, row.maxWaitUs);
    if (m.offered[c]! > 0) loads.push(m.transmitted[c]!);
    connections[topo.connectionIds[c]!] = finish(row);
  }
  const clients: Summary['clients'] = {};
  perClient.forEach((row, i) => {
    clients[s.clients[i]!.id] = { ...finish(row), errorCallbacks: m.errorCallbacks[i]! };
  });
  const transports: Summary['transports'] = {};
  s.transports.forEach((t, i) => {
    transports[t.id] = {
      sendBufferBytes: t.sendBufferBytes,
      peakPoolBytes: m.poolPeak[i]!,
      meanPoolBytes: Math.round(m.poolMean[i]! * 100) / 100,
    };
  });
  const jain = jainIndex(loads);
  return {
    title: s.title,
    seed: s.seed,
    events: m.eventCount,
    simulatedUs: m.nowUs,
    clients,
    connections,
    transports,
    jainFairness: jain === null ? null : Math.round(jain * 10000) / 10000,
    bugcheck: m.bugcheck,
  };
}

function finish(row: Counters & { waitSum: number; waitN: number }): Counters {
  const { waitSum, waitN, ...rest } = row;
  return { ...rest, meanWaitUs: waitN > 0 ? Math.round((waitSum / waitN) * 10) / 10 : null };
}
