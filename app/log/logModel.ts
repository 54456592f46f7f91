// The event log's data: a columnar ring of the newest trace records (no objects per row), a filter
// index kept up to date as records arrive, and the text of a row made only when it is shown.
// Rows are numbered in the whole run (row n: the run's n-th record that is not a TDI_SEND
// submission — those show on their completion's row). Rows older than the ring are fetched on
// demand (#10 scroll-back: the worker regenerates them from a checkpoint) in blocks, a few kept.
import type { FrameEvents } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import { decodeRecord, type TraceEvent } from '../../src/trace/names.ts';
import { R, SUBMIT_RESUBMIT, allocColumns, copyRange, copyRecord, type Columns } from '../../src/trace/records.ts';
import { LOG_GROUP_TYPES, callText, recordSentence, type LogGroup, type RecordContext, type SubmitArgs } from '../../src/trace/recordTable.ts';
import { isFiltering, rowPasses, type RowFilter } from '../../src/trace/rowFilter.ts';
import type { EarlierRows } from '../../src/protocol/messages.ts';

export const LOG_CAPACITY = 50_000;
const SUBMIT_RING = 65_536;
/** Older rows are fetched this many at a time, and this many blocks kept. */
export const OLDER_BLOCK_ROWS = 512;
const OLDER_BLOCKS_KEPT = 64;

/** Fetches rows [fromRow, fromRow + count) of the run: their records, with the submissions they show. */
export type RowFetcher = (fromRow: number, count: number) => Promise<FrameEvents>;
/** Finds up to `limit` rows before `beforeRow` passing `filter` (the worker's findRows). */
export type RowSearcher = (beforeRow: number, limit: number, filter: RowFilter) => Promise<EarlierRows>;
/** Matches asked for at a time when a filter searches back through the run. */
export const SEARCH_BATCH = 500;

/**
 * A filter's matches older than the ring, found by the worker, oldest first: every row from `from`
 * up to `to` (the ring's start when the search began) was searched.
 */
interface EarlierMatches {
  to: number;
  from: number;
  fromUs: number;
  rows: number[];
  /** Row → its record's index in cols. */
  at: Map<number, number>;
  cols: Columns;
  n: number;
  seq: number[];
  submits: Map<number, SubmitArgs>;
}

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
  /** Set by the page: how older rows are fetched, and who hears that they came. */
  fetchRows: RowFetcher | null = null;
  onRowsLoaded: (() => void) | null = null;
  /** Set by the page: how a filter searches back through the run, and who hears of new matches (how many, at the top). */
  searchRows: RowSearcher | null = null;
  onEarlierFound: ((added: number) => void) | null = null;
  private earlier: EarlierMatches | null = null;
  /** Bumped when what a search found no longer holds: a reply for an older one is dropped. */
  private searchGeneration = 0;
  /** A search back is under way. */
  searching = false;
  private readonly older = new Map<number, OlderBlock>();
  private readonly requested = new Set<number>();
  private generation = 0;
  /** Absolute indices of rows passing the filter, oldest first, from `visHead` on. */
  private vis: number[] = [];
  private visHead = 0;
  private filter: LogFilter = NO_FILTER;
  private rowFilter: RowFilter = { types: [], client: -1, connection: -1, status: '' };
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
    return isFiltering(this.rowFilter);
  }

  /**
   * Filtered: how far back the run has been searched for matches (null: not at all, only the rows
   * held), in rows and in simulated µs.
   */
  get searchedBack(): { row: number; us: number } | null {
    return this.earlier ? { row: this.earlier.from, us: this.earlier.fromUs } : null;
  }

  /** Whether a search back through the run could find more (filtered, with rows before what was searched). */
  get canSearchEarlier(): boolean {
    return this.filtered && this.searchRows !== null && (this.earlier ? this.earlier.from : this.ringStart) > 0;
  }

  /**
   * Asks the worker for the next SEARCH_BATCH matches before what was searched; they join the top of
   * the list (onEarlierFound says how many).
   */
  async searchEarlier(): Promise<void> {
    if (!this.canSearchEarlier || this.searching) return;
    const generation = this.searchGeneration;
    const before = this.earlier ? this.earlier.from : this.ringStart;
    this.searching = true;
    try {
      const found = await this.searchRows!(before, SEARCH_BATCH, this.rowFilter);
      if (generation !== this.searchGeneration) return;
      const e = (this.earlier ??= { to: before, from: before, fromUs: 0, rows: [], at: new Map(), cols: allocColumns(0), n: 0, seq: [], submits: new Map() });
      e.from = found.searchedFrom;
      e.fromUs = found.searchedFromUs;
      const r = found.records;
      const cols = allocColumns(e.n + r.length);
      copyRange(e.cols, 0, e.n, cols, 0);
      let k = 0;
      for (let i = 0; i < r.length; i++) {
        if (r.type[i] === R.SEND_SUBMIT) {
          e.submits.set(r.c[i]!, { bytes: r.d[i]!, flags: r.f[i]! & 0xffff, resubmit: (r.f[i]! & SUBMIT_RESUBMIT) !== 0 });
          continue;
        }
        e.at.set(found.rows[k]!, e.n);
        e.seq[e.n] = found.seqs[k]!;
        copyRecord(r, i, cols, e.n++);
        k++;
      }
      e.cols = cols;
      e.rows = found.rows.concat(e.rows);
      this.onEarlierFound?.(found.rows.length);
    } finally {
      if (generation === this.searchGeneration) this.searching = false;
    }
  }

  /** Forgets what a search found (a new filter, a new run, or the ring moved past it). */
  private dropEarlier(): void {
    if (!this.earlier && !this.searching) return;
    this.earlier = null;
    this.searching = false;
    this.searchGeneration++;
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
    return this.olderCount + (this.earlier?.rows.length ?? 0) + this.vis.length - this.visHead;
  }

  /** The row number (stable while the run goes on) of the i-th visible row. */
  visibleAt(i: number): number {
    const older = this.olderCount;
    if (i < older) return this.firstShown + i;
    const earlier = this.earlier?.rows ?? [];
    const j = i - older;
    return j < earlier.length ? earlier[j]! : this.rowBase + this.vis[this.visHead + j - earlier.length]!;
  }

  /** Whether a row's record is here (in the ring or a fetched block); if not, want() asks for it. */
  has(abs: number): boolean {
    if (abs >= this.ringStart && abs < this.rowsEnd) return true;
    if (this.earlier?.at.has(abs)) return true;
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
    // The ring moved past where the search began: rows between would be missing from the list.
    if (this.earlier && this.ringStart > this.earlier.to) this.dropEarlier();
    if (this.visHead > 65_536) {
      this.vis = this.vis.slice(this.visHead);
      this.visHead = 0;
    }
    return this.visibleCount - before;
  }

  setFilter(filter: LogFilter): void {
    this.filter = filter;
    this.rowFilter = { types: [...filter.groups].flatMap((g) => LOG_GROUPS[g]), client: filter.client, connection: filter.connection, status: filter.status };
    this.dropEarlier();
    this.vis = [];
    this.visHead = 0;
    for (let abs = Math.max(0, this.total - this.cap); abs < this.total; abs++) if (this.passes(abs)) this.vis.push(abs);
  }

  clear(): void {
    // Going back may fork the run: rows fetched for the old future must not come back.
    this.older.clear();
    this.requested.clear();
    this.generation++;
    this.dropEarlier();
    this.restartAt(0);
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
    const k = local % this.cap;
    return rowPasses(this.rowFilter, this.topo, this.cols.type[k]!, this.cols.a[k]!, this.cols.b[k]!, this.cols.f[k]!);
  }

  /** The decoded record of a row (for the inspector and highlighting); the row must be here (has). */
  event(abs: number): TraceEvent {
    const one = allocColumns(1);
    let seq: number;
    const e = this.earlier?.at.get(abs);
    if (abs >= this.ringStart) {
      const k = (abs - this.rowBase) % this.cap;
      copyRecord(this.cols, k, one, 0);
      seq = this.seq[k]!;
    } else if (e !== undefined) {
      copyRecord(this.earlier!.cols, e, one, 0);
      seq = this.earlier!.seq[e]!;
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
    const e = this.earlier;
    if (e?.at.has(abs)) return { topo: this.topo, submitOf: (id) => e.submits.get(id) ?? this.submitOf(id) };
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
