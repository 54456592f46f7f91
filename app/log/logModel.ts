// The event log's data: a columnar ring of the newest trace records (no objects per row), a filter
// index kept up to date as records arrive, and the text of a row made only when it is shown.
// Rows are numbered in the whole run (row n: the run's n-th record that is not a TDI_SEND
// submission — those show on their completion's row). Rows older than the ring are fetched on
// demand (#10 scroll-back: the worker regenerates them from a checkpoint) in blocks, a few kept.
import type { FrameEvents } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import { STATUS_NAMES } from '../../src/base/status.ts';
import { decodeRecord, type TraceEvent } from '../../src/trace/names.ts';
import { R, SUBMIT_RESUBMIT, allocColumns, copyRecord, type Columns } from '../../src/trace/records.ts';
import {
  LOG_GROUP_TYPES,
  callText,
  clientOfRecord,
  connectionOfRecord,
  recordSentence,
  statusOfRecord,
  type LogGroup,
  type RecordContext,
  type SubmitArgs,
} from '../../src/trace/recordTable.ts';

export const LOG_CAPACITY = 50_000;
const SUBMIT_RING = 65_536;
/** Older rows are fetched this many at a time, and this many blocks kept. */
export const OLDER_BLOCK_ROWS = 512;
const OLDER_BLOCKS_KEPT = 64;

/** Fetches rows [fromRow, fromRow + count) of the run: their records, with the submissions they show. */
export type RowFetcher = (fromRow: number, count: number) => Promise<FrameEvents>;

interface OlderBlock {
  firstRow: number;
  length: number;
  cols: Columns;
  seq: Float64Array;
  submits: Map<number, SubmitArgs>;
}

/** Filter groups offered in the UI, with the record types each shows (from the record table). */
export const LOG_GROUPS = LOG_GROUP_TYPES;
export type { LogGroup };

export interface LogFilter {
  groups: ReadonlySet<LogGroup>; // empty = all
  client: number; // -1 = any
  connection: number; // -1 = any
  status: string; // '' = any; 'error' = any failure status
}

export const NO_FILTER: LogFilter = { groups: new Set(), client: -1, connection: -1, status: '' };

export class LogModel {
  private readonly cap = LOG_CAPACITY;
  private readonly cols: Columns = allocColumns(this.cap);
  readonly seq = new Float64Array(this.cap);
  /** Rows added since the ring (re)started; the ring holds the last min(total, cap). */
  total = 0;
  /** The run's row number of the ring's local row 0. */
  private rowBase = 0;
  dropped = 0;
  /** Set by the page: how older rows are fetched, and who hears that they came. */
  fetchRows: RowFetcher | null = null;
  onRowsLoaded: (() => void) | null = null;
  private readonly older = new Map<number, OlderBlock>();
  private readonly requested = new Set<number>();
  private generation = 0;
  /** Absolute indices of rows passing the filter, oldest first, from `visHead` on. */
  private vis: number[] = [];
  private visHead = 0;
  private filter: LogFilter = NO_FILTER;
  /**
   * TDI_SEND arguments by sendId, to print them on the completion line. Send ids are sequential,
   * so a ring indexed by id (with the id stored to detect overwrites) replaces a Map, whose
   * delete-oldest would get slower with every deletion.
   */
  private readonly subId = new Float64Array(SUBMIT_RING).fill(-1);
  private readonly subBytes = new Float64Array(SUBMIT_RING);
  private readonly subFlags = new Int32Array(SUBMIT_RING);

  /** Rows of the run so far (row numbers 0 … rowsEnd − 1). */
  get rowsEnd(): number {
    return this.rowBase + this.total;
  }

  /** The row number of the ring's oldest row. */
  get ringStart(): number {
    return this.rowBase + Math.max(0, this.total - this.cap);
  }

  private get filtered(): boolean {
    const f = this.filter;
    return f.groups.size > 0 || f.client >= 0 || f.connection >= 0 || f.status !== '';
  }

  /**
   * The first row the log shows: unfiltered, the run's first (rows older than the ring are fetched
   * as they scroll into view); filtered, the ring's oldest (a filter applies to the rows held).
   */
  get firstShown(): number {
    return this.filtered ? this.ringStart : 0;
  }

  /** Rows shown before the ring's (unfiltered only): fetched on demand. */
  get olderCount(): number {
    return this.ringStart - this.firstShown;
  }

  get visibleCount(): number {
    return this.olderCount + this.vis.length - this.visHead;
  }

  /** The row number (stable while the run goes on) of the i-th visible row. */
  visibleAt(i: number): number {
    const older = this.olderCount;
    return i < older ? this.firstShown + i : this.rowBase + this.vis[this.visHead + i - older]!;
  }

  /** Whether a row's record is here (in the ring or a fetched block); if not, want() asks for it. */
  has(abs: number): boolean {
    if (abs >= this.ringStart && abs < this.rowsEnd) return true;
    const b = this.older.get(Math.floor(abs / OLDER_BLOCK_ROWS));
    return b !== undefined && abs - b.firstRow < b.length;
  }

  /** Asks for the block of rows around `abs` (once; has() turns true and onRowsLoaded is called when it comes). */
  want(abs: number): void {
    const block = Math.floor(abs / OLDER_BLOCK_ROWS);
    if (!this.fetchRows || this.requested.has(block) || this.older.has(block)) return;
    this.requested.add(block);
    const from = block * OLDER_BLOCK_ROWS;
    const generation = this.generation;
    this.fetchRows(from, OLDER_BLOCK_ROWS).then(
      (ev) => {
        if (generation !== this.generation) return;
        this.requested.delete(block);
        this.older.set(block, this.toBlock(ev));
        // Keep a few blocks: the oldest fetched goes first.
        if (this.older.size > OLDER_BLOCKS_KEPT) this.older.delete(this.older.keys().next().value!);
        this.onRowsLoaded?.();
      },
      () => generation === this.generation && this.requested.delete(block), // asked again when next shown
    );
  }

  private toBlock(ev: FrameEvents): OlderBlock {
    const cols = allocColumns(ev.length);
    const seq = new Float64Array(ev.length);
    const submits = new Map<number, SubmitArgs>();
    let n = 0;
    for (let i = 0; i < ev.length; i++) {
      if (ev.type[i] === R.SEND_SUBMIT) {
        submits.set(ev.c[i]!, { bytes: ev.d[i]!, flags: ev.f[i]! & 0xffff, resubmit: (ev.f[i]! & SUBMIT_RESUBMIT) !== 0 });
        continue;
      }
      copyRecord(ev, i, cols, n);
      seq[n++] = ev.firstSeq + i;
    }
    return { firstRow: ev.firstRow, length: n, cols, seq, submits };
  }

  private readonly context: RecordContext;

  constructor(private readonly topo: Topology) {
    this.context = { topo, submitOf: (id) => this.submitOf(id) };
  }

  /** Adds a frame's records. Returns how many rows became visible. */
  append(ev: FrameEvents): number {
    this.dropped += ev.droppedEvents;
    const before = this.visibleCount;
    // Rows skipped between frames (too fast to send them all): the ring starts again at this
    // frame's rows; the skipped ones are older rows, fetched when shown.
    if (this.total === 0 || ev.firstRow !== this.rowsEnd) this.restartAt(ev.firstRow);
    for (let i = 0; i < ev.length; i++) {
      const type = ev.type[i]!;
      if (type === R.SEND_SUBMIT) {
        // Shown on its completion line, not on a row of its own.
        const id = ev.c[i]!;
        const k = id % SUBMIT_RING;
        this.subId[k] = id;
        this.subBytes[k] = ev.d[i]!;
        this.subFlags[k] = ev.f[i]!;
        continue;
      }
      const abs = this.total++;
      const k = abs % this.cap;
      copyRecord(ev, i, this.cols, k);
      this.seq[k] = ev.firstSeq + i;
      if (this.passes(abs)) this.vis.push(abs);
    }
    // Forget rows that fell out of the ring (move the head; compact now and then, not per frame).
    const oldest = this.total - this.cap;
    while (this.visHead < this.vis.length && this.vis[this.visHead]! < oldest) this.visHead++;
    if (this.visHead > 65_536) {
      this.vis = this.vis.slice(this.visHead);
      this.visHead = 0;
    }
    return this.visibleCount - before;
  }

  setFilter(filter: LogFilter): void {
    this.filter = filter;
    this.vis = [];
    this.visHead = 0;
    for (let abs = Math.max(0, this.total - this.cap); abs < this.total; abs++) if (this.passes(abs)) this.vis.push(abs);
  }

  clear(): void {
    // Going back may fork the run: rows fetched for the old future must not come back.
    this.older.clear();
    this.requested.clear();
    this.generation++;
    this.restartAt(0);
    this.dropped = 0;
    this.subId.fill(-1);
  }

  private restartAt(row: number): void {
    this.total = 0;
    this.rowBase = row;
    this.vis = [];
    this.visHead = 0;
  }

  /** `local`: a ring row (0 … total − 1). */
  private passes(local: number): boolean {
    const f = this.filter;
    const k = local % this.cap;
    const type = this.cols.type[k]!;
    if (f.groups.size > 0 && ![...f.groups].some((g) => LOG_GROUPS[g].includes(type))) return false;
    if (f.connection >= 0 && connectionOfRecord(type, this.cols.a[k]!) !== f.connection) return false;
    if (f.client >= 0 && clientOfRecord(type, this.cols.a[k]!, this.topo) !== f.client) return false;
    if (f.status !== '') {
      const status = statusOfRecord(type, { b: this.cols.b[k]!, f: this.cols.f[k]! });
      if (status === null) return false;
      if (f.status === 'error' ? status === 0 : STATUS_NAMES[status] !== f.status) return false;
    }
    return true;
  }

  /** The decoded record of a row (for the inspector and highlighting); the row must be here (has). */
  event(abs: number): TraceEvent {
    const one = allocColumns(1);
    let seq: number;
    if (abs >= this.ringStart) {
      const k = (abs - this.rowBase) % this.cap;
      copyRecord(this.cols, k, one, 0);
      seq = this.seq[k]!;
    } else {
      const b = this.older.get(Math.floor(abs / OLDER_BLOCK_ROWS));
      const i = b ? abs - b.firstRow : -1;
      if (!b || i < 0 || i >= b.length) throw new Error(`log row ${abs} is not loaded`);
      copyRecord(b.cols, i, one, 0);
      seq = b.seq[i]!;
    }
    return decodeRecord({ firstSeq: seq, ...one }, 0, this.topo);
  }

  /** How a row reads: an older row's submissions come with its block. */
  private contextOf(abs: number): RecordContext {
    if (abs >= this.ringStart) return this.context;
    const b = this.older.get(Math.floor(abs / OLDER_BLOCK_ROWS));
    return { topo: this.topo, submitOf: (id) => b?.submits.get(id) ?? this.submitOf(id) };
  }

  /** The TDI_SEND arguments of a send, if it is still remembered. */
  submitOf(sendId: number): SubmitArgs | undefined {
    const k = sendId % SUBMIT_RING;
    if (this.subId[k] !== sendId) return undefined;
    return { bytes: this.subBytes[k]!, flags: this.subFlags[k]! & 0xffff, resubmit: (this.subFlags[k]! & SUBMIT_RESUBMIT) !== 0 };
  }

  /** The row as it would read in C. */
  text(abs: number): string {
    return callText(this.event(abs), this.contextOf(abs));
  }

  /** The row in a plain sentence. */
  sentence(abs: number): string {
    return recordSentence(this.event(abs), this.contextOf(abs));
  }
}
