// Time travel for the worker: checkpoints to seek from, a bounded history of trace records for
// "why?" questions, and per-time-bucket statistics for the scrubber's markers and the charts.
// Memory stays bounded: checkpoints thin out (spacing doubles) past a maximum count, the history
// is a fixed ring, the statistics have a fixed number of buckets.
import type { Checkpoint, Engine } from '../model/engine.ts';
import { COMPLETE_BLOCKING, COMPLETE_LOST_RACE, R, TraceChunk, allocColumns, copyRange, type Columns } from '../trace/records.ts';
import { STATUS_NAMES } from '../base/status.ts';
import type { Topology } from '../model/topology.ts';

export const BUCKETS = 400;
const MAX_CHECKPOINTS = 48;
const HISTORY = 1 << 18; // 262,144 records

export interface Mark {
  dispatch: number;
  nowUs: number;
  seq: number;
  cp: Checkpoint;
}

/** Per-bucket series over the run so far (the part already played). */
export interface TimelineStats {
  bucketUs: number;
  /** Buckets filled so far (the furthest point reached). */
  reached: number;
  refusals: Float32Array;
  sendPossible: Float32Array;
  lostRaces: Float32Array;
  errorCalls: Float32Array;
  faults: Float32Array;
  bugchecks: Float32Array;
  /** Pool bytes by transport and client at the end of each bucket: [bucket][transport][client]. */
  poolByClient: Float32Array;
  /** Bytes transmitted by client in each bucket: [bucket][client]. */
  txByClient: Float32Array;
  transports: number;
  clients: number;
  /** Per client, the engine's log histogram of waits from refusal to acceptance (WAIT_BINS bins each). */
  waitHist: Float64Array;
}

export class Timeline {
  readonly marks: Mark[] = [];
  private spacing = 25_000; // kernel dispatches between checkpoints, doubles as they thin out
  // History ring (columnar), indexed by seq % HISTORY.
  private readonly h: Columns = allocColumns(HISTORY);
  histMax = -1; // newest seq held
  private statsSeq = -1; // newest seq counted in the statistics
  readonly stats: TimelineStats;
  // Running state for the statistics (only advanced on first pass, not on replays).
  private pool: Float64Array; // per transport × client
  private curBucket = 0;

  constructor(
    private readonly topo: Topology,
    durationUs: number,
  ) {
    const T = topo.transportNodes.length;
    const C = topo.clientIds.length;
    const n = BUCKETS;
    this.stats = {
      bucketUs: Math.max(1, Math.ceil(durationUs / n)),
      reached: 0,
      refusals: new Float32Array(n),
      sendPossible: new Float32Array(n),
      lostRaces: new Float32Array(n),
      errorCalls: new Float32Array(n),
      faults: new Float32Array(n),
      bugchecks: new Float32Array(n),
      poolByClient: new Float32Array(n * T * C),
      txByClient: new Float32Array(n * C),
      transports: T,
      clients: C,
      waitHist: new Float64Array(0),
    };
    this.pool = new Float64Array(T * C);
  }

  /** Takes a checkpoint when the engine has gone `spacing` dispatches past the last one. */
  maybeCheckpoint(engine: Engine, seq: number): void {
    const last = this.marks[this.marks.length - 1];
    if (last && engine.dispatchCount - last.dispatch < this.spacing) return;
    if (last && engine.dispatchCount <= last.dispatch) return;
    this.marks.push({ dispatch: engine.dispatchCount, nowUs: engine.nowUs, seq, cp: engine.checkpoint() });
    if (this.marks.length > MAX_CHECKPOINTS) {
      // Thin out: keep the first and every other one after it; checkpoints get twice as far apart.
      const kept = this.marks.filter((_, i) => i === 0 || i % 2 === 0);
      this.marks.length = 0;
      this.marks.push(...kept);
      this.spacing *= 2;
    }
  }

  /** The latest checkpoint at or before a dispatch count / a time. */
  beforeDispatch(dispatch: number): Mark {
    let best = this.marks[0]!;
    for (const m of this.marks) if (m.dispatch <= dispatch) best = m;
    return best;
  }

  /** The latest checkpoint with fewer than `seq` trace records behind it. */
  beforeSeq(seq: number): Mark {
    let best = this.marks[0]!;
    for (const m of this.marks) if (m.seq < seq) best = m;
    return best;
  }

  beforeTime(tUs: number): Mark {
    let best = this.marks[0]!;
    for (const m of this.marks) if (m.nowUs <= tUs) best = m;
    return best;
  }

  /** Acting in the past forks the future: what lay after this point no longer holds. */
  forgetAfter(engine: Engine, seq: number): void {
    while (this.marks.length > 1 && this.marks[this.marks.length - 1]!.dispatch > engine.dispatchCount) this.marks.pop();
    this.histMax = Math.min(this.histMax, seq - 1);
    if (this.statsSeq >= seq) this.truncateStats(engine, seq);
  }

  /** Takes a chunk of new or replayed records. Replayed ones (seq already seen) only refill the history. */
  record(k: TraceChunk): void {
    if (k.length === 0) return;
    // Into the ring in at most two block copies (split where the ring wraps).
    const at = k.firstSeq % HISTORY;
    const first = Math.min(k.length, HISTORY - at);
    copyRange(k, 0, first, this.h, at);
    if (first < k.length) copyRange(k, first, k.length, this.h, 0);
    for (let i = Math.max(0, this.statsSeq + 1 - k.firstSeq); i < k.length; i++) this.count(k, i);
    this.statsSeq = Math.max(this.statsSeq, k.firstSeq + k.length - 1);
    this.histMax = Math.max(this.histMax, k.firstSeq + k.length - 1);
  }

  get histMin(): number {
    return Math.max(0, this.histMax - HISTORY + 1);
  }

  /** Consecutive records [from, to] from the history (the caller keeps within histMin..histMax). */
  slice(from: number, to: number): TraceChunk {
    const n = Math.max(0, to - from + 1);
    const out = new TraceChunk(n);
    out.firstSeq = from;
    out.length = n;
    const at = from % HISTORY;
    const first = Math.min(n, HISTORY - at);
    copyRange(this.h, at, at + first, out, 0);
    if (first < n) copyRange(this.h, 0, n - first, out, first);
    return out;
  }

  private count(k: TraceChunk, i: number): void {
    const s = this.stats;
    const t = k.t[i]!;
    const b = Math.min(BUCKETS - 1, Math.floor(t / s.bucketUs));
    while (this.curBucket < b) this.closeBucket();
    const type = k.type[i]!;
    const a = k.a[i]!;
    const C = s.clients;
    switch (type) {
      case R.SEND_COMPLETE: {
        const st = k.b[i]!;
        if (st === S_NOT_READY) s.refusals[b]!++;
        if (k.f[i]! & COMPLETE_LOST_RACE) s.lostRaces[b]!++;
        const info = k.d[i]!;
        if (info > 0 && !(k.f[i]! & COMPLETE_BLOCKING)) this.pool[this.poolIndex(a)]! += info;
        break;
      }
      case R.BUFFER_COPY:
        this.pool[this.poolIndex(a)]! += k.d[i]!;
        break;
      case R.BUFFER_TRANSMIT:
        this.pool[this.poolIndex(a)]! -= k.d[i]!;
        s.txByClient[b * C + this.topo.connectionClient[a]!]! += k.d[i]!;
        break;
      case R.BUFFER_DISCARD:
        this.pool[this.poolIndex(a)]! -= k.d[i]!;
        break;
      case R.CALLBACK_SEND_POSSIBLE:
        s.sendPossible[b]!++;
        break;
      case R.CALLBACK_ERROR:
        s.errorCalls[b]!++;
        break;
      case R.DRIVER_FAULT:
        s.faults[b]!++;
        break;
      case R.BUGCHECK:
        s.bugchecks[b]!++;
        break;
    }
    s.reached = Math.max(s.reached, b + 1);
  }

  private poolIndex(conn: number): number {
    return this.topo.connectionTransport[conn]! * this.stats.clients + this.topo.connectionClient[conn]!;
  }

  /** Writes the current bucket's pool level (it is the level after the bucket's last record so far). */
  syncCurrent(): void {
    if (this.curBucket < BUCKETS) this.stats.poolByClient.set(this.pool, this.curBucket * this.pool.length);
  }

  /** Closes the current bucket (its pool level stays as it ended); the next one starts. */
  private closeBucket(): void {
    this.syncCurrent();
    this.curBucket++;
    // An empty bucket keeps the pool level of the one before.
    if (this.curBucket < BUCKETS) this.stats.poolByClient.set(this.pool, this.curBucket * this.pool.length);
  }

  /**
   * Clears the statistics from the fork's bucket on. The counts of that bucket before the fork are
   * recounted from the history; the pool level comes from the engine, which knows it exactly.
   */
  private truncateStats(engine: Engine, seq: number): void {
    const s = this.stats;
    const b = Math.min(BUCKETS - 1, Math.floor(engine.nowUs / s.bucketUs));
    for (const arr of [s.refusals, s.sendPossible, s.lostRaces, s.errorCalls, s.faults, s.bugchecks]) arr.fill(0, b);
    s.poolByClient.fill(0, b * this.pool.length);
    s.txByClient.fill(0, b * s.clients);
    s.reached = b;
    this.curBucket = b;
    let from = seq;
    while (from - 1 >= this.histMin && this.h.t[(from - 1) % HISTORY]! >= b * s.bucketUs) from--;
    this.statsSeq = from - 1;
    if (from < seq) this.record(this.slice(from, seq - 1));
    const snap = engine.snapshot();
    this.pool.fill(0);
    for (let c = 0; c < snap.buffered.length; c++) this.pool[this.poolIndex(c)]! += snap.buffered[c]!;
    s.poolByClient.set(this.pool, b * this.pool.length);
    this.statsSeq = seq - 1;
  }

}

const S_NOT_READY = STATUS_NAMES.indexOf('STATUS_DEVICE_NOT_READY');
