// Where a lesson step's moment is, and what happened on the way there: the scenario replayed from the
// start in a headless engine (the run on screen, I7), stopped at the step's trigger. The worker answers
// `lessonRun` with this (loaded on demand); the tests play whole lessons with it in Node.
import { Engine } from '../model/engine.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Api } from '../model/state.ts';
import { TraceRecorder, type TraceChunk } from '../trace/records.ts';
import { decodeRecord, type TraceEvent } from '../trace/names.ts';
import { recordMatches, type RecordMatch } from '../trace/match.ts';
import { RECORD_TABLE, type RecordType } from '../trace/recordTable.ts';
import { R } from '../trace/records.ts';

/**
 * A trigger that runs the model (a `next` step has none: it stays at the previous moment). `before`:
 * the moment is just before the record (its seq records shown), not just after it.
 */
export type RunTrigger = { record: RecordMatch; nth: number; from: 'previous' | 'start'; before?: boolean } | { atUs: number };

/**
 * A step's moment: seek(timeUs, { events }) shows the state with exactly `events` records. Just
 * before a record, timeUs is the time of the record before it (so a seek by time and count lands
 * there whether or not the record is the first of its instant).
 */
export interface LessonMoment {
  timeUs: number;
  events: number;
  /** The record that was the trigger (shown, or next to be shown with `before`); null for a time, or when the run ended without it. */
  record: TraceEvent | null;
  /** A record trigger that never happened: the moment is where the run stopped. */
  missed: boolean;
  /** The records matching `collect`, from `fromSeq` up to and including the moment, oldest first. */
  collected: TraceEvent[];
}

/** Records a question may read, at most (a query over more is cut here: the lesson is a teaching aid). */
export const MAX_COLLECTED = 50_000;

/**
 * Runs `scenario` from the start to the trigger, counting a record trigger's matches from seq
 * `fromSeq` (from: 'previous') or 0, and collecting the records matching `collect` with seq ≥ fromSeq,
 * with the clients on `api` (the run on screen's: TDI, or WSK #20).
 */
export function runToMoment(scenario: Scenario, trigger: RunTrigger, fromSeq: number, collect: RecordMatch | null = null, api: Api = 'tdi'): LessonMoment {
  const chunks: TraceChunk[] = [];
  const recorder = new TraceRecorder((k) => chunks.push(k), 4096);
  const engine = new Engine(scenario, { trace: recorder, api });
  const collected: TraceEvent[] = [];
  const byTime = 'atUs' in trigger;
  const countFrom = byTime ? 0 : trigger.from === 'start' ? 0 : fromSeq;
  let seen = 0;
  let found: TraceEvent | null = null;
  const before = !byTime && trigger.before === true;
  /**
   * The two records read last before the trigger: stopping before it, the moment's time is the one
   * before it — or, when that is the trigger's own submission (a TDI_SEND is never shown apart from
   * its completion: Engine.runToRecord), the one before that, and the submission is not shown either.
   */
  let last = { t: 0, submit: false };
  let lastButOne = { t: 0, submit: false };
  let foundBefore = { events: 0, timeUs: 0 };

  /** Reads the chunks written so far; returns true when the trigger was found. */
  const read = (limitT: number): boolean => {
    for (const k of chunks.splice(0)) {
      for (let i = 0; i < k.length; i++) {
        const seq = k.firstSeq + i;
        if (byTime && k.t[i]! > limitT) continue;
        const prev = last;
        const prevButOne = lastButOne;
        lastButOne = last;
        last = { t: k.t[i]!, submit: k.type[i] === R.SEND_SUBMIT };
        const name = RECORD_TABLE[k.type[i] as RecordType].name;
        const wantCollect = collect !== null && seq >= fromSeq && name === collect.type && collected.length < MAX_COLLECTED;
        const wantTrigger = !byTime && seq >= countFrom && name === trigger.record.type;
        if (!wantCollect && !wantTrigger) continue;
        const ev = decodeRecord(k, i, engine.topo);
        if (wantCollect && recordMatches(collect, ev)) collected.push(ev);
        if (wantTrigger && recordMatches(trigger.record, ev) && ++seen === trigger.nth) {
          found = ev;
          foundBefore = prev.submit && ev.seq > 0 ? { events: ev.seq - 1, timeUs: ev.seq > 1 ? prevButOne.t : 0 } : { events: ev.seq, timeUs: ev.seq > 0 ? prev.t : 0 };
          // Records after the trigger (and, stopping before it, the trigger itself) are not part of this step.
          const shownLast = before ? foundBefore.events - 1 : ev.seq;
          if (collect) for (let j = collected.length - 1; j >= 0 && collected[j]!.seq > shownLast; j--) collected.pop();
          return true;
        }
      }
      recorder.recycle(k);
    }
    return false;
  };

  if (byTime) {
    const target = Math.min(trigger.atUs, scenario.durationUs);
    while (!engine.finished && engine.nextEventUs <= target) engine.runUntil(target, 4096);
    engine.runUntil(target);
    recorder.flush();
    read(target);
    return { timeUs: target, events: engine.eventCount, record: null, missed: false, collected };
  }
  for (;;) {
    recorder.flush();
    if (read(Infinity)) {
      const rec = found as TraceEvent | null;
      if (before) return { ...foundBefore, record: rec, missed: false, collected };
      return { timeUs: rec!.t, events: rec!.seq + 1, record: rec, missed: false, collected };
    }
    if (engine.finished) return { timeUs: engine.nowUs, events: engine.eventCount, record: null, missed: true, collected };
    engine.runUntil(scenario.durationUs, 4096);
  }
}
