// A headless run that produces one of the command line's formats as a stream of text pieces, a
// bounded amount of work per piece: the worker pulls pieces between its other messages, so an export
// of a long run neither freezes the page nor stops the live session. `tdi-flow run` (src/cli/main.ts)
// writes these same pieces, so a file from the page is byte for byte the command line's.
import { Engine } from '../model/engine.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Api } from '../model/state.ts';
import { TraceRecorder, type TraceChunk } from './records.ts';
import { chromeTraceExporter, jsonlExporter, type StreamExporter } from './exporters.ts';
import { summarize } from './summary.ts';
import { CSV_HEADER, csvRows } from './csv.ts';

import { type ExportFormat } from './exportFormats.ts';
export { EXPORT_FORMATS, isExportFormat, type ExportFormat } from './exportFormats.ts';

export interface ExportOptions {
  /** Stop after every event at or before this time (default: the scenario's end), as --until-us. */
  untilUs?: number;
  /** CSV sample spacing, as --interval-us (default: 1/200 of the run). */
  intervalUs?: number;
  /** The kernel interface the clients use, as --api (default 'tdi'). */
  api?: Api;
}

export interface ExportRun {
  readonly engine: Engine;
  readonly untilUs: number;
  /** Text pieces in order; each comes after a bounded amount of simulation (some are ''). */
  readonly pieces: Generator<string, void, undefined>;
  /** How far the run has come, 0…1. */
  progress(): number;
}

/** Dispatches per slice of a run that writes nothing until it ends (summary, CSV between samples). */
const SLICE = 20_000;

/** engine.runUntil(at) in slices: the same events, the same final clock. */
function* runSliced(engine: Engine, at: number): Generator<string, void, undefined> {
  const limit = Math.min(at, engine.durationUs);
  while (!engine.halted && engine.nextEventUs <= limit) {
    engine.runUntil(at, SLICE);
    yield '';
  }
  engine.runUntil(at);
}

export function createExportRun(scenario: Scenario, format: ExportFormat, opts: ExportOptions = {}): ExportRun {
  const untilUs = opts.untilUs ?? scenario.durationUs;
  const chunks: TraceChunk[] = [];
  const wantsTrace = format === 'jsonl' || format === 'chrome-trace';
  const recorder = wantsTrace ? new TraceRecorder((k) => chunks.push(k)) : null;
  const engine = new Engine(scenario, { trace: recorder, api: opts.api ?? 'tdi' });
  const end = Math.max(1, Math.min(untilUs, scenario.durationUs));

  function* summary(): Generator<string, void, undefined> {
    yield* runSliced(engine, untilUs);
    yield JSON.stringify(summarize(engine), null, 2) + '\n';
  }

  function* csv(): Generator<string, void, undefined> {
    const interval = opts.intervalUs !== undefined ? Math.max(1, Math.floor(opts.intervalUs)) : Math.max(1, Math.round(Math.min(untilUs, scenario.durationUs) / 200));
    yield CSV_HEADER;
    for (let t = 0; ; t += interval) {
      const at = Math.min(t, untilUs, scenario.durationUs);
      yield* runSliced(engine, at);
      yield csvRows(engine);
      if (at >= Math.min(untilUs, scenario.durationUs) || engine.halted) break;
    }
  }

  function* trace(): Generator<string, void, undefined> {
    const exporter: StreamExporter = format === 'jsonl' ? jsonlExporter(engine.topo) : chromeTraceExporter(engine);
    yield exporter.header();
    // The command line's loop: a chunk's worth of events at a time.
    while (!engine.finished && engine.nowUs <= untilUs) {
      const before = engine.dispatchCount;
      while (chunks.length === 0 && !engine.finished && engine.nextEventUs <= untilUs) engine.step();
      if (chunks.length === 0) break;
      for (const k of chunks.splice(0)) {
        yield exporter.chunk(k);
        recorder!.recycle(k);
      }
      if (engine.dispatchCount === before) break;
    }
    recorder!.flush();
    for (const k of chunks.splice(0)) yield exporter.chunk(k);
    yield exporter.footer();
  }

  const pieces = format === 'summary' ? summary() : format === 'csv' ? csv() : trace();
  return { engine, untilUs, pieces, progress: () => Math.min(1, engine.nowUs / end) };
}
