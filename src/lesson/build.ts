// Building a lesson without writing its JSON (#15, the lesson recorder): a step from a moment the
// author stopped at, and a question from a record kind picked from what happens next. The recorder
// (app/recorder) asks the worker for the records; this file only turns them into the lesson format
// (docs/lessons.md) — the same triggers and queries a hand-written lesson uses. Pure.
import type { TraceEvent } from '../trace/names.ts';
import type { Topology } from '../model/topology.ts';
import type { RecordMatch } from '../trace/match.ts';
import type { LessonProblem } from './check.ts';
import type { Runner } from './step.ts';
import { RECORD_TABLE } from '../trace/recordTable.ts';

/** Fields that name an entity of the scenario (a "which" question picks one of these). */
export const ENTITY_FIELDS = ['connection', 'address', 'client', 'driver', 'nic', 'transport'] as const;
export type EntityField = (typeof ENTITY_FIELDS)[number];

const field = (e: TraceEvent, f: string): unknown => (e as Record<string, unknown>)[f];

/** The record's entities, as a trigger's `where` names them (the most precise match the validator accepts). */
export function entityWhere(e: TraceEvent): Record<string, string> {
  const where: Record<string, string> = {};
  for (const f of ENTITY_FIELDS) {
    const v = field(e, f);
    if (typeof v === 'string') where[f] = v;
  }
  return where;
}

/** A record of this record's type about the same entities. */
export function matchOf(e: TraceEvent): RecordMatch {
  const where = entityWhere(e);
  return Object.keys(where).length > 0 ? { type: e.type, where } : { type: e.type };
}

/**
 * The trigger of a step captured at a moment (the state with `events` records shown, at `timeUs`):
 * just before the record that follows it — the `nth` record matching `matchOf(next)` counted from
 * the start, so the moment stays where it is when steps are reordered. A question's answer then
 * comes from the records after that pause (docs/lessons.md § Where a question is asked, "Chosen by
 * you"). At the start of the run a step without a question just shows the stage ("next"); with
 * nothing after the moment (the run's end) the moment is a time.
 */
export function stepTrigger(events: number, timeUs: number, next: { record: TraceEvent; nth: number } | null, asks: boolean): unknown {
  if (events === 0 && !asks) return 'next';
  if (!next) return { atUs: timeUs };
  return { record: matchOf(next.record), nth: next.nth, from: 'start', before: true };
}

/** Every record type of the trace (what a question can be about). */
export const RECORD_TYPES: readonly string[] = Object.values(RECORD_TABLE).map((r) => r.name);

/** What comes after a moment: the record next (and its count from the start), the kinds that follow. */
export interface MomentAhead {
  next: { record: TraceEvent; nth: number } | null;
  /** Each record type that happens after the moment, with its first record there, soonest first. */
  kinds: { type: string; first: TraceEvent }[];
}

/**
 * Asks the run what happens after the state with `events` records: the first record of each type
 * from there (one lessonRun each: src/lesson/run.ts — the worker's in the app, Node's in the tests),
 * and how many records like the next one came before it (its `nth`, counted from the start).
 */
export async function lookAhead(run: Runner, events: number, types: readonly string[] = RECORD_TYPES): Promise<MomentAhead> {
  const firsts = await Promise.all(types.map(async (type) => ({ type, m: await run({ record: { type }, nth: 1, from: 'previous' }, events, null) })));
  const kinds = firsts.flatMap(({ type, m }) => (m.record && !m.missed ? [{ type, first: m.record }] : [])).sort((a, b) => a.first.seq - b.first.seq);
  const record = kinds[0]?.first;
  if (!record) return { next: null, kinds };
  const like = await run({ atUs: record.t }, 0, matchOf(record));
  const nth = like.collected.findIndex((e) => e.seq === record.seq) + 1;
  return { next: nth > 0 ? { record, nth } : null, kinds };
}

/** Entity fields of a record a "which" question can be about (those naming something). */
export function whichFields(e: TraceEvent): EntityField[] {
  return ENTITY_FIELDS.filter((f) => typeof field(e, f) === 'string');
}

/** Number fields of a record a "how many" question can be about (not its position in the trace). */
export function howManyFields(e: TraceEvent): string[] {
  return Object.keys(e).filter((f) => f !== 'seq' && f !== 't' && f !== 'eventType' && f !== 'origin' && f !== 'sendId' && typeof field(e, f) === 'number');
}

/** A record kind in words, as the recorder lists it ("ClientEventSendPossible (callback.sendPossible)"). */
export function kindLabel(type: string): string {
  const words: Record<string, string> = {
    'callback.sendPossible': 'ClientEventSendPossible',
    'callback.error': 'ClientEventError',
    'callback.disconnect': 'ClientEventDisconnect',
    'send.submit': 'a TDI_SEND is submitted',
    'send.complete': 'a send completes',
    'send.pending': 'a send is held pending',
    'buffer.transmit': 'a NIC transmits',
    'buffer.copy': 'bytes are copied into the pool',
    'buffer.discard': 'buffered bytes are discarded',
    'connection.broken': 'a connection breaks',
    'connection.connect': 'a connection connects',
    'driver.fault': 'a driver fails',
    'driver.recover': 'a driver recovers',
    'address.open': 'an address opens',
    'address.close': 'an address closes',
    'client.fail': 'a client fails',
    'handler.register': 'a handler is registered',
    bugcheck: 'the bug check',
  };
  return words[type] ? `${words[type]} (${type})` : type;
}

/** The unit shown beside a number box: byte counts are the fields that say so. */
export function unitOf(f: string): string | undefined {
  return /bytes|information|buffered/i.test(f) ? 'bytes' : undefined;
}

/** The ids of the scenario a "which" question about this field chooses from (the entities on stage). */
export function choicesFor(f: string, topo: Pick<Topology, 'connectionIds' | 'addressIds' | 'clientIds' | 'nodeIds' | 'nodeKinds'>): string[] {
  switch (f) {
    case 'connection':
      return [...topo.connectionIds];
    case 'address':
      return [...topo.addressIds];
    case 'client':
      return [...topo.clientIds];
    case 'driver':
      return [...topo.nodeIds];
    case 'nic':
      return topo.nodeIds.filter((_, i) => topo.nodeKinds[i] === 'nic');
    case 'transport':
      return topo.nodeIds.filter((_, i) => topo.nodeKinds[i] === 'transport');
    default:
      return [];
  }
}

export type QuestionSpec =
  | { kind: 'which'; type: string; field: string; ask: string; choices: string[] }
  | { kind: 'howMany'; type: string; field: string; ask: string; unit?: string };

/** What the recorder suggests asking, until the author words it. */
export function defaultAsk(kind: 'which' | 'howMany', type: string, f: string): string {
  const what = kindLabel(type).replace(/ \(.*\)$/, '');
  return kind === 'which' ? `Which ${f} is in the next ${what}?` : `How many ${f === 'information' ? 'bytes does the next send get' : `${f} will the next ${what} say`}?`;
}

/**
 * The question as the lesson format has it. The answer is the first record of the picked kind
 * after the step's pause (the step pauses `before` the moment's next record: docs/lessons.md
 * § Where a question is asked, "Chosen by you") — `first` for a "which", `value` for a "how many".
 */
export function buildQuestion(q: QuestionSpec): Record<string, unknown> {
  const match = { type: q.type };
  if (q.kind === 'which') return { ask: q.ask, choices: [...q.choices], answerFrom: { first: match, field: q.field } };
  return { ask: q.ask, answerFrom: { value: match, field: q.field }, ...(q.unit ? { unit: q.unit } : {}) };
}

/** The checker's problems beside their steps: one list of lines per step (1-based `step` → index). */
export function problemsByStep(problems: readonly LessonProblem[], steps: number, line: (p: LessonProblem) => string): string[][] {
  const out: string[][] = Array.from({ length: steps }, () => []);
  for (const p of problems) out[Math.min(Math.max(p.step, 1), steps) - 1]!.push(line(p).replace(/^step \d+: /, ''));
  return out;
}
