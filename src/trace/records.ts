// The trace in memory: columnar chunks of typed arrays, not an array of objects. A record is
// (type, t, a, b, c, d, e, f); what each column means depends on the type: see RECORD_TABLE in
// recordTable.ts, which also holds the type numbers R and the flag bits (re-exported here).
// Chunks stream to a sink as they fill, so a 10-million-event run holds one chunk, not the trace.
export {
  R,
  SUBMIT_RESUBMIT,
  COMPLETE_LOST_RACE,
  COMPLETE_BLOCKING,
  ERROR_EX,
  COPY_WSK_IRP,
  BACKLOG_QUERY,
  WSK_FLAG_ABORTIVE,
  WSK_FLAG_AT_DISPATCH_LEVEL,
  type RecordType,
} from './recordTable.ts';

/** The eight columns of a run of records. Every columnar store of records (chunks, frames, the
 * worker's history, the page's log) is made with allocColumns and filled with copyRecord/copyRange. */
export interface Columns {
  type: Uint8Array;
  t: Float64Array;
  a: Int32Array;
  b: Int32Array;
  c: Float64Array;
  d: Float64Array;
  e: Float64Array;
  f: Int32Array;
}

export function allocColumns(n: number): Columns {
  return {
    type: new Uint8Array(n),
    t: new Float64Array(n),
    a: new Int32Array(n),
    b: new Int32Array(n),
    c: new Float64Array(n),
    d: new Float64Array(n),
    e: new Float64Array(n),
    f: new Int32Array(n),
  };
}

/** Copies record i of `from` to slot j of `to`. */
export function copyRecord(from: Columns, i: number, to: Columns, j: number): void {
  to.type[j] = from.type[i]!;
  to.t[j] = from.t[i]!;
  to.a[j] = from.a[i]!;
  to.b[j] = from.b[i]!;
  to.c[j] = from.c[i]!;
  to.d[j] = from.d[i]!;
  to.e[j] = from.e[i]!;
  to.f[j] = from.f[i]!;
}

/** Copies records [start, end) of `from` to `to` from slot `at` on (block copies, no wrap). */
export function copyRange(from: Columns, start: number, end: number, to: Columns, at: number): void {
  to.type.set(from.type.subarray(start, end), at);
  to.t.set(from.t.subarray(start, end), at);
  to.a.set(from.a.subarray(start, end), at);
  to.b.set(from.b.subarray(start, end), at);
  to.c.set(from.c.subarray(start, end), at);
  to.d.set(from.d.subarray(start, end), at);
  to.e.set(from.e.subarray(start, end), at);
  to.f.set(from.f.subarray(start, end), at);
}

export class TraceChunk implements Columns {
  readonly type: Uint8Array;
  readonly t: Float64Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly c: Float64Array;
  readonly d: Float64Array;
  readonly e: Float64Array;
  readonly f: Int32Array;
  /** Records in use. */
  length = 0;
  /** `seq` of record 0. */
  firstSeq = 0;

  constructor(capacity: number, columns: Columns = allocColumns(capacity)) {
    ({ type: this.type, t: this.t, a: this.a, b: this.b, c: this.c, d: this.d, e: this.e, f: this.f } = columns);
  }

  get capacity(): number {
    return this.type.length;
  }
}

export type ChunkSink = (chunk: TraceChunk) => void;

/**
 * Writes records into a chunk; when the chunk is full (or on flush) hands it to the sink. The sink
 * may keep the chunk; the recorder then starts a new one. `recycle` lets a streaming sink give a
 * chunk back once it has been read, so a long run allocates nothing per record.
 */
export class TraceRecorder {
  private chunk: TraceChunk;
  private spare: TraceChunk | null = null;
  private seq = 0;

  constructor(
    private readonly sink: ChunkSink,
    private readonly chunkCapacity = 16384,
  ) {
    this.chunk = new TraceChunk(chunkCapacity);
  }

  get recorded(): number {
    return this.seq;
  }

  push(type: number, t: number, a: number, b: number, c: number, d: number, e: number, f: number): void {
    const k = this.chunk;
    const i = k.length;
    k.type[i] = type;
    k.t[i] = t;
    k.a[i] = a;
    k.b[i] = b;
    k.c[i] = c;
    k.d[i] = d;
    k.e[i] = e;
    k.f[i] = f;
    k.length = i + 1;
    this.seq++;
    if (k.length === k.capacity) this.flush();
  }

  /** Hands the records written so far to the sink (nothing if none). */
  flush(): void {
    const k = this.chunk;
    if (k.length === 0) return;
    const next = this.spare ?? new TraceChunk(this.chunkCapacity);
    this.spare = null;
    next.length = 0;
    next.firstSeq = this.seq;
    this.chunk = next;
    this.sink(k);
  }

  /** A sink that is done with a chunk may return it here to be reused. */
  recycle(chunk: TraceChunk): void {
    if (chunk.capacity === this.chunkCapacity) this.spare = chunk;
  }

  /** For checkpoints: the next seq to be written. */
  get nextSeq(): number {
    return this.seq;
  }

  set nextSeq(value: number) {
    this.seq = value;
    this.chunk.firstSeq = value - this.chunk.length;
  }
}
