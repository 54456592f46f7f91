// The event log's data: a columnar ring of the newest trace records (no objects per row), a filter
// index kept up to date as records arrive, and the text of a row made only when it is shown.
import type { FrameEvents } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import { decodeRecord, type TraceEvent } from '../../src/trace/names.ts';
import { R, RECORD_TYPE_NAMES, allocColumns, copyRecord, type Columns } from '../../src/trace/records.ts';
import { EVENT_TYPES, statusHex, type HandlerName, type StatusName } from '../../src/base/status.ts';

export const LOG_CAPACITY = 50_000;
const SUBMIT_RING = 65_536;

/** Filter groups offered in the UI. */
export const LOG_GROUPS = {
  sends: [R.SEND_COMPLETE, R.SEND_PENDING],
  callbacks: [R.CALLBACK_SEND_POSSIBLE, R.CALLBACK_ERROR, R.CALLBACK_DISCONNECT],
  pool: [R.BUFFER_TRANSMIT, R.BUFFER_COPY, R.BUFFER_DISCARD],
  faults: [R.DRIVER_FAULT, R.DRIVER_RECOVER, R.CONNECTION_BROKEN, R.CLIENT_FAIL, R.BUGCHECK, R.CONNECTION_CONNECT],
  setup: [R.ADDRESS_OPEN, R.ADDRESS_CLOSE, R.HANDLER_REGISTER],
} as const;
export type LogGroup = keyof typeof LOG_GROUPS;

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

  constructor(private readonly topo: Topology) {}

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
    if (f.groups.size > 0 && ![...f.groups].some((g) => (LOG_GROUPS[g] as readonly number[]).includes(type))) return false;
    if (f.connection >= 0 || f.client >= 0) {
      const conn = connectionOf(type, this.cols.a[k]!);
      const client = clientOf(type, this.cols.a[k]!, this.topo);
      if (f.connection >= 0 && conn !== f.connection) return false;
      if (f.client >= 0 && client !== f.client) return false;
    }
    if (f.status !== '') {
      const status = statusOf(type, this.cols.b[k]!);
      if (status === null) return false;
      if (f.status === 'error' ? status === 0 : STATUS_LIST[status] !== f.status) return false;
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
  submitOf(sendId: number): { bytes: number; flags: number; resubmit: boolean } | undefined {
    const k = sendId % SUBMIT_RING;
    if (this.subId[k] !== sendId) return undefined;
    return { bytes: this.subBytes[k]!, flags: this.subFlags[k]! & 0xffff, resubmit: (this.subFlags[k]! & (1 << 16)) !== 0 };
  }

  /** The row as it would read in C. */
  text(abs: number): string {
    return callText(this.event(abs), (id) => this.submitOf(id));
  }
}

import { STATUS_NAMES } from '../../src/base/status.ts';
const STATUS_LIST = STATUS_NAMES;

/** The connection a record is about, or -1. */
export function connectionOf(type: number, a: number): number {
  switch (type) {
    case R.CALLBACK_ERROR:
    case R.DRIVER_FAULT:
    case R.DRIVER_RECOVER:
    case R.ADDRESS_CLOSE:
    case R.ADDRESS_OPEN:
    case R.BUGCHECK:
    case R.HANDLER_REGISTER:
      return -1;
    default:
      return a;
  }
}

export function clientOf(type: number, a: number, topo: Topology): number {
  switch (type) {
    case R.CALLBACK_ERROR:
    case R.ADDRESS_CLOSE:
    case R.ADDRESS_OPEN:
    case R.HANDLER_REGISTER:
      return topo.addressClient[a]!;
    case R.BUGCHECK:
      return a;
    case R.DRIVER_FAULT:
    case R.DRIVER_RECOVER:
      return -1;
    default:
      return topo.connectionClient[a]!;
  }
}

function statusOf(type: number, b: number): number | null {
  switch (type) {
    case R.SEND_COMPLETE:
    case R.CALLBACK_ERROR:
    case R.DRIVER_FAULT:
    case R.CONNECTION_BROKEN:
    case R.CLIENT_FAIL:
    case R.HANDLER_REGISTER:
      return b;
    default:
      return null;
  }
}

const FLAG_NAMES: [number, string][] = [
  [0x100, 'NON_BLOCKING'],
  [0x20, 'EXPEDITED'],
  [0x40, 'PARTIAL'],
  [0x80, 'NO_RESPONSE_EXPECTED'],
  [0x200, 'AND_DISCONNECT'],
];
const flagText = (mask: number): string =>
  FLAG_NAMES.filter(([bit]) => mask & bit).map(([, n]) => n).join(' | ') || '0';
const st = (name: unknown): string => `${name as string} (${statusHex(name as StatusName)})`;
const EVENT_CONST: Record<HandlerName, string> = {
  SendPossible: 'TDI_EVENT_SEND_POSSIBLE',
  Error: 'TDI_EVENT_ERROR',
  ErrorEx: 'TDI_EVENT_ERROR_EX',
  Disconnect: 'TDI_EVENT_DISCONNECT',
};

type SubmitLookup = (sendId: number) => { bytes: number; flags: number; resubmit: boolean } | undefined;

export function callText(e: TraceEvent, submitOf?: SubmitLookup): string {
  switch (e.type) {
    case 'send.complete': {
      const sub = submitOf?.(e.sendId as number);
      const args = sub ? `${e.connection as string}, ${sub.bytes}, ${flagText(sub.flags)}` : `${e.connection as string}, #${e.sendId as number}`;
      const info = e.status === 'STATUS_SUCCESS' || (e.information as number) > 0 ? `, Information=${e.information as number}` : '';
      const race = e.lostRace ? `  ⚠ lost race (told ${e.bytesAvailableTold as number})` : '';
      return `${sub?.resubmit ? '↻ ' : ''}TDI_SEND(${args}) → ${st(e.status)}${info}${race}`;
    }
    case 'send.pending':
      return `TDI_SEND(${e.connection as string}, ${e.bytes as number}) → ${st('STATUS_PENDING')}`;
    case 'callback.sendPossible':
      return `ClientEventSendPossible(ctx=${e.client as string}, conn=${e.connection as string}, BytesAvailable=${e.bytesAvailable as number})  @${e.irql as string}`;
    case 'callback.error':
      return `ClientEvent${e.ex ? 'ErrorEx' : 'Error'}(ctx=${e.client as string}:${e.address as string}, Status=${st(e.status)}${e.ex ? `, Buffer={driver: ${e.driver as string}}` : ''})  @${e.irql as string}`;
    case 'callback.disconnect':
      return `ClientEventDisconnect(ctx=${e.client as string}, conn=${e.connection as string}, TDI_DISCONNECT_ABORT)  @${e.irql as string}`;
    case 'buffer.transmit':
      return `${e.nic as string} transmitted ${e.bytes as number} B of ${e.connection as string} — pool ${e.bufferedAfter as number} B`;
    case 'buffer.copy':
      return `${e.transport as string} copied ${e.bytes as number} B of pending send #${e.sendId as number} (${e.connection as string}) — pool ${e.bufferedAfter as number} B`;
    case 'buffer.discard':
      return `${e.transport as string} discarded ${e.bytes as number} B of ${e.connection as string} (R32) — pool ${e.bufferedAfter as number} B`;
    case 'driver.fault':
      return `${e.driver as string} ${e.fatal ? 'FAILED' : 'reports'}: ${st(e.status)}${e.fatal ? '' : ' (non-fatal)'}`;
    case 'driver.recover':
      return `${e.driver as string} recovered`;
    case 'connection.broken':
      return `${e.connection as string} broken: ${st(e.status)}`;
    case 'connection.connect':
      return `${e.connection as string} reconnected on ${e.address as string}`;
    case 'client.fail':
      return `${e.client as string} fails ${e.bytes as number} B of ${e.connection as string} to its caller: ${st(e.status)}`;
    case 'address.open':
      return `${e.client as string}: ZwCreateFile(${e.address as string}) — address open, no handlers (R1)`;
    case 'address.close':
      return `${e.client as string}: ZwClose(${e.address as string}) from a work item (R34)`;
    case 'handler.register': {
      const h = e.event as HandlerName;
      return `TdiBuildSetEventHandler(${e.address as string}, ${EVENT_CONST[h]}=${EVENT_TYPES[h]}, ${e.registered ? `ClientEvent${h}` : 'NULL'}) → ${st(e.status)}`;
    }
    case 'bugcheck':
      return `*** STOP ${e.code as string} ${e.name as string} in ${e.handler as string} of ${e.client as string}: ${e.does as string} at DISPATCH_LEVEL`;
    default:
      return `${e.type} ${JSON.stringify(e)}`;
  }
}

export const RECORD_TYPES = RECORD_TYPE_NAMES;
