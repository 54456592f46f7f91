// The embed API's export and seek-to-first replay the run: the export must be the command line's
// text (the golden JSONL is the CLI's jsonl of the full run), and find must return the first match.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadPreset } from '../scenario/presets.ts';
import { validateScenario } from '../scenario/validate.ts';
import { exportRun, findFirst } from './replay.ts';
import type { Scenario } from '../scenario/schema.ts';

async function preset(name: 'race' | 'cascade'): Promise<Scenario> {
  const v = validateScenario(await loadPreset(name));
  if (!v.ok) throw new Error(v.problems.join('\n'));
  return v.scenario;
}

describe('replay: exportRun and findFirst', () => {
  it('jsonl of the whole run equals the golden trace (the CLI output)', async () => {
    const s = await preset('race');
    expect(exportRun(s, s.durationUs, 'jsonl')).toBe(readFileSync(new URL('../scenario/presets/golden/race.jsonl', import.meta.url), 'utf8'));
  });

  it('jsonl up to a time holds exactly the records at or before it', async () => {
    const s = await preset('race');
    const golden = readFileSync(new URL('../scenario/presets/golden/race.jsonl', import.meta.url), 'utf8').trimEnd().split('\n');
    const upTo = golden.filter((l) => (JSON.parse(l) as { t: number }).t <= 5000);
    expect(exportRun(s, 5000, 'jsonl').trimEnd().split('\n')).toEqual(upTo);
  });

  it('chrome-trace, csv and summary parse, and the summary counts what the trace shows', async () => {
    const s = await preset('race');
    const chrome = JSON.parse(exportRun(s, 8000, 'chrome-trace')) as { traceEvents: unknown[] };
    expect(chrome.traceEvents.length).toBeGreaterThan(10);
    const csv = exportRun(s, 8000, 'csv').trimEnd().split('\n');
    expect(csv[0]).toMatch(/^t_us,kind,id,/);
    expect(Number(csv.at(-1)!.split(',')[0])).toBe(8000);
    const summary = JSON.parse(exportRun(s, s.durationUs, 'summary')) as { total: { lostRaces: number } };
    const lost = readFileSync(new URL('../scenario/presets/golden/race.jsonl', import.meta.url), 'utf8').split('\n').filter((l) => l.includes('"lostRace":true')).length;
    expect(summary.total.lostRaces).toBe(lost);
  });

  it('findFirst returns the first record matching type and fields, null when none', async () => {
    const s = await preset('race');
    const golden = readFileSync(new URL('../scenario/presets/golden/race.jsonl', import.meta.url), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const first = golden.find((e) => e.type === 'send.complete' && e.lostRace === true)!;
    expect(findFirst(s, { type: 'send.complete', where: { lostRace: true } })).toEqual(first);
    expect(findFirst(s, { type: 'address.open' })).toEqual(golden[0]);
    expect(findFirst(s, { type: 'bugcheck' })).toBeNull();
    expect(findFirst(s, { type: 'send.complete', where: { lostRace: true, client: 'nobody' } })).toBeNull();
  });
});
