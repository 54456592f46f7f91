// Time travel: seeks (from the nearest checkpoint, in slices that yield, with a progress bar and
// Cancel when long), Step and Back at record precision — inside one kernel event too, so a fault's
// cascade unfolds one ClientEventError, one broken connection at a time (docs/model.md § Moments
// between two records).
import { Engine, type Checkpoint } from '../model/engine.ts';
import { R } from '../trace/records.ts';
import { SEEK_PROGRESS_AFTER_MS } from '../protocol/messages.ts';
import type { SessionCore } from './core.ts';

/** A seek's slice: at most this long (real ms) and this many 4,096-event chunks before it yields. */
const SEEK_SLICE_MS = 40;
const SEEK_CHUNKS = 64;

/** A seek under way: it replays toward targetUs in slices, so it can be watched and cancelled. */
interface SeekJob {
  targetUs: number;
  events: number | undefined;
  /** With events: the first state with that many records (a step back), not the state at targetUs. */
  exact: boolean;
  fromUs: number;
  startMs: number;
  /** A seekProgress went out: the page shows a bar until one with done. */
  shown: boolean;
}

export class TimeTravel {
  private job: SeekJob | null = null;
  /**
   * The engine stopped inside an event, its `event`th dispatch. `before`, the state just before that
   * event, is where a step within it or going on starts: found when first needed (a seek that only
   * looks never pays for it).
   */
  private torn: { event: number; before: Checkpoint | null } | null = null;

  constructor(private readonly core: SessionCore) {}

  /** A seek is under way. */
  get seeking(): boolean {
    return this.job !== null;
  }

  /** The engine was replaced (a restore, a load): whatever it had stopped inside is gone with it. */
  engineReplaced(): void {
    this.torn = null;
  }

  /** The timer was taken from a seek under way: it ends where it got to (its bar says cancelled). */
  stopped(): void {
    if (this.job) this.progress(this.job, true, true);
  }

  /** A new run replaces the one a seek under way belongs to: its bar goes, without "cancelled". */
  abandon(): void {
    if (this.job) this.progress(this.job, true);
  }

  /**
   * Step: one record forward (a submission goes with its completion: emit), stopping inside an event
   * when it writes more. Events that write nothing are run on the way.
   */
  step(): void {
    const core = this.core;
    const engine = core.loadedEngine();
    const target = engine.eventCount + 1;
    if (this.torn) {
      // Within the same event: its start again, to one record further (what was sent is not sent again).
      const torn = this.torn;
      const before = this.stateBeforeTornEvent();
      if (core.restoreFrom({ cp: before }).runToRecord(target)) this.torn = { ...torn, before };
    } else if (engine.runToRecord(target)) this.torn = { event: engine.dispatchCount, before: null };
    core.afterRun();
  }

  /** Going on from inside an event (play, End, acting): the rest of that event first. */
  wholeAgain(): void {
    if (!this.torn) return;
    this.core.restoreFrom({ cp: this.stateBeforeTornEvent() }).step();
    this.core.afterRun();
  }

  /**
   * The state just before the event the engine stopped in: replayed headless (no records) from the
   * checkpoint before it, the first time it is needed.
   */
  private stateBeforeTornEvent(): Checkpoint {
    const torn = this.torn!;
    if (torn.before) return torn.before;
    const { scenario, engine, timeline } = this.core;
    const replay = Engine.fromCheckpoint(scenario!, timeline!.beforeDispatch(torn.event - 1).cp, { shapeOf: engine! });
    while (replay.dispatchCount < torn.event - 1 && replay.step());
    torn.before = replay.checkpoint();
    return torn.before;
  }

  /**
   * The exact inverse of a step: back one record (past a submission, which is never a moment of its
   * own), to the first state with that many records — inside an event if that is where it lies —
   * found by a seek to that record count at the record's time.
   */
  stepBack(): void {
    const core = this.core;
    const tl = core.timeline;
    if (!core.engine || !tl) return;
    core.recorder.flush();
    const now = core.engine.eventCount;
    const inHistory = (seq: number): boolean => seq >= tl.histMin && seq <= tl.histMax;
    let count = now - 1;
    while (count > 0 && inHistory(count - 1) && tl.slice(count - 1, count - 1).type[0] === R.SEND_SUBMIT) count--;
    // The records of t = 0 are written before the first checkpoint: no state lies between them.
    count = Math.max(count, tl.marks[0]!.seq);
    if (count >= now) {
      // Nothing before this: the state stays, and a frame says so (a caller waiting on one gets it).
      core.markRewound();
      core.markDirty();
      return;
    }
    const atUs = inHistory(count - 1) ? tl.slice(count - 1, count - 1).t[0]! : core.engine.nowUs;
    this.seek(atUs, count, true);
  }

  /**
   * Time travel: from the nearest checkpoint before the target (or from here, if that is nearer),
   * replayed in slices that yield, so a long seek (far ahead of what was played) shows how far it
   * got, and Pause, Cancel or another seek are obeyed at once.
   */
  seek(timeUs: number, events?: number, exact = false): void {
    const core = this.core;
    const here = core.engine;
    const tl = core.timeline;
    if (!here || !tl) return;
    core.playing = false;
    // A seek that replaces one under way (a drag on the scrubber) takes over its progress bar.
    const previous = this.job;
    this.job = null;
    core.stopTimer();
    const target = Math.max(0, Math.min(Math.round(timeUs), here.durationUs));
    const count = events !== undefined && Number.isInteger(events) && events >= 0 ? events : undefined;
    // With a record count the moment may lie before the target time: from the checkpoint before the
    // earlier of the two (checkpoints are in time and record order alike).
    const byTime = tl.beforeTime(target);
    const bySeq = count === undefined ? byTime : tl.beforeSeq(count);
    const mark = bySeq.dispatch < byTime.dispatch ? bySeq : byTime;
    // Forward from here when no checkpoint lies between: no restore, nothing replayed twice.
    const fromHere = !this.torn && here.nowUs <= target && here.dispatchCount >= mark.dispatch && !here.halted && (count === undefined || here.eventCount < count);
    const engine = fromHere ? here : core.restoreFrom(mark);
    const job: SeekJob = { targetUs: target, events: count, exact, fromUs: engine.nowUs, startMs: previous?.startMs ?? core.host.nowMs(), shown: previous?.shown ?? false };
    this.job = job;
    core.markRewound();
    this.slice(job);
  }

  private slice(job: SeekJob): void {
    if (this.job !== job) return;
    const core = this.core;
    const engine = core.engine!;
    const start = core.host.nowMs();
    let chunks = 0;
    const count = job.events;
    // Every event at or before the target time, then the clock at the target; with a record count,
    // up to the first state with that many records (inside an event if need be), if it comes first.
    let moved = true; // more may lie at or before the target
    const more = (): boolean =>
      count === undefined ? !engine.finished && engine.nextEventUs <= job.targetUs : moved && !engine.torn && engine.eventCount < count;
    while (more() && chunks < SEEK_CHUNKS && core.host.nowMs() - start < SEEK_SLICE_MS) {
      if (count === undefined) engine.runUntil(job.targetUs, 4096);
      else {
        const from = engine.dispatchCount;
        engine.runToRecord(count, job.targetUs, 4096);
        moved = engine.dispatchCount !== from || engine.torn;
      }
      core.afterRun();
      chunks++;
    }
    if (more()) {
      if (job.shown || core.host.nowMs() - job.startMs >= SEEK_PROGRESS_AFTER_MS) {
        job.shown = true;
        this.progress(job, false);
        // Every frame of a seek shows a moment travelled to, not play: the page neither animates nor
        // narrates the replay, and its log is rebuilt from the history.
        core.markRewound();
        core.markDirty();
      }
      // A short seek sends no frame of the way (#16): the page would draw a moment nobody asked for,
      // and the one asked for would wait behind it (one frame in flight at a time).
      core.setTimer(() => this.slice(job), 1); // 1 ms: a real yield, on any clock
      return;
    }
    if (engine.torn) this.torn = { event: engine.dispatchCount, before: null };
    else if (count !== undefined && engine.eventCount === count) {
      if (!job.exact) this.settleAtCount(count, job.targetUs);
    } else if (count === undefined || engine.eventCount < count) engine.runUntil(job.targetUs);
    // else: one record past the count, a submission's completion (emit): the first state with at least that many.
    this.progress(job, true);
    core.markRewound();
    core.markDirty();
  }

  /**
   * The engine has just made exactly `count` records, at or before `targetUs`. A step left the sender
   * part-way through an instant when more records follow by the target: then this state (the first
   * with that many, what a step forward or back leaves) is the moment; otherwise the state at the
   * target is. Looked ahead to the next record from a copy of this state, not replayed again.
   */
  private settleAtCount(count: number, targetUs: number): void {
    const core = this.core;
    const engine = core.engine!;
    const cp = engine.checkpoint();
    while (engine.eventCount === count && engine.step(targetUs));
    if (engine.eventCount === count) {
      engine.runUntil(targetUs);
      return;
    }
    core.recorder.flush(); // the records up to this state go into the history the log is rebuilt from
    core.restoreFrom({ cp });
  }

  /** How far a seek got; `done`: it is over (reached, or stopped where it got to), told only to a page showing its bar. */
  private progress(job: SeekJob, done: boolean, cancelled = false): void {
    if (done) {
      if (this.job !== job) return;
      this.job = null;
      if (!job.shown) return;
    }
    const atUs = this.core.engine!.nowUs;
    const fraction = Math.max(0, Math.min(1, (atUs - job.fromUs) / Math.max(1, job.targetUs - job.fromUs)));
    this.core.host.post({ op: 'seekProgress', targetUs: job.targetUs, atUs, fraction, done, cancelled });
  }
}
