// A lesson step's moments (docs/lessons.md § Where a question is asked): predict before you see. A
// question step pauses just BEFORE the first record its answer comes from — nothing its answer reads
// is on screen yet — and Check runs to the record that decides the answer and holds there, so the
// reveal's answer is what the stage then shows. The same function serves the app (its runner asks
// the worker), the lesson tests and the checker (their runner replays in Node).
import type { RecordMatch } from '../trace/match.ts';
import type { TraceEvent } from '../trace/names.ts';
import type { LessonStep, RunningTrigger } from './schema.ts';
import type { LessonMoment, RunTrigger } from './run.ts';
import { answerKind, evaluateQuery, queryMatch, type ModelAnswer } from './query.ts';

/** A point of the run: the state with exactly `events` records (seek(timeUs, { events })). */
export interface Moment {
  timeUs: number;
  events: number;
}

export const START: Moment = { timeUs: 0, events: 0 };

export interface StepRun {
  /** Where the step stops first: a question is asked here. */
  pause: Moment;
  /** A question's: where Check holds (just after the record that decided the answer). */
  reveal: Moment | null;
  answer: ModelAnswer | null;
  /** The record that decided the answer (the reveal holds just after it). */
  decider: TraceEvent | null;
  /** The records of the answer's window that its query matches, oldest first. */
  collected: TraceEvent[];
  /** What never came: the step's trigger (`pause`), or every record the answer could come from (`answer`). */
  missed: 'pause' | 'answer' | null;
  /** The pause was found from the question's query (a question step that does not pause `before` a record). */
  autoPause: boolean;
  /** Where the step ends (Back returns here; the next step starts here): the reveal, else the pause. */
  end: Moment;
}

/** Replays the run to a trigger from seq `fromSeq`, collecting the records matching `collect` (src/lesson/run.ts). */
export type Runner = (trigger: RunTrigger, fromSeq: number, collect: RecordMatch | null) => Promise<LessonMoment> | LessonMoment;

const toRun = (t: RunningTrigger): RunTrigger =>
  t.kind === 'time' ? { atUs: t.atUs } : { record: t.record.where ? { type: t.record.type, where: t.record.where } : { type: t.record.type }, nth: t.nth, from: t.from, ...(t.before ? { before: true } : {}) };

const at = (m: LessonMoment): Moment => ({ timeUs: m.timeUs, events: m.events });
/** Just after a record. */
const after = (e: TraceEvent): Moment => ({ timeUs: e.t, events: e.seq + 1 });

/** Each step's kernel interface (#20): its own `api`, else the previous step's; the first step's default is TDI. */
export function stepApis(steps: readonly Pick<LessonStep, 'api'>[]): ('tdi' | 'wsk')[] {
  const out: ('tdi' | 'wsk')[] = [];
  for (const s of steps) out.push(s.api ?? out[out.length - 1] ?? 'tdi');
  return out;
}

/** Where step `index` starts: the previous step's end, or 0 µs when it runs through another API (a new run). */
export function stepStart(apis: readonly string[], index: number, prevEnd: Moment): Moment {
  return index > 0 && apis[index] !== apis[index - 1] ? START : prevEnd;
}

/** Whether a step pauses at a point its author chose before a record (its question's window starts there). */
export function pausesBefore(step: LessonStep): boolean {
  return step.until.kind === 'record' && step.until.before;
}

/** One step from the previous step's end: its pause, and for a question its answer and reveal. */
export async function runStep(step: LessonStep, prev: Moment, run: Runner): Promise<StepRun> {
  const u = step.until;
  const q = step.question;
  const none = { reveal: null, answer: null, decider: null, collected: [] as TraceEvent[] };
  if (u.kind === 'next') return { pause: prev, ...none, missed: null, autoPause: false, end: prev };
  if (!q) {
    const m = await run(toRun(u), prev.events, null);
    return { pause: at(m), ...none, missed: m.missed ? 'pause' : null, autoPause: false, end: at(m) };
  }
  const match = queryMatch(q.answerFrom);
  const kind = answerKind(q.answerFrom);
  const single = 'first' in q.answerFrom || 'value' in q.answerFrom;
  const firstMatch: RunTrigger = { record: match, nth: 1, from: 'previous' };

  if (!pausesBefore(step)) {
    // The pause is found: just before the first record after the previous step that the query
    // matches. `until` ends the answer's records (as lessons said before pauses could be chosen).
    const w = await run(toRun(u), prev.events, match);
    const first = w.collected[0];
    const pause = first ? at(await run({ ...firstMatch, before: true }, prev.events, null)) : prev;
    const collected = single && first ? [first] : w.collected;
    const answer = evaluateQuery(q.answerFrom, collected);
    const decider = deciderOf(answer, collected);
    const reveal = decider ? after(decider) : at(w);
    const missed = w.missed && u.kind === 'record' ? 'pause' : answer === null ? 'answer' : null;
    return { pause, reveal, answer, decider, collected, missed, autoPause: true, end: reveal };
  }

  const p = await run(toRun(u), prev.events, null);
  const pause = at(p);
  if (p.missed) return { pause, ...none, missed: 'pause', autoPause: false, end: pause };
  let w: LessonMoment;
  if (q.until) w = await run(toRun(q.until), pause.events, match);
  else if (single) w = await run(firstMatch, pause.events, match);
  else {
    // set, count, sum: the records of the first match's instant.
    const f = await run(firstMatch, pause.events, null);
    w = f.record ? await run({ atUs: f.record.t }, pause.events, match) : f;
  }
  const collected = single ? w.collected.slice(0, 1) : w.collected;
  const answer = evaluateQuery(q.answerFrom, collected);
  const decider = deciderOf(answer, collected);
  // Check holds just after the deciding record (nothing counted: at the window's end).
  const reveal = decider ? after(decider) : at(w);
  const missed = answer === null || (kind !== 'choice' && kind !== 'set' && collected.length === 0 && !q.until) ? 'answer' : null;
  return { pause, reveal, answer, decider, collected, missed, autoPause: false, end: reveal };
}

function deciderOf(answer: ModelAnswer | null, collected: readonly TraceEvent[]): TraceEvent | null {
  if (!answer || answer.seq === null) return null;
  return collected.find((e) => e.seq === answer.seq) ?? null;
}
