// The chrome-trace export over every preset: flow arrows join each SendPossible call to the
// resubmission it caused (R24/R25), each with its own id.
import { describe, expect, it } from 'vitest';
import { PRESET_NAMES, loadPreset } from '../scenario/presets.ts';
import { validateScenario } from '../scenario/validate.ts';
import { Engine } from '../model/engine.ts';
import { TraceRecorder, type TraceChunk } from './records.ts';
import { chromeTraceExporter } from './exporters.ts';
import { checkChromeFlows } from './chromeFlows.ts';

async function chromeTrace(name: (typeof PRESET_NAMES)[number], untilUs?: number): Promise<string> {
  const v = validateScenario(await loadPreset(name));
  if (!v.ok) throw new Error(v.problems.join('\n'));
  const chunks: TraceChunk[] = [];
  const recorder = new TraceRecorder((k) => chunks.push(k), 4096);
  const engine = new Engine(v.scenario, { trace: recorder });
  const exporter = chromeTraceExporter(engine);
  engine.runUntil(untilUs ?? v.scenario.durationUs);
  recorder.flush();
  return exporter.header() + chunks.map((k) => exporter.chunk(k)).join('') + exporter.footer();
}

type Ev = { ph: string; name: string; id?: number; pid?: number; tid?: number; ts: number };

describe('chrome-trace flows', () => {
  // stress is cut to its first 5 ms: enough SendPossible calls, a fraction of the time.
  it.each(PRESET_NAMES)('R24/R25: %s — one arrow start per SendPossible call, each resubmit ends one earlier start on its connection', async (name) => {
    const text = await chromeTrace(name, name === 'stress' ? 5000 : undefined);
    expect(checkChromeFlows(text)).toEqual([]);
    const events = (JSON.parse(text) as { traceEvents: Ev[] }).traceEvents;
    const calls = events.filter((e) => e.ph === 'X' && e.name.startsWith('ClientEventSendPossible'));
    expect(events.filter((e) => e.ph === 's')).toHaveLength(calls.length);
  });

  it.each(['race', 'herd'] as const)('R24: %s draws resubmit arrows from several SendPossible calls', async (name) => {
    const events = (JSON.parse(await chromeTrace(name)) as { traceEvents: Ev[] }).traceEvents;
    expect(events.filter((e) => e.ph === 's').length).toBeGreaterThan(1);
    expect(events.filter((e) => e.ph === 'f').length).toBeGreaterThan(1);
  });
});

describe('checkChromeFlows', () => {
  const trace = (...traceEvents: Omit<Ev, 'name'>[]) => ({ traceEvents });
  it('accepts a start without an end (a SendPossible no resubmission followed)', () => {
    expect(checkChromeFlows(trace({ ph: 's', id: 0, pid: 2, tid: 1, ts: 5 }))).toEqual([]);
  });
  it('R24: names an end with no start, a shared start id, an end on another track, a second end', () => {
    expect(checkChromeFlows(trace({ ph: 'f', id: 3, pid: 2, tid: 1, ts: 5 }))).toHaveLength(1);
    expect(checkChromeFlows(trace({ ph: 's', id: 0, pid: 2, tid: 1, ts: 5 }, { ph: 's', id: 0, pid: 2, tid: 2, ts: 5 }))).toHaveLength(1);
    expect(checkChromeFlows(trace({ ph: 's', id: 0, pid: 2, tid: 1, ts: 5 }, { ph: 'f', id: 0, pid: 2, tid: 2, ts: 9 }))).toHaveLength(1);
    expect(checkChromeFlows(trace({ ph: 's', id: 0, pid: 2, tid: 1, ts: 5 }, { ph: 'f', id: 0, pid: 2, tid: 1, ts: 9 }, { ph: 'f', id: 0, pid: 2, tid: 1, ts: 9 }))).toHaveLength(1);
  });
});
