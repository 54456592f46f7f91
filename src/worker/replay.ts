// A question about the whole current run that the live session cannot answer from its history (it
// keeps the last 262,144 records): the first record matching. It replays the scenario from the start in
// a fresh engine — the scenario already holds the faults and policy changes made by hand, at their place
// in the event order, so the replay is the run on screen (I7). (Exports: src/trace/exportRun.ts.)
import type { Scenario } from '../scenario/schema.ts';
import type { TraceEvent } from '../trace/names.ts';
import type { RecordMatch } from '../trace/match.ts';
import { runToMoment } from '../lesson/run.ts';
import type { Api } from '../model/state.ts';

/** The first record matching, or null: a lesson's "the first …" trigger (one replay loop for both). */
export function findFirst(scenario: Scenario, match: RecordMatch, api: Api = 'tdi'): TraceEvent | null {
  return runToMoment(scenario, { record: match, nth: 1, from: 'start' }, 0, null, api).record;
}
