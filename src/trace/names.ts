// Decodes a record's integer columns to the public JSON trace line: the scenario's ids, status names.
import type { Topology } from '../model/topology.ts';
import { RECORD_TABLE, type RecordType } from './recordTable.ts';

/** Any columnar record source: a trace chunk, a frame's events, the app's log ring. */
export interface RecordColumns {
  firstSeq: number;
  type: ArrayLike<number>;
  t: ArrayLike<number>;
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  c: ArrayLike<number>;
  d: ArrayLike<number>;
  e: ArrayLike<number>;
  f: ArrayLike<number>;
}

export type TraceEvent = { seq: number; t: number; type: string } & Record<string, unknown>;

/** One record as the public JSON trace line (formats.md § Trace). */
export function decodeRecord(k: RecordColumns, i: number, topo: Topology): TraceEvent {
  const spec = RECORD_TABLE[k.type[i] as RecordType];
  const ev: TraceEvent = { seq: k.firstSeq + i, t: k.t[i] as number, type: spec.name };
  spec.decode(ev, { a: k.a[i] as number, b: k.b[i] as number, c: k.c[i] as number, d: k.d[i] as number, e: k.e[i] as number, f: k.f[i] as number }, topo);
  return ev;
}
