// The embed protocol: what a host page and an embedded TDI Flow Lab (embed.html in an iframe) say to
// each other through window.postMessage. Like the worker protocol (messages.ts) it is one message
// map per direction keyed by `op`, with every union derived from the maps; unlike the worker, the
// other side is a stranger's page, so every incoming message is checked against a zod schema built
// from the same map before anything reads it (`parseEmbedCommand`). docs/embedding.md is its manual.
//
// zod/mini (the tree-shakable build) keeps the embed's first load small; the schemas are the same.
import * as z from 'zod/mini';
import { PRESET_NAMES, type PresetName } from '../scenario/presets.ts';
import { STATUS_NAMES, type StatusName } from '../base/status.ts';
import { RECORD_TABLE } from '../trace/recordTable.ts';
import type { TraceEvent } from '../trace/names.ts';
import type { Summary } from '../trace/summary.ts';
import type { RecordMatch } from '../trace/match.ts';
import { LESSON_NAMES, type LessonName } from '../lesson/builtins.ts';

export { recordMatches, describeMatch, type RecordMatch } from '../trace/match.ts';

// 1: the first version (load … subscribe, find).
// 2: guided lessons (#8): the lesson… commands, lessonStep and lessonAnswer events, `lesson` in the
//    state, `problems` on a failed reply. Every version-1 message means what it did: a version-1 host
//    keeps working and never hears the new events unless it opens a lesson.
export const EMBED_PROTOCOL_VERSION = 2;
/** Every message of this protocol carries `protocol: EMBED_PROTOCOL` (other pages' messages lack it). */
export const EMBED_PROTOCOL = 'tdi-flow-lab';

/** The public record type names (formats.md § Trace): `send.complete`, `callback.sendPossible` … */
export const RECORD_TYPE_NAMES: readonly string[] = Object.values(RECORD_TABLE).map((r) => r.name);

/** The speeds the simulation runs at (simulated time per real time): the worker's own bounds. */
export const MIN_SPEED = 0.000001;
export const MAX_SPEED = 1000;

/** The most of a stranger's text a problem quotes (an unknown op of 1 MB is not echoed whole). */
const QUOTE_CHARS = 60;
function quote(v: unknown): string {
  const text = typeof v === 'string' ? v : String(JSON.stringify(v));
  return text.length > QUOTE_CHARS ? `${JSON.stringify(text.slice(0, QUOTE_CHARS))}… (${text.length} characters)` : JSON.stringify(v) ?? String(v);
}

/** Keys that would name an object's prototype, not a record field: refused, never silently dropped. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

export const EXPORT_FORMATS = ['jsonl', 'chrome-trace', 'csv', 'summary', 'svg', 'png'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

type Empty = Record<never, never>;

/** Host → embed. Every command may carry an `id`: the embed then answers with `reply` and that id. */
export interface EmbedCommands {
  /** A preset by name, or a scenario object (the scenario file format). */
  load: { preset?: PresetName; scenario?: unknown; seed?: number };
  play: Empty;
  pause: Empty;
  /** One visible event forward. */
  step: Empty;
  /** Back to just after the previous visible event. */
  stepBack: Empty;
  /** To a time (µs), or to the first record matching `first` (the state just after it). */
  seek: { timeUs?: number; first?: RecordMatch };
  setSpeed: { speed: number };
  injectFault: { driver: string; status: StatusName; fatal?: boolean; recoverAfterUs?: number };
  getState: Empty;
  /** jsonl, chrome-trace, csv and summary come from the worker's exporters (the command line's). */
  export: { format: ExportFormat };
  /** `record` events for every record matching; `state` events (rate-limited) when `state: true`. */
  subscribe: { records?: RecordMatch; state?: boolean };
  unsubscribe: { subscription: number };
  /** The first record of the current run matching, searched from the start. */
  find: { first: RecordMatch };
  /** Opens a guided lesson: a built-in by name, or a lesson document (docs/lessons.md). */
  lesson: { name?: LessonName; lesson?: unknown };
  /** The lesson's Next: asking → runs without a prediction; running → skips to the moment; else the next step. */
  lessonNext: Empty;
  /** The previous step, back in time to its moment. */
  lessonBack: Empty;
  lessonRestart: Empty;
  /** A prediction for the question asked now: a choice, a set of choices, or a number. */
  lessonAnswer: { answer: string | string[] | number };
  /** Closes the lesson panel (the scenario stays). */
  lessonExit: Empty;
}

/** Where a lesson is, as the host hears it. `index` counts from 0. */
export interface EmbedLessonStatus {
  /** The built-in's name, or null for a document. */
  name: string | null;
  title: string;
  index: number;
  total: number;
  stepTitle: string;
  /** asking: a question waits; running: the model runs to the moment; paused: the moment shows; done: past the last step. */
  phase: 'loading' | 'asking' | 'running' | 'paused' | 'done';
}

/** What the embed tells the host. */
export interface EmbedState {
  timeUs: number;
  durationUs: number;
  playing: boolean;
  finished: boolean;
  speed: number;
  /** Trace records so far. */
  events: number;
  /** Lost races so far, all connections. */
  lostRaces: number;
  preset: PresetName | null;
  title: string | null;
  theme: 'light' | 'dark';
  /** The lesson open in the embed (protocol 2), or null. */
  lesson: EmbedLessonStatus | null;
}

/** What each command's reply carries. */
export interface EmbedResults {
  load: { title: string; durationUs: number };
  play: Empty;
  pause: Empty;
  step: EmbedState;
  stepBack: EmbedState;
  seek: EmbedState;
  setSpeed: Empty;
  injectFault: Empty;
  getState: EmbedState;
  export: { format: ExportFormat; fileName: string; mime: string; text: string };
  subscribe: { subscription: number };
  unsubscribe: Empty;
  find: { record: TraceEvent | null };
  lesson: EmbedLessonStatus;
  lessonNext: EmbedLessonStatus;
  lessonBack: EmbedLessonStatus;
  lessonRestart: EmbedLessonStatus;
  lessonAnswer: EmbedLessonAnswer;
  lessonExit: Empty;
}

/** A question's reveal: the student's answer checked against what the model did. */
export interface EmbedLessonAnswer {
  index: number;
  /** False when the student ran the step without predicting. */
  predicted: boolean;
  right: boolean;
  /** The model's answer in words ("B1", "1,460 B" …). */
  model: string;
}

/** Embed → host. */
export interface EmbedEvents {
  ready: { version: number; notices: string[] };
  loaded: { title: string; preset: PresetName | null; durationUs: number };
  state: EmbedState;
  record: { subscription: number; record: TraceEvent };
  finished: EmbedState;
  /** The same message the embed shows (a bad scenario, a worker failure, a refused command). */
  error: { message: string; problems?: string[] };
  /** A lesson reached a step or a phase of it that waits for the student (asking, paused, done). */
  lessonStep: EmbedLessonStatus;
  /** A question was answered (or run without a prediction) and checked against the model. */
  lessonAnswer: EmbedLessonAnswer;
  /** `superseded`: a later command moved the time before this request's moment showed (it was carried out, then overtaken). */
  reply: { id: number | string } & ({ ok: true; result: unknown } | { ok: false; error: string; problems?: string[]; superseded?: boolean });
}

type WithId = { id?: number | string };
export type EmbedCommand = { [K in keyof EmbedCommands]: { protocol: typeof EMBED_PROTOCOL; op: K } & WithId & EmbedCommands[K] }[keyof EmbedCommands];
export type EmbedEvent = { [K in keyof EmbedEvents]: { protocol: typeof EMBED_PROTOCOL; op: K } & EmbedEvents[K] }[keyof EmbedEvents];
export type EmbedCommandOf<K extends keyof EmbedCommands> = Extract<EmbedCommand, { op: K }>;
export type EmbedEventOf<K extends keyof EmbedEvents> = Extract<EmbedEvent, { op: K }>;

/** Commands a page allowed only by `*` may send: they read, they change nothing. */
export const READ_ONLY_OPS = { getState: true, subscribe: true, unsubscribe: true, find: true } as const satisfies Partial<Record<keyof EmbedCommands, true>>;
export function isReadOnly(op: keyof EmbedCommands): boolean {
  return Object.hasOwn(READ_ONLY_OPS, op);
}

// ---- schemas: one per command, checked against the map by `satisfies` ----

const finite = z.number().check(z.refine(Number.isFinite, 'must be a finite number'));
const timeUs = z.number().check(z.refine((n) => Number.isFinite(n) && n >= 0, 'must be a time in µs, 0 or more'));
const recordMatch = z.strictObject({
  type: z.enum(RECORD_TYPE_NAMES as [string, ...string[]], 'is not a record type (see formats.md § Trace)'),
  where: z.optional(z.record(z.string(), z.union([z.string(), finite, z.boolean()]))),
});
const EMPTY = {};

const PAYLOADS = {
  load: {
    preset: z.optional(z.enum(PRESET_NAMES, `is not a preset (${PRESET_NAMES.join(', ')})`)),
    scenario: z.optional(z.unknown()),
    seed: z.optional(z.int().check(z.minimum(0), z.maximum(0xffffffff))),
  },
  play: EMPTY,
  pause: EMPTY,
  step: EMPTY,
  stepBack: EMPTY,
  seek: { timeUs: z.optional(timeUs), first: z.optional(recordMatch) },
  setSpeed: { speed: z.number().check(z.refine((n) => n >= MIN_SPEED && n <= MAX_SPEED, `must be from ${MIN_SPEED.toFixed(6)} to ${MAX_SPEED} (simulated time per real time)`)) },
  injectFault: {
    driver: z.string().check(z.minLength(1), z.maxLength(64)),
    status: z.enum(STATUS_NAMES as [StatusName, ...StatusName[]], 'is not a known NTSTATUS name'),
    fatal: z.optional(z.boolean()),
    recoverAfterUs: z.optional(timeUs),
  },
  getState: EMPTY,
  export: { format: z.enum(EXPORT_FORMATS, `must be one of ${EXPORT_FORMATS.join(', ')}`) },
  subscribe: { records: z.optional(recordMatch), state: z.optional(z.boolean()) },
  unsubscribe: { subscription: z.int() },
  find: { first: recordMatch },
  lesson: {
    name: z.optional(z.enum(LESSON_NAMES, `is not a built-in lesson (${LESSON_NAMES.join(', ')})`)),
    // Checked by the lesson validator (its problems name JSON paths), as a file would be.
    lesson: z.optional(z.unknown()),
  },
  lessonNext: EMPTY,
  lessonBack: EMPTY,
  lessonRestart: EMPTY,
  lessonAnswer: {
    answer: z.union(
      [
        z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(200, 'must be at most 200 characters')),
        z.array(z.string().check(z.maxLength(200, 'must be at most 200 characters'))).check(z.maxLength(64, 'must have at most 64 choices')),
        finite,
      ],
      'must be a choice (text), a set of choices (an array of text) or a number',
    ),
  },
  lessonExit: EMPTY,
} satisfies { [K in keyof EmbedCommands]: z.core.$ZodLooseShape };

const envelope = { protocol: z.literal(EMBED_PROTOCOL), id: z.optional(z.union([z.int(), z.string().check(z.maxLength(128))])) };
const SCHEMA = z.discriminatedUnion(
  'op',
  (Object.keys(PAYLOADS) as (keyof EmbedCommands)[]).map((op) => z.strictObject({ ...envelope, op: z.literal(op), ...PAYLOADS[op] })) as unknown as [
    z.ZodMiniObject,
    ...z.ZodMiniObject[],
  ],
);

export type ParsedCommand = { ok: true; command: EmbedCommand } | { ok: false; problem: string; id?: number | string };

/** Checks a message from a host: the command, or what is wrong with it (never throws). */
export function parseEmbedCommand(data: unknown): ParsedCommand {
  if (typeof data !== 'object' || data === null || (data as { protocol?: unknown }).protocol !== EMBED_PROTOCOL) {
    return { ok: false, problem: `not a ${EMBED_PROTOCOL} message (it needs protocol: "${EMBED_PROTOCOL}")` };
  }
  const raw = data as { op?: unknown; id?: unknown };
  const id = typeof raw.id === 'number' || typeof raw.id === 'string' ? { id: raw.id } : {};
  if (typeof raw.op !== 'string' || !Object.hasOwn(PAYLOADS, raw.op)) {
    return { ok: false, problem: `unknown op ${quote(raw.op)} (known: ${Object.keys(PAYLOADS).join(', ')})`, ...id };
  }
  // A `where` key such as __proto__ is dropped by the schema (the condition would silently vanish): named here.
  for (const field of ['first', 'records'] as const) {
    const where = ((data as Record<string, unknown>)[field] as { where?: unknown } | undefined)?.where;
    if (typeof where !== 'object' || where === null) continue;
    const bad = Object.keys(where).filter((k) => PROTOTYPE_KEYS.includes(k));
    if (bad.length > 0) return { ok: false, problem: `${raw.op}: ${field}.where.${bad[0]} is not a record field (${bad.map((k) => `"${k}"`).join(', ')} may not be used as a field name)`, ...id };
  }
  const r = SCHEMA.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'the message';
    return { ok: false, problem: `${raw.op}: ${where} ${issue.message}`, ...id };
  }
  const cmd = r.data as unknown as EmbedCommand;
  if (cmd.op === 'seek' && (cmd.timeUs === undefined) === (cmd.first === undefined)) {
    return { ok: false, problem: 'seek: give either timeUs or first', ...id };
  }
  if (cmd.op === 'load' && (cmd.preset === undefined) === (cmd.scenario === undefined)) {
    return { ok: false, problem: 'load: give either preset or scenario', ...id };
  }
  if (cmd.op === 'lesson' && (cmd.name === undefined) === (cmd.lesson === undefined)) {
    return { ok: false, problem: 'lesson: give either name (a built-in lesson) or lesson (a lesson document)', ...id };
  }
  return { ok: true, command: cmd };
}

export function embedEvent<K extends keyof EmbedEvents>(op: K, payload: EmbedEvents[K]): EmbedEventOf<K> {
  return { protocol: EMBED_PROTOCOL, op, ...payload } as unknown as EmbedEventOf<K>;
}

export type { Summary };
