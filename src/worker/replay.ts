// Questions about the whole current run that the live session cannot answer from its history (it keeps
// the last 262,144 records): export the run up to now, find the first record matching. Both replay the
// scenario from the start in a fresh engine — the scenario already holds the faults and policy changes
// made by hand, so the replay is the run on screen (the engine is deterministic, I7) — and both use
// the command line's exporters (src/cli/main.ts), so a file from the page equals one from `tdi-flow run`.
import { Engine } from '../model/engine.ts';
import type { Scenario } from '../scenario/schema.ts';
import { TraceRecorder, type TraceChunk } from '../trace/records.ts';
import { chromeTraceExporter, jsonlExporter } from '../trace/exporters.ts';
import { summarize } from '../trace/summary.ts';
import { CSV_HEADER, csvRows } from '../trace/csv.ts';
import { decodeRecord, type TraceEvent } from '../trace/names.ts';
import type { TraceExportFormat } from '../protocol/embed.ts';
import { recordMatches, type RecordMatch } from '../trace/match.ts';
import { RECORD_TABLE, type RecordType } from '../trace/recordTable.ts';

/** The run from 0 to untilUs in one of the command line's formats (same text as `tdi-flow run --until-us`). */
export function exportRun(scenario: Scenario, untilUs: number, format: TraceExportFormat): string {
  const end = Math.min(untilUs, scenario.durationUs);
  if (format === 'summary') {
    const engine = new Engine(scenario, { trace: null });
    engine.runUntil(end);
    return JSON.stringify(summarize(engine), null, 2) + '\n';
  }
  if (format === 'csv') {
    const engine = new Engine(scenario, { trace: null });
    const interval = Math.max(1, Math.round(Math.max(1, end) / 200));
    let out = CSV_HEADER;
    for (let t = 0; ; t += interval) {
      const at = Math.min(t, end);
      engine.runUntil(at);
      out += csvRows(engine);
      if (at >= end || engine.halted) break;
    }
    return out;
  }
  const chunks: TraceChunk[] = [];
  const recorder = new TraceRecorder((k) => chunks.push(k));
  const engine = new Engine(scenario, { trace: recorder });
  const exporter = format === 'jsonl' ? jsonlExporter(engine.topo) : chromeTraceExporter(engine);
  const parts = [exporter.header()];
  const drain = () => {
    for (const k of chunks.splice(0)) {
      parts.push(exporter.chunk(k));
      recorder.recycle(k);
    }
  };
  while (!engine.finished && engine.nextEventUs <= end) {
    engine.runUntil(end, 4096);
    drain();
  }
  recorder.flush();
  drain();
  parts.push(exporter.footer());
  return parts.join('');
}

/** The first record matching, replaying from 0 to the end of the scenario (null: none). */
export function findFirst(scenario: Scenario, match: RecordMatch): TraceEvent | null {
  const chunks: TraceChunk[] = [];
  const recorder = new TraceRecorder((k) => chunks.push(k), 4096);
  const engine = new Engine(scenario, { trace: recorder });
  const search = (): TraceEvent | null => {
    for (const k of chunks.splice(0)) {
      for (let i = 0; i < k.length; i++) {
        if (RECORD_TABLE[k.type[i] as RecordType].name !== match.type) continue;
        const ev = decodeRecord(k, i, engine.topo);
        if (recordMatches(match, ev)) return ev;
      }
      recorder.recycle(k);
    }
    return null;
  };
  for (;;) {
    recorder.flush();
    const found = search();
    if (found || engine.finished) return found;
    engine.runUntil(scenario.durationUs, 4096);
  }
}
