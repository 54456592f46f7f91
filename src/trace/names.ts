// Decodes a record's integer columns to the public JSON trace line: the scenario's ids, status names.
import type { Topology } from '../model/topology.ts';
import { RECORD_TABLE, type RecordType, type TraceRecord } from './recordTable.ts';

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

/** A decoded trace record: the union of the record table's types, told apart by `type` (recordTable.ts). */
export type TraceEvent = TraceRecord;

/**
 * A record's field by a name known only at run time (a lesson query's field, a match's `where`):
 * undefined when the record has none. Code that knows the type narrows by `type` instead.
 */
export function fieldOf(ev: TraceEvent, name: string): unknown {
  return (ev as Readonly<Record<string, unknown>>)[name];
}

/** One record as the public JSON trace line (formats.md § Trace). */
export function decodeRecord(k: RecordColumns, i: number, topo: Topology): TraceEvent {
  const spec = RECORD_TABLE[k.type[i] as RecordType];
  const fields = spec.decode({ a: k.a[i]!, b: k.b[i]!, c: k.c[i]!, d: k.d[i]!, e: k.e[i]!, f: k.f[i]! }, topo);
  // The one place a record is built from its columns: the compiler cannot pair a type number's name
  // with its own entry's fields through the union, so the pair is asserted here, once.
  return { seq: k.firstSeq + i, t: k.t[i]!, type: spec.name, ...fields } as TraceEvent;
}
