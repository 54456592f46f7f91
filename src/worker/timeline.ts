// Time travel for the worker: checkpoints to seek from, a bounded history of trace records for
// "why?" questions, and per-time-bucket statistics for the scrubber's markers and the charts.
// Memory stays bounded: checkpoints stay within a byte budget (past it, the one whose removal
// leaves the smallest gap goes, so they stay evenly spread), the history is a fixed ring, the
// statistics have a fixed number of buckets.
import { checkpointBytes, type Checkpoint, type Engine } from '../model/engine.ts';
import { COMPLETE_BLOCKING, COMPLETE_LOST_RACE, R, TraceChunk, allocColumns, copyRange, type Columns } from '../trace/records.ts';
import { STATUS_NAMES } from '../base/status.ts';
import type { Topology } from '../model/topology.ts';
import type { TimelineStats } from '../protocol/messages.ts';

export const BUCKETS = 400;
/** The span the buckets cover at the start: 1 ms (the time axis shows at least that much). */
const FIRST_SPAN_US = 1000;
const HISTORY = 1 << 18; // 262,144 records
/**
 * Memory the checkpoints of one run may hold. A seek replays from the nearest checkpoint, so the
 * denser they are the faster it is: at 2,048 connections one is ~0.3 MB (stateCopy.ts keeps whole
 * numbers in 1, 2 or 4 bytes), so the budget would keep ~440 of them. On the stress preset their cost
 * (SEEK_REPLAY_MS) spaces them first: 320–420 over its 33 M events, one every 80,000–105,000
 * records (a replay of ~35 ms at the engine's 2.5 M records/s), 90–125 MB in all.
 */
export const CHECKPOINT_BUDGET_BYTES = 128 * 2 ** 20;
/**
 * The share of the real time since the previous checkpoint that taking one aims at (4%, with room to
 * 5%). SEEK_REPLAY_MS caps the spacing first where a checkpoint costs more than ~1.6 ms: seeks stay
 * fast, and the share grows (stress: 5–6% of End here, ~10% on a machine twice as slow).
 */
const CHECKPOINT_COST_SHARE = 0.05;
/**
 * Real ms a seek may replay from its checkpoint at most: the spacing's cap (#16: the page shows a
 * seek within 100 ms). A checkpoint costs ~2 ms on stress as End takes it, ~5% of this.
 */
const SEEK_REPLAY_MS = 40;
/** Kernel dispatches between checkpoints at the start (the cost and the budget space them further). */
const MIN_SPACING = 8192;
/** How many of the latest checkpoints' cost and run rate the spacing follows (their medians). */
const RECENT = 15;

function keepRecent(xs: number[], x: number): void {
  xs.push(x);
  if (xs.length > RECENT) xs.shift();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Mark {
  dispatch: number;
  nowUs: number;
  seq: number;
  /** Log rows before it: its records less the TDI_SEND submissions (shown on their completion's row). */
  rows: number;
  cp: Checkpoint;
  bytes: number;
}

export class Timeline {
  readonly marks: Mark[] = [];
  /** Bytes the checkpoints hold (within CHECKPOINT_BUDGET_BYTES). */
  bytes = 0;
  /** Kernel dispatches between checkpoints, from their cost … */
  private costSpacing = MIN_SPACING;
  /** … and from the memory budget: the mean gap once the budget was reached. */
  private budgetSpacing = 0;
  private lastCheckpointAtMs: number | null = null;
  /** The last RECENT checkpoints' costs (real ms), and kernel dispatches run per real ms between two. */
  private readonly recentCostMs: number[] = [];
  private readonly recentPerMs: number[] = [];
  // History ring (columnar), indexed by seq % HISTORY.
  private readonly h: Columns = allocColumns(HISTORY);
  /**
   * The history holds exactly the records [histLow, histMax] (fewer than HISTORY). A replay writes
   * records again; where they land on slots of newer records, the window is cut so that it never
   * claims a record the ring no longer holds.
   */
  histMax = -1;
  private histLow = 0;
  private statsSeq = -1; // newest seq counted in the statistics
  readonly stats: TimelineStats;
  // Running state for the statistics (only advanced on first pass, not on replays).
  private pool: Float64Array; // per transport × client
  private curBucket = 0;
  /** A record at or after this time doubles the buckets first (never once they cover the run). */
  private coarsenAtUs = Infinity;

  constructor(
    private readonly topo: Topology,
    private readonly durationUs: number,
    /** Real time (the session's clock), to keep checkpoints within their share of it. */
    private readonly nowMs: () => number = () => 0,
    /** Memory the checkpoints may hold (tests use a small one). */
    readonly budgetBytes = CHECKPOINT_BUDGET_BYTES,
  ) {
    const T = topo.transportNodes.length;
    const C = topo.clientIds.length;
    const n = BUCKETS;
    this.stats = {
      // Fine at first, coarser as the run goes on (coarsen): the charts of a 30 s run show its
      // first milliseconds as a curve, not as one bucket of 75 ms.
      bucketUs: Math.max(1, Math.ceil(Math.min(durationUs, FIRST_SPAN_US) / n)),
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
    this.coarsenAtUs = this.nextCoarsenAtUs();
  }

  private nextCoarsenAtUs(): number {
    const end = BUCKETS * this.stats.bucketUs;
    return end < this.durationUs ? end : Infinity;
  }

  /** Kernel dispatches between checkpoints now. */
  get spacing(): number {
    return Math.max(this.costSpacing, this.budgetSpacing);
  }

  /**
   * Takes a checkpoint when the engine has gone `spacing` dispatches past the last one. The spacing
   * follows what checkpoints cost (at most CHECKPOINT_COST_SHARE of the real time between two) and
   * what they weigh (budgetBytes in all).
   */
  maybeCheckpoint(engine: Engine, seq: number): void {
    const last = this.marks[this.marks.length - 1];
    if (last && engine.dispatchCount - last.dispatch < this.spacing) return;
    if (last && engine.dispatchCount <= last.dispatch) return;
    const startMs = this.nowMs();
    const cp = engine.checkpoint();
    const endMs = this.nowMs();
    const bytes = checkpointBytes(cp);
    this.marks.push({ dispatch: engine.dispatchCount, nowUs: engine.nowUs, seq, rows: engine.rowCount, cp, bytes });
    this.bytes += bytes;
    if (last && this.lastCheckpointAtMs !== null) {
      // Spacing from what a checkpoint costs and how fast the run goes: the medians of the last few,
      // so one slow checkpoint (a garbage collection), a pause or a burst of speed on a busy machine
      // does not space the next ones further apart — a seek's replay is as long as the widest gap
      // (#16: gaps from moving averages ranged 65,000–150,000 records on stress). The dispatches
      // that take 1 / (CHECKPOINT_COST_SHARE × 0.8) times a checkpoint's cost to run.
      keepRecent(this.recentCostMs, endMs - startMs);
      keepRecent(this.recentPerMs, (engine.dispatchCount - last.dispatch) / Math.max(1e-3, startMs - this.lastCheckpointAtMs));
      const costMs = median(this.recentCostMs);
      const perMs = median(this.recentPerMs);
      // At most what replays in SEEK_REPLAY_MS, whatever a busy machine makes a checkpoint cost: seeks stay fast.
      const bySeek = SEEK_REPLAY_MS * perMs;
      this.costSpacing = Math.round(Math.max(MIN_SPACING, Math.min(bySeek, (costMs / (CHECKPOINT_COST_SHARE * 0.8)) * perMs)));
    }
    this.lastCheckpointAtMs = endMs;
    if (this.bytes > this.budgetBytes) {
      while (this.bytes > this.budgetBytes && this.marks.length > 2) this.dropDensest();
      const first = this.marks[0]!;
      const lastKept = this.marks[this.marks.length - 1]!;
      this.budgetSpacing = (lastKept.dispatch - first.dispatch) / (this.marks.length - 1);
    }
  }

  /** Drops the checkpoint (never the first or the newest) whose neighbours are closest: the rest stay evenly spread. */
  private dropDensest(): void {
    const m = this.marks;
    let best = 1;
    for (let i = 2; i < m.length - 1; i++) if (m[i + 1]!.dispatch - m[i - 1]!.dispatch < m[best + 1]!.dispatch - m[best - 1]!.dispatch) best = i;
    this.bytes -= m[best]!.bytes;
    m.splice(best, 1);
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
    while (this.marks.length > 1 && this.marks[this.marks.length - 1]!.dispatch > engine.dispatchCount) this.bytes -= this.marks.pop()!.bytes;
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
    this.widenHistory(k.firstSeq, k.firstSeq + k.length - 1);
  }

  /** The window after records [a, b] were written: [a, b], joined to what it touches of the old window and still holds. */
  private widenHistory(a: number, b: number): void {
    const inOld = (s: number): boolean => s >= this.histLow && s <= this.histMax;
    const lo = inOld(a - 1) ? Math.max(this.histLow, b - HISTORY + 1) : a;
    const hi = inOld(b + 1) ? Math.min(this.histMax, a + HISTORY - 1) : b;
    this.histLow = lo;
    this.histMax = hi;
  }

  get histMin(): number {
    return this.histLow;
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
    while (t >= this.coarsenAtUs) this.coarsen();
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

  /**
   * Twice as long buckets: each pair becomes one. Counts and bytes add up; a pool level is the one
   * at the end of the pair (of its first half when the second has not begun).
   */
  private coarsen(): void {
    const s = this.stats;
    const P = this.pool.length;
    const C = s.clients;
    this.syncCurrent();
    const half = BUCKETS / 2;
    for (let i = 0; i < half; i++) {
      for (const arr of [s.refusals, s.sendPossible, s.lostRaces, s.errorCalls, s.faults, s.bugchecks]) arr[i] = arr[2 * i]! + arr[2 * i + 1]!;
      for (let c = 0; c < C; c++) s.txByClient[i * C + c] = s.txByClient[2 * i * C + c]! + s.txByClient[(2 * i + 1) * C + c]!;
      const from = 2 * i + 1 <= this.curBucket ? 2 * i + 1 : 2 * i;
      s.poolByClient.copyWithin(i * P, from * P, from * P + P);
    }
    for (const arr of [s.refusals, s.sendPossible, s.lostRaces, s.errorCalls, s.faults, s.bugchecks]) arr.fill(0, half);
    s.txByClient.fill(0, half * C);
    s.poolByClient.fill(0, half * P);
    s.bucketUs *= 2;
    this.coarsenAtUs = this.nextCoarsenAtUs();
    s.reached = Math.ceil(s.reached / 2);
    this.curBucket = Math.floor(this.curBucket / 2);
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
