// The embed API's export and seek-to-first replay the run: the export must be the command line's
// text (the golden JSONL is the CLI's jsonl of the full run), and find must return the first match.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadPreset } from '../scenario/presets.ts';
import { validateScenario } from '../scenario/validate.ts';
import { findFirst } from './replay.ts';
import type { Scenario } from '../scenario/schema.ts';

async function preset(name: 'race' | 'cascade'): Promise<Scenario> {
  const v = validateScenario(await loadPreset(name));
  if (!v.ok) throw new Error(v.problems.join('\n'));
  return v.scenario;
}

describe('replay: findFirst', () => {
  it('findFirst returns the first record matching type and fields, null when none', async () => {
    const s = await preset('race');
    const golden = readFileSync(new URL('../scenario/presets/golden/race.jsonl', import.meta.url), 'utf8').trimEnd().split('\n').map((l, i): Record<string, unknown> => ({ seq: i, ...(JSON.parse(l) as object) })); // the golden file leaves seq out: it is the line
    const first = golden.find((e) => e.type === 'send.complete' && e.lostRace === true)!;
    expect(findFirst(s, { type: 'send.complete', where: { lostRace: true } })).toEqual(first);
    expect(findFirst(s, { type: 'address.open' })).toEqual(golden[0]);
    expect(findFirst(s, { type: 'bugcheck' })).toBeNull();
    expect(findFirst(s, { type: 'send.complete', where: { lostRace: true, client: 'nobody' } })).toBeNull();
  });
});
