// The scenario editor's model (#15): pure functions on a draft scenario. A draft is the scenario file
// as JSON, as the user has it — it may be invalid (a field holding "12a", a reference to nothing):
// validation (src/scenario/validate.ts) names what is wrong, and nothing the user typed is dropped.
// Every function returns a new draft and leaves its argument as it was (undo keeps the old ones).
import { SCENARIO_FORMAT } from '../../src/scenario/schema.ts';

export type Obj = Record<string, unknown>;
/** A scenario being edited: the file's JSON, possibly invalid. */
export type Draft = Obj;

/** The lists of a scenario whose items the outline shows and the forms edit. */
export const LISTS = [
  'drivers',
  'transports',
  'clients',
  'addresses',
  'connections',
  'faults',
  'handlerChanges',
  'policyChanges',
] as const;
export type ListName = (typeof LISTS)[number];

/** What the form shows: the scenario's own fields, or one item of a list. */
export type Target = { list: 'scenario' } | { list: ListName; index: number };

export type PathKey = string | number;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A list of the draft as objects (a non-object item reads as an empty object; a non-list as empty). */
export function items(d: Draft, list: ListName): Obj[] {
  const v = d[list];
  return Array.isArray(v) ? v.map((x) => (isObj(x) ? x : {})) : [];
}
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
export const idOf = (o: Obj): string => str(o.id) ?? '';

/** A blank page: valid JSON, not yet a valid scenario (it needs a transport). */
export function blankScenario(): Draft {
  return {
    format: SCENARIO_FORMAT,
    title: 'New scenario',
    seed: 1,
    durationUs: 20_000,
    drivers: [],
    transports: [],
    clients: [],
    addresses: [],
    connections: [],
  };
}

// ---- Reading and writing by path ------------------------------------------------------------------

export function getAt(root: unknown, path: readonly PathKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PathKey, unknown>)[k];
  }
  return v;
}

/**
 * The draft with `value` at `path` (objects and lists on the way copied, missing ones made);
 * `undefined` removes the field (an optional field left empty is absent, not null).
 */
export function setAt<T>(root: T, path: readonly PathKey[], value: unknown): T {
  if (path.length === 0) return value as T;
  const [k, ...rest] = path;
  const base: unknown = root;
  if (typeof k === 'number') {
    const arr = Array.isArray(base) ? [...(base as unknown[])] : [];
    arr[k] = setAt(arr[k], rest, value);
    return arr as T;
  }
  const o: Obj = isObj(base) ? { ...base } : {};
  const next = setAt(o[k!], rest, value);
  if (next === undefined) delete o[k!];
  else o[k!] = next;
  return o as T;
}

/** `connections[1].sends[0].bytes` → ['connections', 1, 'sends', 0, 'bytes'] (validate.ts's paths). */
export function parsePath(path: string): PathKey[] {
  if (path === '(root)') return [];
  const out: PathKey[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** The same path as validate.ts writes it. */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(root)' : out;
}

/** The thing a problem's path is about: the form that shows its field. */
export function targetOfPath(path: readonly PathKey[]): Target {
  const [list, index] = path;
  if (typeof list === 'string' && (LISTS as readonly string[]).includes(list) && typeof index === 'number')
    return { list: list as ListName, index };
  return { list: 'scenario' };
}

// ---- Ids ---------------------------------------------------------------------------------------

/** Every id of the draft's drivers, transports, clients, addresses and connections. */
function allIds(d: Draft): Set<string> {
  const out = new Set<string>();
  for (const list of ['drivers', 'transports', 'clients', 'addresses', 'connections'] as const)
    for (const o of items(d, list)) out.add(idOf(o));
  return out;
}

/** `base` if free, else base1, base2, … (a letter base: A, B, … Z, then A1 …). */
export function freshId(taken: ReadonlySet<string>, base: string): string {
  if (!taken.has(base)) return base;
  for (let n = 1; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}
function freshLetter(taken: ReadonlySet<string>): string {
  for (let i = 0; i < 26; i++) {
    const c = String.fromCharCode(65 + i);
    if (!taken.has(c)) return c;
  }
  return freshId(taken, 'C');
}

export const nicIds = (d: Draft): string[] =>
  items(d, 'drivers')
    .filter((x) => x.kind === 'nic')
    .map(idOf);
export const driverIds = (d: Draft): string[] => items(d, 'drivers').map(idOf);
export const idsOf = (d: Draft, list: ListName): string[] => items(d, list).map(idOf);

/** NICs reachable below a transport (through protocol layers), in the order they are met. */
export function nicsBelow(d: Draft, transportId: string | undefined): string[] {
  const drivers = new Map(items(d, 'drivers').map((x) => [idOf(x), x]));
  const t = items(d, 'transports').find((x) => idOf(x) === transportId);
  const out: string[] = [];
  const seen = new Set<string>();
  const stack = [...strs(t?.lower)].reverse();
  while (stack.length > 0) {
    const idValue = stack.pop()!;
    if (seen.has(idValue)) continue;
    seen.add(idValue);
    const x = drivers.get(idValue);
    if (x?.kind === 'nic') out.push(idValue);
    else if (x?.kind === 'protocol') stack.push(...[...strs(x.lower)].reverse());
  }
  return out;
}

// ---- Adding ------------------------------------------------------------------------------------

const push = (d: Draft, list: ListName, item: Obj): Draft => ({
  ...d,
  [list]: [...(Array.isArray(d[list]) ? (d[list] as unknown[]) : []), item],
});

export type NewThing =
  | 'nic'
  | 'protocol'
  | 'transport'
  | 'client'
  | 'address'
  | 'connection'
  | 'fault'
  | 'handlerChange'
  | 'policyChange';

/**
 * The draft with a new thing, with the defaults docs/scenario.md gives and references to what is
 * there (an address gets the first transport and a NIC below it). `parent`: the client of a new
 * address, the address of a new connection. Returns the draft and where the new thing is.
 */
export function addThing(d: Draft, what: NewThing, parent?: string): { draft: Draft; target: Target } {
  const taken = allIds(d);
  const at = (list: ListName): Target => ({ list, index: items(d, list).length });
  switch (what) {
    case 'nic':
      return {
        draft: push(d, 'drivers', {
          id: freshId(taken, `nic${nicIds(d).length}`),
          kind: 'nic',
          linkBytesPerMs: 1000,
          mtuBytes: 1460,
        }),
        target: at('drivers'),
      };
    case 'protocol': {
      // A new layer sits on the NICs nothing else is above yet (else on every NIC).
      const covered = new Set(
        items(d, 'drivers').flatMap((x) => (x.kind === 'protocol' ? strs(x.lower) : [])),
      );
      const free = nicIds(d).filter((n) => !covered.has(n));
      return {
        draft: push(d, 'drivers', {
          id: freshId(taken, 'ip'),
          kind: 'protocol',
          lower: free.length > 0 ? free : nicIds(d),
        }),
        target: at('drivers'),
      };
    }
    case 'transport': {
      // On the top drivers: those no protocol layer is above.
      const below = new Set(items(d, 'drivers').flatMap((x) => (x.kind === 'protocol' ? strs(x.lower) : [])));
      const top = driverIds(d).filter((x) => !below.has(x));
      return {
        draft: push(d, 'transports', {
          id: freshId(taken, 'tcp'),
          lower: top,
          sendBufferBytes: 8192,
          maxSendBytes: 65536,
        }),
        target: at('transports'),
      };
    }
    case 'client':
      return {
        draft: push(d, 'clients', {
          id: freshLetter(taken),
          handlers: ['SendPossible', 'Error'],
          resubmit: { from: 'handler', delayUs: 0, size: 'full' },
        }),
        target: at('clients'),
      };
    case 'address': {
      const client = parent ?? idOf(items(d, 'clients')[0] ?? {});
      const transport = idOf(items(d, 'transports')[0] ?? {});
      const nic = nicsBelow(d, transport)[0] ?? nicIds(d)[0];
      const n = items(d, 'addresses').filter((a) => a.client === client).length;
      return {
        draft: push(d, 'addresses', {
          id: freshId(taken, `${client}-${n}`),
          client,
          transport,
          nics: nic !== undefined ? [nic] : [],
        }),
        target: at('addresses'),
      };
    }
    case 'connection': {
      const address = items(d, 'addresses').find((a) => idOf(a) === parent) ?? items(d, 'addresses')[0] ?? {};
      const client = str(address.client) ?? 'C';
      const n = items(d, 'connections').filter((c) =>
        items(d, 'addresses').some((a) => idOf(a) === c.address && a.client === client),
      ).length;
      return {
        draft: push(d, 'connections', {
          id: freshId(taken, `${client}${n + 1}`),
          address: idOf(address),
          nic: strs(address.nics)[0] ?? '',
          sends: [],
        }),
        target: at('connections'),
      };
    }
    case 'fault':
      return {
        draft: push(d, 'faults', {
          atUs: 0,
          driver: nicIds(d)[0] ?? driverIds(d)[0] ?? '',
          status: 'STATUS_ADAPTER_HARDWARE_ERROR',
          fatal: true,
        }),
        target: at('faults'),
      };
    case 'handlerChange':
      return {
        draft: push(d, 'handlerChanges', {
          atUs: 0,
          address: idOf(items(d, 'addresses')[0] ?? {}),
          handler: 'SendPossible',
          registered: false,
        }),
        target: at('handlerChanges'),
      };
    case 'policyChange':
      return { draft: push(d, 'policyChanges', { atUs: 0 }), target: at('policyChanges') };
  }
}

/** A send to add to a connection's table: after the last one, of the same size and flags. */
export function addSend(d: Draft, connection: number): Draft {
  const sends = Array.isArray(getAt(d, ['connections', connection, 'sends']))
    ? (getAt(d, ['connections', connection, 'sends']) as Obj[])
    : [];
  const last = sends.at(-1);
  const next =
    last && isObj(last)
      ? {
          atUs: (typeof last.atUs === 'number' ? last.atUs : 0) + 100,
          bytes: last.bytes ?? 1460,
          flags: last.flags ?? ['NON_BLOCKING'],
        }
      : { atUs: 0, bytes: 1460, flags: ['NON_BLOCKING'] };
  return setAt(d, ['connections', connection, 'sends'], [...sends, next]);
}

export const DEFAULT_GENERATOR = {
  startUs: 0,
  everyUs: 1000,
  bytes: 1460,
  count: 10,
  flags: ['NON_BLOCKING'],
  jitterUs: 0,
};

// ---- Removing and moving -----------------------------------------------------------------------

const without = (d: Draft, list: ListName, keep: (o: Obj, i: number) => boolean): Draft =>
  Array.isArray(d[list])
    ? { ...d, [list]: (d[list] as unknown[]).filter((x, i) => keep(isObj(x) ? x : {}, i)) }
    : d;

/**
 * The draft without one item. What is drawn inside it goes with it (a client's addresses, an
 * address's connections and handler changes); a driver is taken out of every `lower` and `nics`
 * list. A single reference elsewhere (a fault's driver, a policy change's client) stays, and
 * validation names it, so nothing else the user wrote disappears silently.
 */
export function removeThing(d: Draft, target: Target): Draft {
  if (target.list === 'scenario') return d;
  const item = items(d, target.list)[target.index];
  if (!item) return d;
  const idValue = idOf(item);
  let out = without(d, target.list, (_, i) => i !== target.index);
  switch (target.list) {
    case 'drivers': {
      const strip = (o: Obj, key: string): Obj =>
        Array.isArray(o[key]) ? { ...o, [key]: (o[key] as unknown[]).filter((x) => x !== idValue) } : o;
      out = {
        ...out,
        drivers: items(out, 'drivers').map((x) => (x.kind === 'protocol' ? strip(x, 'lower') : x)),
      };
      out = {
        ...out,
        transports: items(out, 'transports').map((x) => strip(x, 'lower')),
        addresses: items(out, 'addresses').map((x) => strip(x, 'nics')),
      };
      break;
    }
    case 'clients': {
      const gone = items(out, 'addresses').filter((a) => a.client === idValue);
      for (const a of gone)
        out = removeThing(out, { list: 'addresses', index: items(out, 'addresses').indexOf(a) });
      break;
    }
    case 'addresses':
      out = without(out, 'connections', (c) => c.address !== idValue);
      out = without(out, 'handlerChanges', (h) => h.address !== idValue);
      break;
  }
  return out;
}

/** A connection moved to another address: its NIC is kept if the new address is bound to it. */
export function moveConnection(d: Draft, connection: number, addressId: string): Draft {
  const c = items(d, 'connections')[connection];
  const a = items(d, 'addresses').find((x) => idOf(x) === addressId);
  if (!c || !a) return d;
  const nics = strs(a.nics);
  const nic = typeof c.nic === 'string' && nics.includes(c.nic) ? c.nic : (nics[0] ?? c.nic);
  return setAt(d, ['connections', connection], { ...c, address: addressId, nic });
}

/** Where each kind of id is referred to: renaming an id renames these too. */
const REFERENCES: Record<
  'drivers' | 'transports' | 'clients' | 'addresses',
  { list: ListName; key: string; many?: boolean }[]
> = {
  drivers: [
    { list: 'drivers', key: 'lower', many: true },
    { list: 'transports', key: 'lower', many: true },
    { list: 'addresses', key: 'nics', many: true },
    { list: 'connections', key: 'nic' },
    { list: 'faults', key: 'driver' },
  ],
  transports: [
    { list: 'addresses', key: 'transport' },
    { list: 'faults', key: 'driver' },
    { list: 'policyChanges', key: 'transport' },
  ],
  clients: [
    { list: 'addresses', key: 'client' },
    { list: 'policyChanges', key: 'client' },
  ],
  addresses: [
    { list: 'connections', key: 'address' },
    { list: 'handlerChanges', key: 'address' },
  ],
};

/**
 * The draft with an item's id changed, and every reference to the old id with it — unless the new
 * id is already taken (then references stay: which one they meant is the user's to say).
 */
export function renameId(d: Draft, target: Target, newId: unknown): Draft {
  if (target.list === 'scenario') return d;
  const old = idOf(items(d, target.list)[target.index] ?? {});
  let out = setAt(d, [target.list, target.index, 'id'], newId);
  const refs = (REFERENCES as Partial<Record<ListName, { list: ListName; key: string; many?: boolean }[]>>)[
    target.list
  ];
  if (!refs || typeof newId !== 'string' || old === '' || old === newId || allIds(d).has(newId)) return out;
  for (const r of refs) {
    out = {
      ...out,
      [r.list]: (Array.isArray(out[r.list]) ? (out[r.list] as unknown[]) : []).map((x) => {
        if (!isObj(x)) return x;
        if (r.many)
          return Array.isArray(x[r.key])
            ? { ...x, [r.key]: (x[r.key] as unknown[]).map((v) => (v === old ? newId : v)) }
            : x;
        return x[r.key] === old ? { ...x, [r.key]: newId } : x;
      }),
    };
  }
  return out;
}

// ---- Many at once --------------------------------------------------------------------------------

/** Sets one field on every item of a list that `where` accepts (e.g. every NIC's link rate). */
export function setForAll(
  d: Draft,
  list: ListName,
  path: readonly PathKey[],
  value: unknown,
  where: (o: Obj) => boolean = () => true,
): Draft {
  const arr = Array.isArray(d[list]) ? (d[list] as unknown[]) : [];
  return { ...d, [list]: arr.map((x) => (isObj(x) && where(x) ? setAt(x, path, value) : x)) };
}

export interface ScaleSpec {
  clients: number;
  addressesPerClient: number;
  connectionsPerAddress: number;
  /** The transport every address is opened on; its NICs are dealt round-robin to the addresses. */
  transport: string;
  /** The workload each connection gets: explicit sends and a generator, as a connection has them. */
  workload: { sends?: unknown; generator?: unknown };
  /** Each connection's generator starts this much after the one before (spreads the load). */
  staggerUs: number;
}

/** At most this many connections are made at once (2⁵³ would not fit a page; stress has 2,048). */
export const MAX_SCALED_CONNECTIONS = 65_536;

/**
 * N clients × M addresses × K connections, the way the `stress` preset is made
 * (scripts/make-stress.ts): the clients there are kept (their policies), new ones copy the last one;
 * addresses `A-0`, `A-1` … over the transport's NICs in turn; connections `A-0.0` … each with the
 * workload, its generator started `staggerUs` after the previous one. Addresses, connections and
 * handler changes of the old layout are replaced. A spec out of range leaves the draft as it was.
 */
export function scale(d: Draft, spec: ScaleSpec): Draft {
  const { clients: n, addressesPerClient: m, connectionsPerAddress: k } = spec;
  const whole = (x: number) => Number.isInteger(x) && x >= 1;
  if (
    !whole(n) ||
    !whole(m) ||
    !whole(k) ||
    n * m * k > MAX_SCALED_CONNECTIONS ||
    !Number.isInteger(spec.staggerUs) ||
    spec.staggerUs < 0
  )
    return d;
  const old = items(d, 'clients');
  const template = old.at(-1) ?? {
    handlers: ['SendPossible', 'Error'],
    resubmit: { from: 'handler', delayUs: 0, size: 'full' },
  };
  const taken = new Set([...driverIds(d), ...idsOf(d, 'transports')]);
  const clients: Obj[] = [];
  for (let i = 0; i < n; i++) {
    if (i < old.length) clients.push(old[i]!);
    else {
      const idValue = freshLetter(new Set([...taken, ...clients.map(idOf), ...old.map(idOf)]));
      clients.push({ ...structuredClone(template), id: idValue });
    }
  }
  const nics = nicsBelow(d, spec.transport);
  const addresses: Obj[] = [];
  const connections: Obj[] = [];
  let offset = 0;
  clients.forEach((c, i) => {
    for (let j = 0; j < m; j++) {
      const address = `${idOf(c)}-${j}`;
      const nic = nics.length > 0 ? nics[(i * m + j) % nics.length]! : '';
      addresses.push({ id: address, client: idOf(c), transport: spec.transport, nics: nic ? [nic] : [] });
      for (let x = 0; x < k; x++) {
        const conn: Obj = {
          id: `${address}.${x}`,
          address,
          nic,
          sends: structuredClone(Array.isArray(spec.workload.sends) ? spec.workload.sends : []),
        };
        if (isObj(spec.workload.generator)) {
          const g = structuredClone(spec.workload.generator);
          if (typeof g.startUs === 'number') g.startUs += offset;
          conn.generator = g;
        }
        offset += spec.staggerUs;
        connections.push(conn);
      }
    }
  });
  const addressIds = new Set(addresses.map(idOf));
  return {
    ...d,
    clients,
    addresses,
    connections,
    handlerChanges: items(d, 'handlerChanges').filter((h) => addressIds.has(str(h.address) ?? '')),
  };
}

// ---- Undo and redo (the lesson recorder keeps its drafts the same way: app/recorder/model.ts) -----

export interface History<T = Draft> {
  past: T[];
  present: T;
  future: T[];
  /** The field the last edit typed into: the next keystroke there joins that edit (one undo step). */
  typing: string | null;
}

/** Undo steps kept, at most. */
export const HISTORY_LIMIT = 200;

export const startHistory = <T = Draft>(present: T): History<T> => ({ past: [], present, future: [], typing: null });

/**
 * The history after an edit. `typing` names the field typed into: consecutive edits of one field are
 * one undo step (typing "1460" is not four). An edit that changes nothing is no step at all.
 */
export function commit<T>(h: History<T>, next: T, typing: string | null = null): History<T> {
  if (next === h.present) return h;
  if (typing !== null && typing === h.typing) return { ...h, present: next, future: [] };
  return { past: [...h.past, h.present].slice(-HISTORY_LIMIT), present: next, future: [], typing };
}

export function undo<T>(h: History<T>): History<T> {
  const prev = h.past.at(-1);
  return prev === undefined
    ? h
    : { past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future], typing: null };
}

export function redo<T>(h: History<T>): History<T> {
  const next = h.future[0];
  return next === undefined
    ? h
    : { past: [...h.past, h.present], present: next, future: h.future.slice(1), typing: null };
}

/** A number field's text as the draft holds it: a number when it reads as one, else the text itself. */
export function numberFromText(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(t) && Number.isFinite(n) ? n : text;
}

/** A file name for a saved scenario: its title in lower case and dashes. */
export function fileNameFor(d: Draft): string {
  const slug = (str(d.title) ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return `${slug || 'scenario'}.json`;
}
