// The lesson file (docs/lessons.md): a scenario and the steps a teacher walks a class through. Field
// names are a contract. A step's `until` says how far the model runs before the step is shown paused;
// a question's `answerFrom` is a query over the trace the model then writes — never an answer key.
// zod/mini, as the scenario schema (src/scenario/schema.ts), which also sets its English messages.
import * as z from 'zod/mini';
import '../scenario/schema.ts';

export const LESSON_FORMAT = 'tdi-flow-lab/lesson@1';

/** The most text a lesson file may have (an inline scenario included), in UTF-16 code units. */
export const MAX_LESSON_CHARS = 1024 * 1024;
export const MAX_STEPS = 60;
export const MAX_NARRATION_CHARS = 2000;

const text = (max: number) => z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(max, `must be at most ${max} characters`));

/** A record of one type whose public fields equal these values (src/trace/match.ts RecordMatch). */
export const matchSchema = z.strictObject({
  type: z.string().check(z.minLength(1, 'must name a record type')),
  where: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()], 'must be a string, a number or true/false'))),
});

/**
 * Runs the model until the nth record matching (counted from the previous step's moment, or the
 * start); `before`: stops just before that record (it and what follows are not shown yet).
 */
export const recordTriggerSchema = z.strictObject({
  record: matchSchema,
  nth: z._default(z.int('must be a whole number').check(z.minimum(1, 'must be at least 1'), z.maximum(100_000, 'must be at most 100000')), 1),
  from: z._default(z.enum(['previous', 'start'], 'must be "previous" (the previous step\'s moment) or "start"'), 'previous'),
  before: z._default(z.boolean('must be true or false'), false),
});
/** Runs the model to this simulated time. */
export const timeTriggerSchema = z.strictObject({ atUs: z.int('must be a whole number of microseconds').check(z.minimum(0, 'must not be negative')) });

const fieldName = z.string().check(z.minLength(1));

/** Where an answer comes from: a query over the records between the step's start and its moment. */
export const querySchema = z.union(
  [
    // The field of the first record matching (a choice: "Which connection is called first?").
    z.strictObject({ first: matchSchema, field: fieldName }),
    // The distinct values of the field over every record matching (choices: "Which addresses hear …?").
    z.strictObject({ set: matchSchema, field: fieldName }),
    // A number: the field of the first record matching, the sum of the field, or how many match.
    z.strictObject({ value: matchSchema, field: fieldName }),
    z.strictObject({ sum: matchSchema, field: fieldName }),
    z.strictObject({ count: matchSchema }),
  ],
  'must be one of { first, field }, { set, field }, { value, field }, { sum, field } or { count }',
);

export const questionSchema = z.strictObject({
  ask: text(300),
  /** For `first` and `set`: what the student picks from (entity ids, status names …). */
  choices: z.optional(z.array(text(64)).check(z.minLength(2, 'needs at least two choices'), z.maxLength(24, 'at most 24 choices'))),
  answerFrom: querySchema,
  /** For a number: its unit, as shown beside the box ("bytes"). */
  unit: z.optional(z.string().check(z.maxLength(24))),
  /**
   * With a step that pauses `before` a record: where the answer's records end (a record trigger
   * counted from the pause, or a time). Default: the first match for first/value, the end of the
   * first match's instant for set/count/sum.
   */
  until: z.optional(z.unknown()),
});

export const stepSchema = z.strictObject({
  title: text(120),
  narration: text(MAX_NARRATION_CHARS),
  focus: z.optional(z.array(z.string().check(z.minLength(1))).check(z.maxLength(32, 'at most 32 entities'))),
  /** `"next"`: the model stays where it is until the user presses Next. */
  until: z.unknown(),
  question: z.optional(questionSchema),
  /** Shown after the model ran (and after the reveal, for a question): why it happened. */
  explain: z.optional(text(MAX_NARRATION_CHARS)),
  /**
   * The kernel interface this step's run uses (#20): "tdi" or "wsk". Absent: the previous step's (the
   * first step's: "tdi"). A step whose API differs from the previous step's starts the run again at 0 µs.
   */
  api: z.optional(z.enum(['tdi', 'wsk'], 'must be "tdi" or "wsk" (the kernel interface the step runs through)')),
});

export const lessonSchema = z.strictObject({
  format: z.literal(LESSON_FORMAT, `must be "${LESSON_FORMAT}"`),
  title: text(120),
  summary: text(600),
  /** A preset name or an inline scenario (validated as a scenario file, paths prefixed `scenario.`). */
  scenario: z.unknown(),
  /** Simulated time per real time while a step runs to its moment (default 0.0005). */
  speed: z.optional(z.number().check(z.gt(0, 'must be above 0'), z.maximum(1000, 'must be at most 1000'))),
  steps: z.array(stepSchema).check(z.minLength(1, 'needs at least one step'), z.maxLength(MAX_STEPS, `at most ${MAX_STEPS} steps`)),
});

export type RecordMatchSpec = z.output<typeof matchSchema>;
export type RecordTrigger = z.output<typeof recordTriggerSchema>;
export type Trigger = ({ kind: 'record' } & RecordTrigger) | { kind: 'time'; atUs: number } | { kind: 'next' };
export type Query = z.output<typeof querySchema>;
/** A trigger that runs the model (a question's window end: never "next"). */
export type RunningTrigger = Exclude<Trigger, { kind: 'next' }>;
export type Question = Omit<z.output<typeof questionSchema>, 'until'> & { until?: RunningTrigger };
export type LessonStep = Omit<z.output<typeof stepSchema>, 'until' | 'question'> & { until: Trigger; question?: Question };
export type Lesson = Omit<z.output<typeof lessonSchema>, 'scenario' | 'steps'> & {
  /** The preset it names, if any. */
  preset?: string;
  /** The scenario, validated (defaults filled in). */
  scenario: import('../scenario/schema.ts').Scenario;
  steps: LessonStep[];
};
