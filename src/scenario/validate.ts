// Validation: the schema (shapes, ranges) and then the cross-references a schema cannot express.
// Every problem is one line that starts with the JSON path (formats.md: `connections[1].nic: ...`).
// Bad input is bounded (formats.md § Validation): the text's size and nesting (jsonText.ts), the
// problems listed (MAX_PROBLEMS, then "and N more") and the work done to count them.
import * as z from 'zod/mini';
import { faultSchema, policyChangeSchema, scenarioSchema, seedSchema, type FaultSpec, type PolicyChange, type Scenario, type TransportSpec } from './schema.ts';
import { reachableFrom } from './graph.ts';
import { MAX_PROBLEMS, escapeControl, parseJsonText, quote } from './jsonText.ts';
import { fastConnection } from './fastConnections.ts';

export { MAX_ECHO_CHARS, MAX_JSON_DEPTH, MAX_PROBLEMS, MAX_SCENARIO_CHARS, escapeControl, jsonErrorAt, parseJsonText, quote } from './jsonText.ts';

export type Validation = { ok: true; scenario: Scenario } | { ok: false; problems: string[] };

/** Problems counted, at most, before checking stops ("and at least N more"): counting has a cost too. */
export const MAX_PROBLEMS_COUNTED = 10_000;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? escapeControl(String(p)) : `.${escapeControl(String(p))}`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * Parses scenario text and validates it. A leading UTF-8 byte order mark is accepted; text over
 * MAX_SCENARIO_CHARS or nested over MAX_JSON_DEPTH is rejected; a syntax error is reported with its
 * line and column. Never throws.
 */
export function parseScenarioText(text: string): Validation {
  const j = parseJsonText(text);
  return j.ok ? validateScenario(j.json) : j;
}

/** Thrown by Problems when it has counted enough. */
class Enough {}

/** The problems found so far: the first MAX_PROBLEMS listed (without repeats), the rest counted. */
class Problems {
  private readonly listed = new Set<string>();
  private readonly extra = new Set<string>();
  stopped = false;
  add(line: string): void {
    if (this.listed.has(line) || this.extra.has(line)) return;
    if (this.listed.size < MAX_PROBLEMS) {
      this.listed.add(line);
      return;
    }
    this.extra.add(line);
    if (this.listed.size + this.extra.size >= MAX_PROBLEMS_COUNTED) {
      this.stopped = true;
      throw new Enough();
    }
  }
  get empty(): boolean {
    return this.listed.size === 0;
  }
  lines(): string[] {
    const out = [...this.listed];
    const n = this.extra.size;
    if (n > 0) out.push(`(root): and ${this.stopped ? 'at least ' : ''}${n} more problem${n === 1 ? '' : 's'} (only the first ${MAX_PROBLEMS} are listed)`);
    return out;
  }
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** `unknown field "x"`, quoted and escaped; a long list is cut after ten. */
function unknownFields(keys: readonly string[]): string {
  const named = keys.slice(0, 10).map(quote).join(', ');
  return `unknown field${keys.length > 1 ? 's' : ''} ${named}${keys.length > 10 ? ` and ${keys.length - 10} more` : ''}`;
}

/** One schema issue as a problem line. */
function issueLine(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): string {
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    message = unknownFields(issue.keys);
  } else if (issue.code === 'too_big' && issue.maximum === MAX_SAFE && !message.includes('between')) {
    // z.int() refuses unsafe integers (2^53, 1e308): they are whole numbers, just too large.
    message = `too large: at most ${MAX_SAFE}`;
  } else if (issue.code === 'too_small' && issue.minimum === -MAX_SAFE && !message.includes('between')) {
    message = `too small: at least 0`;
  }
  return `${formatPath([...prefix, ...issue.path])}: ${escapeControl(message)}`;
}

const isSafeRangeIssue = (issue: z.core.$ZodIssue): boolean =>
  (issue.code === 'too_big' && issue.maximum === MAX_SAFE) || (issue.code === 'too_small' && issue.minimum === -MAX_SAFE);
const samePath = (a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean => a.length === b.length && a.every((k, i) => k === b[i]);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const FAIL: unique symbol = Symbol('fail');

type Schema = z.core.$ZodType;
/** The parts of a schema's definition the part-by-part walk reads. */
interface SchemaDef {
  type: string;
  innerType?: Schema;
  discriminator?: string;
  options?: Schema[];
  shape?: Record<string, Schema>;
  values?: unknown[];
  element?: Schema;
  checks?: unknown[];
  catchall?: Schema;
}
const defOf = (s: Schema): SchemaDef => s._zod.def as unknown as SchemaDef;

/** The schema of one connection (scenarioSchema's `connections` elements). */
const CONNECTION = defOf(defOf(scenarioSchema).shape!.connections!).element;

/** Values of at most this many nodes (objects, arrays, leaves) are checked whole. */
const SMALL_VALUE_NODES = 200;

/** Whether a JSON value has at most `limit` nodes; stops counting past it (no recursion). */
function hasAtMostNodes(value: unknown, limit: number): boolean {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (++count > limit) return false;
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      if (count + v.length > limit) return false;
      for (const x of v) stack.push(x);
    } else {
      for (const k in v) if (Object.hasOwn(v, k)) stack.push((v as Record<string, unknown>)[k]);
    }
  }
  return true;
}

/** Checks a value against a schema as a whole; its issues go to `sink`. */
function whole(schema: Schema, value: unknown, path: readonly PropertyKey[], sink: Problems): unknown {
  const r = z.safeParse(schema, value);
  if (r.success) return r.data;
  const issues = r.error.issues;
  for (const issue of issues) {
    // z.int()'s own safe-range issue says nothing more than a range the field sets itself.
    if (isSafeRangeIssue(issue) && issues.some((o) => o !== issue && !isSafeRangeIssue(o) && samePath(o.path, issue.path))) continue;
    sink.add(issueLine(issue, path));
  }
  return FAIL;
}

/**
 * Checks a value against a schema part by part: lists element by element and objects field by
 * field, so a file with a million bad elements costs the first MAX_PROBLEMS_COUNTED problems, not a
 * million (zod has no way to stop early). Returns the parsed value, or FAIL.
 */
function check(schema: Schema, value: unknown, path: readonly PropertyKey[], sink: Problems): unknown {
  // A small value has few problems, however bad: zod checks it whole, which is quicker.
  if (hasAtMostNodes(value, SMALL_VALUE_NODES)) return whole(schema, value, path, sink);
  // The walk reads each schema's definition (`_zod.def`: its type, inner schemas and checks).
  let s = schema;
  while (defOf(s).type === 'default' || defOf(s).type === 'optional') {
    if (value === undefined) return whole(schema, value, path, sink);
    s = defOf(s).innerType!;
  }
  const def = defOf(s);
  if (def.type === 'union' && def.discriminator !== undefined && isPlainObject(value)) {
    const key = def.discriminator;
    const option = def.options!.find((o) => {
      const lit = defOf(o).type === 'object' ? defOf(o).shape![key] : undefined;
      return lit !== undefined && defOf(lit).type === 'literal' && defOf(lit).values!.includes(value[key]);
    });
    return option ? check(option, value, path, sink) : whole(s, value, path, sink);
  }
  if (def.type === 'array' && Array.isArray(value)) {
    let ok = whole(z.array(z.unknown()).check(...((def.checks ?? []) as z.core.$ZodCheck<unknown[]>[])), value, path, sink) !== FAIL;
    const out: unknown[] = [];
    // A plainly valid connection skips zod (fastConnections.ts): a big scenario is mostly connections.
    const fast = def.element === CONNECTION ? fastConnection : () => null;
    for (let i = 0; i < value.length; i++) {
      const r = fast(value[i]) ?? check(def.element!, value[i], [...path, i], sink);
      if (r === FAIL) ok = false;
      else if (ok) out.push(r);
    }
    return ok ? out : FAIL;
  }
  if (def.type === 'object' && isPlainObject(value)) {
    const shape = def.shape!;
    const out: Record<string, unknown> = {};
    let ok = true;
    for (const k of Object.keys(shape)) {
      const r = check(shape[k]!, Object.hasOwn(value, k) ? value[k] : undefined, [...path, k], sink);
      if (r === FAIL) ok = false;
      else if (r !== undefined) out[k] = r;
    }
    if (def.catchall !== undefined && defOf(def.catchall).type === 'never') {
      const unknown = Object.keys(value).filter((k) => !Object.hasOwn(shape, k));
      if (unknown.length > 0) {
        ok = false;
        sink.add(`${formatPath(path)}: ${unknownFields(unknown)}`);
      }
    }
    return ok ? out : FAIL;
  }
  return whole(schema, value, path, sink);
}

export function validateScenario(input: unknown): Validation {
  const sink = new Problems();
  try {
    const data = check(scenarioSchema, input, [], sink);
    if (data !== FAIL && sink.empty) checkReferences(data as Scenario, sink);
    if (data !== FAIL && sink.empty) return { ok: true, scenario: data as Scenario };
  } catch (e) {
    if (!(e instanceof Enough)) throw e;
  }
  return { ok: false, problems: sink.lines() };
}

function checkReferences(s: Scenario, sink: Problems): void {
  const say = (path: string, message: string): void => sink.add(`${path}: ${message}`);

  // Drivers and transports share one namespace: a fault names either.
  const stackIds = new Map<string, string>();
  const claim = (map: Map<string, string>, idValue: string, path: string): void => {
    const prior = map.get(idValue);
    if (prior !== undefined) say(`${path}.id`, `duplicate id "${idValue}" (also ${prior})`);
    else map.set(idValue, path);
  };
  s.drivers.forEach((d, i) => claim(stackIds, d.id, `drivers[${i}]`));
  s.transports.forEach((t, i) => claim(stackIds, t.id, `transports[${i}]`));
  const clientIds = new Map<string, string>();
  s.clients.forEach((c, i) => claim(clientIds, c.id, `clients[${i}]`));
  const addressIds = new Map<string, string>();
  s.addresses.forEach((a, i) => claim(addressIds, a.id, `addresses[${i}]`));
  const connectionIds = new Map<string, string>();
  s.connections.forEach((c, i) => claim(connectionIds, c.id, `connections[${i}]`));

  const driverById = new Map(s.drivers.map((d) => [d.id, d]));
  const transportById = new Map(s.transports.map((t) => [t.id, t]));
  const checkLower = (lower: readonly string[], path: string): void => {
    lower.forEach((l, j) => {
      if (!driverById.has(l)) {
        say(`${path}.lower[${j}]`, transportById.has(l) ? `"${l}" is a transport, not a lower driver` : `unknown driver "${l}"`);
      }
    });
  };
  s.drivers.forEach((d, i) => {
    if (d.kind === 'protocol') checkLower(d.lower, `drivers[${i}]`);
  });
  s.transports.forEach((t, i) => checkLower(t.lower, `transports[${i}]`));

  // Cycles in `lower` (a protocol that is, through its lower drivers, below itself): a depth-first
  // search with its own stack, so a chain of any length cannot overflow the call stack.
  const driverIndex = new Map(s.drivers.map((d, i) => [d.id, i]));
  const done = new Set<string>();
  const onTrail = new Map<string, number>(); // id → its position in `trail`
  for (const root of s.drivers) {
    if (done.has(root.id)) continue;
    const trail: string[] = [root.id];
    const next: number[] = [0]; // per trail entry, the index of the next lower driver to visit
    onTrail.set(root.id, 0);
    while (trail.length > 0) {
      const top = trail.length - 1;
      const d = driverById.get(trail[top]!)!;
      const lower = d.kind === 'protocol' ? d.lower : [];
      if (next[top]! < lower.length) {
        const l = lower[next[top]!++]!;
        if (!driverById.has(l) || done.has(l)) continue;
        const at = onTrail.get(l);
        if (at !== undefined) {
          say(`drivers[${driverIndex.get(l)}].lower`, `cycle: ${describeCycle([...trail.slice(at), l])}`);
          continue;
        }
        onTrail.set(l, trail.length);
        trail.push(l);
        next.push(0);
      } else {
        done.add(trail[top]!);
        onTrail.delete(trail[top]!);
        trail.pop();
        next.pop();
      }
    }
  }
  if (!sink.empty) return; // reachability below needs a sound graph

  s.addresses.forEach((a, i) => {
    const path = `addresses[${i}]`;
    if (!clientIds.has(a.client)) say(`${path}.client`, `unknown client "${a.client}"`);
    const t = transportById.get(a.transport);
    if (!t) {
      say(`${path}.transport`, `unknown transport "${a.transport}"`);
      return;
    }
    const below = reachableFrom(t.lower, driverById);
    a.nics.forEach((n, j) => {
      const d = driverById.get(n);
      if (!d) say(`${path}.nics[${j}]`, `unknown NIC "${n}"`);
      else if (d.kind !== 'nic') say(`${path}.nics[${j}]`, `"${n}" is a protocol layer, not a NIC`);
      else if (!below.has(n)) say(`${path}.nics[${j}]`, `NIC "${n}" is not below transport "${t.id}"`);
    });
  });

  const addressById = new Map(s.addresses.map((a) => [a.id, a]));
  s.connections.forEach((c, i) => {
    const path = `connections[${i}]`;
    const a = addressById.get(c.address);
    if (!a) say(`${path}.address`, `unknown address "${c.address}"`);
    else if (!a.nics.includes(c.nic)) say(`${path}.nic`, `"${c.nic}" is not a NIC of address "${a.id}"`);
    const t = a ? transportById.get(a.transport) : undefined;
    if (t && c.generator && c.generator.bytes > t.maxSendBytes) {
      // Allowed (R15 says what happens), but worth knowing; not an error.
    }
  });

  s.transports.forEach((t, i) => {
    if (t.sendPossible.thresholdBytes > t.sendBufferBytes) {
      say(`transports[${i}].sendPossible.thresholdBytes`, thresholdProblem(t.sendPossible.thresholdBytes, t));
    }
    if (t.abortStatus === 'STATUS_SUCCESS' || t.abortStatus === 'STATUS_PENDING') {
      say(`transports[${i}].abortStatus`, `aborted sends need an error status, not ${t.abortStatus} (R32)`);
    }
  });

  s.clients.forEach((c, i) => {
    if (c.resubmit.from === 'timer' && c.resubmit.delayUs < 1) {
      say(`clients[${i}].resubmit.delayUs`, 'a timer retry needs a delay of at least 1 µs');
    }
  });
  const ids: Ids = { stack: stackIds, clients: clientIds, transports: transportById };
  s.faults.forEach((f, i) => faultProblems(f, `faults[${i}]`, ids, say));
  s.policyChanges.forEach((p, i) => policyChangeProblems(p, `policyChanges[${i}]`, ids, say));
  s.handlerChanges.forEach((h, i) => {
    if (!addressById.has(h.address)) say(`handlerChanges[${i}].address`, `unknown address "${h.address}"`);
  });
}

type Say = (path: string, message: string) => void;
interface Ids {
  /** Drivers and transports: what a fault may name. */
  stack: ReadonlyMap<string, unknown>;
  clients: ReadonlyMap<string, unknown>;
  transports: ReadonlyMap<string, TransportSpec>;
}

function idsOf(s: Scenario): Ids {
  return {
    stack: new Map<string, unknown>([...s.drivers.map((d) => [d.id, d] as const), ...s.transports.map((t) => [t.id, t] as const)]),
    clients: new Map(s.clients.map((c) => [c.id, c])),
    transports: new Map(s.transports.map((t) => [t.id, t])),
  };
}

/** R22: free space never exceeds the pool, so a threshold above it would mean no SendPossible ever. */
const thresholdProblem = (threshold: number, t: { id: string; sendBufferBytes: number }): string =>
  `${threshold} B is more than the ${t.sendBufferBytes} B pool of transport "${t.id}": no SendPossible could ever be called`;

function faultProblems(f: FaultSpec, path: string, ids: Ids, say: Say): void {
  if (!ids.stack.has(f.driver)) say(`${path}.driver`, `unknown driver or transport "${f.driver}"`);
  if (f.status === 'STATUS_SUCCESS' || f.status === 'STATUS_PENDING') {
    say(`${path}.status`, `a fault needs an error status, not ${f.status}`);
  }
}

function policyChangeProblems(p: PolicyChange, path: string, ids: Ids, say: Say): void {
  const threshold = p.sendPossible?.thresholdBytes;
  if (threshold !== undefined) {
    for (const t of ids.transports.values()) {
      if ((p.transport === undefined || p.transport === t.id) && threshold > t.sendBufferBytes) {
        say(`${path}.sendPossible.thresholdBytes`, thresholdProblem(threshold, t));
      }
    }
  }
  if (p.client !== undefined && !ids.clients.has(p.client)) say(`${path}.client`, `unknown client "${p.client}"`);
  if (p.transport !== undefined && !ids.transports.has(p.transport)) say(`${path}.transport`, `unknown transport "${p.transport}"`);
  if (p.resubmit?.from === 'timer' && p.resubmit.delayUs === 0) say(`${path}.resubmit.delayUs`, 'a timer retry needs a delay of at least 1 µs');
}

// ---- Commands that write into a scenario -------------------------------------------------------
// The worker (and window.tdiFlowLab) append faults and policy changes to the running scenario and
// change its seed; each is checked here first, with the same messages a file would get, so what a
// share link carries always validates. In the worker, before it changes anything:
//   const f = validateFault({ atUs: engine.nowUs, driver, status, fatal, recoverAfterUs }, scenario);
//   if (!f.ok) → report f.problems (one line each, path first); else inject f.value (defaults filled).
//   const p = validatePolicyChange({ ...change, atUs: engine.nowUs }, scenario);
//   const s = validateSeed(cmd.seed);   // for `load` with a seed
// Pass only the scenario's fields: the schemas are strict, so `op` or `id` would be unknown fields.

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: string[] };

function checkedBy<T>(schema: z.core.$ZodType<T>, value: unknown, path: readonly PropertyKey[], more: (v: T, say: Say) => void): Checked<T> {
  const sink = new Problems();
  try {
    const r = whole(schema, value, path, sink);
    if (r !== FAIL) more(r as T, (p, message) => sink.add(`${p}: ${message}`));
    if (r !== FAIL && sink.empty) return { ok: true, value: r as T };
  } catch (e) {
    if (!(e instanceof Enough)) throw e;
  }
  return { ok: false, problems: sink.lines() };
}

/**
 * A fault to append to `scenario.faults` (injectFault): its shape, ranges, a driver or transport of
 * this scenario, an error status. Problems are named at `path` (default: the index it would take).
 */
export function validateFault(spec: unknown, scenario: Scenario, path: readonly PropertyKey[] = ['faults', scenario.faults.length]): Checked<FaultSpec> {
  return checkedBy(faultSchema, spec, path, (f, say) => faultProblems(f, formatPath(path), idsOf(scenario), say));
}

/**
 * A policy change to append to `scenario.policyChanges` (changePolicy): its shape, whole
 * non-negative delays, a client and transport of this scenario, a threshold within the pool (R22).
 */
export function validatePolicyChange(
  change: unknown,
  scenario: Scenario,
  path: readonly PropertyKey[] = ['policyChanges', scenario.policyChanges.length],
): Checked<PolicyChange> {
  return checkedBy(policyChangeSchema, change, path, (p, say) => policyChangeProblems(p, formatPath(path), idsOf(scenario), say));
}

/** A seed (load with a seed, the seed menu): a whole number 0 … 4294967295. */
export function validateSeed(seed: unknown, path: readonly PropertyKey[] = ['seed']): Checked<number> {
  return checkedBy(seedSchema, seed, path, () => {});
}

/** A cycle's ids as `a → b → a`; a long one shows its first and last few. */
function describeCycle(ids: readonly string[]): string {
  if (ids.length <= 12) return ids.join(' → ');
  return `${ids.slice(0, 5).join(' → ')} → … → ${ids.slice(-3).join(' → ')} (${ids.length - 1} drivers)`;
}
