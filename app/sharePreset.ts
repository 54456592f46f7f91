// A share link for a preset carries what changed, not the whole scenario (stress alone is 340 KB):
// the scenario is the preset as validation completes it (the form the worker echoes back), plus a
// diff of its top-level fields. Loaded on demand: it brings the scenario validator and the preset.
import { isPresetName, loadPreset } from '../src/scenario/presets.ts';
import { validateScenario } from '../src/scenario/validate.ts';

/**
 * What changed from the preset, per top-level field of the scenario: `add` — items appended to a list
 * (faults and policy changes made by hand), `set` — a field replaced whole, `del` — a field left out.
 */
export interface ScenarioDiff {
  add?: Record<string, unknown[]>;
  set?: Record<string, unknown>;
  del?: string[];
}

export interface PresetBase {
  scenario: Record<string, unknown>;
  /** FNV-1a of its JSON, 8 hex digits: a link made from another version of the preset is told apart. */
  hash: string;
}

const bases = new Map<string, Promise<PresetBase | null>>();

/** The preset as the worker loads it (validated, defaults filled in); null for no such preset. */
export function presetBase(name: string): Promise<PresetBase | null> {
  let base = bases.get(name);
  if (!base) {
    base = (async () => {
      if (!isPresetName(name)) return null;
      const v = validateScenario(await loadPreset(name));
      if (!v.ok) return null;
      const scenario = v.scenario as unknown as Record<string, unknown>;
      return { scenario, hash: fnv1a(JSON.stringify(scenario)) };
    })();
    bases.set(name, base);
  }
  return base;
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The diff that turns `base` into `scenario`; null when `scenario` is not an object. */
export function diffScenario(base: Record<string, unknown>, scenario: unknown): ScenarioDiff | null {
  if (!isObject(scenario)) return null;
  const diff: ScenarioDiff = {};
  for (const [k, v] of Object.entries(scenario)) {
    const was = base[k];
    const json = JSON.stringify(v);
    if (json === JSON.stringify(was)) continue;
    if (Array.isArray(v) && Array.isArray(was) && v.length > was.length && JSON.stringify(v.slice(0, was.length)) === JSON.stringify(was)) {
      (diff.add ??= {})[k] = v.slice(was.length);
    } else {
      (diff.set ??= {})[k] = v;
    }
  }
  const gone = Object.keys(base).filter((k) => !(k in scenario));
  if (gone.length) diff.del = gone;
  return diff;
}

/**
 * `base` with `diff` applied; a diff that makes no sense is named in `problems` and the rest applied.
 * The result goes through the worker's validation like any scenario.
 */
export function applyScenarioDiff(base: Record<string, unknown>, diff: unknown, problems: string[]): Record<string, unknown> {
  const out = structuredClone(base);
  if (diff === undefined) return out;
  if (!isObject(diff)) {
    problems.push("The link's changes to the preset are not an object: the preset is shown as it is.");
    return out;
  }
  if (diff.add !== undefined) {
    if (!isObject(diff.add)) problems.push("The link's added items (add) are not an object of lists: left out.");
    else {
      for (const [k, items] of Object.entries(diff.add)) {
        const list = out[k];
        if (Array.isArray(items) && Array.isArray(list)) list.push(...structuredClone(items));
        else problems.push(`The link adds to ${k}, which is not a list in the preset: left out.`);
      }
    }
  }
  if (diff.set !== undefined) {
    if (!isObject(diff.set)) problems.push("The link's replaced fields (set) are not an object: left out.");
    else for (const [k, v] of Object.entries(diff.set)) out[k] = structuredClone(v);
  }
  if (diff.del !== undefined) {
    if (!Array.isArray(diff.del) || !diff.del.every((k) => typeof k === 'string')) problems.push("The link's removed fields (del) are not a list of names: left out.");
    else for (const k of diff.del as string[]) delete out[k];
  }
  return out;
}
