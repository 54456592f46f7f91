// The built-in scenarios. Each is a scenario file in presets/, loaded when it is picked: the app and
// an embed pay for the one they show (stress alone is 300 KB), not for all eight.
import type { Scenario } from './schema.ts';
export const PRESET_NAMES = ['basics', 'partial-copy', 'race', 'herd', 'blocking', 'cascade', 'irql', 'stress'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/**
 * A preset's module. The app's build checks each preset as a file is checked (vite.config.ts,
 * checkedPresets) and ships the checked scenario with `checked: true`, so the worker starts it without
 * the validator and its schema library (#19, the worker's first load); elsewhere (the CLI, under Node)
 * it is the file as written.
 */
type PresetModule = { default: unknown; checked?: boolean };

const LOADERS: Record<PresetName, () => Promise<PresetModule>> = {
  basics: () => import('./presets/basics.json', { with: { type: 'json' } }),
  'partial-copy': () => import('./presets/partial-copy.json', { with: { type: 'json' } }),
  race: () => import('./presets/race.json', { with: { type: 'json' } }),
  herd: () => import('./presets/herd.json', { with: { type: 'json' } }),
  blocking: () => import('./presets/blocking.json', { with: { type: 'json' } }),
  cascade: () => import('./presets/cascade.json', { with: { type: 'json' } }),
  irql: () => import('./presets/irql.json', { with: { type: 'json' } }),
  stress: () => import('./presets/stress.json', { with: { type: 'json' } }),
};

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** The preset's scenario JSON (unvalidated: presets go through the same validation as user files). */
export async function loadPreset(name: PresetName): Promise<unknown> {
  return structuredClone((await LOADERS[name]()).default);
}

/** The preset as the build checked it (defaults filled in), or null where nothing checked it yet. */
export async function loadCheckedPreset(name: PresetName): Promise<Scenario | null> {
  const m = await LOADERS[name]();
  return m.checked === true ? (structuredClone(m.default) as Scenario) : null;
}

export async function presetTitle(name: PresetName): Promise<string> {
  return ((await LOADERS[name]()).default as { title: string }).title;
}
