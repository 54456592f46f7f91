// A question about the whole current run that the live session cannot answer from its history (it
// keeps the last 262,144 records): the first record matching. It replays the scenario from the start in
// a fresh engine — the scenario already holds the faults and policy changes made by hand, at their place
// in the event order, so the replay is the run on screen (I7). (Exports: src/trace/exportRun.ts.)
import { Engine } from '../model/engine.ts';
import type { Scenario } from '../scenario/schema.ts';
import { TraceRecorder, type TraceChunk } from '../trace/records.ts';
import { decodeRecord, type TraceEvent } from '../trace/names.ts';
import { recordMatches, type RecordMatch } from '../trace/match.ts';
import { RECORD_TABLE, type RecordType } from '../trace/recordTable.ts';

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
