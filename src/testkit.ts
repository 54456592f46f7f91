// Helpers for tests: build small scenarios and run them to a decoded trace.
import { Engine } from './model/engine.ts';
import type { Api } from './model/state.ts';
import type { ScenarioInput } from './scenario/schema.ts';
import { validateScenario } from './scenario/validate.ts';
import { TraceRecorder, type TraceChunk } from './trace/records.ts';
import { decodeRecord, fieldOf, type TraceEvent } from './trace/names.ts';
import type { RecordName, RecordNamed } from './trace/recordTable.ts';

/** One NIC, one transport, one client with SendPossible+Error, one address, one connection. */
export function baseScenario(): ScenarioInput {
  return {
    format: 'tdi-flow-lab/scenario@1',
    title: 'test',
    seed: 1,
    durationUs: 10_000,
    drivers: [{ id: 'nic0', kind: 'nic', linkBytesPerMs: 1000, mtuBytes: 1000 }],
    transports: [{ id: 'tcp', lower: ['nic0'], sendBufferBytes: 4000, maxSendBytes: 10_000 }],
    clients: [{ id: 'A', handlers: ['SendPossible', 'Error'] }],
    addresses: [{ id: 'A-1', client: 'A', transport: 'tcp', nics: ['nic0'] }],
    connections: [{ id: 'A1', address: 'A-1', nic: 'nic0', sends: [] }],
  };
}

export interface Run {
  engine: Engine;
  events: TraceEvent[];
  /** The records of one type (narrowed to it) whose fields equal `where`'s. */
  of<N extends RecordName>(type: N, where?: Record<string, unknown>): RecordNamed<N>[];
}

/** Runs a scenario to `untilUs` (default: its end) through TDI, or through WSK with `api: 'wsk'`. */
export function run(input: ScenarioInput, untilUs?: number, api: Api = 'tdi'): Run {
  const v = validateScenario(input);
  if (!v.ok) throw new Error('invalid test scenario:\n' + v.problems.join('\n'));
  const chunks: TraceChunk[] = [];
  const recorder = new TraceRecorder((k) => chunks.push(k), 256);
  const engine = new Engine(v.scenario, { trace: recorder, api });
  engine.runUntil(untilUs ?? v.scenario.durationUs);
  recorder.flush();
  const events: TraceEvent[] = [];
  for (const k of chunks) for (let i = 0; i < k.length; i++) events.push(decodeRecord(k, i, engine.topo));
  return {
    engine,
    events,
    of: <N extends RecordName>(type: N, where: Record<string, unknown> = {}) =>
      events.filter((e): e is Extract<TraceEvent, { type: N }> => e.type === type && Object.entries(where).every(([key, val]) => fieldOf(e, key) === val)),
  };
}

/** A send.complete joined with its send.submit. */
export function completions(r: Run): (RecordNamed<'send.complete'> & { bytes: number; resubmit: boolean; flags: string[] })[] {
  const submits = new Map(r.of('send.submit').map((e) => [e.sendId, e]));
  return r.of('send.complete').map((c) => {
    const s = submits.get(c.sendId)!;
    return { ...c, bytes: s.bytes, resubmit: s.resubmit === true, flags: s.flags };
  });
}

/** The raw columns that say what a record is and what it is about (type, time, its first entity). */
export interface RawRecord {
  type: number;
  t: number;
  a: number;
}

/** A preset run straight to its end: every record's type, time and first column, and the run's topology. */
export async function straightRecords(name: import('./scenario/presets.ts').PresetName) {
  const { loadPreset } = await import('./scenario/presets.ts');
  const v = validateScenario(await loadPreset(name));
  if (!v.ok) throw new Error(`${name} is invalid`);
  const records: RawRecord[] = [];
  const recorder = new TraceRecorder((k) => {
    for (let i = 0; i < k.length; i++) records.push({ type: k.type[i]!, t: k.t[i]!, a: k.a[i]! });
  }, 4096);
  const engine = new Engine(v.scenario, { trace: recorder });
  engine.runToEnd();
  recorder.flush();
  return { records, topo: engine.topo };
}
