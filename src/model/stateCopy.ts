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

import type { HeldSend, PendingSend, WskIrp } from './state.ts';

/** A list of lists packed into columns: list i holds items offsets[i] … offsets[i+1]−1. */
export interface PackedLists {
  readonly packedLists: true;
  offsets: Float64Array | Narrowed;
  /** Lists of numbers: the values. */
  values: Float64Array | Narrowed | null;
  /** Lists of flat records: one column per field, and which fields are booleans. */
  fields: Record<string, Float64Array | Narrowed> | null;
  booleans: string[];
  /** The RECORD_CODECS entry the records were packed with (−1: the generic path). */
  codec: number;
}

type Flat = Record<string, number | boolean>;

function isFlatRecord(x: unknown): x is Flat {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  for (const v of Object.values(x)) if (typeof v !== 'number' && typeof v !== 'boolean') return false;
  return true;
}

/**
 * The record types the stores keep in lists of lists (state.ts), packed with named loads and made
 * again as object literals: a load or store by a variable key is ~10 times slower, and at 2,048
 * connections the ~10,000 held sends are most of what a checkpoint costs to take and to restore (#16).
 * Each names every field of its type (the compiler checks it: `Fields<T>`); a list of records of any
 * other shape takes the generic path below, which reads whatever keys the records have.
 */
interface RecordCodec {
  /** The fields, in the order the model's object literals create them. */
  keys: readonly string[];
  /** Writes record x into row j of the columns; false when a field is not a number (or boolean) as the type says. */
  write(x: object, cols: Float64Array[], j: number): boolean;
  make(cols: Float64Array[], j: number): object;
}

/** Every key of T, once each, in a tuple (a missing one fails the typecheck). */
type Fields<T> = readonly (keyof T & string)[] & { length: number };

function recordCodec<T extends object>(keys: Fields<T>, write: (x: T, cols: Float64Array[], j: number) => boolean, make: (cols: Float64Array[], j: number) => T): RecordCodec {
  return { keys, write: write as RecordCodec['write'], make };
}

/** Compile-time: K lists every key of T (`true` only then). */
type ListsAll<T, K extends readonly unknown[]> = Exclude<keyof T, K[number]> extends never ? true : false;

const HELD_KEYS = ['remaining', 'flags', 'origin', 'refusedAtUs'] as const;
const PENDING_KEYS = ['sendId', 'bytes', 'copied', 'expedited'] as const;
const IRP_KEYS = ['irpId', 'bytes', 'copied', 'sent'] as const;
const allListed: [ListsAll<HeldSend, typeof HELD_KEYS>, ListsAll<PendingSend, typeof PENDING_KEYS>, ListsAll<WskIrp, typeof IRP_KEYS>] = [true, true, true];
void allListed;

const num = (x: unknown): x is number => typeof x === 'number';

const RECORD_CODECS: RecordCodec[] = [
  recordCodec<HeldSend>(
    HELD_KEYS,
    (x, c, j) => {
      const { remaining, flags, origin, refusedAtUs } = x;
      if (!num(remaining) || !num(flags) || !num(origin) || !num(refusedAtUs)) return false;
      c[0]![j] = remaining;
      c[1]![j] = flags;
      c[2]![j] = origin;
      c[3]![j] = refusedAtUs;
      return true;
    },
    (c, j) => ({ remaining: c[0]![j]!, flags: c[1]![j]!, origin: c[2]![j]!, refusedAtUs: c[3]![j]! }),
  ),
  recordCodec<PendingSend>(
    PENDING_KEYS,
    (x, c, j) => {
      const { sendId, bytes, copied, expedited } = x;
      if (!num(sendId) || !num(bytes) || !num(copied) || typeof expedited !== 'boolean') return false;
      c[0]![j] = sendId;
      c[1]![j] = bytes;
      c[2]![j] = copied;
      c[3]![j] = expedited ? 1 : 0;
      return true;
    },
    (c, j) => ({ sendId: c[0]![j]!, bytes: c[1]![j]!, copied: c[2]![j]!, expedited: c[3]![j] !== 0 }),
  ),
  recordCodec<WskIrp>(
    IRP_KEYS,
    (x, c, j) => {
      const { irpId, bytes, copied, sent } = x;
      if (!num(irpId) || !num(bytes) || !num(copied) || !num(sent)) return false;
      c[0]![j] = irpId;
      c[1]![j] = bytes;
      c[2]![j] = copied;
      c[3]![j] = sent;
      return true;
    },
    (c, j) => ({ irpId: c[0]![j]!, bytes: c[1]![j]!, copied: c[2]![j]!, sent: c[3]![j]! }),
  ),
];

/** The codec for records with exactly these keys, in this order. */
function codecFor(keys: string[]): RecordCodec | null {
  return RECORD_CODECS.find((k) => k.keys.length === keys.length && k.keys.every((key, i) => key === keys[i])) ?? null;
}

/**
 * Reused room for the columns while they are gathered (`slot` apart): a checkpoint then allocates
 * only what it keeps, and the garbage collector has less to do during a long run (#16).
 */
const scratchRoom: Float64Array[] = [];
function scratch(slot: number, n: number): Float64Array {
  let room = scratchRoom[slot];
  if (!room || room.length < n) room = scratchRoom[slot] = new Float64Array(Math.max(n, 2 * (room?.length ?? 0)));
  return room.subarray(0, n);
}

/** A gathered column as kept: narrowed, or copied out of the scratch room. */
function column(a: Float64Array): Float64Array | Narrowed {
  const n = narrow(a);
  return n === a ? a.slice() : n;
}

/**
 * The lists as columns, or null when they are not all lists of numbers or all lists of flat records
 * of one shape (the first record's keys, each field always a number or always a boolean). One pass
 * over the items: a checkpoint packs ~10,000 held sends at 2,048 connections.
 */
function packLists(lists: unknown[]): PackedLists | null {
  let total = 0;
  let first: unknown;
  for (const l of lists) {
    if (!Array.isArray(l)) return null;
    if (total === 0 && l.length > 0) first = l[0];
    total += l.length;
  }
  const starts = scratch(0, lists.length + 1);
  let at = 0;
  for (let i = 0; i < lists.length; i++) {
    starts[i] = at;
    at += (lists[i] as unknown[]).length;
  }
  starts[lists.length] = at;
  const offsets = column(starts);
  if (total === 0 || typeof first === 'number') {
    const values = scratch(1, total);
    let j = 0;
    for (const l of lists as unknown[][]) {
      for (const x of l) {
        if (typeof x !== 'number') return null;
        values[j++] = x;
      }
    }
    return { packedLists: true, offsets, values: column(values), fields: null, booleans: [], codec: -1 };
  }
  if (!isFlatRecord(first)) return null;
  const keys = Object.keys(first);
  const types = keys.map((k) => typeof first[k]);
  const cols = keys.map((_, f) => scratch(2 + f, total));
  let j = 0;
  const codec = codecFor(keys);
  if (codec) {
    // A record type of the model's: its fields read by name, its keys only compared (the same ones
    // in the same order: a record with one more would lose it in the columns).
    for (const l of lists as unknown[][]) {
      for (const x of l) {
        if (x === null || typeof x !== 'object' || !codec.write(x, cols, j++)) return null;
        let f = 0;
        for (const k in x) if (k !== keys[f++]) return null;
        if (f !== keys.length) return null;
      }
    }
    const fields: Record<string, Float64Array | Narrowed> = {};
    for (let f = 0; f < keys.length; f++) fields[keys[f]!] = column(cols[f]!);
    return { packedLists: true, offsets, values: null, fields, booleans: [], codec: RECORD_CODECS.indexOf(codec) };
  }
  for (const l of lists as unknown[][]) {
    for (const x of l) {
      if (x === null || typeof x !== 'object' || Array.isArray(x)) return null;
      // The same keys in the same order, read inside for-in: V8's fast path for it (a load by a
      // variable key elsewhere is ~10 times slower, and this is most of a checkpoint's cost).
      let f = 0;
      for (const k in x) {
        if (k !== keys[f]) return null;
        const v = (x as Flat)[k];
        if (typeof v !== types[f]) return null;
        cols[f]![j] = +v!;
        f++;
      }
      if (f !== keys.length) return null;
      j++;
    }
  }
  const fields: Record<string, Float64Array | Narrowed> = {};
  for (let f = 0; f < keys.length; f++) fields[keys[f]!] = column(cols[f]!);
  return { packedLists: true, offsets, values: null, fields, booleans: keys.filter((_, f) => types[f] === 'boolean'), codec: -1 };
}

function unpackLists(p: PackedLists): unknown[] {
  const o = widen(p.offsets);
  const n = o.length - 1;
  const out = new Array<unknown[]>(n);
  if (p.fields === null) {
    const v = widen(p.values!);
    for (let i = 0; i < n; i++) {
      const l = new Array<number>(o[i + 1]! - o[i]!);
      for (let j = o[i]!, k = 0; j < o[i + 1]!; j++, k++) l[k] = v[j]!;
      out[i] = l;
    }
    return out;
  }
  const keys = Object.keys(p.fields);
  const cols = keys.map((k) => widen(p.fields![k]!));
  const codec = RECORD_CODECS[p.codec];
  if (codec) {
    for (let i = 0, j = 0; i < n; i++) {
      const l = new Array<object>(o[i + 1]! - o[i]!);
      for (let k = 0; k < l.length; k++) l[k] = codec.make(cols, j++);
      out[i] = l;
    }
    return out;
  }
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

/** The integer arrays a Float64Array may be kept as, narrowest first (see narrow). */
type IntArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Int32Array;

/** A Float64Array of whole numbers kept as an integer array: value i is base + narrowed[i] (see narrow). */
interface Narrowed {
  readonly narrowed: IntArray;
  readonly base: number;
}

/**
 * Most Float64Array state holds whole numbers well inside 32 bits (bytes, counts, µs, flags): those
 * are kept in the narrowest integer array their range fits — from their least value when that is
 * narrower (the times of pending events lie within milliseconds of each other) — so a checkpoint
 * holds a half to a quarter of its 8-byte numbers, and the memory budget holds that many more of
 * them: a seek replays that much less (#16). Only exact integers qualify (not −0, not fractions), so
 * widening back to Float64 restores the very same numbers. Returns `a` itself when nothing narrower holds it.
 */
function narrow(a: Float64Array): Float64Array | Narrowed {
  const n = a.length;
  let lo = n > 0 ? a[0]! : 0;
  let hi = lo;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    if ((x | 0) !== x || (x === 0 && 1 / x < 0)) return a; // a fraction, or −0
    if (x < lo) lo = x;
    else if (x > hi) hi = x;
  }
  if (lo >= 0 && hi <= 0xff) return { narrowed: copyAs(Uint8Array, a, 0), base: 0 };
  if (lo >= -0x80 && hi <= 0x7f) return { narrowed: copyAs(Int8Array, a, 0), base: 0 };
  if (hi - lo <= 0xff) return { narrowed: copyAs(Uint8Array, a, lo), base: lo };
  if (lo >= 0 && hi <= 0xffff) return { narrowed: copyAs(Uint16Array, a, 0), base: 0 };
  if (lo >= -0x8000 && hi <= 0x7fff) return { narrowed: copyAs(Int16Array, a, 0), base: 0 };
  if (hi - lo <= 0xffff) return { narrowed: copyAs(Uint16Array, a, lo), base: lo };
  return { narrowed: copyAs(Int32Array, a, 0), base: 0 };
}

/** `a` less `base`, in an array of the given kind (a block conversion when nothing is subtracted: `from` iterates). */
function copyAs<A extends IntArray>(Kind: new (n: number) => A, a: Float64Array, base: number): A {
  const out = new Kind(a.length);
  if (base === 0) out.set(a);
  else for (let i = 0; i < a.length; i++) out[i] = a[i]! - base;
  return out;
}

/** The numbers of a packed column, as a fresh Float64Array. */
function widen(c: Float64Array | Narrowed): Float64Array {
  if (c instanceof Float64Array) return c.slice();
  const out = new Float64Array(c.narrowed.length);
  out.set(c.narrowed);
  if (c.base !== 0) for (let i = 0; i < out.length; i++) out[i]! += c.base;
  return out;
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
    return n === v ? v.slice() : n;
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
  if (isNarrowed(v)) return widen(v) as T;
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
