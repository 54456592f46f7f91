// Validation: the schema (shapes, ranges) and then the cross-references a schema cannot express.
// Every problem is one line that starts with the JSON path (formats.md: `connections[1].nic: ...`).
import { scenarioSchema, type Scenario } from './schema.ts';
import { reachableFrom } from './graph.ts';

export type Validation = { ok: true; scenario: Scenario } | { ok: false; problems: string[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Parses JSON text; a syntax error is reported with its line and column, never thrown. */
export function parseScenarioText(text: string): Validation {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const { offset, expected } = jsonErrorAt(text);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const col = offset - before.lastIndexOf('\n');
    const found = offset < text.length ? `"${text[offset]}"` : 'the end of the file';
    return { ok: false, problems: [`(root): not valid JSON at line ${line}, column ${col}: expected ${expected}, found ${found}`] };
  }
  return validateScenario(json);
}

export function validateScenario(input: unknown): Validation {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      return `${formatPath(issue.path)}: ${message}`;
    });
    return { ok: false, problems: dedupe(problems) };
  }
  const problems = checkReferences(parsed.data);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, scenario: parsed.data };
}

/**
 * Where JSON text first goes wrong, and what was expected there. JSON.parse says so only in some
 * engines' messages, so this small scanner finds it the same way everywhere.
 */
export function jsonErrorAt(text: string): { offset: number; expected: string } {
  let i = 0;
  class Stop {
    constructor(readonly expected: string) {}
  }
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') throw new Stop('a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') throw new Stop('":"');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') return void i++;
        throw new Stop('"," or "}"');
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') return void i++;
        throw new Stop('"," or "]"');
      }
    }
    if (ch === '"') return string();
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|^(true|false|null)/.exec(text.slice(i));
    if (!m) throw new Stop('a value');
    i += m[0].length;
  };
  const string = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) throw new Stop('no control characters inside a string');
      i++;
    }
    if (i >= text.length) throw new Stop('a closing double quote');
    i++;
  };
  try {
    value();
    ws();
    if (i < text.length) throw new Stop('the end of the file');
    return { offset: text.length, expected: 'valid JSON' };
  } catch (e) {
    return { offset: Math.min(i, text.length), expected: e instanceof Stop ? e.expected : 'valid JSON' };
  }
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}

function checkReferences(s: Scenario): string[] {
  const problems: string[] = [];
  const say = (path: string, message: string): void => {
    problems.push(`${path}: ${message}`);
  };

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

  // Cycles in `lower` (a protocol that is, through its lower drivers, below itself).
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (idValue: string, trail: string[]): void => {
    const st = state.get(idValue);
    if (st === 'done') return;
    if (st === 'visiting') {
      const i = s.drivers.findIndex((d) => d.id === idValue);
      say(`drivers[${i}].lower`, `cycle: ${[...trail.slice(trail.indexOf(idValue)), idValue].join(' → ')}`);
      return;
    }
    state.set(idValue, 'visiting');
    const d = driverById.get(idValue);
    if (d?.kind === 'protocol') for (const l of d.lower) if (driverById.has(l)) visit(l, [...trail, idValue]);
    state.set(idValue, 'done');
  };
  for (const d of s.drivers) visit(d.id, []);
  if (problems.length > 0) return problems; // reachability below needs a sound graph

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

  // R22: free space never exceeds the pool, so a threshold above it would mean no SendPossible ever.
  const thresholdProblem = (threshold: number, t: { id: string; sendBufferBytes: number }): string =>
    `${threshold} B is more than the ${t.sendBufferBytes} B pool of transport "${t.id}": no SendPossible could ever be called`;
  s.transports.forEach((t, i) => {
    if (t.sendPossible.thresholdBytes > t.sendBufferBytes) {
      say(`transports[${i}].sendPossible.thresholdBytes`, thresholdProblem(t.sendPossible.thresholdBytes, t));
    }
  });
  s.policyChanges.forEach((p, i) => {
    const threshold = p.sendPossible?.thresholdBytes;
    if (threshold === undefined) return;
    for (const t of s.transports) {
      if ((p.transport === undefined || p.transport === t.id) && threshold > t.sendBufferBytes) {
        say(`policyChanges[${i}].sendPossible.thresholdBytes`, thresholdProblem(threshold, t));
      }
    }
  });

  s.transports.forEach((t, i) => {
    if (t.abortStatus === 'STATUS_SUCCESS' || t.abortStatus === 'STATUS_PENDING') {
      say(`transports[${i}].abortStatus`, `aborted sends need an error status, not ${t.abortStatus} (R32)`);
    }
  });

  s.clients.forEach((c, i) => {
    if (c.resubmit.from === 'timer' && c.resubmit.delayUs < 1) {
      say(`clients[${i}].resubmit.delayUs`, 'a timer retry needs a delay of at least 1 µs');
    }
  });
  s.faults.forEach((f, i) => {
    if (!stackIds.has(f.driver)) say(`faults[${i}].driver`, `unknown driver or transport "${f.driver}"`);
    if (f.status === 'STATUS_SUCCESS' || f.status === 'STATUS_PENDING') {
      say(`faults[${i}].status`, `a fault needs an error status, not ${f.status}`);
    }
  });
  s.policyChanges.forEach((p, i) => {
    if (p.client !== undefined && !clientIds.has(p.client)) say(`policyChanges[${i}].client`, `unknown client "${p.client}"`);
    if (p.transport !== undefined && !transportById.has(p.transport)) say(`policyChanges[${i}].transport`, `unknown transport "${p.transport}"`);
    if (p.resubmit?.from === 'timer' && p.resubmit.delayUs === 0) say(`policyChanges[${i}].resubmit.delayUs`, 'a timer retry needs a delay of at least 1 µs');
  });
  s.handlerChanges.forEach((h, i) => {
    if (!addressById.has(h.address)) say(`handlerChanges[${i}].address`, `unknown address "${h.address}"`);
  });
  return problems;
}
