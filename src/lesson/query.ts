// Predict, then run: a question's answer is computed from the trace the model wrote between the step's
// start and its moment, by the query the lesson names (docs/lessons.md § Questions) — never typed in.
// Pure: it reads decoded trace records, oldest first.
import { recordMatches, type RecordMatch } from '../trace/match.ts';
import { fieldOf, type TraceEvent } from '../trace/names.ts';
import type { Query } from './schema.ts';

export type AnswerKind = 'choice' | 'set' | 'number';

/**
 * What the model did: the answer and the record that decided it (its moment and why-chain): the
 * first match for first/value, the last record counted for set/count/sum (the reveal holds there).
 */
export type ModelAnswer =
  | { kind: 'choice'; value: string; seq: number; t: number }
  | { kind: 'set'; values: string[]; seq: number; t: number }
  | { kind: 'number'; value: number; seq: number | null; t: number | null };

/** What a student answered. */
export type StudentAnswer = { kind: 'choice'; value: string } | { kind: 'set'; values: string[] } | { kind: 'number'; value: number };

export function answerKind(q: Query): AnswerKind {
  if ('first' in q) return 'choice';
  if ('set' in q) return 'set';
  return 'number';
}

/** The record match a query reads (the worker collects only these). */
export function queryMatch(q: Query): RecordMatch {
  const m = 'first' in q ? q.first : 'set' in q ? q.set : 'value' in q ? q.value : 'sum' in q ? q.sum : q.count;
  return m.where ? { type: m.type, where: m.where } : { type: m.type };
}

const asText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * The model's answer over `events` (only those matching are read, so a caller may pass just them).
 * Null when the records it needs never happened (a `first`, `set` or `value` with no match).
 */
export function evaluateQuery(q: Query, events: readonly TraceEvent[]): ModelAnswer | null {
  const m = queryMatch(q);
  const hits = events.filter((e) => recordMatches(m, e));
  if ('count' in q) {
    const last = hits[hits.length - 1];
    return { kind: 'number', value: hits.length, seq: last?.seq ?? null, t: last?.t ?? null };
  }
  const field = q.field;
  const withField = hits.filter((e) => fieldOf(e, field) !== undefined);
  const first = withField[0];
  if ('first' in q) return first ? { kind: 'choice', value: asText(fieldOf(first, field)), seq: first.seq, t: first.t } : null;
  if ('set' in q) {
    if (!first) return null;
    const values = [...new Set(withField.map((e) => asText(fieldOf(e, field))))].sort();
    const last = withField[withField.length - 1]!;
    return { kind: 'set', values, seq: last.seq, t: last.t };
  }
  if ('value' in q) {
    if (!first) return null;
    const v = fieldOf(first, field);
    return typeof v === 'number' ? { kind: 'number', value: v, seq: first.seq, t: first.t } : null;
  }
  let sum = 0;
  let last: TraceEvent | undefined;
  for (const e of withField) {
    const v = fieldOf(e, field);
    if (typeof v === 'number') {
      sum += v;
      last = e;
    }
  }
  return { kind: 'number', value: sum, seq: last?.seq ?? null, t: last?.t ?? null };
}

/** Whether the student's answer is the model's. */
export function isRight(student: StudentAnswer, model: ModelAnswer | null): boolean {
  if (!model || student.kind !== model.kind) return false;
  if (student.kind === 'set' && model.kind === 'set') {
    const a = new Set(student.values);
    return a.size === model.values.length && model.values.every((v) => a.has(v));
  }
  return (student as { value: unknown }).value === (model as { value: unknown }).value;
}

/** The model's answer in words ("B1"; "A-0, B-1"; "2,048 bytes"). */
export function answerText(a: ModelAnswer | null, unit?: string): string {
  if (!a) return 'nothing: the records it asks about never happened';
  if (a.kind === 'choice') return a.value;
  if (a.kind === 'set') return a.values.join(', ');
  return `${a.value.toLocaleString('en-US')}${unit ? ` ${unit}` : ''}`;
}
