// The `csv` format: a tidy time series sampled every intervalUs — one row per transport pool and one
// per connection at each sample time — for spreadsheets and plotting tools.
import { CONN_BROKEN, CONN_DEBT, CONN_PENDING, CONN_WAITING } from '../model/connState.ts';
import type { Engine } from '../model/engine.ts';

export const CSV_HEADER =
  't_us,kind,id,pool_bytes,buffered_bytes,held_bytes,pending_bytes,state,transmitted_bytes,lost_races\n';

/** A connection's state bits as one word (the CSV, the views and the inspector say the same). */
export function connectionStateName(bits: number): 'broken' | 'refused' | 'waiting' | 'pending' | 'ok' {
  if (bits & CONN_BROKEN) return 'broken';
  if (bits & CONN_DEBT) return 'refused';
  if (bits & CONN_WAITING) return 'waiting';
  if (bits & CONN_PENDING) return 'pending';
  return 'ok';
}

export function csvRows(engine: Engine): string {
  const snap = engine.snapshot();
  const t = snap.nowUs;
  const topo = engine.topo;
  let out = '';
  for (let tr = 0; tr < snap.poolUsed.length; tr++) {
    out += `${t},pool,${topo.nodeIds[topo.transportNodes[tr] as number]},${snap.poolUsed[tr]},,,,,,\n`;
  }
  for (let c = 0; c < snap.buffered.length; c++) {
    out += `${t},connection,${topo.connectionIds[c]},,${snap.buffered[c]},${snap.heldBytes[c]},${snap.pendingBytes[c]},${connectionStateName(snap.state[c] as number)},${snap.transmitted[c]},${snap.lostRaces[c]}\n`;
  }
  return out;
}
