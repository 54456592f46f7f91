// The connections of a big scenario, checked without zod when they are plainly valid. zod costs
// ~20 µs per connection (a schema walk, a context and an issue list each): 2 s of a 102,400-
// connection load (issue 18). This accepts exactly what the `connection` schema accepts in the
// common case — a plain object, known fields, values of the right type and range, nothing odd — and
// returns what zod would return (defaults filled, fields in the schema's order). Anything else (a
// wrong value, an unknown field, an undefined one, a getter) is left to zod, which names the problem:
// this never rejects, so it never has to say why. fastConnections.test.ts checks it against zod.
import { SEND_FLAG_NAMES } from '../base/status.ts';

const ID = /^[A-Za-z0-9_.:-]+$/;
const FLAGS = new Set<string>(SEND_FLAG_NAMES);
const CONNECTION_KEYS = new Set(['id', 'address', 'nic', 'sends', 'generator']);
const SEND_KEYS = new Set(['atUs', 'bytes', 'flags']);
const GENERATOR_KEYS = new Set(['startUs', 'everyUs', 'bytes', 'count', 'flags', 'jitterUs']);

const isId = (v: unknown): v is string => typeof v === 'string' && v.length >= 1 && v.length <= 64 && ID.test(v);
const isIntAtLeast = (v: unknown, min: number): v is number => Number.isSafeInteger(v) && (v as number) >= min;

/** A plain data object (what JSON.parse or a literal makes) whose own keys are all in `known`, none undefined. */
function plainWith(v: unknown, known: ReadonlySet<string>): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k in v) {
    if (!Object.hasOwn(v, k)) return false;
    const d = Object.getOwnPropertyDescriptor(v, k)!;
    if (!known.has(k) || !('value' in d) || d.value === undefined) return false;
  }
  // Symbol keys and non-enumerable ones are zod's to judge.
  return Object.getOwnPropertyNames(v).length === Object.keys(v).length && Object.getOwnPropertySymbols(v).length === 0;
}

/** A plain array (no holes, no extra properties). */
function plainArray(v: unknown): v is unknown[] {
  return Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype && Object.getOwnPropertyNames(v).length === v.length + 1;
}

function flagsOf(v: unknown): string[] | null {
  if (v === undefined) return [];
  if (!plainArray(v)) return null;
  const out: string[] = [];
  for (const f of v) {
    if (typeof f !== 'string' || !FLAGS.has(f)) return null;
    out.push(f);
  }
  return out;
}

/** One connection as the schema outputs it, or null: let zod check it (and name what is wrong). */
export function fastConnection(v: unknown): Record<string, unknown> | null {
  if (!plainWith(v, CONNECTION_KEYS)) return null;
  if (!isId(v.id) || !isId(v.address) || !isId(v.nic)) return null;
  const out: Record<string, unknown> = { id: v.id, address: v.address, nic: v.nic };
  if (v.sends === undefined) out.sends = [];
  else {
    if (!plainArray(v.sends)) return null;
    const sends: unknown[] = [];
    for (const s of v.sends) {
      if (!plainWith(s, SEND_KEYS) || !isIntAtLeast(s.atUs, 0) || !isIntAtLeast(s.bytes, 1)) return null;
      const flags = flagsOf(s.flags);
      if (!flags) return null;
      sends.push({ atUs: s.atUs, bytes: s.bytes, flags });
    }
    out.sends = sends;
  }
  if (v.generator !== undefined) {
    const g = v.generator;
    if (!plainWith(g, GENERATOR_KEYS)) return null;
    if (!isIntAtLeast(g.startUs, 0) || !isIntAtLeast(g.everyUs, 1) || !isIntAtLeast(g.bytes, 1) || !isIntAtLeast(g.count, 0)) return null;
    if (g.jitterUs !== undefined && !isIntAtLeast(g.jitterUs, 0)) return null;
    const flags = flagsOf(g.flags);
    if (!flags) return null;
    out.generator = { startUs: g.startUs, everyUs: g.everyUs, bytes: g.bytes, count: g.count, flags, jitterUs: g.jitterUs ?? 0 };
  }
  return out;
}
