// The event log's data: a columnar ring of the newest trace records (no objects per row), a filter
// index kept up to date as records arrive, and the text of a row made only when it is shown.
import type { FrameEvents } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import { decodeRecord, type TraceEvent } from '../../src/trace/names.ts';
import { R, RECORD_TYPE_NAMES } from '../../src/trace/records.ts';
import { EVENT_TYPES, statusHex, type HandlerName, type StatusName } from '../../src/base/status.ts';

export const LOG_CAPACITY = 50_000;

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
  readonly type = new Uint8Array(this.cap);
  readonly t = new Float64Array(this.cap);
  readonly a = new Int32Array(this.cap);
  readonly b = new Int32Array(this.cap);
  readonly c = new Float64Array(this.cap);
  readonly d = new Float64Array(this.cap);
  readonly e = new Float64Array(this.cap);
  readonly f = new Int32Array(this.cap);
  readonly seq = new Float64Array(this.cap);
  /** Records ever added; the ring holds the last min(total, cap). */
  total = 0;
  dropped = 0;
  /** Ring positions (absolute indices) of rows passing the filter, oldest first. */
  visible: number[] = [];
  private filter: LogFilter = NO_FILTER;
  /** TDI_SEND arguments by sendId, to print them on the completion line. */
  private submits = new Map<number, { bytes: number; flags: number; resubmit: boolean }>();

  constructor(private readonly topo: Topology) {}

  /** Adds a frame's records. Returns how many rows became visible. */
  append(ev: FrameEvents): number {
    this.dropped += ev.droppedEvents;
    const before = this.visible.length;
    for (let i = 0; i < ev.length; i++) {
      const type = ev.type[i]!;
      if (type === R.SEND_SUBMIT) {
        // Shown on its completion line, not on a row of its own.
        this.submits.set(ev.c[i]!, { bytes: ev.d[i]!, flags: ev.f[i]! & 0xffff, resubmit: (ev.f[i]! & (1 << 16)) !== 0 });
        if (this.submits.size > 20_000) this.submits.delete(this.submits.keys().next().value!);
        continue;
      }
      const abs = this.total++;
      const k = abs % this.cap;
      this.type[k] = type;
      this.t[k] = ev.t[i]!;
      this.a[k] = ev.a[i]!;
      this.b[k] = ev.b[i]!;
      this.c[k] = ev.c[i]!;
      this.d[k] = ev.d[i]!;
      this.e[k] = ev.e[i]!;
      this.f[k] = ev.f[i]!;
      this.seq[k] = ev.firstSeq + i;
      if (this.passes(abs)) this.visible.push(abs);
    }
    // Forget rows that fell out of the ring.
    const oldest = this.total - this.cap;
    if (this.visible.length > 0 && this.visible[0]! < oldest) {
      let cut = 0;
      while (cut < this.visible.length && this.visible[cut]! < oldest) cut++;
      this.visible.splice(0, cut);
    }
    return this.visible.length - before;
  }

  setFilter(filter: LogFilter): void {
    this.filter = filter;
    this.visible = [];
    for (let abs = Math.max(0, this.total - this.cap); abs < this.total; abs++) if (this.passes(abs)) this.visible.push(abs);
  }

  clear(): void {
    this.total = 0;
    this.dropped = 0;
    this.visible = [];
    this.submits.clear();
  }

  private passes(abs: number): boolean {
    const f = this.filter;
    const k = abs % this.cap;
    const type = this.type[k]!;
    if (f.groups.size > 0 && ![...f.groups].some((g) => (LOG_GROUPS[g] as readonly number[]).includes(type))) return false;
    if (f.connection >= 0 || f.client >= 0) {
      const conn = connectionOf(type, this.a[k]!);
      const client = clientOf(type, this.a[k]!, this.topo);
      if (f.connection >= 0 && conn !== f.connection) return false;
      if (f.client >= 0 && client !== f.client) return false;
    }
    if (f.status !== '') {
      const status = statusOf(type, this.b[k]!);
      if (status === null) return false;
      if (f.status === 'error' ? status === 0 : STATUS_LIST[status] !== f.status) return false;
    }
    return true;
  }

  /** The decoded record at a ring position (for the inspector and highlighting). */
  event(abs: number): TraceEvent {
    const k = abs % this.cap;
    const one = {
      firstSeq: this.seq[k]!,
      type: [this.type[k]!],
      t: [this.t[k]!],
      a: [this.a[k]!],
      b: [this.b[k]!],
      c: [this.c[k]!],
      d: [this.d[k]!],
      e: [this.e[k]!],
      f: [this.f[k]!],
    };
    return decodeRecord(one, 0, this.topo);
  }

  /** The row as it would read in C. */
  text(abs: number): string {
    return callText(this.event(abs), this.submits);
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

export function callText(e: TraceEvent, submits?: Map<number, { bytes: number; flags: number; resubmit: boolean }>): string {
  switch (e.type) {
    case 'send.complete': {
      const sub = submits?.get(e.sendId as number);
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
