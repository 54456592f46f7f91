// The record table: every type decodes, reads as a C call and as a sentence; the log's groups and the
// entity each record is about come from it.
import { describe, expect, it } from 'vitest';
import { baseScenario, run } from '../testkit.ts';
import { statusIndex } from '../base/status.ts';
import { allocColumns } from './records.ts';
import { decodeRecord } from './names.ts';
import {
  COMPLETE_LOST_RACE,
  ERROR_EX,
  IMPORTANCE,
  LOG_GROUP_TYPES,
  R,
  RECORD_TABLE,
  callText,
  clientOfRecord,
  connectionOfRecord,
  recordImportance,
  recordSentence,
  statusOfRecord,
  type RecordFields,
  type RecordType,
} from './recordTable.ts';

const topo = run(baseScenario(), 0).engine.topo;
const S = statusIndex;

/**
 * A plausible record of each type, on the one-connection base scenario. A type without a sample is
 * tried with zero columns; the call-and-sentence test below names it if those read wrong.
 */
const SAMPLES: { [T in RecordType]?: Partial<RecordFields> } = {
  [R.SEND_SUBMIT]: { c: 7, d: 2048, e: -1, f: 0x100 },
  [R.SEND_COMPLETE]: { b: S('STATUS_DEVICE_NOT_READY'), c: 7, e: -1 },
  [R.SEND_PENDING]: { c: 7, d: 2048 },
  [R.BUFFER_TRANSMIT]: { b: 0, d: 1000, e: 2000 },
  [R.CALLBACK_SEND_POSSIBLE]: { d: 2048, f: 2 },
  [R.CALLBACK_ERROR]: { b: S('STATUS_ADAPTER_HARDWARE_ERROR'), c: 0, f: 2 | ERROR_EX },
  [R.CALLBACK_DISCONNECT]: { f: 2 },
  [R.DRIVER_FAULT]: { b: S('STATUS_ADAPTER_HARDWARE_ERROR'), f: 1 },
  [R.DRIVER_RECOVER]: {},
  [R.CONNECTION_BROKEN]: { b: S('STATUS_ADAPTER_HARDWARE_ERROR') },
  [R.BUFFER_DISCARD]: { d: 500, e: 1500 },
  [R.CLIENT_FAIL]: { b: S('STATUS_INVALID_CONNECTION'), c: -1, d: 1460 },
  [R.ADDRESS_CLOSE]: {},
  [R.ADDRESS_OPEN]: {},
  [R.BUGCHECK]: { b: 0, c: 0, f: 0xa },
  [R.HANDLER_REGISTER]: { b: 0, c: 1, f: S('STATUS_SUCCESS') },
  [R.CONNECTION_CONNECT]: {},
  [R.BUFFER_COPY]: { c: 7, d: 1000, e: 3000 },
  [R.IRP_PENDING]: { c: 3, d: 4096, e: 8192 },
  [R.IRP_COMPLETE]: { b: S('STATUS_SUCCESS'), c: 3, d: 4096, e: 4096 },
  [R.WSK_SEND_BACKLOG]: { b: 2, d: 4096 },
  [R.WSK_DISCONNECT]: { b: S('STATUS_ADAPTER_HARDWARE_ERROR'), c: 0, f: 3 },
};

function decodeOne(type: RecordType, over: Partial<RecordFields> = {}) {
  const k = { firstSeq: 0, ...allocColumns(1) };
  const r = { a: 0, b: 0, c: 0, d: 0, e: 0, f: 0, ...SAMPLES[type], ...over };
  k.type[0] = type;
  k.t[0] = 5;
  ({ a: k.a[0], b: k.b[0], c: k.c[0], d: k.d[0], e: k.e[0], f: k.f[0] } = r);
  return decodeRecord(k, 0, topo);
}

const TYPES = Object.values(R);
const ctx = { topo, submitOf: (id: number) => (id === 7 ? { bytes: 2048, flags: 0x100, resubmit: false } : undefined) };

describe('record table', () => {
  it('has one entry per R number, with distinct public names', () => {
    // Every R number has an entry and every entry an R number (no count to keep up to date).
    expect(TYPES.length).toBeGreaterThan(10);
    expect(Object.keys(RECORD_TABLE).map(Number).sort((x, y) => x - y)).toEqual([...TYPES].sort((x, y) => x - y));
    expect(new Set(TYPES.map((t) => RECORD_TABLE[t].name)).size).toBe(TYPES.length);
  });

  it.each(TYPES.map((t) => [RECORD_TABLE[t].name, t] as const))('%s decodes to ids and names, and reads as a call and a sentence', (name, type) => {
    const ev = decodeOne(type);
    expect(ev.type).toBe(name);
    const texts = [JSON.stringify(ev), callText(ev, ctx), recordSentence(ev, ctx)];
    for (const text of texts) expect(text).not.toMatch(/undefined|NaN|\[object|\?/);
    expect(recordSentence(ev, ctx)).toMatch(/^\S.{30,}\.$/);
  });

  it('callback.disconnect keeps its public fields and their order', () => {
    expect(JSON.stringify(decodeOne(R.CALLBACK_DISCONNECT))).toBe(
      '{"seq":0,"t":5,"type":"callback.disconnect","client":"A","address":"A-1","connection":"A1","irql":"DISPATCH_LEVEL","flags":["TDI_DISCONNECT_ABORT"]}',
    );
  });

  it('R13/R21: a refusal says whose send, which pool, and that a SendPossible is owed', () => {
    expect(recordSentence(decodeOne(R.SEND_COMPLETE), ctx)).toBe(
      "A's 2,048-byte send on A1 was refused: tcp's send pool is full (STATUS_DEVICE_NOT_READY). A is now owed a ClientEventSendPossible for A1.",
    );
    expect(callText(decodeOne(R.SEND_COMPLETE), ctx)).toBe('TDI_SEND(A1, 2048, NON_BLOCKING) → STATUS_DEVICE_NOT_READY (0xC00000A3)');
  });

  it('R24: a lost race says what SendPossible had promised, that the send was refused again, and who is owed the next call', () => {
    const lost = decodeOne(R.SEND_COMPLETE, { e: 1460, f: COMPLETE_LOST_RACE });
    expect(recordSentence(lost, ctx)).toBe(
      "A1's resubmission lost the race: ClientEventSendPossible had said 1,460 bytes were free, but another send took the space first, " +
        "so A's send was refused again (STATUS_DEVICE_NOT_READY). A is owed another ClientEventSendPossible for A1.",
    );
  });

  it('R12: a partial copy says how much fit and how much is left to send', () => {
    const partial = decodeOne(R.SEND_COMPLETE, { b: S('STATUS_SUCCESS'), d: 1000 });
    expect(recordSentence(partial, ctx)).toBe(
      "Only 1,000 of the 2,048 bytes of A's send on A1 fit into tcp's send pool: a partial copy (STATUS_SUCCESS, Information = 1,000). A must send the other 1,048 bytes again.",
    );
  });

  it('narration: importance comes from the raw columns: bug check > fault > error callback > lost race > refusal > SendPossible > accepted', () => {
    const imp = (type: RecordType, over: Partial<RecordFields> = {}) => recordImportance(type, { a: 0, b: 0, c: 0, d: 0, e: 0, f: 0, ...SAMPLES[type], ...over });
    const order = [
      imp(R.BUGCHECK),
      imp(R.DRIVER_FAULT),
      imp(R.CALLBACK_ERROR),
      imp(R.SEND_COMPLETE, { f: COMPLETE_LOST_RACE }),
      imp(R.SEND_COMPLETE),
      imp(R.CALLBACK_SEND_POSSIBLE),
      imp(R.SEND_COMPLETE, { b: S('STATUS_SUCCESS'), d: 2048 }),
    ];
    expect(order).toEqual([IMPORTANCE.bugcheck, IMPORTANCE.fault, IMPORTANCE.errorCallback, IMPORTANCE.lostRace, IMPORTANCE.refusal, IMPORTANCE.sendPossible, IMPORTANCE.accepted]);
    expect(order.slice().sort((x, y) => y - x)).toEqual(order);
    expect(imp(R.SEND_SUBMIT)).toBe(0); // shown on its completion, never narrated alone
    expect(recordImportance(99, { a: 0, b: 0, c: 0, d: 0, e: 0, f: 0 })).toBe(0);
  });

  it('files every log row in one group; a submit is no row of its own', () => {
    const filed = Object.values(LOG_GROUP_TYPES).flat();
    expect(filed.slice().sort((x, y) => x - y)).toEqual(TYPES.filter((t) => t !== R.SEND_SUBMIT));
    // W1: under WSK a WskSend's pending IRP and its completion are each a row (there is no submit record).
    expect(LOG_GROUP_TYPES.sends).toEqual([R.SEND_COMPLETE, R.SEND_PENDING, R.IRP_PENDING, R.IRP_COMPLETE]);
    expect(LOG_GROUP_TYPES.setup).toEqual([R.ADDRESS_CLOSE, R.ADDRESS_OPEN, R.HANDLER_REGISTER]);
  });

  it('names the connection, the client and the status column of a record', () => {
    expect(connectionOfRecord(R.CALLBACK_SEND_POSSIBLE, 0)).toBe(0);
    expect(connectionOfRecord(R.CALLBACK_ERROR, 0)).toBe(-1);
    expect(clientOfRecord(R.BUGCHECK, 0, topo)).toBe(0);
    expect(clientOfRecord(R.DRIVER_FAULT, 0, topo)).toBe(-1);
    // handler.register keeps its status in f (b is the handler index).
    expect(statusOfRecord(R.HANDLER_REGISTER, { b: 3, f: 0 })).toBe(0);
    expect(statusOfRecord(R.SEND_PENDING, { b: 0, f: 0 })).toBeNull();
  });
});
