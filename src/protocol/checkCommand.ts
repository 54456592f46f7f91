// The worker's door: every message is checked for its shape before the session reads it. The page
// sends well-formed commands, but `window.tdiFlowLab.command` lets any script send anything, and an
// internal error ("Cannot read properties of undefined") is not an answer. One field table per op,
// checked against the message map by `satisfies`: a new command without its table is a compile error.
// Meaning (a known driver, a valid fault, a seed in range) is checked by the session with the
// scenario's own validators (src/scenario/validate.ts); this only makes sure the fields are there.
// (A table, not zod: this runs in the worker's first load, which the embed budget counts.)
import type { Command, Commands } from './messages.ts';
import { isPresetName, PRESET_NAMES } from '../scenario/presets.ts';

type Kind = 'number' | 'index' | 'timeUs' | 'positive' | 'boolean' | 'string' | 'object' | 'source' | 'api' | 'any';
/** A field's kind; `?` after it: the field may be left out. */
type Field = Kind | `${Kind}?`;

const KINDS: Record<Kind, [test: (v: unknown) => boolean, says: string]> = {
  number: [(v) => typeof v === 'number', 'a number'],
  index: [(v) => Number.isSafeInteger(v) && (v as number) >= 0, 'a whole number, 0 or more'],
  timeUs: [(v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, 'a time in µs, 0 or more'],
  positive: [(v) => typeof v === 'number' && Number.isFinite(v) && v > 0, 'a number above 0'],
  boolean: [(v) => typeof v === 'boolean', 'true or false'],
  string: [(v) => typeof v === 'string', 'a string'],
  object: [(v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'an object'],
  // A load's source: a preset by its name, or a scenario (checked by the scenario's own validator).
  source: [
    (v) => {
      const s = v as { kind?: unknown; name?: unknown } | null;
      return typeof s === 'object' && s !== null && ((s.kind === 'preset' && typeof s.name === 'string' && isPresetName(s.name)) || (s.kind === 'json' && 'scenario' in s));
    },
    `{ kind: "preset", name: one of ${PRESET_NAMES.join(', ')} } or { kind: "json", scenario }`,
  ],
  // The kernel interface a run's clients use (W1–W6).
  api: [(v) => v === 'tdi' || v === 'wsk', '"tdi" or "wsk"'],
  any: [() => true, ''],
};

const FIELDS = {
  hello: { version: 'number' },
  // The seed, speed, fault and change are named by the session's own validators.
  load: { source: 'source', seed: 'any?', api: 'api?' },
  play: {},
  pause: {},
  step: {},
  runToEnd: {},
  reset: {},
  setSpeed: { speed: 'any' },
  injectFault: { driver: 'any', status: 'any', fatal: 'any', recoverAfterUs: 'any?' },
  changePolicy: { change: 'object' },
  inspect: { id: 'index', connection: 'index' },
  summary: { id: 'index' },
  frameDone: {},
  ping: {},
  setStreaming: { on: 'boolean' },
  seek: { timeUs: 'timeUs', events: 'index?' },
  stepBack: {},
  why: { id: 'index', seq: 'index' },
  export: { id: 'index', format: 'string', untilUs: 'timeUs?', intervalUs: 'positive?' },
  cancel: { id: 'index' },
  cancelSeek: {},
  cancelLoad: {},
  records: { id: 'index', fromRow: 'index', count: 'index' },
  // The filter's fields are the session's to name (rowFilterProblem).
  findRows: { id: 'index', beforeRow: 'index', limit: 'index', filter: 'object' },
  find: { id: 'index', match: 'object' },
  // The trigger's shape is the replay's to refuse (a failure answer naming it).
  lessonRun: { id: 'index', trigger: 'object', fromSeq: 'index', collect: 'object?', api: 'api?' },
} satisfies { [K in keyof Commands]: Record<Exclude<keyof Commands[K], 'op'>, Field> };

/** `path`: the problem is in a field (`inspect.connection: …`), as the scenario validators name theirs. */
export type CheckedCommand = { ok: true; command: Command } | { ok: false; problem: string; id?: number; path?: boolean };

/** The command, or one sentence naming the op and the field that is wrong (never throws). */
export function checkCommand(data: unknown): CheckedCommand {
  if (typeof data !== 'object' || data === null) return { ok: false, problem: 'a command must be an object with an op' };
  const raw = data as Record<string, unknown>;
  const reqId = Number.isSafeInteger(raw.id) ? { id: raw.id as number } : {};
  if (typeof raw.op !== 'string' || !Object.hasOwn(FIELDS, raw.op)) {
    return { ok: false, problem: `unknown command op ${JSON.stringify(raw.op) ?? String(raw.op)}`, ...reqId };
  }
  const fields: Record<string, Field> = FIELDS[raw.op as keyof Commands];
  for (const [name, field] of Object.entries(fields)) {
    const optional = field.endsWith('?');
    const [test, says] = KINDS[(optional ? field.slice(0, -1) : field) as Kind];
    const value = raw[name];
    if (value === undefined ? optional : test(value)) continue;
    return { ok: false, problem: `${raw.op}.${name}: ${value === undefined ? 'is missing' : `must be ${says}`}`, path: true, ...reqId };
  }
  return { ok: true, command: data as Command };
}
