// Validation: the schema (shapes, ranges) and then the cross-references a schema cannot express.
// Every problem is one line that starts with the JSON path (formats.md: `connections[1].nic: ...`).
// Bad input is bounded (formats.md § Validation): the text's size and nesting (jsonText.ts), the
// problems listed (MAX_PROBLEMS, then "and N more") and the work done to count them.
import * as z from 'zod/mini';
import { faultSchema, policyChangeSchema, scenarioSchema, seedSchema, type FaultSpec, type PolicyChange, type Scenario } from './schema.ts';
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
  /** The value being checked and the path it sits at: a message can say what was written. */
  constructor(
    readonly root: unknown = undefined,
    readonly rootPath: readonly PropertyKey[] = [],
  ) {}
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

/** The value at `path` inside `root` (undefined where there is none). */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, k as string)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** What a user wrote, in a message: `"12a"`, `1.5`, `a list`. */
function describeValue(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** The thing a field belongs to, for "… is required for a NIC": read from the path (and a driver's kind). */
function ownerOf(path: readonly PropertyKey[], root: unknown): string {
  const last = path.length >= 2 ? path[path.length - 2] : undefined;
  if (last === 'generator') return 'a generator';
  if (last === 'handlerMisbehaviour') return 'a handler misbehaviour';
  if (last === 'resubmit') return 'a resubmit policy';
  if (last === 'onError') return 'an onError policy';
  if (last === 'sendPossible') return 'a SendPossible policy';
  if (path.length >= 4 && path[2] === 'sends') return 'a send';
  switch (path[0]) {
    case 'drivers': {
      const kind = valueAt(root, [path[0], path[1]!, 'kind']);
      return kind === 'nic' ? 'a NIC' : kind === 'protocol' ? 'a protocol layer' : 'a driver';
    }
    case 'transports':
      return 'a transport';
    case 'clients':
      return 'a client';
    case 'addresses':
      return 'an address';
    case 'connections':
      return 'a connection';
    case 'faults':
      return 'a fault';
    case 'handlerChanges':
      return 'a handler change';
    case 'policyChanges':
      return 'a policy change';
    default:
      return 'a scenario';
  }
}

const TYPE_WORDS: Record<string, string> = {
  int: 'a whole number',
  number: 'a whole number', // every number of a scenario is an integer
  string: 'text',
  array: 'a list',
  object: 'an object { … }',
  boolean: 'true or false',
};
/** zod's own wording ("Invalid input: expected …", "Too small: …"): a field without a message of ours. */
const isLibraryWording = (message: string): boolean => /^(Invalid|Too (small|big)|Unrecognized)/.test(message);
const orList = (values: readonly unknown[]): string => {
  const q = values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v)));
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
};

/**
 * One schema issue in a user's words ("linkBytesPerMs is required for a NIC", "must be "all" or
 * "oldest", not "some""): never the schema library's own message. `written` is what the field holds.
 */
function plainMessage(issue: z.core.$ZodIssue, fullPath: readonly PropertyKey[], written: unknown, root: unknown): string {
  const message = issue.message;
  const key = fullPath[fullPath.length - 1];
  switch (issue.code) {
    case 'unrecognized_keys':
      return unknownFields(issue.keys);
    case 'invalid_type':
      if (written === undefined && typeof key === 'string') return `${key} is required for ${ownerOf(fullPath, root)}`;
      return `${isLibraryWording(message) ? `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}` : message}, not ${describeValue(written)}`;
    case 'invalid_value':
      if (written === undefined && typeof key === 'string') return `${key} is required for ${ownerOf(fullPath, root)}`;
      if (isLibraryWording(message)) return `must be ${orList(issue.values)}, not ${describeValue(written)}`;
      return message.startsWith('is not') ? `${describeValue(written)} ${message}` : message;
    case 'too_big':
      if (issue.maximum === MAX_SAFE && !message.includes('between')) return `too large: at most ${MAX_SAFE}`; // z.int() refuses unsafe integers (2^53, 1e308)
      return isLibraryWording(message) ? `must be at most ${String(issue.maximum)}` : message;
    case 'too_small':
      if (issue.minimum === -MAX_SAFE && !message.includes('between')) return `too small: at least 0`;
      return isLibraryWording(message) ? `must be at least ${String(issue.minimum)}` : message;
    case 'invalid_union':
      if (written === undefined && typeof key === 'string') return `${key} is required for ${ownerOf(fullPath, root)}`;
      return isLibraryWording(message) ? `is not valid here (${describeValue(written)})` : `${message}, not ${describeValue(written)}`;
    default:
      return isLibraryWording(message) ? `is not valid here (${describeValue(written)})` : message;
  }
}

/** One schema issue as a problem line: its JSON path, then what is wrong in words. */
function issueLine(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[], sink: Problems): string {
  const fullPath = [...prefix, ...issue.path];
  const local = fullPath.slice(sink.rootPath.length);
  const written = valueAt(sink.root, local);
  return `${formatPath(fullPath)}: ${escapeControl(plainMessage(issue, fullPath, written, sink.root === undefined ? undefined : wrapAt(sink.root, sink.rootPath)))}`;
}

/** `root` placed at `path` inside an otherwise empty object, so ownerOf can read it by full path. */
function wrapAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (let i = path.length - 1; i >= 0; i--) {
    const k = path[i]!;
    const o = (typeof k === 'number' ? [] : {}) as Record<PropertyKey, unknown>;
    o[k] = v;
    v = o;
  }
  return v;
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
    sink.add(issueLine(issue, path, sink));
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
  const sink = new Problems(input);
  try {
    const data = check(scenarioSchema, input, [], sink);
    // Cross-references are checked even where the shapes are wrong, on whatever is readable: a
    // file gets every problem at once, not the first kind of problem only.
    checkReferences(data !== FAIL ? (data as LooseScenario) : loosen(input), sink);
    if (data !== FAIL && sink.empty) return { ok: true, scenario: data as Scenario };
  } catch (e) {
    if (!(e instanceof Enough)) throw e;
  }
  return { ok: false, problems: sink.lines() };
}

// A scenario as far as it can be read: each list keeps its indices (so paths stay right); a field of
// the wrong type is undefined, and the cross-reference checks skip it (its shape is reported already).
type LooseDriver = { id?: string; kind?: string; lower?: (string | undefined)[] };
type LooseTransport = { id?: string; lower: (string | undefined)[]; sendBufferBytes?: number; sendPossible: { thresholdBytes?: number }; abortStatus?: string };
type LooseClient = { id?: string; resubmit: { from?: string; delayUs?: number } };
type LooseAddress = { id?: string; client?: string; transport?: string; nics?: (string | undefined)[] };
type LooseConnection = { id?: string; address?: string; nic?: string };
type LooseFault = { driver?: string; status?: string };
type LoosePolicyChange = { client?: string; transport?: string; resubmit?: { from?: string; delayUs?: number }; sendPossible?: { thresholdBytes?: number } };
interface LooseScenario {
  drivers: (LooseDriver | undefined)[];
  transports: (LooseTransport | undefined)[];
  clients: (LooseClient | undefined)[];
  addresses: (LooseAddress | undefined)[];
  connections: (LooseConnection | undefined)[];
  faults: (LooseFault | undefined)[];
  policyChanges: (LoosePolicyChange | undefined)[];
  handlerChanges: ({ address?: string } | undefined)[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const rec = (v: unknown): Record<string, unknown> | undefined => (isPlainObject(v) ? v : undefined);
const items = <T>(v: unknown, read: (o: Record<string, unknown>) => T): (T | undefined)[] => {
  if (!Array.isArray(v)) return [];
  const out: (T | undefined)[] = [];
  for (const x of v) {
    const o = rec(x);
    out.push(o ? read(o) : undefined);
  }
  return out;
};
const strs = (v: unknown): (string | undefined)[] => (Array.isArray(v) ? v.map(str) : []);

/** What of a scenario that failed its shape checks can be read for its cross-references. */
function loosen(input: unknown): LooseScenario {
  const s = rec(input) ?? {};
  return {
    drivers: items(s.drivers, (d) => ({ id: str(d.id), kind: str(d.kind), lower: strs(d.lower) })),
    transports: items(s.transports, (t) => ({
      id: str(t.id),
      lower: strs(t.lower),
      sendBufferBytes: num(t.sendBufferBytes),
      sendPossible: { thresholdBytes: rec(t.sendPossible) ? num(rec(t.sendPossible)!.thresholdBytes) : 1 },
      abortStatus: str(t.abortStatus),
    })),
    clients: items(s.clients, (c) => {
      const r = rec(c.resubmit);
      return { id: str(c.id), resubmit: { from: r ? str(r.from) : undefined, delayUs: r ? (r.delayUs === undefined ? 0 : num(r.delayUs)) : undefined } };
    }),
    addresses: items(s.addresses, (a) => ({ id: str(a.id), client: str(a.client), transport: str(a.transport), nics: Array.isArray(a.nics) ? strs(a.nics) : undefined })),
    connections: items(s.connections, (c) => ({ id: str(c.id), address: str(c.address), nic: str(c.nic) })),
    faults: items(s.faults, (f) => ({ driver: str(f.driver), status: str(f.status) })),
    policyChanges: items(s.policyChanges, (p) => {
      const r = rec(p.resubmit);
      const sp = rec(p.sendPossible);
      return {
        client: str(p.client),
        transport: str(p.transport),
        ...(r ? { resubmit: { from: str(r.from), delayUs: num(r.delayUs) } } : {}),
        ...(sp ? { sendPossible: { thresholdBytes: num(sp.thresholdBytes) } } : {}),
      };
    }),
    handlerChanges: items(s.handlerChanges, (h) => ({ address: str(h.address) })),
  };
}

function checkReferences(s: LooseScenario, sink: Problems): void {
  const say = (path: string, message: string): void => sink.add(`${path}: ${message}`);

  // Drivers and transports share one namespace: a fault names either.
  const stackIds = new Map<string, string>();
  const claim = (map: Map<string, string>, idValue: string | undefined, path: string): void => {
    if (idValue === undefined) return;
    const prior = map.get(idValue);
    if (prior !== undefined) say(`${path}.id`, `duplicate id ${quote(idValue)} (also ${prior})`);
    else map.set(idValue, path);
  };
  s.drivers.forEach((d, i) => claim(stackIds, d?.id, `drivers[${i}]`));
  s.transports.forEach((t, i) => claim(stackIds, t?.id, `transports[${i}]`));
  const clientIds = new Map<string, string>();
  s.clients.forEach((c, i) => claim(clientIds, c?.id, `clients[${i}]`));
  const addressIds = new Map<string, string>();
  s.addresses.forEach((a, i) => claim(addressIds, a?.id, `addresses[${i}]`));
  const connectionIds = new Map<string, string>();
  s.connections.forEach((c, i) => claim(connectionIds, c?.id, `connections[${i}]`));

  const present = <T extends { id?: string }>(list: readonly (T | undefined)[]): Map<string, T> => {
    const m = new Map<string, T>();
    for (const x of list) if (x?.id !== undefined && !m.has(x.id)) m.set(x.id, x);
    return m;
  };
  const driverById = present(s.drivers);
  const transportById = present(s.transports);
  const graph = driverById as unknown as ReadonlyMap<string, { id: string; kind: 'nic' | 'protocol'; lower?: string[] }>;
  /** Transports whose lower drivers are not all known: "not below" would only repeat that. */
  const unsound = new Set<string>();
  const checkLower = (lower: readonly (string | undefined)[], path: string): boolean => {
    let sound = true;
    lower.forEach((l, j) => {
      if (l === undefined || driverById.has(l)) return;
      sound = false;
      say(`${path}.lower[${j}]`, transportById.has(l) ? `${quote(l)} is a transport, not a lower driver` : `unknown driver ${quote(l)}`);
    });
    return sound;
  };
  // An empty `lower` (reported by the schema) makes what is below unknowable too.
  s.drivers.forEach((d, i) => {
    if (d?.kind === 'protocol' && (!checkLower(d.lower ?? [], `drivers[${i}]`) || (d.lower ?? []).length === 0) && d.id !== undefined) unsound.add(d.id);
  });
  s.transports.forEach((t, i) => {
    if (t && (!checkLower(t.lower, `transports[${i}]`) || t.lower.length === 0) && t.id !== undefined) unsound.add(t.id);
  });

  // Cycles in `lower` (a protocol that is, through its lower drivers, below itself): a depth-first
  // search with its own stack, so a chain of any length cannot overflow the call stack.
  const driverIndex = new Map<string, number>();
  s.drivers.forEach((d, i) => d?.id !== undefined && !driverIndex.has(d.id) && driverIndex.set(d.id, i));
  const done = new Set<string>();
  const onTrail = new Map<string, number>(); // id → its position in `trail`
  for (const root of driverById.values()) {
    if (done.has(root.id!)) continue;
    const trail: string[] = [root.id!];
    const next: number[] = [0]; // per trail entry, the index of the next lower driver to visit
    onTrail.set(root.id!, 0);
    while (trail.length > 0) {
      const top = trail.length - 1;
      const d = driverById.get(trail[top]!)!;
      const lower = d.kind === 'protocol' ? (d.lower ?? []) : [];
      if (next[top]! < lower.length) {
        const l = lower[next[top]!++];
        if (l === undefined || !driverById.has(l) || done.has(l)) continue;
        const at = onTrail.get(l);
        if (at !== undefined) {
          say(`drivers[${driverIndex.get(l)}].lower`, `cycle: ${describeCycle([...trail.slice(at), l])}`);
          for (const d of trail.slice(at)) unsound.add(d); // nothing below a cycle is known

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

  const belowCache = new Map<LooseTransport, Set<string> | undefined>();
  /** The drivers below a transport; undefined where an unknown lower driver makes it unknowable. */
  const belowTransport = (t: LooseTransport): Set<string> | undefined => {
    if (!belowCache.has(t)) {
      const reach = reachableFrom(
        t.lower.filter((l) => l !== undefined),
        graph,
      );
      belowCache.set(t, (t.id !== undefined && unsound.has(t.id)) || [...reach].some((d) => unsound.has(d)) ? undefined : reach);
    }
    return belowCache.get(t);
  };
  s.addresses.forEach((a, i) => {
    if (!a) return;
    const path = `addresses[${i}]`;
    if (a.client !== undefined && !clientIds.has(a.client)) say(`${path}.client`, `unknown client ${quote(a.client)}`);
    const t = a.transport === undefined ? undefined : transportById.get(a.transport);
    if (a.transport !== undefined && !t) say(`${path}.transport`, `unknown transport ${quote(a.transport)}`);
    // Reachability only through a graph whose every lower driver is known.
    const below = t ? belowTransport(t) : undefined;
    a.nics?.forEach((n, j) => {
      if (n === undefined) return;
      const d = driverById.get(n);
      if (!d) say(`${path}.nics[${j}]`, `unknown NIC ${quote(n)}`);
      else if (d.kind === 'protocol') say(`${path}.nics[${j}]`, `${quote(n)} is a protocol layer, not a NIC`);
      else if (below && !below.has(n)) say(`${path}.nics[${j}]`, `NIC ${quote(n)} is not below transport ${quote(t!.id!)}`);
    });
  });

  const addressById = present(s.addresses);
  s.connections.forEach((c, i) => {
    if (!c) return;
    const path = `connections[${i}]`;
    const a = c.address === undefined ? undefined : addressById.get(c.address);
    if (c.address !== undefined && !a) say(`${path}.address`, `unknown address ${quote(c.address)}`);
    else if (a?.nics && c.nic !== undefined && !a.nics.includes(c.nic)) say(`${path}.nic`, `${quote(c.nic)} is not a NIC of address ${quote(a.id!)}`);
  });

  s.transports.forEach((t, i) => {
    if (!t) return;
    const threshold = t.sendPossible.thresholdBytes;
    if (threshold !== undefined && t.sendBufferBytes !== undefined && t.id !== undefined && threshold > t.sendBufferBytes) {
      say(`transports[${i}].sendPossible.thresholdBytes`, thresholdProblem(threshold, { id: t.id, sendBufferBytes: t.sendBufferBytes }));
    }
    if (t.abortStatus === 'STATUS_SUCCESS' || t.abortStatus === 'STATUS_PENDING') {
      say(`transports[${i}].abortStatus`, `aborted sends need an error status, not ${t.abortStatus} (R32)`);
    }
  });

  s.clients.forEach((c, i) => {
    if (c?.resubmit.from === 'timer' && c.resubmit.delayUs !== undefined && c.resubmit.delayUs < 1) {
      say(`clients[${i}].resubmit.delayUs`, 'a timer retry needs a delay of at least 1 µs');
    }
  });
  const ids: Ids = { stack: stackIds, clients: clientIds, transports: transportById as ReadonlyMap<string, PoolLike> };
  s.faults.forEach((f, i) => f && faultProblems(f, `faults[${i}]`, ids, say));
  s.policyChanges.forEach((p, i) => p && policyChangeProblems(p, `policyChanges[${i}]`, ids, say));
  s.handlerChanges.forEach((h, i) => {
    if (h?.address !== undefined && !addressById.has(h.address)) say(`handlerChanges[${i}].address`, `unknown address ${quote(h.address)}`);
  });
}

/** What the threshold check needs of a transport (its size may be unreadable in a broken file). */
type PoolLike = { id?: string; sendBufferBytes?: number };

type Say = (path: string, message: string) => void;
interface Ids {
  /** Drivers and transports: what a fault may name. */
  stack: ReadonlyMap<string, unknown>;
  clients: ReadonlyMap<string, unknown>;
  transports: ReadonlyMap<string, PoolLike>;
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
  `${threshold} B is more than the ${t.sendBufferBytes} B pool of transport ${quote(t.id)}: no SendPossible could ever be called`;

function faultProblems(f: LooseFault, path: string, ids: Ids, say: Say): void {
  if (f.driver !== undefined && !ids.stack.has(f.driver)) say(`${path}.driver`, `unknown driver or transport ${quote(f.driver)}`);
  if (f.status === 'STATUS_SUCCESS' || f.status === 'STATUS_PENDING') {
    say(`${path}.status`, `a fault needs an error status, not ${f.status}`);
  }
}

function policyChangeProblems(p: LoosePolicyChange, path: string, ids: Ids, say: Say): void {
  const threshold = p.sendPossible?.thresholdBytes;
  if (threshold !== undefined) {
    for (const t of ids.transports.values()) {
      if ((p.transport === undefined || p.transport === t.id) && t.id !== undefined && t.sendBufferBytes !== undefined && threshold > t.sendBufferBytes) {
        say(`${path}.sendPossible.thresholdBytes`, thresholdProblem(threshold, { id: t.id, sendBufferBytes: t.sendBufferBytes }));
      }
    }
  }
  if (p.client !== undefined && !ids.clients.has(p.client)) say(`${path}.client`, `unknown client ${quote(p.client)}`);
  if (p.transport !== undefined && !ids.transports.has(p.transport)) say(`${path}.transport`, `unknown transport ${quote(p.transport)}`);
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
  const sink = new Problems(value, path);
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

/** A problem line split into its JSON path (`connections[1].nic`, `(root)`) and its message. */
export function splitProblem(line: string): { path: string; message: string } {
  const at = line.indexOf(': ');
  return at < 0 ? { path: '(root)', message: line } : { path: line.slice(0, at), message: line.slice(at + 2) };
}
