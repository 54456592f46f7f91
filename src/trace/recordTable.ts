// Every trace record type, described once: its number (R), its public name, what its columns mean and
// how they decode to the public JSON fields, what it is about, where the event log files it, how the
// log writes it as a C call, how the chrome-trace export draws it, and a sentence a student reads.
// decodeRecord (the JSONL trace), the chrome-trace exporter, the event log and the why-chain read this
// table, and the type of a decoded record, TraceRecord, is derived from it: each entry's `decode`
// returns its fields, so a consumer narrows by `type` and the compiler knows the fields. Code that
// reacts to a record (the engine, the views' animations, the timeline statistics) still tests R.X
// itself; what a record says and how it is written lives only here.
//
// Adding a record type touches three files:
//   1. here: a new R.X number (the next free one; never renumber — checkpoints and the engine's
//      columns depend on them), its flag bits if any, and its RECORD_TABLE entry, written as
//      `[R.X]: record({ name, …, decode: (columns, topo) => ({ …its fields, in JSONL key order }), … })`
//      (the compiler rejects a missing entry; TraceRecord gains the new member by itself);
//   2. the rule module that writes it (src/model/*.ts): `emit(m, R.X, a, b, c, d, e, f)` with the
//      columns the entry names;
//   3. its line in docs/formats.md § Record types (src/contract.test.ts fails, naming it, until it is
//      there).
// The tests catch the rest: recordTable.test.ts decodes the new type (from zero columns unless it is
// given a sample) and fails, naming it, where its call or sentence reads wrong; a preset whose trace
// it changes fails its golden file in src/scenario/presets.test.ts, and `npx vitest run
// src/scenario/presets.test.ts -u` writes the new one, where the record shows as an inserted line.
import { IRQL_NAMES, HANDLER_NAMES, MISBEHAVIOURS, MISBEHAVIOUR_NAMES, STATUS_NAMES, EVENT_TYPES, maskToFlags, statusHex, type HandlerName, type StatusName } from '../base/status.ts';
import type { Topology } from '../model/topology.ts';

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

/** A decoded record: its place, time and type name, then the fields its entry's `decode` returns. */
export type RecordOf<N extends string, F> = Flat<{ seq: number; t: number; type: N } & F>;
type Flat<T> = { [K in keyof T]: T[K] };

/**
 * A table entry. `N` (its name) and `F` (what `decode` returns) are inferred where the entry is
 * written (`record({ … })`): `call` and `sentence` read a record of exactly that shape, and the
 * union of all records (TraceRecord) is derived from them.
 */
export interface RecordSpec<N extends string = string, F extends object = object> {
  /** The public trace `type` (formats.md § Trace). */
  name: N;
  /** What the engine puts in each column (unused columns are 0). */
  columns: string;
  /** What column `a` names. */
  entity: RecordEntity;
  /** The column holding a STATUS_NAMES index, if the record has its own status. */
  statusColumn: 'b' | 'f' | null;
  /** The log's filter group; null: not a row of its own (a submit shows on its completion's row). */
  logGroup: LogGroup | null;
  chrome: ChromeForm;
  /** The public JSON fields after seq, t and type; their order is the JSONL key order. */
  decode(r: RecordFields, topo: Topology): F;
  /** The record as the event log writes it: the C call, or what a driver did. */
  call(ev: RecordOf<N, F>, ctx: RecordContext): string;
  /** The record in a plain sentence, for someone new to TDI. */
  sentence(ev: RecordOf<N, F>, ctx: RecordContext): string;
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

/** A status column as the trace writes it: its name, then its hex code. */
function statusFields(index: number): { status: StatusName; code: string } {
  const status = STATUS_NAMES[index]!;
  return { status, code: statusHex(status) };
}

/** A connection as the trace names it: its client, its address, itself. */
function connectionFields(conn: number, topo: Topology): { client: string; address: string; connection: string } {
  const addr = topo.connectionAddress[conn]!;
  return { client: topo.clientIds[topo.addressClient[addr]!]!, address: topo.addressIds[addr]!, connection: topo.connectionIds[conn]! };
}

const transportOfConnection = (topo: Topology, conn: number): string => topo.nodeIds[topo.transportNodes[topo.connectionTransport[conn]!]!]!;

// ---- text helpers ----

/** 2048 → "2,048" (fixed locale: the same text in every browser and in Node); '?' for a field the record lacks. */
const n = (v: number | undefined): string => (v === undefined ? '?' : v.toLocaleString('en-US'));
/** `STATUS_X (0x…)`, as the log prints statuses. */
const st = (name: StatusName): string => `${name} (${statusHex(name)})`;

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
const connIndex = (topo: Topology, id: string): number => topo.connectionIds.indexOf(id);
const clientOfConnection = (topo: Topology, id: string): string => {
  const c = connIndex(topo, id);
  return c < 0 ? '?' : topo.clientIds[topo.connectionClient[c]!]!;
};
const transportOfConnectionId = (topo: Topology, id: string): string => {
  const c = connIndex(topo, id);
  return c < 0 ? 'the transport' : transportOfConnection(topo, c);
};
const transportOfAddressId = (topo: Topology, id: string): string => {
  const a = topo.addressIds.indexOf(id);
  return a < 0 ? 'the transport' : topo.nodeIds[topo.transportNodes[topo.addressTransport[a]!]!]!;
};
const capacityOfTransport = (topo: Topology, name: string): number =>
  topo.transportCapacity[topo.transportNodes.indexOf(topo.nodeIds.indexOf(name))] ?? NaN;
const registersSendPossible = (topo: Topology, client: string): boolean =>
  (topo.clientHandlers[topo.clientIds.indexOf(client)] ?? []).includes('SendPossible');
/** "; the pool now holds 2,048 of 8,192 bytes" */
const poolNow = (topo: Topology, transport: string, after: number): string =>
  `; ${transport}'s pool now holds ${n(after)} of ${n(capacityOfTransport(topo, transport))} bytes`;

const S_NOT_READY = STATUS_NAMES.indexOf('STATUS_DEVICE_NOT_READY');
const S_SUCCESS = STATUS_NAMES.indexOf('STATUS_SUCCESS');
const S_PENDING = STATUS_NAMES.indexOf('STATUS_PENDING');

/** Why a send fails with a status other than a full pool, where the model has one reason for it. */
const FAILURE_REASONS: Partial<Record<string, (transport: string) => string>> = {
  STATUS_INVALID_PARAMETER: (transport) => `: it is longer than ${transport} accepts in one send`,
  STATUS_INVALID_CONNECTION: () => `: its address is unusable, so the connection is dead`,
};

// ---- the table ----

/** An entry, its name and fields inferred: the identity, so that `call` and `sentence` are typed by `decode`. */
const record = <const N extends string, F extends object>(spec: RecordSpec<N, F>): RecordSpec<N, F> => spec;

export const RECORD_TABLE = {
  [R.SEND_SUBMIT]: record({
    name: 'send.submit',
    columns: 'a=conn c=sendId d=bytes e=origin sendId (-1 none) f=flag mask | SUBMIT_RESUBMIT',
    entity: 'connection',
    statusColumn: null,
    logGroup: null,
    chrome: 'sendBegin',
    importance: () => IMPORTANCE.submit,
    decode: ({ a, c, d, e, f }, topo) => ({
      ...connectionFields(a, topo),
      sendId: c,
      bytes: d,
      flags: maskToFlags(f & 0xffff),
      ...(f & SUBMIT_RESUBMIT ? { resubmit: true } : {}),
      ...(e >= 0 ? { origin: e } : {}),
    }),
    call: (ev) => `${ev.resubmit ? '↻ ' : ''}TDI_SEND(${ev.connection}, ${ev.bytes}, ${ev.flags.join(' | ') || '0'})`,
    sentence: (ev) =>
      `${ev.client} ${ev.resubmit ? 'tries again to send' : 'asks to send'} ${n(ev.bytes)} bytes on ${ev.connection} (TDI_SEND` +
      `${ev.flags.length ? `, ${ev.flags.join(', ')}` : ''})${ev.origin !== undefined ? `, the rest of send #${ev.origin}` : ''}.`,
  }),
  [R.SEND_COMPLETE]: record({
    name: 'send.complete',
    columns: 'a=conn b=status c=sendId d=information e=BytesAvailable told (-1) f=COMPLETE_* bits',
    entity: 'connection',
    statusColumn: 'b',
    logGroup: 'sends',
    chrome: 'sendEnd',
    importance: ({ b, f }) => (f & COMPLETE_LOST_RACE ? IMPORTANCE.lostRace : b === S_NOT_READY ? IMPORTANCE.refusal : b === S_SUCCESS ? IMPORTANCE.accepted : IMPORTANCE.failedSend),
    decode: ({ a, b, c, d, e, f }, topo) => ({
      connection: topo.connectionIds[a]!,
      sendId: c,
      ...statusFields(b),
      information: d,
      ...(f & COMPLETE_LOST_RACE ? { lostRace: true } : {}),
      ...(f & COMPLETE_BLOCKING ? { blocking: true } : {}),
      ...(e >= 0 ? { bytesAvailableTold: e } : {}),
    }),
    call(ev, ctx) {
      const sub = ctx.submitOf?.(ev.sendId);
      const args = sub ? `${ev.connection}, ${sub.bytes}, ${flagText(sub.flags)}` : `${ev.connection}, #${ev.sendId}`;
      const info = ev.status === 'STATUS_SUCCESS' || ev.information > 0 ? `, Information=${ev.information}` : '';
      const race = ev.lostRace ? `  ⚠ lost race (told ${ev.bytesAvailableTold})` : '';
      return `${sub?.resubmit ? '↻ ' : ''}TDI_SEND(${args}) → ${st(ev.status)}${info}${race}`;
    },
    sentence(ev, { topo, submitOf }) {
      const conn = ev.connection;
      const client = clientOfConnection(topo, conn);
      const transport = transportOfConnectionId(topo, conn);
      const bytes = submitOf?.(ev.sendId)?.bytes;
      const send = bytes === undefined ? `${client}'s send #${ev.sendId} on ${conn}` : `${client}'s ${n(bytes)}-byte send on ${conn}`;
      const info = ev.information;
      if (ev.lostRace) {
        return `${conn}'s resubmission lost the race: ClientEventSendPossible had said ${n(ev.bytesAvailableTold)} bytes were free, ` +
          `but another send took the space first, so ${info > 0 ? `only ${n(info)} bytes got in` : `${client}'s send was refused again`} (${ev.status}).` +
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
      return `${send} failed with ${ev.status}${FAILURE_REASONS[ev.status]?.(transport) ?? ''}.`;
    },
  }),
  [R.SEND_PENDING]: record({
    name: 'send.pending',
    columns: 'a=conn c=sendId d=bytes',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'sends',
    chrome: null,
    importance: () => IMPORTANCE.pending,
    decode: ({ a, c, d }, topo) => ({ connection: topo.connectionIds[a]!, sendId: c, bytes: d, ...statusFields(S_PENDING) }),
    call: (ev) => `TDI_SEND(${ev.connection}, ${ev.bytes}) → ${st('STATUS_PENDING')}`,
    sentence: (ev, { topo }) =>
      `${clientOfConnection(topo, ev.connection)}'s ${n(ev.bytes)}-byte blocking send on ${ev.connection} waits (STATUS_PENDING): ` +
      `${transportOfConnectionId(topo, ev.connection)} will copy it as its pool frees up.`,
  }),
  [R.BUFFER_TRANSMIT]: record({
    name: 'buffer.transmit',
    columns: 'a=conn b=nic node d=bytes e=pool bytes after',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'pool',
    chrome: 'poolCounter',
    importance: () => IMPORTANCE.transmit,
    decode: ({ a, b, d, e }, topo) => ({
      transport: transportOfConnection(topo, a),
      nic: topo.nodeIds[b]!,
      connection: topo.connectionIds[a]!,
      bytes: d,
      bufferedAfter: e,
    }),
    call: (ev) => `${ev.nic} transmitted ${ev.bytes} B of ${ev.connection} — pool ${ev.bufferedAfter} B`,
    sentence: (ev, { topo }) =>
      `${ev.nic} sent ${n(ev.bytes)} bytes of ${ev.connection} onto the wire, freeing that space${poolNow(topo, ev.transport, ev.bufferedAfter)}.`,
  }),
  [R.CALLBACK_SEND_POSSIBLE]: record({
    name: 'callback.sendPossible',
    columns: 'a=conn d=BytesAvailable f=irql',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'callbacks',
    chrome: 'slice',
    importance: () => IMPORTANCE.sendPossible,
    decode: ({ a, d, f }, topo) => ({ ...connectionFields(a, topo), bytesAvailable: d, irql: IRQL_NAMES[f]! }),
    call: (ev) => `ClientEventSendPossible(ctx=${ev.client}, conn=${ev.connection}, BytesAvailable=${ev.bytesAvailable})  @${ev.irql}`,
    sentence: (ev, { topo }) =>
      `${transportOfConnectionId(topo, ev.connection)} calls ${ev.client}'s ClientEventSendPossible for ${ev.connection}: ` +
      `${n(ev.bytesAvailable)} bytes are free now, so ${ev.client} may send again. The space is not reserved: another send may take it first.`,
  }),
  [R.CALLBACK_ERROR]: record({
    name: 'callback.error',
    columns: 'a=address b=status c=failed node f=irql | ERROR_EX',
    entity: 'address',
    statusColumn: 'b',
    logGroup: 'callbacks',
    chrome: 'instant.process',
    importance: () => IMPORTANCE.errorCallback,
    decode: ({ a, b, c, f }, topo) => ({
      client: topo.clientIds[topo.addressClient[a]!]!,
      address: topo.addressIds[a]!,
      ...statusFields(b),
      ex: (f & ERROR_EX) !== 0,
      irql: IRQL_NAMES[f & 0xf]!,
      driver: topo.nodeIds[c]!,
    }),
    call: (ev) =>
      `ClientEvent${ev.ex ? 'ErrorEx' : 'Error'}(ctx=${ev.client}:${ev.address}, Status=${st(ev.status)}${ev.ex ? `, Buffer={driver: ${ev.driver}}` : ''})  @${ev.irql}`,
    sentence: (ev, { topo }) =>
      `${transportOfAddressId(topo, ev.address)} calls ${ev.client}'s ClientEvent${ev.ex ? 'ErrorEx' : 'Error'} for its address ${ev.address}: ` +
      `${ev.driver}, which ${ev.address} depends on, reported ${ev.status}.`,
  }),
  [R.CALLBACK_DISCONNECT]: record({
    name: 'callback.disconnect',
    columns: 'a=conn f=irql',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'callbacks',
    chrome: 'instant.thread',
    importance: () => IMPORTANCE.disconnect,
    decode: ({ a, f }, topo) => ({ ...connectionFields(a, topo), irql: IRQL_NAMES[f]!, flags: ['TDI_DISCONNECT_ABORT'] }),
    call: (ev) => `ClientEventDisconnect(ctx=${ev.client}, conn=${ev.connection}, TDI_DISCONNECT_ABORT)  @${ev.irql}`,
    sentence: (ev, { topo }) =>
      `${transportOfConnectionId(topo, ev.connection)} calls ${ev.client}'s ClientEventDisconnect: ${ev.connection} was aborted (TDI_DISCONNECT_ABORT) and can send no more.`,
  }),
  [R.DRIVER_FAULT]: record({
    name: 'driver.fault',
    columns: 'a=node b=status f=1 if fatal',
    entity: 'node',
    statusColumn: 'b',
    logGroup: 'faults',
    chrome: 'instant.global',
    importance: () => IMPORTANCE.fault,
    decode: ({ a, b, f }, topo) => ({ driver: topo.nodeIds[a]!, ...statusFields(b), fatal: f === 1 }),
    call: (ev) => `${ev.driver} ${ev.fatal ? 'FAILED' : 'reports'}: ${st(ev.status)}${ev.fatal ? '' : ' (non-fatal)'}`,
    sentence: (ev) =>
      ev.fatal
        ? `${ev.driver} failed (${ev.status}): every address that depends on it becomes unusable, and its clients are told if they registered an error handler.`
        : `${ev.driver} reports ${ev.status}, a non-fatal error: clients with ClientEventErrorEx hear of it, nothing breaks.`,
  }),
  [R.DRIVER_RECOVER]: record({
    name: 'driver.recover',
    columns: 'a=node',
    entity: 'node',
    statusColumn: null,
    logGroup: 'faults',
    chrome: 'instant.global',
    importance: () => IMPORTANCE.recover,
    decode: ({ a }, topo) => ({ driver: topo.nodeIds[a]! }),
    call: (ev) => `${ev.driver} recovered`,
    sentence: (ev) => `${ev.driver} works again: addresses that depend on it can be opened again.`,
  }),
  [R.CONNECTION_BROKEN]: record({
    name: 'connection.broken',
    columns: 'a=conn b=status',
    entity: 'connection',
    statusColumn: 'b',
    logGroup: 'faults',
    chrome: 'instant.thread',
    importance: () => IMPORTANCE.broken,
    decode: ({ a, b }, topo) => ({ connection: topo.connectionIds[a]!, address: topo.addressIds[topo.connectionAddress[a]!]!, ...statusFields(b) }),
    call: (ev) => `${ev.connection} broken: ${st(ev.status)}`,
    sentence: (ev) =>
      `${ev.connection} is broken (${ev.status}) because its address ${ev.address} became unusable: its bytes still in the pool are dropped and its next sends fail.`,
  }),
  [R.BUFFER_DISCARD]: record({
    name: 'buffer.discard',
    columns: 'a=conn d=bytes e=pool bytes after',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'pool',
    chrome: 'poolCounter',
    importance: () => IMPORTANCE.discard,
    decode: ({ a, d, e }, topo) => ({ transport: transportOfConnection(topo, a), connection: topo.connectionIds[a]!, bytes: d, bufferedAfter: e }),
    call: (ev) => `${ev.transport} discarded ${ev.bytes} B of ${ev.connection} (R32) — pool ${ev.bufferedAfter} B`,
    sentence: (ev, { topo }) =>
      `${ev.transport} threw away the ${n(ev.bytes)} bytes of broken ${ev.connection} that were still in its pool${poolNow(topo, ev.transport, ev.bufferedAfter)}, and other connections can use the space.`,
  }),
  [R.CLIENT_FAIL]: record({
    name: 'client.fail',
    columns: 'a=conn b=status c=origin sendId (-1 never submitted) d=bytes',
    entity: 'connection',
    statusColumn: 'b',
    logGroup: 'faults',
    chrome: 'instant.thread',
    importance: () => IMPORTANCE.clientFail,
    decode: ({ a, b, c, d }, topo) => ({
      client: topo.clientIds[topo.connectionClient[a]!]!,
      connection: topo.connectionIds[a]!,
      bytes: d,
      ...statusFields(b),
      ...(c >= 0 ? { origin: c } : {}),
    }),
    call: (ev) => `${ev.client} fails ${ev.bytes} B of ${ev.connection} to its caller: ${st(ev.status)}`,
    sentence: (ev) =>
      `${ev.client} gives up on ${n(ev.bytes)} bytes it was holding for ${ev.connection} and fails them to the program above it with ${ev.status}.`,
  }),
  [R.ADDRESS_CLOSE]: record({
    name: 'address.close',
    columns: 'a=address',
    entity: 'address',
    statusColumn: null,
    logGroup: 'setup',
    chrome: 'instant.process',
    importance: () => IMPORTANCE.addressClose,
    decode: decodeAddress,
    call: (ev) => `${ev.client}: ZwClose(${ev.address}) from a work item (R34)`,
    sentence: (ev) =>
      `${ev.client} closes its unusable address ${ev.address} with ZwClose, from a work item because ZwClose may not be called at DISPATCH_LEVEL.`,
  }),
  [R.ADDRESS_OPEN]: record({
    name: 'address.open',
    columns: 'a=address',
    entity: 'address',
    statusColumn: null,
    logGroup: 'setup',
    chrome: 'instant.process',
    importance: () => IMPORTANCE.addressOpen,
    decode: decodeAddress,
    call: (ev) => `${ev.client}: ZwCreateFile(${ev.address}) — address open, no handlers (R1)`,
    sentence: (ev, { topo }) =>
      `${ev.client} opens the address ${ev.address} on ${transportOfAddressId(topo, ev.address)}; no event handler is registered on it yet.`,
  }),
  [R.BUGCHECK]: record({
    name: 'bugcheck',
    columns: 'a=client b=handler index c=misbehaviour index f=bug check code',
    entity: 'client',
    statusColumn: null,
    logGroup: 'faults',
    chrome: 'instant.global',
    importance: () => IMPORTANCE.bugcheck,
    decode({ a, b, c, f }, topo) {
      const does = MISBEHAVIOUR_NAMES[c]!;
      return {
        code: '0x' + f.toString(16).toUpperCase().padStart(8, '0'),
        name: MISBEHAVIOURS[does].name,
        client: topo.clientIds[a]!,
        handler: `ClientEvent${HANDLER_NAMES[b]!}`,
        does: MISBEHAVIOURS[does].what,
      };
    },
    call: (ev) => `*** STOP ${ev.code} ${ev.name} in ${ev.handler} of ${ev.client}: ${ev.does} at DISPATCH_LEVEL`,
    sentence: (ev) =>
      `The whole machine stops with bug check ${ev.code} (${ev.name}): ${ev.client}'s ${ev.handler} ran at DISPATCH_LEVEL and used ${ev.does}, which is allowed only at a lower IRQL.`,
  }),
  [R.HANDLER_REGISTER]: record({
    name: 'handler.register',
    columns: 'a=address b=handler index c=1 registered / 0 NULL f=status',
    entity: 'address',
    statusColumn: 'f',
    logGroup: 'setup',
    chrome: 'instant.process',
    importance: () => IMPORTANCE.handler,
    decode({ a, b, c, f }, topo) {
      const h = HANDLER_NAMES[b]!;
      return {
        client: topo.clientIds[topo.addressClient[a]!]!,
        address: topo.addressIds[a]!,
        event: h,
        eventType: EVENT_TYPES[h],
        registered: c === 1,
        ...statusFields(f),
      };
    },
    call(ev) {
      const h = ev.event;
      return `TdiBuildSetEventHandler(${ev.address}, ${EVENT_CONST[h]}=${EVENT_TYPES[h]}, ${ev.registered ? `ClientEvent${h}` : 'NULL'}) → ${st(ev.status)}`;
    },
    sentence: (ev, { topo }) =>
      ev.status !== 'STATUS_SUCCESS'
        ? `${ev.client} tried to ${ev.registered ? 'register' : 'remove'} its ClientEvent${ev.event} handler on ${ev.address}, but the call failed with ${ev.status}.`
        : ev.registered
        ? `${ev.client} registers its ClientEvent${ev.event} handler on ${ev.address} (${ev.status}): from now on ${transportOfAddressId(topo, ev.address)} can call it.`
        : `${ev.client} removes its ClientEvent${ev.event} handler from ${ev.address} (${ev.status}): it will not be called any more.`,
  }),
  [R.CONNECTION_CONNECT]: record({
    name: 'connection.connect',
    columns: 'a=conn',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'faults',
    chrome: 'instant.thread',
    importance: () => IMPORTANCE.reconnect,
    decode: ({ a }, topo) => ({ connection: topo.connectionIds[a]!, address: topo.addressIds[topo.connectionAddress[a]!]! }),
    call: (ev) => `${ev.connection} reconnected on ${ev.address}`,
    sentence: (ev) => `${ev.connection} is connected again on the reopened address ${ev.address} and can send again.`,
  }),
  [R.BUFFER_COPY]: record({
    name: 'buffer.copy',
    columns: 'a=conn c=sendId d=bytes e=pool bytes after (a pending blocking send, R14)',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'pool',
    chrome: 'poolCounter',
    importance: () => IMPORTANCE.copy,
    decode: ({ a, c, d, e, f }, topo) => ({
      transport: transportOfConnection(topo, a),
      connection: topo.connectionIds[a]!,
      // W2: the bytes of a pending WskSend IRP; R14: a waiting blocking TDI_SEND.
      ...(f & COPY_WSK_IRP ? { irpId: c } : {}),
      ...(f & COPY_WSK_IRP ? {} : { sendId: c }),
      bytes: d,
      bufferedAfter: e,
    }),
    call: (ev) =>
      `${ev.transport} copied ${ev.bytes} B of ${ev.irpId !== undefined ? `WskSend #${ev.irpId}` : `pending send #${ev.sendId}`} (${ev.connection}) — pool ${ev.bufferedAfter} B`,
    sentence: (ev, { topo }) =>
      ev.irpId !== undefined
        ? `${ev.transport} took ${n(ev.bytes)} bytes of ${clientOfConnection(topo, ev.connection)}'s pending WskSend #${ev.irpId} on ${ev.connection} into its send buffer${poolNow(topo, ev.transport, ev.bufferedAfter)}; the caller's buffer stays locked until they are sent.`
        : `${ev.transport} copied ${n(ev.bytes)} bytes of ${clientOfConnection(topo, ev.connection)}'s waiting blocking send #${ev.sendId} on ${ev.connection} into its pool${poolNow(topo, ev.transport, ev.bufferedAfter)}.`,
  }),
  [R.IRP_PENDING]: record({
    name: 'irp.pending',
    columns: "a=conn c=irpId d=bytes e=bytes locked in the connection's pending IRPs after (W1)",
    entity: 'connection',
    statusColumn: null,
    logGroup: 'sends',
    chrome: 'irpBegin',
    importance: () => IMPORTANCE.pending,
    decode: ({ a, c, d, e }, topo) => ({
      ...connectionFields(a, topo),
      irpId: c,
      bytes: d,
      ...statusFields(STATUS_NAMES.indexOf('STATUS_PENDING')),
      lockedAfter: e,
    }),
    call: (ev) => `WskSend(${ev.connection}, ${ev.bytes}) → ${st('STATUS_PENDING')} IRP #${ev.irpId} — ${ev.lockedAfter} B locked`,
    sentence: (ev) =>
      `${ev.client} calls WskSend for ${n(ev.bytes)} bytes on ${ev.connection}: the IRP pends (STATUS_PENDING) and its buffer stays locked until all of it is sent. ` +
      `${ev.client} now has ${n(ev.lockedAfter)} bytes locked in pending sends on ${ev.connection}.`,
  }),
  [R.IRP_COMPLETE]: record({
    name: 'irp.complete',
    columns: "a=conn b=status c=irpId d=information (bytes sent) e=bytes still locked in the connection's pending IRPs (W1, W5)",
    entity: 'connection',
    statusColumn: 'b',
    logGroup: 'sends',
    chrome: 'irpEnd',
    importance: ({ b }) => (b === S_SUCCESS ? IMPORTANCE.accepted : IMPORTANCE.failedSend),
    decode: ({ a, b, c, d, e }, topo) => ({ ...connectionFields(a, topo), irpId: c, ...statusFields(b), information: d, lockedAfter: e }),
    call: (ev) => `WskSend IRP #${ev.irpId} (${ev.connection}) → ${st(ev.status)}, Information=${ev.information} — ${ev.lockedAfter} B locked`,
    sentence: (ev) =>
      ev.status === 'STATUS_SUCCESS'
        ? `${ev.client}'s WskSend #${ev.irpId} on ${ev.connection} completes (STATUS_SUCCESS): all ${n(ev.information)} bytes were sent, so its buffer is unlocked; ` +
          `${n(ev.lockedAfter)} bytes stay locked on ${ev.connection}.`
        : `${ev.client}'s WskSend #${ev.irpId} on ${ev.connection} fails with ${ev.status} after ${n(ev.information)} of its bytes were sent: ` +
          `the connection was aborted. Its buffer is unlocked; ${n(ev.lockedAfter)} bytes stay locked on ${ev.connection}.`,
  }),
  [R.WSK_SEND_BACKLOG]: record({
    name: 'wsk.sendBacklog',
    columns: 'a=conn b=irql d=IdealBacklogSize f=BACKLOG_QUERY if the client queried it (W3)',
    entity: 'connection',
    statusColumn: null,
    logGroup: 'callbacks',
    chrome: 'slice',
    importance: () => IMPORTANCE.sendBacklog,
    decode: ({ a, b, d, f }, topo) => ({
      ...connectionFields(a, topo),
      idealBacklogSize: d,
      // W3: the client's own SIO_WSK_QUERY_IDEAL_SEND_BACKLOG, or the transport's callback at an IRQL.
      ...(f & BACKLOG_QUERY ? { query: true as const } : {}),
      ...(f & BACKLOG_QUERY ? {} : { irql: IRQL_NAMES[b]! }),
    }),
    call: (ev) =>
      ev.query
        ? `WskControlSocket(${ev.connection}, SIO_WSK_QUERY_IDEAL_SEND_BACKLOG) → ${ev.idealBacklogSize}`
        : `WskSendBacklogEvent(ctx=${ev.client}:${ev.connection}, IdealBacklogSize=${ev.idealBacklogSize})  @${ev.irql}`,
    sentence: (ev, { topo }) =>
      ev.query
        ? `${ev.client} asks for ${ev.connection}'s ideal send backlog (SIO_WSK_QUERY_IDEAL_SEND_BACKLOG): ${n(ev.idealBacklogSize)} bytes, ` +
          `how much it should keep in pending WskSend IRPs to keep the connection busy.`
        : `${transportOfConnectionId(topo, ev.connection)} calls ${ev.client}'s WskSendBacklogEvent for ${ev.connection}: its ideal send backlog is now ` +
          `${n(ev.idealBacklogSize)} bytes, so ${ev.client} keeps about that much in pending sends.`,
  }),
  [R.WSK_DISCONNECT]: record({
    name: 'wsk.disconnect',
    columns: 'a=conn b=status of the failure c=failed node f=WSK_FLAG_* bits (W5)',
    entity: 'connection',
    statusColumn: 'b',
    logGroup: 'callbacks',
    chrome: 'instant.thread',
    importance: () => IMPORTANCE.broken,
    decode: ({ a, b, c, f }, topo) => ({
      ...connectionFields(a, topo),
      ...statusFields(b),
      driver: topo.nodeIds[c]!,
      flags: [...(f & WSK_FLAG_ABORTIVE ? ['WSK_FLAG_ABORTIVE'] : []), ...(f & WSK_FLAG_AT_DISPATCH_LEVEL ? ['WSK_FLAG_AT_DISPATCH_LEVEL'] : [])],
    }),
    call: (ev) => `WskDisconnectEvent(ctx=${ev.client}:${ev.connection}, ${ev.flags.join(' | ') || '0'}) — ${ev.driver}: ${st(ev.status)}`,
    sentence: (ev, { topo }) =>
      `${transportOfConnectionId(topo, ev.connection)} calls ${ev.client}'s WskDisconnectEvent for ${ev.connection} (WSK_FLAG_ABORTIVE): ` +
      `${ev.driver}, on its path, failed (${ev.status}), so nothing more can be sent on it, and its pending sends fail.`,
  }),
} satisfies { readonly [T in RecordType]: RecordSpec };

function decodeAddress({ a }: RecordFields, topo: Topology): { client: string; address: string } {
  return { client: topo.clientIds[topo.addressClient[a]!]!, address: topo.addressIds[a]! };
}

type Table = typeof RECORD_TABLE;
type RecordOfSpec<S> = S extends RecordSpec<infer N, infer F> ? RecordOf<N, F> : never;
type ExactRecord = { [T in RecordType]: RecordOfSpec<Table[T]> }[RecordType];
type FieldName = ExactRecord extends infer M ? (M extends unknown ? keyof M : never) : never;
/** A member, with every other type's fields as absent: read on the union, `e.bytes` is `number | undefined`. */
type Exclusive<M> = M & { readonly [K in Exclude<FieldName, keyof M>]?: undefined };
/**
 * A decoded trace record, one member per table entry, told apart by `type`: `if (e.type ===
 * 'send.complete')` gives `e.status`, `e.sendId`…; a type name or a field name that is no record's
 * does not compile. Derived from RECORD_TABLE: a new entry joins by itself.
 */
export type TraceRecord = ExactRecord extends infer M ? (M extends unknown ? Exclusive<M> : never) : never;
/** The public type names. */
export type RecordName = TraceRecord['type'];
/** The record of one type name, exactly its fields (what narrowing a TraceRecord by `type` gives, and less). */
export type RecordNamed<N extends RecordName> = Extract<ExactRecord, { type: N }>;

/** An entry as code that holds any record reads it (the table's entries each fit it). */
interface AnyRecordSpec extends RecordSpec<RecordName, object> {
  call(ev: TraceRecord, ctx: RecordContext): string;
  sentence(ev: TraceRecord, ctx: RecordContext): string;
}

/** The entry of a type, read as any record's (its call and sentence take any TraceRecord). */
export const entryOf = (type: RecordType): AnyRecordSpec => RECORD_TABLE[type];

/** The entry of a type number; undefined for a number that is no type. */
export const specOf = (type: number): AnyRecordSpec | undefined => (RECORD_TABLE as Partial<Record<number, AnyRecordSpec>>)[type];

const SPEC_BY_NAME = new Map<string, AnyRecordSpec>(Object.values(R).map((type) => [RECORD_TABLE[type].name, RECORD_TABLE[type]]));

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
export function callText(ev: TraceRecord, ctx: RecordContext): string {
  return SPEC_BY_NAME.get(ev.type)?.call(ev, ctx) ?? `${ev.type} ${JSON.stringify(ev)}`;
}

/** How much a record matters to someone watching (IMPORTANCE); 0 for a number that is no type. */
export function recordImportance(type: number, r: RecordFields): number {
  return specOf(type)?.importance(r) ?? 0;
}

/** A decoded event in a plain sentence. */
export function recordSentence(ev: TraceRecord, ctx: RecordContext): string {
  return SPEC_BY_NAME.get(ev.type)?.sentence(ev, ctx) ?? `${ev.type} at ${ev.t} µs.`;
}
