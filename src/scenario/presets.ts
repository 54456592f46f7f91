// The built-in scenarios. Each is a scenario file in presets/; the small ones are bundled, `stress`
// is loaded on demand so the app and an embed do not pay for its 300 KB unless it is picked.
import basics from './presets/basics.json' with { type: 'json' };
import partialCopy from './presets/partial-copy.json' with { type: 'json' };
import race from './presets/race.json' with { type: 'json' };
import herd from './presets/herd.json' with { type: 'json' };
import blocking from './presets/blocking.json' with { type: 'json' };
import cascade from './presets/cascade.json' with { type: 'json' };
import irql from './presets/irql.json' with { type: 'json' };

export const PRESET_NAMES = ['basics', 'partial-copy', 'race', 'herd', 'blocking', 'cascade', 'irql', 'stress'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const bundled: Record<Exclude<PresetName, 'stress'>, unknown> = {
  basics,
  'partial-copy': partialCopy,
  race,
  herd,
  blocking,
  cascade,
  irql,
};

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** The preset's scenario JSON (unvalidated: presets go through the same validation as user files). */
export async function loadPreset(name: PresetName): Promise<unknown> {
  if (name === 'stress') return (await import('./presets/stress.json', { with: { type: 'json' } })).default;
  return structuredClone(bundled[name]);
}

export function presetTitle(name: PresetName): string {
  if (name === 'stress') return 'Stress: 2048 connections';
  return (bundled[name] as { title: string }).title;
}
