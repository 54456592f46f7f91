// Trace exporters that stream: each takes chunks as the engine fills them and returns text to write.
import type { Topology } from '../model/topology.ts';
import { decodeRecord, type TraceEvent } from './names.ts';
import { COMPLETE_BLOCKING, R, SUBMIT_RESUBMIT, type TraceChunk } from './records.ts';
import { entryOf, clientOfRecord, type RecordType } from './recordTable.ts';
import type { Engine } from '../model/engine.ts';

export interface StreamExporter {
  header(): string;
  chunk(k: TraceChunk): string;
  footer(): string;
}

export function jsonlExporter(topo: Topology): StreamExporter {
  return {
    header: () => '',
    chunk(k) {
      let out = '';
      for (let i = 0; i < k.length; i++) out += JSON.stringify(decodeRecord(k, i, topo)) + '\n';
      return out;
    },
    footer: () => '',
  };
}

/**
 * Trace Event Format (opens in Perfetto and chrome://tracing). One process per client, one thread
 * per connection; per send an async slice from submit to complete (under WSK, per WskSend IRP from
 * pending to complete); pool occupancy as a counter per
 * transport; SendPossible calls as 1 µs slices on the connection's thread; other records as instants
 * named by their C call (the record table's `chrome` says which); a flow arrow from each SendPossible
 * to the resubmission it caused.
 */
export function chromeTraceExporter(engine: Engine): StreamExporter {
  const topo = engine.topo;
  // Each SendPossible call starts its own flow arrow (its own id); the id waits on the connection
  // until that connection's next resubmission ends the arrow (R24/R25). -1: no arrow open.
  const openFlow = new Float64Array(topo.connectionIds.length).fill(-1);
  const poolBytes = new Float64Array(topo.transportNodes.length);
  let nextFlowId = 0;
  let first = true;
  const line = (o: object): string => {
    const s = (first ? '' : ',\n') + JSON.stringify(o);
    first = false;
    return s;
  };
  const context = { topo };
  const pidOf = (c: number): number => (topo.connectionClient[c] as number) + 2;
  const tidOf = (c: number): number => c + 1;
  return {
    header() {
      let out = '{"displayTimeUnit":"ns","traceEvents":[\n';
      out += line({ ph: 'M', name: 'process_name', pid: 1, args: { name: 'Transports and drivers' } });
      topo.clientIds.forEach((id, i) => {
        out += line({ ph: 'M', name: 'process_name', pid: i + 2, args: { name: `Client ${id}` } });
      });
      topo.connectionIds.forEach((id, c) => {
        out += line({ ph: 'M', name: 'thread_name', pid: pidOf(c), tid: tidOf(c), args: { name: id } });
      });
      return out;
    },
    chunk(k) {
      let out = '';
      for (let i = 0; i < k.length; i++) {
        const type = k.type[i] as RecordType;
        const spec = entryOf(type);
        const ts = k.t[i] as number;
        const c = k.a[i] as number;
        if (spec.chrome === null) continue;
        const ev = decodeRecord(k, i, topo);
        // A connection's records go on its thread; an address's or client's on the client's process;
        // a driver's on the drivers' process.
        const client = clientOfRecord(type, c, topo);
        const pid = client >= 0 ? client + 2 : 1;
        const tid = spec.entity === 'connection' ? tidOf(c) : 0;
        switch (spec.chrome) {
          case 'sendBegin': {
            const name = `TDI_SEND ${ev.connection as string}`;
            out += line({ ph: 'b', cat: 'send', name, id: String(ev.sendId), pid, tid, ts, args: { bytes: ev.bytes, flags: ev.flags } });
            out += line({ ph: 'X', cat: 'submit', name: 'submit', pid, tid, ts, dur: 1, args: { sendId: ev.sendId } });
            if (((k.f[i] as number) & SUBMIT_RESUBMIT) !== 0 && openFlow[c]! >= 0) {
              out += line({ ph: 'f', bp: 'e', cat: 'resubmit', name: 'SendPossible → resubmit', id: openFlow[c], pid, tid, ts });
              openFlow[c] = -1;
            }
            break;
          }
          case 'sendEnd':
            out += line({ ph: 'e', cat: 'send', name: `TDI_SEND ${ev.connection as string}`, id: String(ev.sendId), pid, tid, ts, args: { status: ev.status, information: ev.information, lostRace: ev.lostRace === true } });
            break;
          case 'irpBegin':
            // W1: a WskSend IRP is an async slice from STATUS_PENDING to its completion: the time its buffer stays locked.
            out += line({ ph: 'b', cat: 'irp', name: `WskSend ${ev.connection as string}`, id: `irp${ev.irpId as number}`, pid, tid, ts, args: { bytes: ev.bytes, lockedAfter: ev.lockedAfter } });
            break;
          case 'irpEnd':
            out += line({ ph: 'e', cat: 'irp', name: `WskSend ${ev.connection as string}`, id: `irp${ev.irpId as number}`, pid, tid, ts, args: { status: ev.status, information: ev.information, lockedAfter: ev.lockedAfter } });
            break;
          case 'poolCounter':
            out += line({ ph: 'C', name: `pool ${ev.transport as string}`, pid: 1, ts, args: { bytes: ev.bufferedAfter } });
            break;
          case 'slice':
            out += line({ ph: 'X', cat: 'callback', name: spec.call(ev, context), pid, tid, ts, dur: 1, args: fieldsOf(ev) });
            if (type === R.CALLBACK_SEND_POSSIBLE) {
              // A newer call replaces an arrow that no resubmission ended: that one stays a start alone.
              openFlow[c] = nextFlowId++;
              out += line({ ph: 's', cat: 'resubmit', name: 'SendPossible → resubmit', id: openFlow[c], pid, tid, ts });
            }
            break;
          case 'instant.thread':
            out += line({ ph: 'i', s: 't', cat: spec.logGroup ?? 'trace', name: spec.call(ev, context), pid, tid, ts, args: fieldsOf(ev) });
            break;
          case 'instant.process':
            out += line({ ph: 'i', s: 'p', cat: spec.logGroup ?? 'trace', name: spec.call(ev, context), pid, tid: 0, ts, args: fieldsOf(ev) });
            break;
          case 'instant.global':
            out += line({ ph: 'i', s: 'g', cat: spec.logGroup ?? 'trace', name: spec.call(ev, context), pid: 1, tid: 0, ts, args: fieldsOf(ev) });
            break;
        }
        // The pool counter rises on every copy into the pool, too (completions carry Information,
        // not the pool total, so the exporter keeps the total itself).
        if (type === R.SEND_COMPLETE && (k.d[i] as number) > 0 && ((k.f[i] as number) & COMPLETE_BLOCKING) === 0) {
          const tr = topo.connectionTransport[c] as number;
          poolBytes[tr]! += k.d[i] as number;
          out += line({ ph: 'C', name: `pool ${topo.nodeIds[topo.transportNodes[tr] as number]!}`, pid: 1, ts, args: { bytes: poolBytes[tr] } });
        } else if (type === R.BUFFER_TRANSMIT || type === R.BUFFER_DISCARD || type === R.BUFFER_COPY) {
          poolBytes[topo.connectionTransport[c] as number] = k.e[i] as number;
        }
      }
      return out;
    },
    footer: () => '\n]}\n',
  };
}

/** A decoded event's own fields, without the seq, t and type every line has. */
function fieldsOf(ev: TraceEvent): Record<string, unknown> {
  const { seq: _seq, t: _t, type: _type, ...fields } = ev;
  return fields;
}
