// Resolves the integer columns of a trace record back to the scenario's ids and to status names.
import { IRQL_NAMES, HANDLER_NAMES, MISBEHAVIOURS, MISBEHAVIOUR_NAMES, STATUS_NAMES, EVENT_TYPES, maskToFlags, statusHex, type StatusName } from '../base/status.ts';
import type { Topology } from '../model/topology.ts';
import { COMPLETE_BLOCKING, COMPLETE_LOST_RACE, ERROR_EX, R, RECORD_TYPE_NAMES, SUBMIT_RESUBMIT } from './records.ts';

/** Any columnar record source: a trace chunk, a frame's events, the app's log ring. */
export interface RecordColumns {
  firstSeq: number;
  type: ArrayLike<number>;
  t: ArrayLike<number>;
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  c: ArrayLike<number>;
  d: ArrayLike<number>;
  e: ArrayLike<number>;
  f: ArrayLike<number>;
}

export type TraceEvent = { seq: number; t: number; type: string } & Record<string, unknown>;

/** One record as the public JSON trace line (formats.md § Trace). */
export function decodeRecord(k: RecordColumns, i: number, topo: Topology): TraceEvent {
  const type = k.type[i] as number;
  const a = k.a[i] as number;
  const b = k.b[i] as number;
  const c = k.c[i] as number;
  const d = k.d[i] as number;
  const e = k.e[i] as number;
  const f = k.f[i] as number;
  const ev: TraceEvent = { seq: k.firstSeq + i, t: k.t[i] as number, type: RECORD_TYPE_NAMES[type]! };
  const conn = (): void => {
    const addr = topo.connectionAddress[a] as number;
    ev.client = topo.clientIds[topo.addressClient[addr] as number];
    ev.address = topo.addressIds[addr];
    ev.connection = topo.connectionIds[a];
  };
  const transportOf = (conn: number): string | undefined =>
    topo.nodeIds[topo.transportNodes[topo.connectionTransport[conn] as number] as number];
  const status = (index: number): void => {
    const name = STATUS_NAMES[index] as StatusName;
    ev.status = name;
    ev.code = statusHex(name);
  };
  switch (type) {
    case R.SEND_SUBMIT:
      conn();
      ev.sendId = c;
      ev.bytes = d;
      ev.flags = maskToFlags(f & 0xffff);
      if (f & SUBMIT_RESUBMIT) ev.resubmit = true;
      if (e >= 0) ev.origin = e;
      break;
    case R.SEND_COMPLETE:
      ev.connection = topo.connectionIds[a];
      ev.sendId = c;
      status(b);
      ev.information = d;
      if (f & COMPLETE_LOST_RACE) ev.lostRace = true;
      if (f & COMPLETE_BLOCKING) ev.blocking = true;
      if (e >= 0) ev.bytesAvailableTold = e;
      break;
    case R.SEND_PENDING:
      ev.connection = topo.connectionIds[a];
      ev.sendId = c;
      ev.bytes = d;
      status(STATUS_NAMES.indexOf('STATUS_PENDING'));
      break;
    case R.BUFFER_TRANSMIT:
      ev.transport = transportOf(a);
      ev.nic = topo.nodeIds[b];
      ev.connection = topo.connectionIds[a];
      ev.bytes = d;
      ev.bufferedAfter = e;
      break;
    case R.CALLBACK_SEND_POSSIBLE:
      conn();
      ev.bytesAvailable = d;
      ev.irql = IRQL_NAMES[f];
      break;
    case R.CALLBACK_ERROR:
      ev.client = topo.clientIds[topo.addressClient[a] as number];
      ev.address = topo.addressIds[a];
      status(b);
      ev.ex = (f & ERROR_EX) !== 0;
      ev.irql = IRQL_NAMES[f & 0xf];
      ev.driver = topo.nodeIds[c];
      break;
    case R.CALLBACK_DISCONNECT:
      conn();
      ev.irql = IRQL_NAMES[f];
      ev.flags = ['TDI_DISCONNECT_ABORT'];
      break;
    case R.DRIVER_FAULT:
      ev.driver = topo.nodeIds[a];
      status(b);
      ev.fatal = f === 1;
      break;
    case R.DRIVER_RECOVER:
      ev.driver = topo.nodeIds[a];
      break;
    case R.CONNECTION_BROKEN:
      ev.connection = topo.connectionIds[a];
      ev.address = topo.addressIds[topo.connectionAddress[a] as number];
      status(b);
      break;
    case R.BUFFER_DISCARD:
      ev.transport = transportOf(a);
      ev.connection = topo.connectionIds[a];
      ev.bytes = d;
      ev.bufferedAfter = e;
      break;
    case R.CLIENT_FAIL:
      ev.client = topo.clientIds[topo.connectionClient[a] as number];
      ev.connection = topo.connectionIds[a];
      ev.bytes = d;
      status(b);
      if (c >= 0) ev.origin = c;
      break;
    case R.ADDRESS_CLOSE:
    case R.ADDRESS_OPEN:
      ev.client = topo.clientIds[topo.addressClient[a] as number];
      ev.address = topo.addressIds[a];
      break;
    case R.BUGCHECK: {
      const does = MISBEHAVIOUR_NAMES[c]!;
      ev.code = '0x' + f.toString(16).toUpperCase().padStart(8, '0');
      ev.name = MISBEHAVIOURS[does].name;
      ev.client = topo.clientIds[a];
      ev.handler = `ClientEvent${HANDLER_NAMES[b]}`;
      ev.does = MISBEHAVIOURS[does].what;
      break;
    }
    case R.HANDLER_REGISTER: {
      const h = HANDLER_NAMES[b]!;
      ev.client = topo.clientIds[topo.addressClient[a] as number];
      ev.address = topo.addressIds[a];
      ev.event = h;
      ev.eventType = EVENT_TYPES[h];
      ev.registered = c === 1;
      status(f);
      break;
    }
    case R.BUFFER_COPY:
      ev.transport = transportOf(a);
      ev.connection = topo.connectionIds[a];
      ev.sendId = c;
      ev.bytes = d;
      ev.bufferedAfter = e;
      break;
    case R.CONNECTION_CONNECT:
      ev.connection = topo.connectionIds[a];
      ev.address = topo.addressIds[topo.connectionAddress[a] as number];
      break;
  }
  return ev;
}
