// The event log reads the record table: rows, groups, filters by client, connection and status.
import { describe, expect, it } from 'vitest';
import { loadPreset } from '../../src/scenario/presets.ts';
import { validateScenario } from '../../src/scenario/validate.ts';
import { Engine } from '../../src/model/engine.ts';
import { TraceRecorder, type TraceChunk } from '../../src/trace/records.ts';
import { LogModel, NO_FILTER } from './logModel.ts';

async function logOf(name: 'cascade' | 'race'): Promise<LogModel> {
  const v = validateScenario(await loadPreset(name));
  if (!v.ok) throw new Error(v.problems.join('\n'));
  const chunks: TraceChunk[] = [];
  const recorder = new TraceRecorder((k) => chunks.push(k), 4096);
  const engine = new Engine(v.scenario, { trace: recorder });
  engine.runUntil(v.scenario.durationUs);
  recorder.flush();
  const log = new LogModel(engine.topo);
  for (const k of chunks) log.append({ ...k, droppedEvents: 0 });
  return log;
}

const rows = (log: LogModel) => Array.from({ length: log.visibleCount }, (_, i) => log.event(log.visibleAt(i)));

describe('event log', () => {
  it('R2: the error filter keeps failed calls and drops successful handler registrations', async () => {
    const log = await logOf('cascade');
    expect(rows(log).filter((e) => e.type === 'handler.register' && e.status === 'STATUS_SUCCESS').length).toBeGreaterThan(0);
    log.setFilter({ ...NO_FILTER, status: 'error' });
    const shown = rows(log);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((e) => e.status === 'STATUS_SUCCESS')).toEqual([]);
  });

  it('R30: filtering by client A shows its address and connection rows, and no other client', async () => {
    const log = await logOf('cascade');
    log.setFilter({ ...NO_FILTER, client: 0 });
    const shown = rows(log);
    expect(shown.map((e) => e.type)).toContain('callback.error');
    expect(shown.filter((e) => e.client !== undefined && e.client !== 'A')).toEqual([]);
  });

  it('R24: a lost race row reads as the C call, with the bytes it was told, and as a sentence', async () => {
    const log = await logOf('race');
    log.setFilter({ ...NO_FILTER, groups: new Set(['sends']) });
    const i = rows(log).findIndex((e) => e.lostRace === true);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(log.text(log.visibleAt(i))).toMatch(/^↻ TDI_SEND\(B1, \d+, NON_BLOCKING\) → .*⚠ lost race \(told \d+\)$/);
    expect(log.sentence(log.visibleAt(i))).toMatch(/^B1's resubmission lost the race/);
  });
});
