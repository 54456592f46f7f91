// Copies of the model's state for checkpoints (time travel, I7), made cheap: a checkpoint is taken
// every few tens of thousands of events and a seek restores one, so neither may cost more than a
// few milliseconds at 2,048 connections. structuredClone cost ~10 ms per checkpoint there, almost all
// of it the per-connection lists of small records (the client's held sends, pending blocking sends).
//
// `packState` walks a store generically — a field declared in state.ts is checkpointed without a
// list of fields to keep — and makes block copies of typed arrays. A list of lists (per connection,
// per transport) of numbers or of flat records is packed into columns: one offsets array and one
// Float64Array per record field, so a checkpoint is a handful of typed arrays, not thousands of
// objects (smaller, and nothing for the garbage collector to trace). `unpackState` makes fresh,
// independent live state from it, so one checkpoint can be restored any number of times.

/** A list of lists packed into columns: list i holds items offsets[i] … offsets[i+1]−1. */
export interface PackedLists {
  readonly packedLists: true;
  offsets: Int32Array;
  /** Lists of numbers: the values. */
  values: Float64Array | Int32Array | null;
  /** Lists of flat records: one column per field, and which fields are booleans. */
  fields: Record<string, Float64Array | Int32Array> | null;
  booleans: string[];
}

type Flat = Record<string, number | boolean>;

function isFlatRecord(x: unknown): x is Flat {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  for (const v of Object.values(x)) if (typeof v !== 'number' && typeof v !== 'boolean') return false;
  return true;
}

/** The lists as columns, or null when they are not all lists of numbers or all lists of records of one shape. */
function packLists(lists: unknown[]): PackedLists | null {
  let total = 0;
  let kind: 'number' | 'record' | null = null;
  let keys: string[] | null = null;
  for (const l of lists) {
    if (!Array.isArray(l)) return null;
    total += l.length;
    for (const x of l) {
      const k = typeof x === 'number' ? 'number' : isFlatRecord(x) ? 'record' : null;
      if (k === null || (kind !== null && k !== kind)) return null;
      kind = k;
      if (k === 'record') {
        const ks = Object.keys(x as Flat);
        if (keys === null) keys = ks;
        else if (ks.length !== keys.length || ks.some((key, i) => key !== keys![i])) return null;
      }
    }
  }
  const offsets = new Int32Array(lists.length + 1);
  let at = 0;
  for (let i = 0; i < lists.length; i++) {
    offsets[i] = at;
    at += (lists[i] as unknown[]).length;
  }
  offsets[lists.length] = at;
  if (kind === 'record') {
    const fields: Record<string, Float64Array | Int32Array> = {};
    const first = (lists as Flat[][]).find((l) => l.length > 0)![0]!;
    const booleans = keys!.filter((k) => typeof first[k] === 'boolean');
    for (const k of keys!) {
      const col = new Float64Array(total);
      let j = 0;
      for (const l of lists as Flat[][]) for (const x of l) col[j++] = Number(x[k]);
      fields[k] = narrow(col);
    }
    return { packedLists: true, offsets, values: null, fields, booleans };
  }
  const values = new Float64Array(total);
  let j = 0;
  for (const l of lists as number[][]) for (const x of l) values[j++] = x;
  return { packedLists: true, offsets, values: narrow(values), fields: null, booleans: [] };
}

function unpackLists(p: PackedLists): unknown[] {
  const n = p.offsets.length - 1;
  const out = new Array<unknown[]>(n);
  const o = p.offsets;
  if (p.fields === null) {
    const v = p.values!;
    for (let i = 0; i < n; i++) {
      const l = new Array<number>(o[i + 1]! - o[i]!);
      for (let j = o[i]!, k = 0; j < o[i + 1]!; j++, k++) l[k] = v[j]!;
      out[i] = l;
    }
    return out;
  }
  const keys = Object.keys(p.fields);
  const cols = keys.map((k) => p.fields![k]!);
  const isBool = keys.map((k) => p.booleans.includes(k));
  for (let i = 0; i < n; i++) {
    const l = new Array<Flat>(o[i + 1]! - o[i]!);
    for (let j = o[i]!, k = 0; j < o[i + 1]!; j++, k++) {
      const r: Flat = {};
      for (let f = 0; f < keys.length; f++) r[keys[f]!] = isBool[f] ? cols[f]![j] !== 0 : cols[f]![j]!;
      l[k] = r;
    }
    out[i] = l;
  }
  return out;
}

/**
 * Most Float64Array state holds whole numbers well inside 32 bits (bytes, counts, µs): those are kept
 * as Int32Array, which halves a checkpoint. Only exact int32 values qualify (not −0, not fractions),
 * so the widening back to Float64 restores the very same numbers.
 */
function narrow(a: Float64Array): Float64Array | Int32Array {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if ((x | 0) !== x || Object.is(x, -0)) return a;
  }
  return Int32Array.from(a);
}

/** A Float64Array kept as Int32Array (see narrow). */
interface Narrowed {
  readonly narrowed: Int32Array;
}

function isNarrowed(v: unknown): v is Narrowed {
  return v !== null && typeof v === 'object' && ArrayBuffer.isView((v as { narrowed?: unknown }).narrowed);
}

function isPacked(v: unknown): v is PackedLists {
  return v !== null && typeof v === 'object' && (v as { packedLists?: unknown }).packedLists === true;
}

/** A deep, independent copy of state, with lists of lists packed into columns (see the header). */
export function packState<T>(v: T): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Float64Array) {
    const n = narrow(v);
    return n instanceof Int32Array ? ({ narrowed: n } satisfies Narrowed) : v.slice();
  }
  if (ArrayBuffer.isView(v)) return (v as unknown as Uint8Array).slice();
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((x) => Array.isArray(x))) {
      const packed = packLists(v);
      if (packed) return packed;
    }
    return v.map((x: unknown) => packState(x));
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = packState((v as Record<string, unknown>)[k]);
  return out;
}

/** Fresh live state from a packed copy (the copy is not changed: it can be unpacked again). */
export function unpackState<T>(v: unknown): T {
  if (v === null || typeof v !== 'object') return v as T;
  if (ArrayBuffer.isView(v)) return (v as Float64Array).slice() as T;
  if (isPacked(v)) return unpackLists(v) as T;
  if (isNarrowed(v)) return Float64Array.from(v.narrowed) as T;
  if (Array.isArray(v)) return v.map((x: unknown) => unpackState(x)) as T;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = unpackState((v as Record<string, unknown>)[k]);
  return out as T;
}

/** Bytes a packed copy holds: typed arrays exactly, anything else estimated (it is little). */
export function packedBytes(v: unknown): number {
  if (v === null || typeof v !== 'object') return 8;
  if (ArrayBuffer.isView(v)) return v.byteLength + 64;
  if (Array.isArray(v)) return v.reduce((n: number, x: unknown) => n + packedBytes(x), 16 + 8 * v.length);
  let n = 16;
  for (const x of Object.values(v)) n += 8 + packedBytes(x);
  return n;
}

/** The codec for Engine checkpoints (installStateCodec in engine.ts). */
export const stateCodec = { pack: packState, unpack: unpackState, bytes: packedBytes };
