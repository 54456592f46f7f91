// The lesson recorder's model (#15): a lesson being recorded, as the author has it — steps captured at
// moments of the run, titles and narration as typed (possibly empty or too long: the validator and
// the checker name what is wrong, nothing is dropped), questions as picked kinds and fields. Every
// function returns a new draft; undo keeps the old ones (the editor's history: app/editor/model.ts).
import type { TraceEvent } from '../../src/trace/names.ts';
import type { Api } from '../../src/model/state.ts';
import { LESSON_FORMAT } from '../../src/lesson/schema.ts';
import { buildQuestion, stepTrigger, type QuestionSpec } from '../../src/lesson/build.ts';

/** Where the author pressed "Add step here": the state with `events` records, and what comes next. */
export interface Capture {
  events: number;
  timeUs: number;
  /** The record that follows the moment (the step pauses just before it), with its count from the start. */
  next: { record: TraceEvent; nth: number } | null;
  /** The record kinds that happen after the moment, each with its first record (a question's answer). */
  kinds: { type: string; first: TraceEvent }[];
  /** The next record in words. */
  nextSentence: string;
  /** The kernel interface the run on screen went through (a step runs under it: steps[].api). */
  api: Api;
}

export interface RecStep {
  /** A stable key for the list (not saved). */
  key: number;
  title: string;
  narration: string;
  explain: string;
  focus: string[];
  capture: Capture | null;
  /** A template step's own trigger and question (kept as they are until captured again). */
  template?: { until: unknown; question?: unknown };
  /** A template step's own `api`, kept as it was written. */
  templateApi?: unknown;
  question: QuestionSpec | null;
}

export interface RecDraft {
  title: string;
  summary: string;
  /** A preset name or a whole scenario, as the lesson file has it. */
  scenario: unknown;
  steps: RecStep[];
}

let nextKey = 1;
export const newKey = (): number => nextKey++;

export function blankLesson(scenario: unknown, title = 'New lesson'): RecDraft {
  return { title, summary: '', scenario, steps: [] };
}

export function newStep(capture: Capture, focus: string[]): RecStep {
  return { key: newKey(), title: '', narration: '', explain: '', focus, capture, question: null };
}

export function addStep(d: RecDraft, step: RecStep, at = d.steps.length): RecDraft {
  const steps = d.steps.slice();
  steps.splice(at, 0, step);
  return { ...d, steps };
}

export function updateStep(d: RecDraft, key: number, patch: Partial<Omit<RecStep, 'key'>>): RecDraft {
  return { ...d, steps: d.steps.map((s) => (s.key === key ? { ...s, ...patch } : s)) };
}

export function deleteStep(d: RecDraft, key: number): RecDraft {
  return { ...d, steps: d.steps.filter((s) => s.key !== key) };
}

/** The step one place earlier (-1) or later (+1); at an end, the draft as it is. */
export function moveStep(d: RecDraft, key: number, by: -1 | 1): RecDraft {
  const i = d.steps.findIndex((s) => s.key === key);
  const j = i + by;
  if (i < 0 || j < 0 || j >= d.steps.length) return d;
  const steps = d.steps.slice();
  [steps[i], steps[j]] = [steps[j]!, steps[i]!];
  return { ...d, steps };
}

/** The lesson file's step: a captured step's trigger and question built from the picks (src/lesson/build.ts). */
export function stepDoc(s: RecStep): Record<string, unknown> {
  const asks = s.question !== null || (s.capture === null && s.template?.question !== undefined);
  const until = s.capture ? stepTrigger(s.capture.events, s.capture.timeUs, s.capture.next, s.question !== null) : (s.template?.until ?? 'next');
  const question = s.question ? buildQuestion(s.question) : s.capture === null ? s.template?.question : undefined;
  return {
    title: s.title,
    narration: s.narration,
    ...(s.focus.length > 0 ? { focus: s.focus } : {}),
    until,
    ...(asks && question !== undefined ? { question } : {}),
    ...(s.explain.trim() !== '' ? { explain: s.explain } : {}),
  };
}

/** The lesson file as it would be saved (valid or not: the validator says). */
export function lessonDoc(d: RecDraft): Record<string, unknown> {
  // A step without `api` runs through the one before it (TDI first): a captured step names its run's
  // API only where it changes; a template step keeps what it said.
  let api: unknown = 'tdi';
  const steps = d.steps.map((s) => {
    const own = s.capture ? (s.capture.api !== api ? s.capture.api : undefined) : s.templateApi;
    if (own !== undefined) api = own;
    return own !== undefined ? { api: own, ...stepDoc(s) } : stepDoc(s);
  });
  return { format: LESSON_FORMAT, title: d.title, summary: d.summary, scenario: d.scenario, steps };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A lesson file (a built-in one) as a draft to record over: its steps keep their triggers and questions. */
export function draftFromDoc(doc: unknown): RecDraft {
  const o = isObj(doc) ? doc : {};
  const steps = Array.isArray(o.steps) ? o.steps.filter(isObj) : [];
  return {
    title: text(o.title),
    summary: text(o.summary),
    scenario: o.scenario,
    steps: steps.map((s) => ({
      key: newKey(),
      title: text(s.title),
      narration: text(s.narration),
      explain: text(s.explain),
      focus: Array.isArray(s.focus) ? s.focus.filter((f): f is string => typeof f === 'string') : [],
      capture: null,
      template: { until: s.until, ...(s.question !== undefined ? { question: s.question } : {}) },
      ...(s.api !== undefined ? { templateApi: s.api } : {}),
      question: null,
    })),
  };
}

/** Validation problems (`steps[2].title: …`) beside their step; the rest are the lesson's own. */
export function splitProblems(problems: readonly string[], steps: number): { lesson: string[]; byStep: string[][] } {
  const byStep: string[][] = Array.from({ length: steps }, () => []);
  const lesson: string[] = [];
  for (const p of problems) {
    const m = /^steps\[(\d+)\]\.?(.*)$/s.exec(p);
    const i = m ? Number(m[1]) : -1;
    if (m && i < steps) byStep[i]!.push(m[2]!);
    else lesson.push(p);
  }
  return { lesson, byStep };
}

/** A file name for the saved lesson: its title in lower case and dashes. */
export function lessonFileName(d: RecDraft): string {
  const slug = d.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
  return `${slug || 'lesson'}.lesson.json`;
}
