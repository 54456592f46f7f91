// The lesson checker (`tdi-flow lesson check`, and the app when a lesson opens): plays the lesson as
// a class would and names, per step, what would let a teacher down (docs/lessons.md § Checking a
// lesson): an answer already on screen at the question (a spoiler), an answer that is not the first
// such record the class sees for the entities in focus, a step that stops where the previous one
// did, a "which first?" question with only one choice possible, and a step that never triggers.
import { Engine } from '../model/engine.ts';
import { CONN_BROKEN, CONN_DEBT } from '../model/connState.ts';
import { H_ERROR, H_ERROR_EX, H_SEND_POSSIBLE } from '../base/status.ts';
import { TraceRecorder, type TraceChunk } from '../trace/records.ts';
import { decodeRecord, type TraceEvent } from '../trace/names.ts';
import { describeMatch, recordMatches, type RecordMatch } from '../trace/match.ts';
import type { Topology } from '../model/topology.ts';
import type { Lesson, LessonStep } from './schema.ts';
import { playLesson } from './play.ts';
import { answerKind, queryMatch } from './query.ts';
import { stepApis, stepStart, type StepRun } from './step.ts';
import type { Api } from '../model/state.ts';

export type ProblemKind = 'spoiler' | 'not-first' | 'same-moment' | 'only-choice' | 'never';

export interface LessonProblem {
  kind: ProblemKind;
  /** 1-based, as the panel counts steps. */
  step: number;
  /** The record the problem is about (null: the run ended without it). */
  record: TraceEvent | null;
  message: string;
}

/** Records the checker reads at most (a lesson past this is checked up to here, and says so). */
export const MAX_CHECKED_RECORDS = 2_000_000;

const ENTITY_FIELDS = ['connection', 'address', 'client', 'driver', 'nic', 'transport'] as const;

/** "record #58 at 1,520 µs: send.complete" */
export function recordRef(e: TraceEvent): string {
  return `record #${e.seq} at ${e.t.toLocaleString('en-US')} µs: ${e.type}`;
}

/** One line per problem: the step, what is wrong, the record. */
export function problemLine(p: LessonProblem): string {
  return `step ${p.step}: ${p.message}${p.record ? ` (${recordRef(p.record)})` : ''}`;
}

export async function checkLesson(lesson: Lesson, played?: StepRun[]): Promise<LessonProblem[]> {
  const runs = played ?? (await playLesson(lesson));
  const problems: LessonProblem[] = [];
  // One recorded run per kernel interface the steps use (#20: a step through another API is a new run).
  const apis = stepApis(lesson.steps);
  const traces = new Map<Api, RecordedRun>();
  const traceOf = (api: Api): RecordedRun => {
    const known = traces.get(api);
    if (known) return known;
    const mine = runs.filter((_, i) => apis[i] === api);
    const limit = Math.min(MAX_CHECKED_RECORDS, Math.max(0, ...mine.map((r) => Math.max(r.end.events, r.pause.events))));
    const pauses = lesson.steps.flatMap((s, i) => (apis[i] === api && s.question && answerKind(s.question.answerFrom) === 'choice' && !runs[i]!.missed ? [runs[i]!.pause.events] : []));
    const made = recordRun(lesson, api, limit, pauses);
    traces.set(api, made);
    return made;
  };
  let prevEnd = { timeUs: 0, events: 0 };
  lesson.steps.forEach((step, i) => {
    const r = runs[i]!;
    const n = i + 1;
    const trace = traceOf(apis[i]!);
    const records = trace.records;
    const add = (kind: ProblemKind, record: TraceEvent | null, message: string): void => void problems.push({ kind, step: n, record, message });
    const prev = stepStart(apis, i, prevEnd);
    prevEnd = r.end;
    const u = step.until;
    if (r.missed === 'pause' && u.kind === 'record') {
      add('never', null, `the run ends without ${describeMatch(u.record)}${u.nth > 1 ? ` (the ${u.nth}th)` : ''}: the step never triggers`);
      return;
    }
    // A step that runs the model and yet shows nothing new: neither its pause nor its end moves on.
    if (u.kind !== 'next' && i > 0 && r.pause.events === prev.events && r.end.events === prev.events) {
      const last = records[prev.events - 1] ?? null;
      add('same-moment', last, `stops where step ${n - 1} stopped: nothing happens between them (merge them, or stop this one later)`);
    }
    const q = step.question;
    if (!q) return;
    const match = queryMatch(q.answerFrom);
    if (r.missed === 'answer') {
      add('never', null, `nothing its question reads (${describeMatch(match)}) happens after the pause: the model has no answer`);
      return;
    }
    // Spoiler: a record the answer reads is already on screen when the question is asked.
    const spoiler = records.slice(prev.events, r.pause.events).find((e) => recordMatches(match, e));
    if (spoiler) add('spoiler', spoiler, `the question's answer is already on screen when it is asked: ${describeMatch(match)} comes before the pause`);
    const d = r.decider;
    const kind = answerKind(q.answerFrom);
    if (d && (kind === 'choice' || 'value' in q.answerFrom)) {
      const loose = focusMatch(d, step, match);
      if (loose) {
        const from = r.autoPause ? prev.events : r.pause.events;
        const first = records.slice(from, d.seq + 1).find((e) => recordMatches(loose, e));
        if (first && first.seq !== d.seq) {
          add('not-first', first, `the answer is ${recordRef(d)}, but the class sees another ${describeMatch(loose)} first, after the step starts: ask about that one, or pause after it`);
        }
      }
    }
    if (kind === 'choice' && q.choices && r.answer?.kind === 'choice') {
      const field = (q.answerFrom as { field: string }).field;
      const state = trace.states.get(r.pause.events);
      const possible = state ? possibleValues(match, field, state, trace.topo, records.slice(0, r.pause.events)) : null;
      const answer = r.answer.value;
      if (possible && possible(answer) && q.choices.every((c) => c === answer || !possible(c))) {
        const pauseRecord = records[r.pause.events] ?? null;
        add('only-choice', pauseRecord, `only "${answer}" can be the answer at the pause (${whyOnly(match.type)}): the question is trivial; add a choice that could happen, or ask elsewhere`);
      }
    }
  });
  if ([...traces.values()].some((t) => t.truncated)) problems.push({ kind: 'never', step: lesson.steps.length, record: null, message: `checked only the first ${MAX_CHECKED_RECORDS.toLocaleString('en-US')} records` });
  return problems;
}

function whyOnly(type: string): string {
  switch (type) {
    case 'callback.sendPossible':
      return 'no other choice is owed a SendPossible it can be called for, R21';
    case 'callback.error':
      return 'no other choice is an open address with an error handler that depends on a failed driver, R30';
    case 'connection.broken':
      return 'every other choice is broken already';
    case 'send.complete':
      return 'every other send has completed already';
    default:
      return 'no other choice can happen';
  }
}

/** The answer's record type, narrowed to its entities the step focuses on (or the query names); null when there are none. */
function focusMatch(d: TraceEvent, step: LessonStep, query: RecordMatch): RecordMatch | null {
  const focus = new Set(step.focus ?? []);
  const where: Record<string, string> = {};
  for (const f of ENTITY_FIELDS) {
    const v = d[f];
    if (typeof v === 'string' && (focus.has(v) || query.where?.[f] === v)) where[f] = v;
  }
  return Object.keys(where).length > 0 ? { type: d.type, where } : null;
}

// ---- The engine's state at a pause, for "could this choice happen?" ------------------------------

interface OracleState {
  debt: Uint8Array;
  broken: Uint8Array;
  addrOpen: Uint8Array;
  addrUsable: Uint8Array;
  addrHandlers: Uint8Array;
  nodeFailed: Int32Array;
}

interface RecordedRun {
  records: TraceEvent[];
  /** Per pause (a record count), the state there. */
  states: Map<number, OracleState>;
  topo: Topology;
  truncated: boolean;
}

/**
 * Runs the lesson's scenario to `limit` records, decoding them all, and the engine's state at each
 * pause — exactly there, inside a kernel event too (Engine.runToRecord: a fault's cascade stops
 * between two callbacks).
 */
function recordRun(lesson: Lesson, api: Api, limit: number, pauses: number[]): RecordedRun {
  const chunks: TraceChunk[] = [];
  const recorder = new TraceRecorder((k) => chunks.push(k), 4096);
  const engine = new Engine(lesson.scenario, { trace: recorder, api });
  const topo = engine.topo;
  const records: TraceEvent[] = [];
  while (engine.eventCount < limit && engine.step());
  recorder.flush();
  for (const k of chunks.splice(0)) for (let i = 0; i < k.length && records.length < limit; i++) records.push(decodeRecord(k, i, topo));
  const states = new Map<number, OracleState>();
  for (const p of new Set(pauses)) {
    const at = new Engine(lesson.scenario, { api });
    at.runToRecord(p);
    states.set(p, engineState(at));
  }
  return { records, states, topo, truncated: limit === MAX_CHECKED_RECORDS };
}

function engineState(engine: Engine): OracleState {
  const snap = engine.snapshot();
  return {
    debt: Uint8Array.from(snap.state, (s) => (s & CONN_DEBT ? 1 : 0)),
    broken: Uint8Array.from(snap.state, (s) => (s & CONN_BROKEN ? 1 : 0)),
    addrOpen: Uint8Array.from(snap.addressState, (s) => s & 1),
    addrUsable: Uint8Array.from(snap.addressState, (s) => (s & 2 ? 1 : 0)),
    addrHandlers: snap.addressHandlers.slice(),
    nodeFailed: Int32Array.from(snap.nodeFailed),
  };
}

/**
 * Whether `field` could take a value in the next record matching `m`, from the state at the pause;
 * null when the checker has no way to tell for this record type and field (every choice counts as possible).
 */
function possibleValues(m: RecordMatch, field: string, s: OracleState, topo: Topology, before: readonly TraceEvent[]): ((value: string) => boolean) | null {
  const candidates: Record<string, string>[] = [];
  const fits = (cand: Record<string, string>): boolean => Object.entries(m.where ?? {}).every(([k, v]) => cand[k] === undefined || cand[k] === v);
  const ofConnection = (c: number): Record<string, string> => {
    const a = topo.connectionAddress[c] as number;
    return { connection: topo.connectionIds[c]!, address: topo.addressIds[a]!, client: topo.clientIds[topo.addressClient[a] as number]! };
  };
  switch (m.type) {
    case 'callback.sendPossible': {
      // R21: a connection is called only when it is owed, its address usable with the handler registered.
      if (!['connection', 'address', 'client'].includes(field)) return null;
      for (let c = 0; c < topo.connectionIds.length; c++) {
        const a = topo.connectionAddress[c] as number;
        if (s.debt[c] && !s.broken[c] && s.addrUsable[a] && s.addrHandlers[a]! & H_SEND_POSSIBLE) candidates.push(ofConnection(c));
      }
      break;
    }
    case 'callback.error': {
      // R30: an open address with an Error or ErrorEx handler that depends on a failed driver (any
      // driver, before a fault has happened).
      if (!['address', 'client'].includes(field)) return null;
      const failed = new Set<number>();
      s.nodeFailed.forEach((n, i) => n > 0 && failed.add(i));
      for (let a = 0; a < topo.addressIds.length; a++) {
        const depends = failed.size === 0 || [...topo.addressDeps[a]!].some((d) => failed.has(d));
        if (s.addrOpen[a] && s.addrHandlers[a]! & (H_ERROR | H_ERROR_EX) && depends) candidates.push({ address: topo.addressIds[a]!, client: topo.clientIds[topo.addressClient[a] as number]! });
      }
      break;
    }
    case 'connection.broken': {
      if (!['connection', 'address'].includes(field)) return null;
      for (let c = 0; c < topo.connectionIds.length; c++) if (!s.broken[c]) candidates.push(ofConnection(c));
      break;
    }
    case 'send.complete': {
      // A send completes once: one already completed cannot be next; one pending, held or not yet submitted can.
      if (field !== 'sendId') return null;
      const done = new Set<number>();
      const on = new Map<number, string>();
      for (const e of before) {
        if (e.type === 'send.complete') done.add(e.sendId as number);
        if (e.type === 'send.submit') on.set(e.sendId as number, e.connection as string);
      }
      const where = m.where?.connection;
      return (v) => {
        const id = Number(v);
        if (!Number.isInteger(id) || !on.has(id)) return true;
        return !done.has(id) && (where === undefined || on.get(id) === where);
      };
    }
    default:
      return null;
  }
  const values = new Set(candidates.filter(fits).map((cand) => cand[field]!));
  return (v) => values.has(v);
}
