// What runs in the Web Worker: one engine, paced against real time, streaming frames. The clock and
// the timer are injected (the worker entry passes its real clock and setTimeout), so the engine
// itself never reads the wall clock (I7) and the session runs in Node tests as it does in a worker.
import { checkCommand } from '../protocol/checkCommand.ts';
import { Engine, useStateCodec, type Checkpoint } from '../model/engine.ts';
import { loadPreset } from '../scenario/presets.ts';
import { validateFault, validatePolicyChange, validateScenario, validateSeed, type Checked } from '../scenario/validate.ts';
import type { StatusName } from '../base/status.ts';
import type { Scenario } from '../scenario/schema.ts';
import { R, TraceRecorder, allocColumns, copyRange, type TraceChunk } from '../trace/records.ts';
import { Timeline } from './timeline.ts';
import type { ExportRun } from '../trace/exportRun.ts';
import {
  BIG_LOAD_CONNECTIONS,
  FRAME_EVENT_LIMIT,
  PENDING_FRAME_LIMIT,
  PROTOCOL_VERSION,
  SEEK_PROGRESS_AFTER_MS,
  frameTransferables,
  type Command,
  type Commands,
  type Event,
  type Frame,
  type WorkerLoadStage,
} from '../protocol/messages.ts';

export interface SessionHost {
  post(message: Event, transfer?: ArrayBuffer[]): void;
  nowMs(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/**
 * What only some requests need (why-chains and the record table behind them, the summary, exports,
 * find) loads on first use: the worker's first load, before the first frame, stays small (the embed
 * has a budget for it). A request's answer then comes a moment later, as every answer may.
 */
const onDemand = {
  why: () => Promise.all([import('../trace/why.ts'), import('../trace/names.ts')]),
  summary: () => import('../trace/summary.ts'),
  exportRun: () => import('../trace/exportRun.ts'),
  replay: () => import('./replay.ts'),
  lesson: () => import('../lesson/run.ts'),
  rows: () => import('./rows.ts'),
  search: () => Promise.all([import('./search.ts'), import('../trace/rowFilter.ts')]),
  stateCopy: () => import('../model/stateCopy.ts'),
};

/**
 * Real milliseconds the model may use per tick before it yields and reports it is behind (#10): short
 * ticks end often, so a frame can go out soon after the page asks for one.
 */
export const TICK_BUDGET_MS = 6;
const TICK_MS = 6;
/**
 * Behind, the next tick waits this long instead of 0 ms: on a 2-core machine a worker that never
 * pauses takes the core the page needs to draw (#10). At most ~60% of a core while behind.
 */
export const BEHIND_YIELD_MS = 4;
/** The achieved speed is measured over this much real time. */
const SPEED_WINDOW_MS = 500;
/** End's slice: at most this long (real ms) and this many 4,096-event chunks before it yields. */
const RUN_TO_END_SLICE_MS = 40;
const RUN_TO_END_CHUNKS = 64;
/** An export posts a piece when it has this much text, or after EXPORT_SLICE_MS of work. */
const EXPORT_PART_CHARS = 1 << 20;
const EXPORT_SLICE_MS = 8;
/** A seek's slice: at most this long (real ms) and this many 4,096-event chunks before it yields. */
const SEEK_SLICE_MS = 40;
const SEEK_CHUNKS = 64;

/** A seek under way: it replays toward targetUs in slices, so it can be watched and cancelled. */
interface SeekJob {
  targetUs: number;
  events: number | undefined;
  fromUs: number;
  startMs: number;
  /** A seekProgress went out: the page shows a bar until one with done. */
  shown: boolean;
}

/** A scenario's connections as sent (before it is checked): a big load tells its stages. */
const connectionsOf = (json: unknown): number => {
  const connections = (json as { connections?: unknown } | null)?.connections;
  return Array.isArray(connections) ? connections.length : 0;
};
/** A real yield to the message loop (not the paced clock): a cancel or a frameDone gets in. */
const yieldToMessages = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** A big load under way: between its stages it yields, and a cancel (or a newer load) ends it there. */
interface LoadJob {
  connections: number;
  big: boolean;
}

export class SimSession {
  private scenario: Scenario | null = null;
  private engine: Engine | null = null;
  private recorder: TraceRecorder;
  private pendingChunks: TraceChunk[] = [];
  private playing = false;
  private speed = 0.001;
  private timer: unknown = null;
  private anchorRealMs = 0;
  private anchorSimUs = 0;
  private frameInFlight = false;
  private frameDirty = false;
  private behind = false;
  private speedWindow: { realMs: number; simUs: number }[] = [];
  private streaming = true;
  private timeline: Timeline | null = null;
  private rewound = false;
  private reachedUs = 0;
  private framesSinceStats = 0;
  private pendingRecords = 0;
  private droppedRecords = 0;
  /** Exports under way, by request id: each runs its own headless engine in slices. */
  /** Exports asked for whose code is still loading (a cancel then stops them before they start). */
  private exportsStarting = new Set<number>();
  private exports = new Map<number, { run: ExportRun; timer: unknown; parts: number; chars: number; progress: number }>();
  private seekJob: SeekJob | null = null;
  /** The newest load: an older one that finds another here after a yield stops (superseded or cancelled). */
  private loadJob: LoadJob | null = null;

  constructor(private readonly host: SessionHost) {
    this.recorder = this.newRecorder();
  }

  /**
   * Records wait here until the next frame. If the page stops asking for frames (a hidden tab
   * pauses requestAnimationFrame), only the newest FRAME_EVENT_LIMIT are kept: memory stays flat.
   */
  private newRecorder(): TraceRecorder {
    this.pendingChunks = [];
    this.pendingRecords = 0;
    this.droppedRecords = 0;
    const recorder: TraceRecorder = new TraceRecorder((k) => {
      this.timeline?.record(k);
      this.pendingChunks.push(k);
      this.pendingRecords += k.length;
      while (this.pendingChunks.length > 1 && this.pendingRecords - this.pendingChunks[0]!.length >= FRAME_EVENT_LIMIT) {
        const old = this.pendingChunks.shift()!;
        this.pendingRecords -= old.length;
        this.droppedRecords += old.length;
        recorder.recycle(old);
      }
    }, 4096);
    return recorder;
  }

  handle(data: Command): void {
    // A script may send anything through the page (window.tdiFlowLab.command): shapes first.
    const checked = checkCommand(data);
    if (!checked.ok) {
      // A request's promise rejects with the problem; a field of any other command is named like
      // the validators name theirs, and the page shows it with them.
      if (checked.id === undefined && checked.path) this.host.post({ op: 'invalid', problems: [checked.problem] });
      else this.host.post({ op: 'failure', message: checked.problem, ...(checked.id !== undefined ? { id: checked.id } : {}) });
      return;
    }
    const cmd = checked.command;
    try {
      this.dispatch(cmd);
    } catch (e) {
      // A request's failure names it, so the page's promise rejects instead of waiting forever.
      const id = 'id' in cmd ? { id: cmd.id } : {};
      this.host.post({ op: 'failure', message: e instanceof Error ? e.message : String(e), ...id });
    }
  }

  private dispatch(cmd: Command): void {
    switch (cmd.op) {
      case 'hello':
        if (cmd.version !== PROTOCOL_VERSION) {
          this.host.post({ op: 'versionMismatch', worker: PROTOCOL_VERSION, main: cmd.version });
        } else this.host.post({ op: 'ready', version: PROTOCOL_VERSION });
        return;
      case 'load':
        // Whatever arrives (a script may send anything): a problem is named, the worker lives on.
        this.load(cmd).catch((e: unknown) => this.host.post({ op: 'invalid', problems: [`load: ${e instanceof Error ? e.message : String(e)}`] }));
        return;
      case 'play':
        if (!this.engine || this.engine.finished) return;
        this.playing = true;
        this.anchor();
        this.schedule();
        this.markDirty();
        return;
      case 'pause':
        this.playing = false;
        this.stopTimer();
        this.markDirty();
        return;
      case 'step': {
        if (!this.engine) return;
        this.playing = false;
        this.stopTimer();
        // One visible event: some kernel events change nothing the trace shows (a cancelled retry).
        const before = this.engine.eventCount;
        while (this.engine.eventCount === before && this.engine.step());
        this.afterRun();
        this.markDirty();
        return;
      }
      case 'runToEnd':
        if (!this.engine) return;
        this.stopTimer();
        this.playing = true; // as fast as it goes: Pause stops it, like play
        this.runToEndSlice();
        return;
      case 'seek':
        this.seek(cmd.timeUs, cmd.events);
        return;
      case 'cancelLoad':
        this.cancelLoad();
        return;
      case 'cancelSeek':
        if (this.seekJob) {
          this.stopTimer(); // ends the job where it got to
          this.markDirty();
        }
        return;
      case 'records':
        this.loadedEngine();
        this.answerLater(cmd.id, () => this.records(cmd.id, cmd.fromRow, cmd.count));
        return;
      case 'findRows':
        this.loadedEngine();
        this.answerLater(cmd.id, () => this.findRows(cmd));
        return;
      case 'stepBack':
        this.stepBack();
        return;
      case 'why':
        this.answerLater(cmd.id, () => this.why(cmd.id, cmd.seq));
        return;
      case 'reset':
        if (this.scenario) this.start(this.scenario, 'reset');
        return;
      case 'setSpeed':
        if (typeof cmd.speed !== 'number' || !Number.isFinite(cmd.speed) || cmd.speed <= 0) {
          this.host.post({ op: 'invalid', problems: [`setSpeed.speed: must be a positive number (simulated time per real time), not ${String(cmd.speed)}`] });
          return;
        }
        this.speed = Math.min(1000, Math.max(1e-6, cmd.speed));
        this.anchor();
        return;
      case 'injectFault': {
        const { driver, status, fatal, recoverAfterUs } = cmd;
        const optional = recoverAfterUs !== undefined ? { recoverAfterUs } : {};
        this.actNow(
          (atUs, scenario) => validateFault({ atUs, driver, status, fatal, ...optional }, scenario, ['injectFault']),
          (engine, f, forked) => {
            const fault = engine.injectFault({ driver: f.driver, status: f.status as StatusName, fatal: f.fatal, ...(f.recoverAfterUs !== undefined ? { recoverAfterUs: f.recoverAfterUs } : {}) });
            this.scenario = { ...this.scenario!, faults: [...this.scenario!.faults, fault] };
            return { op: 'faultInjected', fault, forked, scenario: this.scenario };
          },
        );
        return;
      }
      case 'changePolicy':
        this.actNow(
          (atUs, scenario) => validatePolicyChange({ ...(cmd.change as object), atUs }, scenario, ['changePolicy']),
          (engine, { atUs: _at, afterKernelEvents: _after, ...checked }, forked) => {
            const change = engine.changePolicyNow(checked);
            this.scenario = { ...this.scenario!, policyChanges: [...this.scenario!.policyChanges, change] };
            return { op: 'policyChanged', change, forked, scenario: this.scenario };
          },
        );
        return;
      case 'inspect': {
        const engine = this.loadedEngine();
        this.host.post({ op: 'inspected', id: cmd.id, connection: cmd.connection, detail: engine.inspectConnection(cmd.connection) });
        return;
      }
      case 'summary':
        this.loadedEngine();
        this.answerLater(cmd.id, async () => {
          const { summarize } = await onDemand.summary();
          this.host.post({ op: 'summary', id: cmd.id, summary: summarize(this.loadedEngine()) });
        });
        return;
      case 'find':
        this.loadedEngine();
        this.answerLater(cmd.id, async () => {
          const { findFirst } = await onDemand.replay();
          this.host.post({ op: 'found', id: cmd.id, record: findFirst(this.scenario!, cmd.match) });
        });
        return;
      case 'lessonRun':
        this.loadedEngine();
        this.answerLater(cmd.id, async () => {
          const { runToMoment } = await onDemand.lesson();
          this.host.post({ op: 'lessonReached', id: cmd.id, moment: runToMoment(this.scenario!, cmd.trigger, cmd.fromSeq, cmd.collect ?? null) });
        });
        return;
      case 'ping':
        this.host.post({ op: 'pong' });
        return;
      case 'frameDone':
        this.frameInFlight = false;
        // Not streaming while playing: the held frame waits until the run stops (#10: a frameDone
        // that arrives after setStreaming(false) must not send one).
        if (this.frameDirty && (this.streaming || !this.playing)) this.sendFrame();
        return;
      case 'setStreaming':
        this.streaming = cmd.on;
        if (cmd.on) this.markDirty();
        return;
      case 'export':
        if (!this.scenario) throw new Error('no scenario is loaded yet');
        this.exportsStarting.add(cmd.id);
        this.answerLater(cmd.id, () => this.startExport(cmd));
        return;
      case 'cancel': {
        const job = this.exports.get(cmd.id);
        if (job) this.host.clearTimer(job.timer);
        this.exports.delete(cmd.id);
        this.exportsStarting.delete(cmd.id);
        return;
      }
      default: {
        const never: never = cmd;
        throw new Error(`unknown command ${(never as { op: string }).op}`);
      }
    }
  }

  /**
   * Acting on the run now (a fault, a policy change): checked as the scenario file would be (it goes
   * into the scenario, and a shared link), forking when in the past, then applied as a kernel event of
   * its own that `apply` records into the scenario with its place in the event order, so a reset or a
   * shared link replays exactly this run. Acting stops a seek under way: here is where it acts.
   */
  private actNow<T>(check: (atUs: number, scenario: Scenario) => Checked<T>, apply: (engine: Engine, value: T, forked: boolean) => Event): void {
    if (!this.engine || !this.scenario) return;
    if (this.seekJob) this.stopTimer();
    const v = check(this.engine.nowUs, this.scenario);
    if (!v.ok) {
      this.host.post({ op: 'invalid', problems: v.problems });
      return;
    }
    const forked = this.forkIfPast();
    const done = apply(this.engine!, v.value, forked);
    this.afterRun();
    this.host.post(done);
    this.markDirty();
  }

  private async load(cmd: Commands['load']): Promise<void> {
    const source = cmd.source; // its shape and a preset's name were checked at the door (checkCommand)
    const job: LoadJob = { connections: 0, big: false };
    this.loadJob = job;
    if (cmd.seed !== undefined) {
      const seed = validateSeed(cmd.seed, ['load', 'seed']);
      if (!seed.ok) return this.loadAnswered(job, { op: 'invalid', problems: seed.problems });
    }
    const json = source.kind === 'preset' ? await loadPreset(source.name) : source.scenario;
    // A big load (issue 18) says where it is and yields between its stages, so Cancel gets in and
    // the run on screen is served until the new one is in place. A small one is answered as before.
    job.connections = connectionsOf(json);
    const big = (job.big = job.connections >= BIG_LOAD_CONNECTIONS);
    // Its first checkpoint would be a structuredClone of the whole state (~1 s at 102,400
    // connections): the packed codec loads while it is checked, and takes that one too.
    const codec = big ? onDemand.stateCopy() : null;
    if (big && !(await this.loadStage(job, 'validating'))) return;
    const v = validateScenario(json);
    if (!v.ok) return this.loadAnswered(job, { op: 'invalid', problems: v.problems });
    const scenario = cmd.seed !== undefined ? { ...v.scenario, seed: cmd.seed } : v.scenario;
    if (codec) useStateCodec((await codec).stateCodec);
    if (big && !(await this.loadStage(job, 'building'))) return;
    if (this.loadJob === job) this.loadJob = null;
    this.start(scenario, 'load', big ? job : null);
  }

  /** Tells a big load's stage, then yields; false: the load was cancelled or replaced meanwhile. */
  private async loadStage(job: LoadJob, stage: WorkerLoadStage): Promise<boolean> {
    this.host.post({ op: 'loadProgress', stage, connections: job.connections, done: false, cancelled: false });
    await yieldToMessages();
    return this.loadJob === job;
  }

  /** A load's one answer, unless it was big and a newer load (or a cancel) took its place. */
  private loadAnswered(job: LoadJob, answer: Event): void {
    if (job.big && this.loadJob !== job) return;
    if (this.loadJob === job) this.loadJob = null;
    this.host.post(answer);
  }

  /** Cancel: the load under way stops at its next stage; the run loaded before stays. Always answered. */
  private cancelLoad(): void {
    // Only a big load stops between stages; a small one is answered in one go.
    const job = this.loadJob?.big ? this.loadJob : null;
    if (job) this.loadJob = null;
    // Too late (no load under way: its run is already in place) is an answer too.
    this.host.post({ op: 'loadProgress', stage: 'sending', connections: job?.connections ?? 0, done: true, cancelled: job !== null });
  }

  private start(scenario: Scenario, reason: 'load' | 'reset', big: LoadJob | null = null): void {
    this.playing = false;
    // A seek under way belongs to the run being replaced: its bar goes, without "cancelled".
    if (this.seekJob) this.seekProgress(this.seekJob, true);
    this.stopTimer();
    this.scenario = scenario;
    this.timeline = null;
    this.recorder = this.newRecorder();
    this.engine = new Engine(scenario, { trace: this.recorder });
    this.timeline = new Timeline(this.engine.topo, scenario.durationUs, () => this.host.nowMs());
    this.recorder.flush();
    this.timeline.maybeCheckpoint(this.engine, this.recorder.nextSeq);
    this.reachedUs = 0;
    if (big) this.host.post({ op: 'loadProgress', stage: 'sending', connections: big.connections, done: false, cancelled: false });
    this.host.post({ op: 'loaded', scenario, topology: this.engine.topo, reason });
    this.frameInFlight = false;
    this.markDirty();
    // Cheap checkpoints from now on (the first one, above, was taken before this code had to load).
    void onDemand.stateCopy().then((m) => useStateCodec(m.stateCodec));
  }

  private anchor(): void {
    this.anchorRealMs = this.host.nowMs();
    this.anchorSimUs = this.engine?.nowUs ?? 0;
    this.speedWindow = [];
  }

  /**
   * End runs in slices of a few tens of milliseconds that yield to the message loop, so a frame
   * shows how far it got and Pause, Reset, a seek or another load are obeyed at once, however long
   * the scenario (the model never runs in one unbounded loop).
   */
  private runToEndSlice(): void {
    this.timer = null;
    const engine = this.engine;
    if (!engine || !this.playing) return;
    const start = this.host.nowMs();
    let chunks = 0;
    while (!engine.finished && chunks < RUN_TO_END_CHUNKS && this.host.nowMs() - start < RUN_TO_END_SLICE_MS) {
      engine.runUntil(engine.durationUs, 4096);
      this.afterRun();
      chunks++;
    }
    if (engine.finished) this.playing = false;
    else this.timer = this.host.setTimer(() => this.runToEndSlice(), 1); // 1 ms: a real yield, on any clock
    this.markDirty();
  }

  private schedule(delayMs = TICK_MS): void {
    this.stopTimer();
    this.timer = this.host.setTimer(() => this.tick(), delayMs);
  }

  private stopTimer(): void {
    if (this.timer !== null) this.host.clearTimer(this.timer);
    this.timer = null;
    if (this.seekJob) this.seekProgress(this.seekJob, true, true);
  }

  private tick(): void {
    this.timer = null;
    const engine = this.engine;
    if (!engine || !this.playing) return;
    const start = this.host.nowMs();
    // speed × real ms × 1000 = simulated µs.
    // The simulated clock is whole microseconds (formats.md): pace to the last whole µs reached.
    const targetUs = Math.floor(this.anchorSimUs + (start - this.anchorRealMs) * 1000 * this.speed);
    this.behind = false;
    while (engine.nowUs < targetUs && !engine.finished) {
      engine.runUntil(targetUs, 2048);
      this.afterRun();
      if (this.host.nowMs() - start > TICK_BUDGET_MS) {
        // Can't keep up: say so, and re-anchor so the clock does not run away from the model.
        this.behind = engine.nowUs < targetUs;
        this.anchorRealMs = this.host.nowMs();
        this.anchorSimUs = engine.nowUs;
        break;
      }
    }
    const endMs = this.host.nowMs();
    this.speedWindow.push({ realMs: endMs, simUs: engine.nowUs });
    while (this.speedWindow.length > 2 && endMs - this.speedWindow[0]!.realMs > SPEED_WINDOW_MS) this.speedWindow.shift();
    if (engine.finished) this.playing = false;
    // While playing without streaming, frames wait until the run stops.
    if (this.streaming || !this.playing) this.markDirty();
    else this.frameDirty = true;
    // Behind: go again after a short real pause (messages get in, the page's core breathes);
    // otherwise keep the cadence.
    if (this.playing) this.schedule(this.behind ? BEHIND_YIELD_MS : Math.max(1, TICK_MS - (this.host.nowMs() - start)));
  }

  /**
   * Acting in the past forks: the old future, and what was done by hand in it, no longer holds.
   * Returns whether it forked (the page keeps the previous branch).
   */
  private forkIfPast(): boolean {
    const engine = this.engine!;
    if (engine.nowUs >= this.reachedUs || !this.timeline) return false;
    this.recorder.flush();
    this.timeline.forgetAfter(engine, this.recorder.nextSeq);
    const now = engine.nowUs;
    const at = engine.dispatchCount;
    const s = this.scenario!;
    // Changes made by hand that had not happened yet at this point belonged to the old future.
    const happened = (x: { afterKernelEvents?: number | undefined }): boolean => x.afterKernelEvents === undefined || x.afterKernelEvents < at;
    this.scenario = { ...s, faults: s.faults.filter(happened), policyChanges: s.policyChanges.filter(happened) };
    // The engine goes on from this very point of the event order, without them.
    const fresh = this.restoreFrom(this.timeline.beforeDispatch(at));
    while (fresh.dispatchCount < at && fresh.step());
    if (fresh.nextEventUs > now) fresh.runUntil(now);
    this.rewound = true;
    this.reachedUs = now;
    return true;
  }

  /** After the engine moved forward: checkpoint if due, remember how far the run has come. */
  private afterRun(): void {
    const engine = this.engine!;
    this.timeline?.maybeCheckpoint(engine, this.recorder.nextSeq);
    if (engine.nowUs > this.reachedUs) this.reachedUs = engine.nowUs;
  }

  /** Restores a checkpoint of the current scenario: its hand-made changes still ahead, those a fork abandoned gone. */
  private restoreFrom(mark: { cp: Checkpoint }): Engine {
    this.recorder = this.newRecorder();
    this.engine = Engine.fromCheckpoint(this.scenario!, mark.cp, { trace: this.recorder, ...(this.engine ? { shapeOf: this.engine } : {}) });
    return this.engine;
  }

  /**
   * Time travel: from the nearest checkpoint before the target (or from here, if that is nearer),
   * replayed in slices that yield, so a long seek (far ahead of what was played) shows how far it
   * got, and Pause, Cancel or another seek are obeyed at once.
   */
  private seek(timeUs: number, events?: number): void {
    if (!this.engine || !this.timeline) return;
    this.playing = false;
    // A seek that replaces one under way (a drag on the scrubber) takes over its progress bar.
    const previous = this.seekJob;
    this.seekJob = null;
    this.stopTimer();
    const target = Math.max(0, Math.min(Math.round(timeUs), this.engine.durationUs));
    const count = events !== undefined && Number.isInteger(events) && events >= 0 ? events : undefined;
    // With a record count the moment may lie before the target time: from the checkpoint before the
    // earlier of the two (checkpoints are in time and record order alike).
    const byTime = this.timeline.beforeTime(target);
    const bySeq = count === undefined ? byTime : this.timeline.beforeSeq(count);
    const mark = bySeq.dispatch < byTime.dispatch ? bySeq : byTime;
    // Forward from here when no checkpoint lies between: no restore, nothing replayed twice.
    const here = this.engine;
    const fromHere = here.nowUs <= target && here.dispatchCount >= mark.dispatch && !here.halted && (count === undefined || here.eventCount < count);
    const engine = fromHere ? here : this.restoreFrom(mark);
    const job: SeekJob = { targetUs: target, events: count, fromUs: engine.nowUs, startMs: previous?.startMs ?? this.host.nowMs(), shown: previous?.shown ?? false };
    this.seekJob = job;
    this.rewound = true;
    this.seekSlice(job);
  }

  private seekSlice(job: SeekJob): void {
    this.timer = null;
    if (this.seekJob !== job) return;
    const engine = this.engine!;
    const start = this.host.nowMs();
    let chunks = 0;
    const count = job.events;
    // Every event at or before the target time, then the clock at the target; with a record count,
    // step by step up to the first state with that many records, if it comes first.
    let stepped = true; // step() did something: more may lie at or before the target
    const more = (): boolean => (count === undefined ? !engine.finished && engine.nextEventUs <= job.targetUs : stepped && engine.eventCount < count);
    while (more() && chunks < SEEK_CHUNKS && this.host.nowMs() - start < SEEK_SLICE_MS) {
      if (count === undefined) engine.runUntil(job.targetUs, 4096);
      else for (let i = 0; i < 4096 && more(); i++) stepped = engine.step(job.targetUs);
      this.afterRun();
      chunks++;
    }
    if (more()) {
      if (job.shown || this.host.nowMs() - job.startMs >= SEEK_PROGRESS_AFTER_MS) {
        job.shown = true;
        this.seekProgress(job, false);
      }
      // Every frame of a seek shows a moment travelled to, not play: the page neither animates nor
      // narrates the replay, and its log is rebuilt from the history.
      this.rewound = true;
      this.markDirty();
      this.timer = this.host.setTimer(() => this.seekSlice(job), 1); // 1 ms: a real yield, on any clock
      return;
    }
    if (count !== undefined && engine.eventCount === count) this.settleAtCount(count, job.targetUs);
    else if (count === undefined || engine.eventCount < count) engine.runUntil(job.targetUs);
    // else: past the count in one kernel event, which is the first state with at least that many.
    this.seekProgress(job, true);
    this.rewound = true;
    this.markDirty();
  }

  /**
   * The engine has just made exactly `count` records, at or before `targetUs`. A step left the sender
   * part-way through an instant when more records follow by the target: then this state (the first
   * with that many, what a step forward or back leaves) is the moment; otherwise the state at the
   * target is. Looked ahead to the next record from a copy of this state, not replayed again.
   */
  private settleAtCount(count: number, targetUs: number): void {
    const engine = this.engine!;
    const cp = engine.checkpoint();
    while (engine.eventCount === count && engine.step(targetUs));
    if (engine.eventCount === count) {
      engine.runUntil(targetUs);
      return;
    }
    this.recorder.flush(); // the records up to this state go into the history the log is rebuilt from
    this.restoreFrom({ cp });
  }

  /** How far a seek got; `done`: it is over (reached, or stopped where it got to), told only to a page showing its bar. */
  private seekProgress(job: SeekJob, done: boolean, cancelled = false): void {
    if (done) {
      if (this.seekJob !== job) return;
      this.seekJob = null;
      if (!job.shown) return;
    }
    const atUs = this.engine!.nowUs;
    const fraction = Math.max(0, Math.min(1, (atUs - job.fromUs) / Math.max(1, job.targetUs - job.fromUs)));
    this.host.post({ op: 'seekProgress', targetUs: job.targetUs, atUs, fraction, done, cancelled });
  }

  /** The log's rows for its scroll-back (rows.ts, loaded on first use), regenerated from a checkpoint. */
  private async records(id: number, fromRow: number, count: number): Promise<void> {
    const { regenerateRows } = await onDemand.rows();
    const engine = this.loadedEngine();
    const [records, transfer] = regenerateRows(engine, this.scenario!, this.timeline!, fromRow, count);
    this.host.post({ op: 'records', id, records }, transfer);
  }

  /** The log's filter searched back through the run (search.ts, loaded on first use). */
  private async findRows(cmd: Commands['findRows']): Promise<void> {
    const [{ findEarlierRows }, { rowFilterProblem }] = await onDemand.search();
    const engine = this.loadedEngine();
    const problem = rowFilterProblem(cmd.filter, engine.topo);
    if (problem) throw new Error(`findRows.${problem}`);
    const [found, transfer] = findEarlierRows(engine, this.scenario!, this.timeline!, engine.topo, cmd);
    this.host.post({ op: 'foundRows', id: cmd.id, ...found }, transfer);
  }

  /** Starts an export of the current scenario; its pieces go out between other messages. */
  private async startExport(cmd: Commands['export']): Promise<void> {
    const { createExportRun, isExportFormat } = await onDemand.exportRun();
    if (!this.exportsStarting.delete(cmd.id)) return; // cancelled before it started
    if (!this.scenario) throw new Error('no scenario is loaded yet');
    if (!isExportFormat(cmd.format)) throw new Error(`there is no export format "${String(cmd.format)}"`);
    const untilUs = cmd.untilUs === undefined ? undefined : Math.max(0, Math.round(cmd.untilUs));
    const run = createExportRun(this.scenario, cmd.format, {
      ...(untilUs !== undefined ? { untilUs } : {}),
      ...(cmd.intervalUs !== undefined ? { intervalUs: cmd.intervalUs } : {}),
    });
    const job = { run, timer: null as unknown, parts: 0, chars: 0, progress: 0 };
    this.exports.set(cmd.id, job);
    const pump = (): void => {
      if (this.exports.get(cmd.id) !== job) return; // cancelled
      try {
        const start = this.host.nowMs();
        let text = '';
        let done = false;
        // At least one piece per turn, however slow the clock says the machine is.
        do {
          const r = run.pieces.next();
          if (r.done) {
            done = true;
            break;
          }
          text += r.value;
        } while (text.length < EXPORT_PART_CHARS && this.host.nowMs() - start < EXPORT_SLICE_MS);
        // A piece goes out with text, at the end, or when the run has moved on (a summary has no text until it ends).
        const progress = done ? 1 : run.progress();
        if (text !== '' || done || progress - job.progress >= 0.01) {
          job.parts++;
          job.chars += text.length;
          job.progress = progress;
          this.host.post({ op: 'exportPart', id: cmd.id, text, progress });
        }
        if (done) {
          this.exports.delete(cmd.id);
          this.host.post({ op: 'exported', id: cmd.id, format: cmd.format, untilUs: run.untilUs, parts: job.parts, chars: job.chars });
        } else job.timer = this.host.setTimer(pump, 0);
      } catch (e) {
        this.exports.delete(cmd.id);
        this.host.post({ op: 'failure', id: cmd.id, message: `The export failed: ${e instanceof Error ? e.message : String(e)}` });
      }
    };
    job.timer = this.host.setTimer(pump, 0);
  }

  /**
   * The exact inverse of a step: back to the state just after the previous kernel event that showed
   * something (a step forward ends right after one). Some events change state silently (a send
   * queued behind refused data), so that is the first state with the previous record count, found
   * by replaying from a checkpoint — an earlier one if that count began before it.
   */
  private stepBack(): void {
    if (!this.engine || !this.timeline) return;
    this.playing = false;
    this.stopTimer();
    const count = this.engine.eventCount;
    let mark = this.timeline.beforeSeq(count);
    let engine = this.restoreFrom(mark);
    let prevCount = engine.eventCount;
    let firstAt = engine.dispatchCount;
    if (prevCount >= count) {
      // Nothing before this: the state stays, and a frame says so (a caller waiting on one gets it).
      this.rewound = true;
      this.markDirty();
      return;
    }
    while (engine.step() && engine.eventCount < count) {
      if (engine.eventCount !== prevCount) {
        prevCount = engine.eventCount;
        firstAt = engine.dispatchCount;
      }
    }
    if (firstAt === mark.dispatch && mark !== this.timeline.marks[0]) {
      // The previous count may have begun before this checkpoint: look from an earlier one.
      mark = this.timeline.beforeSeq(prevCount);
      engine = this.restoreFrom(mark);
      firstAt = engine.dispatchCount;
      while (engine.eventCount < prevCount && engine.step()) firstAt = engine.dispatchCount;
    }
    engine = this.restoreFrom(mark);
    while (engine.dispatchCount < firstAt && engine.step());
    this.rewound = true;
    this.markDirty();
  }

  /** Requests need an answer: before any scenario has loaded, that answer is a failure. */
  private loadedEngine(): Engine {
    if (!this.engine) throw new Error('no scenario is loaded yet');
    return this.engine;
  }

  /** Runs a request's work that may load code first; a failure is that request's answer. */
  private answerLater(id: number, work: () => Promise<void>): void {
    work().catch((e: unknown) => this.host.post({ op: 'failure', id, message: e instanceof Error ? e.message : String(e) }));
  }

  private async why(id: number, seq: number): Promise<void> {
    const [{ explain }, { decodeRecord }] = await onDemand.why();
    const tl = this.timeline;
    const engine = this.loadedEngine();
    if (!tl) throw new Error('no scenario is loaded yet');
    this.recorder.flush();
    if (seq < tl.histMin || seq > tl.histMax) {
      this.host.post({ op: 'why', id, seq, chain: null, reason: 'That event is older than the history kept (the last 262,144 events); seek closer to it and ask again.' });
      return;
    }
    const from = Math.max(tl.histMin, seq - 20_000);
    const to = Math.min(tl.histMax, seq + 4000);
    const cols = tl.slice(from, to);
    const events = [];
    for (let i = 0; i < cols.length; i++) events.push(decodeRecord(cols, i, engine.topo));
    const chain = explain(events, seq - from, engine.topo);
    this.host.post({ op: 'why', id, seq, chain, ...(chain ? {} : { reason: 'Only refusals, lost races, error callbacks and broken connections have a why.' }) });
  }

  private markDirty(): void {
    this.frameDirty = true;
    if (!this.frameInFlight) this.sendFrame();
  }

  /** At most one frame in flight: the next goes when the main thread says it drew this one. */
  private sendFrame(): void {
    const engine = this.engine;
    if (!engine) return;
    this.frameDirty = false;
    this.frameInFlight = true;
    this.recorder.flush();
    let chunks = this.pendingChunks.splice(0);
    let dropped = this.droppedRecords;
    this.pendingRecords = 0;
    this.droppedRecords = 0;
    const rewound = this.rewound;
    this.rewound = false;
    const tl = this.timeline;
    if (rewound && tl) {
      // After going back, the page's log is rebuilt from the history up to now.
      const to = this.recorder.nextSeq - 1;
      const from = Math.max(tl.histMin, to - FRAME_EVENT_LIMIT + 1);
      const cols = tl.slice(from, to);
      chunks = cols.length > 0 ? [cols] : [];
      dropped = from;
    }
    this.framesSinceStats++;
    const withStats = tl !== null && (rewound || this.framesSinceStats >= 8 || !this.playing);
    if (withStats) this.framesSinceStats = 0;
    const frame = buildFrame(engine, chunks, dropped, {
      playing: this.playing,
      // Only a running model can be behind: a paused run kept saying "can't keep up".
      behind: this.playing && this.behind,
      achievedSpeed: this.achievedSpeed(),
      rewound,
      reachedUs: this.reachedUs,
      timeline: withStats ? copyStats(tl!, engine) : null,
    });
    this.host.post({ op: 'frame', ...frame }, frameTransferables(frame));
  }

  private achievedSpeed(): number {
    const w = this.speedWindow;
    if (w.length < 2) return this.playing ? this.speed : 0;
    const first = w[0]!;
    const last = w[w.length - 1]!;
    const realMs = last.realMs - first.realMs;
    return realMs > 0 ? (last.simUs - first.simUs) / (realMs * 1000) : 0;
  }
}

function copyStats(tl: Timeline, engine: Engine): import('./timeline.ts').TimelineStats {
  tl.syncCurrent();
  return { ...structuredClone(tl.stats), waitHist: engine.metrics().waitHist.slice() };
}

/** Packs the state and the newest trace records into transferable typed arrays. */
export function buildFrame(
  engine: Engine,
  chunks: TraceChunk[],
  alreadyDropped: number,
  flags: { playing: boolean; behind: boolean; achievedSpeed: number; rewound?: boolean; reachedUs?: number; timeline?: Frame['timeline'] },
): Frame {
  const snap = engine.snapshot();
  let total = 0;
  for (const k of chunks) total += k.length;
  const n = Math.min(total, FRAME_EVENT_LIMIT);
  const ev = {
    firstSeq: (chunks.length > 0 ? chunks[chunks.length - 1]!.firstSeq + chunks[chunks.length - 1]!.length : engine.eventCount) - n,
    length: n,
    droppedEvents: total - n + alreadyDropped,
    firstRow: 0,
    ...allocColumns(n),
  };
  // Copy the newest n records, oldest first.
  let skip = total - n;
  let at = 0;
  for (const k of chunks) {
    const from = Math.min(skip, k.length);
    skip -= from;
    const count = k.length - from;
    if (count <= 0) continue;
    copyRange(k, from, k.length, ev, at);
    at += count;
  }
  // The log row of the first record: the rows up to now (the records end here: the recorder was flushed) less those sent.
  let rowsInFrame = 0;
  for (let i = 0; i < n; i++) if (ev.type[i] !== R.SEND_SUBMIT) rowsInFrame++;
  ev.firstRow = engine.rowCount - rowsInFrame;
  return {
    nowUs: snap.nowUs,
    durationUs: engine.durationUs,
    eventCount: snap.eventCount,
    playing: flags.playing,
    finished: snap.finished,
    behind: flags.behind,
    achievedSpeed: flags.achievedSpeed,
    rewound: flags.rewound ?? false,
    reachedUs: flags.reachedUs ?? snap.nowUs,
    timeline: flags.timeline ?? null,
    poolUsed: snap.poolUsed,
    buffered: snap.buffered,
    heldBytes: snap.heldBytes,
    pendingBytes: snap.pendingBytes,
    queued: snap.queued,
    connState: snap.state,
    lostRaces: snap.lostRaces,
    transmitted: snap.transmitted,
    nodeFailed: snap.nodeFailed,
    addressState: snap.addressState,
    addressHandlers: snap.addressHandlers,
    addressErrorCalls: snap.addressErrorCalls,
    events: ev,
    transportPending: engine.pendingFifo(PENDING_FRAME_LIMIT),
    bugcheck: engine.bugcheck,
  };
}
