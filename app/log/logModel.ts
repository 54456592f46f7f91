// The event log's data: a columnar ring of the newest trace records (no objects per row), a filter
// index kept up to date as records arrive, and the text of a row made only when it is shown.
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
  /** Records ever added; the ring holds the last min(total, cap). */
  total = 0;
  dropped = 0;
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

  get visibleCount(): number {
    return this.vis.length - this.visHead;
  }

  /** The absolute index of the i-th visible row. */
  visibleAt(i: number): number {
    return this.vis[this.visHead + i]!;
  }

  private readonly context: RecordContext;

  constructor(private readonly topo: Topology) {
    this.context = { topo, submitOf: (id) => this.submitOf(id) };
  }

  /** Adds a frame's records. Returns how many rows became visible. */
  append(ev: FrameEvents): number {
    this.dropped += ev.droppedEvents;
    const before = this.visibleCount;
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
    this.total = 0;
    this.dropped = 0;
    this.vis = [];
    this.visHead = 0;
    this.subId.fill(-1);
  }

  private passes(abs: number): boolean {
    const f = this.filter;
    const k = abs % this.cap;
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

  /** The decoded record at a ring position (for the inspector and highlighting). */
  event(abs: number): TraceEvent {
    const k = abs % this.cap;
    const one = { firstSeq: this.seq[k]!, ...allocColumns(1) };
    copyRecord(this.cols, k, one, 0);
    return decodeRecord(one, 0, this.topo);
  }

  /** The TDI_SEND arguments of a send, if it is still remembered. */
  submitOf(sendId: number): SubmitArgs | undefined {
    const k = sendId % SUBMIT_RING;
    if (this.subId[k] !== sendId) return undefined;
    return { bytes: this.subBytes[k]!, flags: this.subFlags[k]! & 0xffff, resubmit: (this.subFlags[k]! & SUBMIT_RESUBMIT) !== 0 };
  }

  /** The row as it would read in C. */
  text(abs: number): string {
    return callText(this.event(abs), this.context);
  }

  /** The row in a plain sentence. */
  sentence(abs: number): string {
    return recordSentence(this.event(abs), this.context);
  }
}
