// The docs and the property tests' generators are part of the contract (#19): a new record type or
// scenario option that docs/formats.md, docs/scenario.md or scenario/arbitrary.ts misses fails here,
// naming what is missing — nothing has to be remembered.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { R, RECORD_TABLE, type RecordType } from './trace/recordTable.ts';
import { scenarioSchema } from './scenario/schema.ts';
import { scenarioArb } from './scenario/arbitrary.ts';

const doc = (name: string): string => readFileSync(new URL(`../docs/${name}`, import.meta.url), 'utf8');
/** The part of a Markdown document under a heading, up to the next heading of the same or a higher level. */
function section(text: string, heading: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^#+ /.test(l) && l.replace(/^#+ /, '') === heading);
  if (start < 0) return '';
  const level = lines[start]!.match(/^#+/)![0].length;
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.match(/^#+/)![0].length <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}
const quoted = (text: string): Set<string> => new Set([...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));

/** Every key path of a zod/mini schema ("drivers[].linkBytesPerMs"), walking objects, arrays, unions and wrappers. */
type Def = { type: string; shape?: Record<string, Node>; element?: Node; innerType?: Node; options?: Node[]; in?: Node };
type Node = { _zod: { def: Def } };
function schemaPaths(node: Node, at = '', out = new Set<string>()): Set<string> {
  const def = node._zod.def;
  if (def.type === 'object') {
    for (const [k, v] of Object.entries(def.shape!)) {
      out.add(at + k);
      schemaPaths(v, `${at}${k}.`, out);
    }
  } else if (def.type === 'array') schemaPaths(def.element!, `${at.replace(/\.$/, '')}[].`, out);
  else if (def.type === 'union') for (const o of def.options!) schemaPaths(o, at, out);
  else if (def.innerType) schemaPaths(def.innerType, at, out);
  else if (def.in) schemaPaths(def.in, at, out);
  return out;
}
/** The key paths a value uses, in the same notation. */
function valuePaths(v: unknown, at = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) valuePaths(x, `${at.replace(/\.$/, '')}[].`, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.add(at + k);
      valuePaths(x, `${at}${k}.`, out);
    }
  }
  return out;
}

const SCENARIO_PATHS = schemaPaths(scenarioSchema as unknown as Node);
/**
 * Options the generators leave out on purpose, and why. `afterKernelEvents` is a place in one run's
 * event order that only the app writes when acting by hand; the engine's own tests drive it
 * (src/model/corners.test.ts, the session's fork tests).
 */
const NOT_GENERATED: Record<string, string> = {
  'faults[].afterKernelEvents': 'a place in one run’s event order, written by the app',
  'policyChanges[].afterKernelEvents': 'a place in one run’s event order, written by the app',
};

describe('the record table and the scenario schema are the contract the docs and generators follow', () => {
  it('finds what it checks: every R number has a table entry, and the walk finds the nested scenario options', () => {
    const types = Object.values(R) as RecordType[];
    expect(types.length).toBeGreaterThan(10);
    expect(Object.keys(RECORD_TABLE).map(Number).sort((a, b) => a - b)).toEqual([...types].sort((a, b) => a - b));
    expect(SCENARIO_PATHS).toContain('transports[].sendPossible.thresholdBytes');
    expect(SCENARIO_PATHS).toContain('connections[].generator.jitterUs');
    expect(SCENARIO_PATHS.size).toBeGreaterThan(60);
  });

  it('docs/formats.md § Record types names every record type', () => {
    const table = quoted(section(doc('formats.md'), 'Record types'));
    expect(table.size).toBeGreaterThan(10);
    const missing = (Object.values(R) as RecordType[]).map((t) => RECORD_TABLE[t].name).filter((n) => !table.has(n));
    expect(missing).toEqual([]);
  });

  it('docs/scenario.md names every option of the scenario schema (as `key`, `parent.key` or a `parent.key…` below it)', () => {
    const named = [...quoted(doc('scenario.md'))];
    const documented = (path: string): boolean => {
      const parts = path.replaceAll('[]', '').split('.');
      // Its key, or the key with the objects it sits in ("sendPossible.notify"), or an option inside it ("onError.closeAfterUs").
      return parts.some((_, i) => {
        const tail = parts.slice(i).join('.');
        return named.some((q) => q === tail || q.startsWith(`${tail}.`));
      });
    };
    const missing = [...SCENARIO_PATHS].filter((p) => !documented(p));
    expect(missing).toEqual([]);
  });

  it('scenario/arbitrary.ts generates every option of the schema, or the test says why not', () => {
    const generated = new Set<string>();
    for (const s of fc.sample(scenarioArb, { numRuns: 400, seed: 19 })) valuePaths(s, '', generated);
    const missing = [...SCENARIO_PATHS].filter((p) => !generated.has(p) && !(p in NOT_GENERATED));
    expect(missing).toEqual([]);
    // Nothing is excused that is generated after all, or no longer exists.
    for (const p of Object.keys(NOT_GENERATED)) {
      expect(SCENARIO_PATHS).toContain(p);
      expect(generated).not.toContain(p);
    }
  });
});
