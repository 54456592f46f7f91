// Lesson validation: the schema (shapes, ranges), the scenario (a preset name, or an inline scenario
// checked as a scenario file, its paths prefixed `scenario.`), then what a schema cannot say: record
// types and their fields, entity ids against the scenario's topology, a question's choices. Every
// problem is one line that starts with its JSON path, as scenario problems do (formats.md).
import * as z from 'zod/mini';
import { formatPath, MAX_PROBLEMS, escapeControl, parseJsonText, quote, validateScenario } from '../scenario/validate.ts';
import { isPresetName, loadPreset, PRESET_NAMES } from '../scenario/presets.ts';
import type { Scenario } from '../scenario/schema.ts';
import { buildTopology, type Topology } from '../model/topology.ts';
import { RECORD_TABLE } from '../trace/recordTable.ts';
import { STATUS_NAMES } from '../base/status.ts';
import {
  MAX_LESSON_CHARS,
  lessonSchema,
  recordTriggerSchema,
  timeTriggerSchema,
  type Lesson,
  type LessonStep,
  type Question,
  type RecordMatchSpec,
  type Trigger,
} from './schema.ts';
import { answerKind, queryMatch } from './query.ts';

export type LessonValidation = { ok: true; lesson: Lesson } | { ok: false; problems: string[] };

class Sink {
  readonly lines: string[] = [];
  extra = 0;
  add(path: readonly PropertyKey[] | string, message: string): void {
    const line = `${typeof path === 'string' ? path : formatPath(path)}: ${escapeControl(message)}`;
    if (this.lines.includes(line)) return;
    if (this.lines.length < MAX_PROBLEMS) this.lines.push(line);
    else this.extra++;
  }
  result(): string[] {
    return this.extra > 0 ? [...this.lines, `(root): and ${this.extra} more problems (only the first ${MAX_PROBLEMS} are listed)`] : this.lines;
  }
}

function zodIssues(r: z.core.util.SafeParseResult<unknown>, path: readonly PropertyKey[], sink: Sink): boolean {
  if (r.success) return true;
  for (const issue of r.error.issues) {
    const message =
      issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.slice(0, 10).map(quote).join(', ')}` : issue.message;
    sink.add([...path, ...issue.path], message);
  }
  return false;
}

/** Lesson text → a validated lesson: size cap, BOM, JSON syntax (line and column), then validateLesson. Never throws. */
export async function parseLessonText(text: string): Promise<LessonValidation> {
  if (text.length > MAX_LESSON_CHARS) return { ok: false, problems: [`(root): too large: a lesson may have at most ${MAX_LESSON_CHARS / 1024 / 1024} MiB`] };
  const j = parseJsonText(text);
  return j.ok ? validateLesson(j.json) : { ok: false, problems: j.problems.map((p) => p.replace('a scenario needs at most 5', 'a lesson needs at most 7')) };
}

/** Checks a lesson document (already parsed JSON). Never throws. */
export async function validateLesson(input: unknown): Promise<LessonValidation> {
  const sink = new Sink();
  const parsed = lessonSchema.safeParse(input);
  if (!parsed.success) {
    zodIssues(parsed, [], sink);
    return { ok: false, problems: sink.result() };
  }
  const doc = parsed.data;

  // The scenario: a preset by name, or a scenario file inline.
  let scenario: Scenario | null = null;
  let preset: string | undefined;
  if (typeof doc.scenario === 'string') {
    if (!isPresetName(doc.scenario)) sink.add(['scenario'], `there is no preset ${quote(doc.scenario)} (try ${PRESET_NAMES.join(', ')}), and an inline scenario is an object`);
    else {
      preset = doc.scenario;
      const v = validateScenario(await loadPreset(doc.scenario));
      if (v.ok) scenario = v.scenario;
      else sink.add(['scenario'], `preset ${doc.scenario} did not validate: ${v.problems[0] ?? ''}`);
    }
  } else if (typeof doc.scenario === 'object' && doc.scenario !== null && !Array.isArray(doc.scenario)) {
    const v = validateScenario(doc.scenario);
    if (v.ok) scenario = v.scenario;
    else for (const p of v.problems) sink.add(scenarioPath(p), p.slice(p.indexOf(': ') + 2));
  } else sink.add(['scenario'], 'must be a preset name or a scenario object (format "tdi-flow-lab/scenario@1")');

  // Each step's trigger, and a question's window end.
  const steps: LessonStep[] = [];
  doc.steps.forEach((s, i) => {
    const until = parseTrigger(s.until, ['steps', i, 'until'], sink, true);
    let question: Question | undefined;
    if (s.question) {
      const { until: qu, ...rest } = s.question;
      question = rest;
      if (qu !== undefined) {
        const t = parseTrigger(qu, ['steps', i, 'question', 'until'], sink, false);
        if (t && t.kind !== 'next') question = { ...rest, until: t };
      }
    }
    if (until) steps.push({ ...s, until, ...(question ? { question } : {}) } as LessonStep);
  });
  if (sink.lines.length > 0 || !scenario) return { ok: false, problems: sink.result() };

  const topo = buildTopology(scenario);
  const fields = recordFields(topo);
  steps.forEach((s, i) => checkStep(s, ['steps', i], scenario!, topo, fields, sink));
  if (sink.lines.length > 0) return { ok: false, problems: sink.result() };
  const lesson: Lesson = { format: doc.format, title: doc.title, summary: doc.summary, ...(doc.speed !== undefined ? { speed: doc.speed } : {}), ...(preset !== undefined ? { preset } : {}), scenario, steps };
  return { ok: true, lesson };
}

/** A trigger as written: "next" (a step's only), { record: … } or { atUs: … }; null (and problems named) when it is neither. */
function parseTrigger(u: unknown, path: PropertyKey[], sink: Sink, mayWait: boolean): Trigger | null {
  if (u === 'next' && mayWait) return { kind: 'next' };
  if (typeof u === 'object' && u !== null && !Array.isArray(u) && 'record' in u) {
    const r = recordTriggerSchema.safeParse(u);
    return zodIssues(r, path, sink) ? { kind: 'record', ...r.data! } : null;
  }
  if (typeof u === 'object' && u !== null && !Array.isArray(u) && 'atUs' in u) {
    const r = timeTriggerSchema.safeParse(u);
    return zodIssues(r, path, sink) ? { kind: 'time', atUs: r.data!.atUs } : null;
  }
  if (mayWait) sink.add(path, u === undefined ? 'is required: "next", { "record": … } or { "atUs": … }' : 'must be "next", { "record": { "type": … } } or { "atUs": µs }');
  else sink.add(path, 'must be { "record": { "type": … } } or { "atUs": µs }: where the answer\'s records end');
  return null;
}

/** Each record type's public fields, found by decoding one record with every flag bit set. */
function recordFields(topo: Topology): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const spec of Object.values(RECORD_TABLE)) {
    let fields: object = {};
    try {
      fields = spec.decode({ a: 0, b: 0, c: 0, d: 0, e: 0, f: -1 }, topo);
    } catch {
      // A topology without this kind of entity: its fields read as undefined rather than throw, but
      // should one throw, the record still has the keys every record has.
    }
    out.set(spec.name, new Set(['seq', 't', 'type', ...Object.keys(fields)]));
  }
  return out;
}

/** Fields whose values are ids of the scenario, and where to find them. */
function entityIds(topo: Topology, field: string): { what: string; ids: readonly string[] } | null {
  const transports = topo.transportNodes.map((n) => topo.nodeIds[n]!);
  switch (field) {
    case 'connection':
      return { what: 'connection', ids: topo.connectionIds };
    case 'address':
      return { what: 'address', ids: topo.addressIds };
    case 'client':
      return { what: 'client', ids: topo.clientIds };
    case 'driver':
      return { what: 'driver or transport', ids: topo.nodeIds };
    case 'nic':
      return { what: 'NIC', ids: topo.nodeIds.filter((_, i) => topo.nodeKinds[i] === 'nic') };
    case 'transport':
      return { what: 'transport', ids: transports };
    default:
      return null;
  }
}

function checkMatch(m: RecordMatchSpec, path: PropertyKey[], topo: Topology, fields: Map<string, Set<string>>, sink: Sink): Set<string> | null {
  const known = fields.get(m.type);
  if (!known) {
    sink.add([...path, 'type'], `${quote(m.type)} is not a record type (e.g. ${[...fields.keys()].slice(0, 5).join(', ')} …; formats.md § Trace)`);
    return null;
  }
  for (const [k, v] of Object.entries(m.where ?? {})) {
    const at = [...path, 'where', k];
    if (!known.has(k) || k === 'seq' || k === 'type') {
      sink.add(at, `${m.type} has no field ${quote(k)} (it has ${[...known].filter((f) => f !== 'seq' && f !== 'type').join(', ')})`);
      continue;
    }
    const ids = entityIds(topo, k);
    if (ids && (typeof v !== 'string' || !ids.ids.includes(v))) sink.add(at, `unknown ${ids.what} ${quote(String(v))} (this scenario has ${ids.ids.slice(0, 12).join(', ')})`);
    if (k === 'status' && (typeof v !== 'string' || !(STATUS_NAMES as readonly string[]).includes(v))) sink.add(at, `${quote(String(v))} is not a known NTSTATUS name`);
  }
  return known;
}

function checkStep(s: LessonStep, path: PropertyKey[], scenario: Scenario, topo: Topology, fields: Map<string, Set<string>>, sink: Sink): void {
  const all = new Set([...topo.nodeIds, ...topo.clientIds, ...topo.addressIds, ...topo.connectionIds]);
  s.focus?.forEach((id, j) => {
    if (!all.has(id)) sink.add([...path, 'focus', j], `unknown entity ${quote(id)}: focus names clients, addresses, connections, drivers or transports of the scenario`);
  });
  const u = s.until;
  checkTrigger(u, [...path, 'until'], scenario, topo, fields, sink);
  if (s.question) checkQuestion(s.question, [...path, 'question'], u, topo, fields, sink);
  if (s.question?.until) {
    checkTrigger(s.question.until, [...path, 'question', 'until'], scenario, topo, fields, sink);
    if (!(u.kind === 'record' && u.before)) {
      sink.add([...path, 'question', 'until'], 'only a step that pauses "before" a record has this: otherwise the step\'s own until ends the answer\'s records');
    }
  }
}

function checkTrigger(u: Trigger, path: PropertyKey[], scenario: Scenario, topo: Topology, fields: Map<string, Set<string>>, sink: Sink): void {
  if (u.kind === 'record') checkMatch(u.record, [...path, 'record'], topo, fields, sink);
  if (u.kind === 'time' && u.atUs > scenario.durationUs) sink.add([...path, 'atUs'], `${u.atUs} µs is after the scenario ends (${scenario.durationUs} µs)`);
}

function checkQuestion(q: Question, path: PropertyKey[], until: Trigger, topo: Topology, fields: Map<string, Set<string>>, sink: Sink): void {
  if (until.kind === 'next') sink.add([...path.slice(0, -1), 'until'], 'a step with a question must run the model ({ "record": … } or { "atUs": … }), not wait for "next": the answer is what the model then does');
  const key = Object.keys(q.answerFrom).find((k) => k !== 'field')!;
  const known = checkMatch(queryMatch(q.answerFrom), [...path, 'answerFrom', key], topo, fields, sink);
  const field = 'field' in q.answerFrom ? q.answerFrom.field : null;
  if (known && field !== null && (!known.has(field) || field === 'type')) {
    sink.add([...path, 'answerFrom', 'field'], `${queryMatch(q.answerFrom).type} has no field ${quote(field)} (it has ${[...known].filter((f) => f !== 'type').join(', ')})`);
  }
  const kind = answerKind(q.answerFrom);
  if (kind === 'number') {
    if (q.choices) sink.add([...path, 'choices'], 'a number question ({ value | sum | count }) has no choices: the student types the number');
    return;
  }
  if (!q.choices) {
    sink.add([...path, 'choices'], `a ${kind === 'choice' ? '"first"' : '"set"'} question needs choices to pick from`);
    return;
  }
  const ids = field ? entityIds(topo, field) : null;
  const seen = new Set<string>();
  q.choices.forEach((c, j) => {
    if (seen.has(c)) sink.add([...path, 'choices', j], `${quote(c)} is listed twice`);
    seen.add(c);
    if (ids && !ids.ids.includes(c)) sink.add([...path, 'choices', j], `unknown ${ids.what} ${quote(c)} (this scenario has ${ids.ids.slice(0, 12).join(', ')})`);
  });
}

/** A scenario problem's path, inside the lesson: `(root)` → `scenario`, `seed` → `scenario.seed`. */
function scenarioPath(problem: string): string {
  const path = problem.slice(0, problem.indexOf(': '));
  return path === '(root)' ? 'scenario' : `scenario.${path}`;
}

