// Every trace record type, described once: its number (R), its public name, what its columns mean and
// how they decode to the public JSON fields, what it is about, where the event log files it, how the
// log writes it as a C call, how the chrome-trace export draws it, and a sentence a student reads.
// decodeRecord (the JSONL trace), the chrome-trace exporter, the event log and the why-chain read this
// table. Code that reacts to a record (the engine, the views' animations, the timeline statistics)
// still tests R.X itself; what a record says and how it is written lives only here.
//
// Adding a record type touches three files:
//   1. here: a new R.X number (the next free one; never renumber — checkpoints and the engine's
//      columns depend on them), its flag bits if any, and its RECORD_TABLE entry (the compiler
//      rejects a missing entry);
//   2. the rule module that writes it (src/model/*.ts): `emit(m, R.X, a, b, c, d, e, f)` with the
//      columns the entry names;
//   3. its line in docs/formats.md § Record types (src/contract.test.ts fails, naming it, until it is
//      there).
// If it changes a preset's trace, the golden files of src/scenario/presets.test.ts show it as
// a line diff.
import { IRQL_NAMES, HANDLER_NAMES, MISBEHAVIOURS, MISBEHAVIOUR_NAMES, STATUS_NAMES, EVENT_TYPES, maskToFlags, statusHex, type HandlerName, type StatusName } from '../base/status.ts';
import type { Topology } from '../model/topology.ts';
import type { TraceEvent } from './names.ts';

/** Record type numbers, as stored in the trace's `type` column. */
export const R = {
  SEND_SUBMIT: 0,
  SEND_COMPLETE: 1,
  SEND_PENDING: 2,
  BUFFER_TRANSMIT: 3,
  CALLBACK_SEND_POSSIBLE: 4,
  CALLBACK_ERROR: 5,
  CALLBACK_DISCONNECT: 6,
  DRIVER_FAULT: 7,
  DRIVER_RECOVER: 8,
  CONNECTION_BROKEN: 9,
  BUFFER_DISCARD: 10,
  CLIENT_FAIL: 11,
  ADDRESS_CLOSE: 12,
  ADDRESS_OPEN: 13,
  BUGCHECK: 14,
  HANDLER_REGISTER: 15,
  CONNECTION_CONNECT: 16,
  BUFFER_COPY: 17,
  IRP_PENDING: 18,
  IRP_COMPLETE: 19,
  WSK_SEND_BACKLOG: 20,
  WSK_DISCONNECT: 21,
} as const;
export type RecordType = (typeof R)[keyof typeof R];

/** send.submit `f`: set on a resubmission (the low 16 bits are the TDI_SEND flag mask). */
export const SUBMIT_RESUBMIT = 1 << 16;
/** send.complete `f` bits. */
export const COMPLETE_LOST_RACE = 1;
export const COMPLETE_BLOCKING = 2;
/** callback.error `f`: ErrorEx rather than Error (the low 4 bits are the IRQL). */
export const ERROR_EX = 1 << 4;
/** buffer.copy `f`: the bytes come from a pending WskSend IRP (W2), not a blocking TDI_SEND (R14). */
export const COPY_WSK_IRP = 1;
/** wsk.sendBacklog `f`: the client queried the value (SIO_WSK_QUERY_IDEAL_SEND_BACKLOG) rather than being told it (W3). */
export const BACKLOG_QUERY = 1;
/** wsk.disconnect `f` bits (W5), named as the WskDisconnectEvent Flags they stand for. */
export const WSK_FLAG_ABORTIVE = 1;
export const WSK_FLAG_AT_DISPATCH_LEVEL = 2;

/** A record's columns after `type` and `t`: a, b int32; c, d, e float64; f int32 bits. */
export interface RecordFields {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

/** What column `a` names: a connection, an address, a driver or transport node, or a client. */
export type RecordEntity = 'connection' | 'address' | 'node' | 'client';

/** The event log's filter groups, in the order the filter chips show them. */
const LOG_GROUP_NAMES = ['sends', 'callbacks', 'pool', 'faults', 'setup'] as const;
export type LogGroup = (typeof LOG_GROUP_NAMES)[number];

/**
 * How the chrome-trace export draws a record: the send's (or the WskSend IRP's) async slice begins or ends, the pool counter
 * moves, a 1 µs slice on the connection's track, or an instant on the connection's track, the
 * client's process or the whole trace. null: not drawn.
 */
export type ChromeForm = 'sendBegin' | 'sendEnd' | 'irpBegin' | 'irpEnd' | 'poolCounter' | 'slice' | 'instant.thread' | 'instant.process' | 'instant.global' | null;

/** The TDI_SEND arguments of a send (a completion names them, but only its submit carries them). */
export interface SubmitArgs {
  bytes: number;
  /** TDI_SEND flag mask. */
  flags: number;
  resubmit: boolean;
}

/** What the text of a record may look up beyond the record itself. */
export interface RecordContext {
  topo: Topology;
  /** The submit of a send, when it is still known. */
  submitOf?: (sendId: number) => SubmitArgs | undefined;
}

export interface RecordSpec {
  /** The public trace `type` (formats.md § Trace). */
  name: string;
  /** What the engine puts in each column (unused columns are 0). */
  columns: string;
  /** What column `a` names. */
  entity: RecordEntity;
  /** The column holding a STATUS_NAMES index, if the record has its own status. */
  statusColumn: 'b' | 'f' | null;
  /** The log's filter group; null: not a row of its own (a submit shows on its completion's row). */
  logGroup: LogGroup | null;
  chrome: ChromeForm;
  /** Adds the public JSON fields to `ev` (which has seq, t, type); their order is the JSONL key order. */
  decode(ev: TraceEvent, r: RecordFields, topo: Topology): void;
  /** The record as the event log writes it: the C call, or what a driver did. */
  call(ev: TraceEvent, ctx: RecordContext): string;
  /** The record in a plain sentence, for someone new to TDI. */
  sentence(ev: TraceEvent, ctx: RecordContext): string;
  /**
   * How much the record matters to someone watching (an IMPORTANCE value), from its raw columns: the
   * caption under the stage narrates the most important record of the moment.
   */
  importance(r: RecordFields): number;
}

/**
 * What the caption under the stage prefers to narrate, most important first: a bug check, a driver
 * fault, an error callback, a lost race, a refusal, a SendPossible, then what breaks or recovers,
 * then the ordinary traffic. 0: never narrated on its own.
 */
export const IMPORTANCE = {
  bugcheck: 100,
  fault: 90,
  errorCallback: 80,
  lostRace: 70,
  refusal: 60,
  sendPossible: 50,
  sendBacklog: 48,
  broken: 45,
  failedSend: 44,
  disconnect: 43,
  clientFail: 42,
  recover: 41,
  reconnect: 40,
  pending: 35,
  discard: 30,
  copy: 25,
  accepted: 20,
  addressClose: 15,
  handler: 12,
  addressOpen: 10,
  transmit: 5,
  submit: 0,
} as const;

// ---- decoding helpers ----

function setStatus(ev: TraceEvent, index: number): void {
  const name = STATUS_NAMES[index] as StatusName;
  ev.status = name;
  ev.code = statusHex(name);
}

function setConnection(ev: TraceEvent, conn: number, topo: Topology): void {
  const addr = topo.connectionAddress[conn] as number;
  ev.client = topo.clientIds[topo.addressClient[addr] as number];
  ev.address = topo.addressIds[addr];
  ev.connection = topo.connectionIds[conn];
}

const transportOfConnection = (topo: Topology, conn: number): string | undefined =>
  topo.nodeIds[topo.transportNodes[topo.connectionTransport[conn] as number] as number];

// ---- text helpers ----

const str = (v: unknown): string => v as string;
const num = (v: unknown): number => v as number;
/** 2048 → "2,048" (fixed locale: the same text in every browser and in Node). */
const n = (v: unknown): string => (v as number).toLocaleString('en-US');
/** `STATUS_X (0x…)`, as the log prints statuses. */
const st = (name: unknown): string => `${name as string} (${statusHex(name as StatusName)})`;

const LOG_FLAG_NAMES: [number, string][] = [
  [0x100, 'NON_BLOCKING'],
  [0x20, 'EXPEDITED'],
  [0x40, 'PARTIAL'],
  [0x80, 'NO_RESPONSE_EXPECTED'],
  [0x200, 'AND_DISCONNECT'],
];
const flagText = (mask: number): string =>
  LOG_FLAG_NAMES.filter(([bit]) => mask & bit).map(([, name]) => name).join(' | ') || '0';
const EVENT_CONST: Record<HandlerName, string> = {
  SendPossible: 'TDI_EVENT_SEND_POSSIBLE',
  Error: 'TDI_EVENT_ERROR',
  ErrorEx: 'TDI_EVENT_ERROR_EX',
  Disconnect: 'TDI_EVENT_DISCONNECT',
};

/** Index of a connection named in a decoded event (-1 if unknown). */
const connIndex = (topo: Topology, id: unknown): number => topo.connectionIds.indexOf(id as string);
const clientOfConnection = (topo: Topology, id: unknown): string => {
  const c = connIndex(topo, id);
  return c < 0 ? '?' : topo.clientIds[topo.connectionClient[c] as number]!;
};
const transportOfConnectionId = (topo: Topology, id: unknown): string => {
  const c = connIndex(topo, id);
  return c < 0 ? 'the transport' : transportOfConnection(topo, c)!;
};
const transportOfAddressId = (topo: Topology, id: unknown): string => {
  const a = topo.addressIds.indexOf(id as string);
  return a < 0 ? 'the transport' : topo.nodeIds[topo.transportNodes[topo.addressTransport[a] as number] as number]!;
};
const capacityOfTransport = (topo: Topology, name: unknown): number =>
  topo.transportCapacity[topo.transportNodes.indexOf(topo.nodeIds.indexOf(name as string))] ?? NaN;
const registersSendPossible = (topo: Topology, client: string): boolean =>
  (topo.clientHandlers[topo.clientIds.indexOf(client)] ?? []).includes('SendPossible');
/** "; the pool now holds 2,048 of 8,192 bytes" */
const poolNow = (topo: Topology, transport: unknown, after: unknown): string =>
  `; ${transport as string}'s pool now holds ${n(after)} of ${n(capacityOfTransport(topo, transport))} bytes`;

const S_NOT_READY = STATUS_NAMES.indexOf('STATUS_DEVICE_NOT_READY');
const S_SUCCESS = STATUS_NAMES.indexOf('STATUS_SUCCESS');

/** Why a send fails with a status other than a full pool, where the model has one reason for it. */
const FAILURE_REASONS: Partial<Record<string, (transport: string) => string>> = {
  STATUS_INVALID_PARAMETER: (transport) => `: it is longer than ${transport} accepts in one send`,
  STATUS_INVALID_CONNECTION: () => `: its address is unusable, so the connection is dead`,
};

// ---- the table ----

export const RECORD_TABLE: { readonly [T in RecordType]: RecordSpec } = {
  [R.SEND_SUBMIT]: {
    name: 'send.submit',
    columns: 'a=conn c=sendId d=bytes e=origin sendId (-1 none) f=flag mask | SUBMIT_RESUBMIT',
    entity: 'connection',
    statusColumn: null,
    logGroup: null,
    chrome: 'sendBegin',
    importance: () => IMPORTANCE.submit,
    decode(ev, { a, c, d, e, f }, topo) {
      setConnection(ev, a, topo);
      ev.sendId = c;
      ev.bytes = d;
      ev.flags = maskToFlags(f & 0xffff);
      if (f & SUBMIT_RESUBMIT) ev.resubmit = true;
      if (e >= 0) ev.origin = e;
    },
    call: (ev) => `${ev.resubmit ? '↻ ' : ''}TDI_SEND(${str(ev.connection)}, ${num(ev.bytes)}, ${(ev.flags as string[]).join(' | ') || '0'})`,
    sentence: (ev) =>
      `${str(ev.client)} ${ev.resubmit ? 'tries again to send' : 'asks to send'} ${n(ev.bytes)} bytes on ${str(ev.connection)} (TDI_SEND` +
      `${(ev.flags as string[]).length ? `, ${(ev.flags as string[]).join(', ')}` : ''})${ev.origin !== undefined ? `, the rest of send #${num(ev.origin)}` : ''}.`,
  },
  [R.SEND_COMPLETE]: {
    name: 'send.complete',
    columns: 'a=conn b=status c=sendId d=information e=BytesAvailable told (-1) f=COMPLETE_* bits',
    entity: 'connection',
    statusColumn: 'b',
    logGroup: 'sends',
    chrome: 'sendEnd',
    importance: ({ b, f }) => (f & COMPLETE_LOST_RACE ? IMPORTANCE.lostRace : b === S_NOT_READY ? IMPORTANCE.refusal : b === S_SUCCESS ? IMPORTANCE.accepted : IMPORTANCE.failedSend),
    decode(ev, { a, b, c, d, e, f }, topo) {
      ev.connection = topo.connectionIds[a];
      ev.sendId = c;
      setStatus(ev, b);
      ev.information = d;
      if (f & COMPLETE_LOST_RACE) ev.lostRace = true;
      if (f & COMPLETE_BLOCKING) ev.blocking = true;
      if (e >= 0) ev.bytesAvailableTold = e;
    },
    call(ev, ctx) {
      const sub = ctx.submitOf?.(num(ev.sendId));
      const args = sub ? `${str(ev.connection)}, ${sub.bytes}, ${flagText(sub.flags)}` : `${str(ev.connection)}, #${num(ev.sendId)}`;
      const info = ev.status === 'STATUS_SUCCESS' || num(ev.information) > 0 ? `, Information=${num(ev.information)}` : '';
      const race = ev.lostRace ? `  ⚠ lost race (told ${num(ev.bytesAvailableTold)})` : '';
      return `${sub?.resubmit ? '↻ ' : ''}TDI_SEND(${args}) → ${st(ev.status)}${info}${race}`;
    },
    sentence(ev, { topo, submitOf }) {
      const conn = str(ev.connection);
      const client = clientOfConnection(topo, conn);
      const transport = transportOfConnectionId(topo, conn);
      const bytes = submitOf?.(num(ev.sendId))?.bytes;
      const send = bytes === undefined ? `${client}'s send #${num(ev.sendId)} on ${conn}` : `${client}'s ${n(bytes)}-byte send on ${conn}`;
      const info = num(ev.information);
      if (ev.lostRace) {
        return `${conn}'s resubmission lost the race: ClientEventSendPossible had said ${n(ev.bytesAvailableTold)} bytes were free, ` +
          `but another send took the space first, so ${info > 0 ? `only ${n(info)} bytes got in` : `${client}'s send was refused again`} (${str(ev.status)}).` +
          (ev.status === 'STATUS_DEVICE_NOT_READY' ? ` ${client} is owed another ClientEventSendPossible for ${conn}.` : '');
      }
      if (ev.status === 'STATUS_DEVICE_NOT_READY') {
        return `${send} was refused: ${transport}'s send pool is full (STATUS_DEVICE_NOT_READY). ` +
          (registersSendPossible(topo, client)
            ? `${client} is now owed a ClientEventSendPossible for ${conn}.`
            : `${client} registered no ClientEventSendPossible, so it must try again on its own.`);
      }
      if (ev.status === 'STATUS_SUCCESS') {
        if (ev.blocking) return `${send} is done: all its bytes are in ${transport}'s send pool, so the program that was waiting goes on.`;
        if (bytes !== undefined && info < bytes) {
          return `Only ${n(info)} of the ${n(bytes)} bytes of ${client}'s send on ${conn} fit into ${transport}'s send pool: a partial copy ` +
            `(STATUS_SUCCESS, Information = ${n(info)}). ${client} must send the other ${n(bytes - info)} bytes again.`;
        }
        return bytes === undefined
          ? `${transport} copied ${n(info)} bytes of ${send} into its send pool (STATUS_SUCCESS).`
          : `${send} was accepted: ${transport} copied all of it into its send pool (STATUS_SUCCESS).`;
      }
      return `${send} failed with ${str(ev.status)}${FAILURE_REASONS[str(ev.status)]?.(transport) ?? ''}.`;
    },
  },
  [R.SEND_PENDING]: {
    name: 'send.pending',
    columns: 'a=conn c=sendId d=bytes',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'sends',
    chrome: null,
    importance: () => IMPORTANCE.pending,
    decode(ev, { a, c, d }, topo) {
      ev.connection = topo.connectionIds[a];
      ev.sendId = c;
      ev.bytes = d;
      setStatus(ev, STATUS_NAMES.indexOf('STATUS_PENDING'));
    },
    call: (ev) => `TDI_SEND(${str(ev.connection)}, ${num(ev.bytes)}) → ${st('STATUS_PENDING')}`,
    sentence: (ev, { topo }) =>
      `${clientOfConnection(topo, ev.connection)}'s ${n(ev.bytes)}-byte blocking send on ${str(ev.connection)} waits (STATUS_PENDING): ` +
      `${transportOfConnectionId(topo, ev.connection)} will copy it as its pool frees up.`,
  },
  [R.BUFFER_TRANSMIT]: {
    name: 'buffer.transmit',
    columns: 'a=conn b=nic node d=bytes e=pool bytes after',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'pool',
    chrome: 'poolCounter',
    importance: () => IMPORTANCE.transmit,
    decode(ev, { a, b, d, e }, topo) {
      ev.transport = transportOfConnection(topo, a);
      ev.nic = topo.nodeIds[b];
      ev.connection = topo.connectionIds[a];
      ev.bytes = d;
      ev.bufferedAfter = e;
    },
    call: (ev) => `${str(ev.nic)} transmitted ${num(ev.bytes)} B of ${str(ev.connection)} — pool ${num(ev.bufferedAfter)} B`,
    sentence: (ev, { topo }) =>
      `${str(ev.nic)} sent ${n(ev.bytes)} bytes of ${str(ev.connection)} onto the wire, freeing that space${poolNow(topo, ev.transport, ev.bufferedAfter)}.`,
  },
  [R.CALLBACK_SEND_POSSIBLE]: {
    name: 'callback.sendPossible',
    columns: 'a=conn d=BytesAvailable f=irql',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'callbacks',
    chrome: 'slice',
    importance: () => IMPORTANCE.sendPossible,
    decode(ev, { a, d, f }, topo) {
      setConnection(ev, a, topo);
      ev.bytesAvailable = d;
      ev.irql = IRQL_NAMES[f];
    },
    call: (ev) => `ClientEventSendPossible(ctx=${str(ev.client)}, conn=${str(ev.connection)}, BytesAvailable=${num(ev.bytesAvailable)})  @${str(ev.irql)}`,
    sentence: (ev, { topo }) =>
      `${transportOfConnectionId(topo, ev.connection)} calls ${str(ev.client)}'s ClientEventSendPossible for ${str(ev.connection)}: ` +
      `${n(ev.bytesAvailable)} bytes are free now, so ${str(ev.client)} may send again. The space is not reserved: another send may take it first.`,
  },
  [R.CALLBACK_ERROR]: {
    name: 'callback.error',
    columns: 'a=address b=status c=failed node f=irql | ERROR_EX',
    entity: 'address',
    statusColumn: 'b',
    logGroup: 'callbacks',
    chrome: 'instant.process',
    importance: () => IMPORTANCE.errorCallback,
    decode(ev, { a, b, c, f }, topo) {
      ev.client = topo.clientIds[topo.addressClient[a] as number];
      ev.address = topo.addressIds[a];
      setStatus(ev, b);
      ev.ex = (f & ERROR_EX) !== 0;
      ev.irql = IRQL_NAMES[f & 0xf];
      ev.driver = topo.nodeIds[c];
    },
    call: (ev) =>
      `ClientEvent${ev.ex ? 'ErrorEx' : 'Error'}(ctx=${str(ev.client)}:${str(ev.address)}, Status=${st(ev.status)}${ev.ex ? `, Buffer={driver: ${str(ev.driver)}}` : ''})  @${str(ev.irql)}`,
    sentence: (ev, { topo }) =>
      `${transportOfAddressId(topo, ev.address)} calls ${str(ev.client)}'s ClientEvent${ev.ex ? 'ErrorEx' : 'Error'} for its address ${str(ev.address)}: ` +
      `${str(ev.driver)}, which ${str(ev.address)} depends on, reported ${str(ev.status)}.`,
  },
  [R.CALLBACK_DISCONNECT]: {
    name: 'callback.disconnect',
    columns: 'a=conn f=irql',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'callbacks',
    chrome: 'instant.thread',
    importance: () => IMPORTANCE.disconnect,
    decode(ev, { a, f }, topo) {
      setConnection(ev, a, topo);
      ev.irql = IRQL_NAMES[f];
      ev.flags = ['TDI_DISCONNECT_ABORT'];
    },
    call: (ev) => `ClientEventDisconnect(ctx=${str(ev.client)}, conn=${str(ev.connection)}, TDI_DISCONNECT_ABORT)  @${str(ev.irql)}`,
    sentence: (ev, { topo }) =>
      `${transportOfConnectionId(topo, ev.connection)} calls ${str(ev.client)}'s ClientEventDisconnect: ${str(ev.connection)} was aborted (TDI_DISCONNECT_ABORT) and can send no more.`,
  },
  [R.DRIVER_FAULT]: {
    name: 'driver.fault',
    columns: 'a=node b=status f=1 if fatal',
    entity: 'node',
    statusColumn: 'b',
    logGroup: 'faults',
    chrome: 'instant.global',
    importance: () => IMPORTANCE.fault,
    decode(ev, { a, b, f }, topo) {
      ev.driver = topo.nodeIds[a];
      setStatus(ev, b);
      ev.fatal = f === 1;
    },
    call: (ev) => `${str(ev.driver)} ${ev.fatal ? 'FAILED' : 'reports'}: ${st(ev.status)}${ev.fatal ? '' : ' (non-fatal)'}`,
    sentence: (ev) =>
      ev.fatal
        ? `${str(ev.driver)} failed (${str(ev.status)}): every address that depends on it becomes unusable, and its clients are told if they registered an error handler.`
        : `${str(ev.driver)} reports ${str(ev.status)}, a non-fatal error: clients with ClientEventErrorEx hear of it, nothing breaks.`,
  },
  [R.DRIVER_RECOVER]: {
    name: 'driver.recover',
    columns: 'a=node',
    entity: 'node',
    statusColumn: null,
    logGroup: 'faults',
    chrome: 'instant.global',
    importance: () => IMPORTANCE.recover,
    decode(ev, { a }, topo) {
      ev.driver = topo.nodeIds[a];
    },
    call: (ev) => `${str(ev.driver)} recovered`,
    sentence: (ev) => `${str(ev.driver)} works again: addresses that depend on it can be opened again.`,
  },
  [R.CONNECTION_BROKEN]: {
    name: 'connection.broken',
    columns: 'a=conn b=status',
    entity: 'connection',
    statusColumn: 'b',
    logGroup: 'faults',
    chrome: 'instant.thread',
    importance: () => IMPORTANCE.broken,
    decode(ev, { a, b }, topo) {
      ev.connection = topo.connectionIds[a];
      ev.address = topo.addressIds[topo.connectionAddress[a] as number];
      setStatus(ev, b);
    },
    call: (ev) => `${str(ev.connection)} broken: ${st(ev.status)}`,
    sentence: (ev) =>
      `${str(ev.connection)} is broken (${str(ev.status)}) because its address ${str(ev.address)} became unusable: its bytes still in the pool are dropped and its next sends fail.`,
  },
  [R.BUFFER_DISCARD]: {
    name: 'buffer.discard',
    columns: 'a=conn d=bytes e=pool bytes after',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'pool',
    chrome: 'poolCounter',
    importance: () => IMPORTANCE.discard,
    decode(ev, { a, d, e }, topo) {
      ev.transport = transportOfConnection(topo, a);
      ev.connection = topo.connectionIds[a];
      ev.bytes = d;
      ev.bufferedAfter = e;
    },
    call: (ev) => `${str(ev.transport)} discarded ${num(ev.bytes)} B of ${str(ev.connection)} (R32) — pool ${num(ev.bufferedAfter)} B`,
    sentence: (ev, { topo }) =>
      `${str(ev.transport)} threw away the ${n(ev.bytes)} bytes of broken ${str(ev.connection)} that were still in its pool${poolNow(topo, ev.transport, ev.bufferedAfter)}, and other connections can use the space.`,
  },
  [R.CLIENT_FAIL]: {
    name: 'client.fail',
    columns: 'a=conn b=status c=origin sendId (-1 never submitted) d=bytes',
    entity: 'connection',
    statusColumn: 'b',
    logGroup: 'faults',
    chrome: 'instant.thread',
    importance: () => IMPORTANCE.clientFail,
    decode(ev, { a, b, c, d }, topo) {
      ev.client = topo.clientIds[topo.connectionClient[a] as number];
      ev.connection = topo.connectionIds[a];
      ev.bytes = d;
      setStatus(ev, b);
      if (c >= 0) ev.origin = c;
    },
    call: (ev) => `${str(ev.client)} fails ${num(ev.bytes)} B of ${str(ev.connection)} to its caller: ${st(ev.status)}`,
    sentence: (ev) =>
      `${str(ev.client)} gives up on ${n(ev.bytes)} bytes it was holding for ${str(ev.connection)} and fails them to the program above it with ${str(ev.status)}.`,
  },
  [R.ADDRESS_CLOSE]: {
    name: 'address.close',
    columns: 'a=address',
    entity: 'address',
    statusColumn: null,
    logGroup: 'setup',
    chrome: 'instant.process',
    importance: () => IMPORTANCE.addressClose,
    decode: decodeAddress,
    call: (ev) => `${str(ev.client)}: ZwClose(${str(ev.address)}) from a work item (R34)`,
    sentence: (ev) =>
      `${str(ev.client)} closes its unusable address ${str(ev.address)} with ZwClose, from a work item because ZwClose may not be called at DISPATCH_LEVEL.`,
  },
  [R.ADDRESS_OPEN]: {
    name: 'address.open',
    columns: 'a=address',
    entity: 'address',
    statusColumn: null,
    logGroup: 'setup',
    chrome: 'instant.process',
    importance: () => IMPORTANCE.addressOpen,
    decode: decodeAddress,
    call: (ev) => `${str(ev.client)}: ZwCreateFile(${str(ev.address)}) — address open, no handlers (R1)`,
    sentence: (ev, { topo }) =>
      `${str(ev.client)} opens the address ${str(ev.address)} on ${transportOfAddressId(topo, ev.address)}; no event handler is registered on it yet.`,
  },
  [R.BUGCHECK]: {
    name: 'bugcheck',
    columns: 'a=client b=handler index c=misbehaviour index f=bug check code',
    entity: 'client',
    statusColumn: null,
    logGroup: 'faults',
    chrome: 'instant.global',
    importance: () => IMPORTANCE.bugcheck,
    decode(ev, { a, b, c, f }, topo) {
      const does = MISBEHAVIOUR_NAMES[c]!;
      ev.code = '0x' + f.toString(16).toUpperCase().padStart(8, '0');
      ev.name = MISBEHAVIOURS[does].name;
      ev.client = topo.clientIds[a];
      ev.handler = `ClientEvent${HANDLER_NAMES[b]}`;
      ev.does = MISBEHAVIOURS[does].what;
    },
    call: (ev) => `*** STOP ${str(ev.code)} ${str(ev.name)} in ${str(ev.handler)} of ${str(ev.client)}: ${str(ev.does)} at DISPATCH_LEVEL`,
    sentence: (ev) =>
      `The whole machine stops with bug check ${str(ev.code)} (${str(ev.name)}): ${str(ev.client)}'s ${str(ev.handler)} ran at DISPATCH_LEVEL and used ${str(ev.does)}, which is allowed only at a lower IRQL.`,
  },
  [R.HANDLER_REGISTER]: {
    name: 'handler.register',
    columns: 'a=address b=handler index c=1 registered / 0 NULL f=status',
    entity: 'address',
    statusColumn: 'f',
    logGroup: 'setup',
    chrome: 'instant.process',
    importance: () => IMPORTANCE.handler,
    decode(ev, { a, b, c, f }, topo) {
      const h = HANDLER_NAMES[b]!;
      ev.client = topo.clientIds[topo.addressClient[a] as number];
      ev.address = topo.addressIds[a];
      ev.event = h;
      ev.eventType = EVENT_TYPES[h];
      ev.registered = c === 1;
      setStatus(ev, f);
    },
    call(ev) {
      const h = ev.event as HandlerName;
      return `TdiBuildSetEventHandler(${str(ev.address)}, ${EVENT_CONST[h]}=${EVENT_TYPES[h]}, ${ev.registered ? `ClientEvent${h}` : 'NULL'}) → ${st(ev.status)}`;
    },
    sentence: (ev, { topo }) =>
      ev.status !== 'STATUS_SUCCESS'
        ? `${str(ev.client)} tried to ${ev.registered ? 'register' : 'remove'} its ClientEvent${str(ev.event)} handler on ${str(ev.address)}, but the call failed with ${str(ev.status)}.`
        : ev.registered
        ? `${str(ev.client)} registers its ClientEvent${str(ev.event)} handler on ${str(ev.address)} (${str(ev.status)}): from now on ${transportOfAddressId(topo, ev.address)} can call it.`
        : `${str(ev.client)} removes its ClientEvent${str(ev.event)} handler from ${str(ev.address)} (${str(ev.status)}): it will not be called any more.`,
  },
  [R.CONNECTION_CONNECT]: {
    name: 'connection.connect',
    columns: 'a=conn',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'faults',
    chrome: 'instant.thread',
    importance: () => IMPORTANCE.reconnect,
    decode(ev, { a }, topo) {
      ev.connection = topo.connectionIds[a];
      ev.address = topo.addressIds[topo.connectionAddress[a] as number];
    },
    call: (ev) => `${str(ev.connection)} reconnected on ${str(ev.address)}`,
    sentence: (ev) => `${str(ev.connection)} is connected again on the reopened address ${str(ev.address)} and can send again.`,
  },
  [R.BUFFER_COPY]: {
    name: 'buffer.copy',
    columns: 'a=conn c=sendId d=bytes e=pool bytes after (a pending blocking send, R14)',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'pool',
    chrome: 'poolCounter',
    importance: () => IMPORTANCE.copy,
    decode(ev, { a, c, d, e, f }, topo) {
      ev.transport = transportOfConnection(topo, a);
      ev.connection = topo.connectionIds[a];
      if (f & COPY_WSK_IRP) ev.irpId = c;
      else ev.sendId = c;
      ev.bytes = d;
      ev.bufferedAfter = e;
    },
    call: (ev) =>
      `${str(ev.transport)} copied ${num(ev.bytes)} B of ${ev.irpId !== undefined ? `WskSend #${num(ev.irpId)}` : `pending send #${num(ev.sendId)}`} (${str(ev.connection)}) — pool ${num(ev.bufferedAfter)} B`,
    sentence: (ev, { topo }) =>
      ev.irpId !== undefined
        ? `${str(ev.transport)} took ${n(ev.bytes)} bytes of ${clientOfConnection(topo, ev.connection)}'s pending WskSend #${num(ev.irpId)} on ${str(ev.connection)} into its send buffer${poolNow(topo, ev.transport, ev.bufferedAfter)}; the caller's buffer stays locked until they are sent.`
        : `${str(ev.transport)} copied ${n(ev.bytes)} bytes of ${clientOfConnection(topo, ev.connection)}'s waiting blocking send #${num(ev.sendId)} on ${str(ev.connection)} into its pool${poolNow(topo, ev.transport, ev.bufferedAfter)}.`,
  },
  [R.IRP_PENDING]: {
    name: 'irp.pending',
    columns: 'a=conn c=irpId d=bytes e=bytes locked in the connection\'s pending IRPs after (W1)',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'sends',
    chrome: 'irpBegin',
    importance: () => IMPORTANCE.pending,
    decode(ev, { a, c, d, e }, topo) {
      setConnection(ev, a, topo);
      ev.irpId = c;
      ev.bytes = d;
      setStatus(ev, STATUS_NAMES.indexOf('STATUS_PENDING'));
      ev.lockedAfter = e;
    },
    call: (ev) => `WskSend(${str(ev.connection)}, ${num(ev.bytes)}) → ${st('STATUS_PENDING')} IRP #${num(ev.irpId)} — ${num(ev.lockedAfter)} B locked`,
    sentence: (ev) =>
      `${str(ev.client)} calls WskSend for ${n(ev.bytes)} bytes on ${str(ev.connection)}: the IRP pends (STATUS_PENDING) and its buffer stays locked until all of it is sent. ` +
      `${str(ev.client)} now has ${n(ev.lockedAfter)} bytes locked in pending sends on ${str(ev.connection)}.`,
  },
  [R.IRP_COMPLETE]: {
    name: 'irp.complete',
    columns: 'a=conn b=status c=irpId d=information (bytes sent) e=bytes still locked in the connection\'s pending IRPs (W1, W5)',
    entity: 'connection',
    statusColumn: 'b',
    logGroup: 'sends',
    chrome: 'irpEnd',
    importance: ({ b }) => (b === S_SUCCESS ? IMPORTANCE.accepted : IMPORTANCE.failedSend),
    decode(ev, { a, b, c, d, e }, topo) {
      setConnection(ev, a, topo);
      ev.irpId = c;
      setStatus(ev, b);
      ev.information = d;
      ev.lockedAfter = e;
    },
    call: (ev) => `WskSend IRP #${num(ev.irpId)} (${str(ev.connection)}) → ${st(ev.status)}, Information=${num(ev.information)} — ${num(ev.lockedAfter)} B locked`,
    sentence: (ev) =>
      ev.status === 'STATUS_SUCCESS'
        ? `${str(ev.client)}'s WskSend #${num(ev.irpId)} on ${str(ev.connection)} completes (STATUS_SUCCESS): all ${n(ev.information)} bytes were sent, so its buffer is unlocked; ` +
          `${n(ev.lockedAfter)} bytes stay locked on ${str(ev.connection)}.`
        : `${str(ev.client)}'s WskSend #${num(ev.irpId)} on ${str(ev.connection)} fails with ${str(ev.status)} after ${n(ev.information)} of its bytes were sent: ` +
          `the connection was aborted. Its buffer is unlocked; ${n(ev.lockedAfter)} bytes stay locked on ${str(ev.connection)}.`,
  },
  [R.WSK_SEND_BACKLOG]: {
    name: 'wsk.sendBacklog',
    columns: 'a=conn b=irql d=IdealBacklogSize f=BACKLOG_QUERY if the client queried it (W3)',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'callbacks',
    chrome: 'slice',
    importance: () => IMPORTANCE.sendBacklog,
    decode(ev, { a, b, d, f }, topo) {
      setConnection(ev, a, topo);
      ev.idealBacklogSize = d;
      if (f & BACKLOG_QUERY) ev.query = true;
      else ev.irql = IRQL_NAMES[b];
    },
    call: (ev) =>
      ev.query
        ? `WskControlSocket(${str(ev.connection)}, SIO_WSK_QUERY_IDEAL_SEND_BACKLOG) → ${num(ev.idealBacklogSize)}`
        : `WskSendBacklogEvent(ctx=${str(ev.client)}:${str(ev.connection)}, IdealBacklogSize=${num(ev.idealBacklogSize)})  @${str(ev.irql)}`,
    sentence: (ev, { topo }) =>
      ev.query
        ? `${str(ev.client)} asks for ${str(ev.connection)}'s ideal send backlog (SIO_WSK_QUERY_IDEAL_SEND_BACKLOG): ${n(ev.idealBacklogSize)} bytes, ` +
          `how much it should keep in pending WskSend IRPs to keep the connection busy.`
        : `${transportOfConnectionId(topo, ev.connection)} calls ${str(ev.client)}'s WskSendBacklogEvent for ${str(ev.connection)}: its ideal send backlog is now ` +
          `${n(ev.idealBacklogSize)} bytes, so ${str(ev.client)} keeps about that much in pending sends.`,
  },
  [R.WSK_DISCONNECT]: {
    name: 'wsk.disconnect',
    columns: 'a=conn b=status of the failure c=failed node f=WSK_FLAG_* bits (W5)',
    entity: 'connection',
    statusColumn: 'b',
    logGroup: 'callbacks',
    chrome: 'instant.thread',
    importance: () => IMPORTANCE.broken,
    decode(ev, { a, b, c, f }, topo) {
      setConnection(ev, a, topo);
      setStatus(ev, b);
      ev.driver = topo.nodeIds[c];
      ev.flags = [...(f & WSK_FLAG_ABORTIVE ? ['WSK_FLAG_ABORTIVE'] : []), ...(f & WSK_FLAG_AT_DISPATCH_LEVEL ? ['WSK_FLAG_AT_DISPATCH_LEVEL'] : [])];
    },
    call: (ev) => `WskDisconnectEvent(ctx=${str(ev.client)}:${str(ev.connection)}, ${(ev.flags as string[]).join(' | ') || '0'}) — ${str(ev.driver)}: ${st(ev.status)}`,
    sentence: (ev, { topo }) =>
      `${transportOfConnectionId(topo, ev.connection)} calls ${str(ev.client)}'s WskDisconnectEvent for ${str(ev.connection)} (WSK_FLAG_ABORTIVE): ` +
      `${str(ev.driver)}, on its path, failed (${str(ev.status)}), so nothing more can be sent on it, and its pending sends fail.`,
  },
};

function decodeAddress(ev: TraceEvent, { a }: RecordFields, topo: Topology): void {
  ev.client = topo.clientIds[topo.addressClient[a] as number];
  ev.address = topo.addressIds[a];
}

/** The entry of a type number; undefined for a number that is no type. */
const specOf = (type: number): RecordSpec | undefined => (RECORD_TABLE as Partial<Record<number, RecordSpec>>)[type];

const SPEC_BY_NAME = new Map(Object.values(R).map((type) => [RECORD_TABLE[type].name, RECORD_TABLE[type]]));

/** Per log group, the record types filed under it. */
export const LOG_GROUP_TYPES: Readonly<Record<LogGroup, readonly number[]>> = Object.fromEntries(
  LOG_GROUP_NAMES.map((g) => [g, Object.values(R).filter((type) => RECORD_TABLE[type].logGroup === g)]),
) as Record<LogGroup, number[]>;

/** The connection a record is about, or -1. */
export function connectionOfRecord(type: number, a: number): number {
  return specOf(type)?.entity === 'connection' ? a : -1;
}

/** The client a record is about, or -1 (a driver or transport belongs to no client). */
export function clientOfRecord(type: number, a: number, topo: Topology): number {
  switch (specOf(type)?.entity) {
    case 'connection':
      return topo.connectionClient[a]!;
    case 'address':
      return topo.addressClient[a]!;
    case 'client':
      return a;
    default:
      return -1;
  }
}

/** The STATUS_NAMES index a record carries in its own columns, or null. */
export function statusOfRecord(type: number, r: Pick<RecordFields, 'b' | 'f'>): number | null {
  const column = specOf(type)?.statusColumn;
  return column ? r[column] : null;
}

/** A decoded event as the event log writes it. */
export function callText(ev: TraceEvent, ctx: RecordContext): string {
  return SPEC_BY_NAME.get(ev.type)?.call(ev, ctx) ?? `${ev.type} ${JSON.stringify(ev)}`;
}

/** How much a record matters to someone watching (IMPORTANCE); 0 for a number that is no type. */
export function recordImportance(type: number, r: RecordFields): number {
  return specOf(type)?.importance(r) ?? 0;
}

/** A decoded event in a plain sentence. */
export function recordSentence(ev: TraceEvent, ctx: RecordContext): string {
  return SPEC_BY_NAME.get(ev.type)?.sentence(ev, ctx) ?? `${ev.type} at ${ev.t} µs.`;
}
