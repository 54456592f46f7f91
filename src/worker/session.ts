// What runs in the Web Worker: one engine, paced against real time, streaming frames. The clock and
// the timer are injected (the worker entry passes its real clock and setTimeout), so the engine
// itself never reads the wall clock (I7) and the session runs in Node tests as it does in a worker.
// This file owns the run (core.ts) and routes each command through one handler map; the parts do
// the work: loading.ts, pacing.ts (Play, End), frames.ts, travel.ts (seeks, Step, Back), requests.ts.
import type { Api } from '../model/state.ts';
import { checkCommand } from '../protocol/checkCommand.ts';
import { Engine, installStateCodec, type Checkpoint } from '../model/engine.ts';
import type { Checked } from '../scenario/validate.ts';
import { loadValidators, ValidatorGate, validators } from './validators.ts';
import type { StatusName } from '../base/status.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { TraceRecorder } from '../trace/records.ts';
import { PROTOCOL_VERSION, type Command, type Event } from '../protocol/messages.ts';
import { Timeline } from './timeline.ts';
import type { SessionCore, SessionHost } from './core.ts';
import { FrameStream } from './frames.ts';
import { Pacing } from './pacing.ts';
import { TimeTravel } from './travel.ts';
import { Requests } from './requests.ts';
import { Loading, type LoadJob } from './loading.ts';

export type { SessionHost } from './core.ts';
export { BEHIND_YIELD_MS, TICK_BUDGET_MS } from './pacing.ts';
export { buildFrame } from './frames.ts';

type CommandOf<K extends Command['op']> = Extract<Command, { op: K }>;
/** One handler per command: a new command without one here is a type error. */
type Handlers = { [K in Command['op']]: (cmd: CommandOf<K>) => void };

export class SimSession implements SessionCore {
  scenario: Scenario | null = null;
  engine: Engine | null = null;
  timeline: Timeline | null = null;
  recorder: TraceRecorder;
  playing = false;
  reachedUs = 0;
  commandsHandled = 0;
  private timer: unknown = null;
  /** Commands wait while the validator's chunk loads (validators.ts). */
  private readonly gate = new ValidatorGate((cmd) => this.handle(cmd));
  private readonly frames: FrameStream;
  private readonly pacing: Pacing;
  private readonly travel: TimeTravel;
  private readonly requests: Requests;
  private readonly loading: Loading;

  constructor(readonly host: SessionHost) {
    this.pacing = new Pacing(this, () => this.frames.holdWhilePlaying());
    this.frames = new FrameStream(this, this.pacing);
    this.travel = new TimeTravel(this);
    this.requests = new Requests(this);
    this.loading = new Loading(this.host, (scenario, big, api) => this.start(scenario, 'load', big, api));
    this.recorder = this.frames.newRecorder();
  }

  /** The kernel interface of the run (its engine's; a reset keeps it, checkpoints carry it). */
  get api(): Api {
    return this.engine?.api ?? 'tdi';
  }

  get seeking(): boolean {
    return this.travel.seeking;
  }

  handle(data: Command): void {
    if (this.gate.holds(data)) return;
    this.commandsHandled++;
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
      (this.commands[cmd.op] as (c: Command) => void)(cmd);
    } catch (e) {
      // A request's failure names it, so the page's promise rejects instead of waiting forever.
      const id = 'id' in cmd ? { id: cmd.id } : {};
      this.host.post({ op: 'failure', message: e instanceof Error ? e.message : String(e), ...id });
    }
  }

  private readonly commands: Handlers = {
    hello: (cmd) => {
      if (cmd.version !== PROTOCOL_VERSION) this.host.post({ op: 'versionMismatch', worker: PROTOCOL_VERSION, main: cmd.version });
      else this.host.post({ op: 'ready', version: PROTOCOL_VERSION });
    },
    // Whatever arrives (a script may send anything): a problem is named, the worker lives on.
    load: (cmd) => {
      void this.loading.load(cmd).catch((e: unknown) => this.host.post({ op: 'invalid', problems: [`load: ${e instanceof Error ? e.message : String(e)}`] }));
      this.gate.after(); // a file's check loads the validator: what follows waits for the run it loads
    },
    reset: () => {
      if (this.scenario) this.start(this.scenario, 'reset');
    },
    play: () => {
      if (!this.engine) return;
      this.travel.wholeAgain();
      // At the end there is nothing to play, but the page still hears that the command was taken.
      if (this.engine.finished) return this.markDirty();
      this.stopTimer();
      this.pacing.play();
      this.markDirty();
    },
    pause: () => {
      this.playing = false;
      this.stopTimer();
      this.markDirty();
    },
    runToEnd: () => {
      if (!this.engine) return;
      this.stopTimer();
      this.travel.wholeAgain();
      this.playing = true; // as fast as it goes: Pause stops it, like play
      this.pacing.runToEndSlice();
    },
    setSpeed: (cmd) => {
      if (typeof cmd.speed !== 'number' || !Number.isFinite(cmd.speed) || cmd.speed <= 0) {
        this.host.post({ op: 'invalid', problems: [`setSpeed.speed: must be a positive number (simulated time per real time), not ${String(cmd.speed)}`] });
        return;
      }
      this.pacing.setSpeed(cmd.speed);
    },
    step: () => {
      if (!this.engine) return;
      this.playing = false;
      this.stopTimer();
      this.travel.step();
      this.markDirty();
    },
    stepBack: () => {
      this.playing = false;
      this.stopTimer();
      this.travel.stepBack();
    },
    seek: (cmd) => this.travel.seek(cmd.timeUs, cmd.events),
    cancelLoad: () => this.loading.cancel(),
    cancelSeek: () => {
      if (!this.travel.seeking) return;
      this.stopTimer(); // ends the seek where it got to
      this.markDirty();
    },
    injectFault: ({ driver, status, fatal, recoverAfterUs }) => {
      const optional = recoverAfterUs !== undefined ? { recoverAfterUs } : {};
      this.actNow(
        (atUs, scenario) => validators().validateFault({ atUs, driver, status, fatal, ...optional }, scenario, ['injectFault']),
        (engine, f, forked) => {
          const fault = engine.injectFault({ driver: f.driver, status: f.status as StatusName, fatal: f.fatal, ...(f.recoverAfterUs !== undefined ? { recoverAfterUs: f.recoverAfterUs } : {}) });
          this.scenario = { ...this.scenario!, faults: [...this.scenario!.faults, fault] };
          return { op: 'faultInjected', fault, forked, scenario: this.scenario };
        },
      );
    },
    changePolicy: (cmd) =>
      this.actNow(
        (atUs, scenario) => validators().validatePolicyChange({ ...(cmd.change as object), atUs }, scenario, ['changePolicy']),
        (engine, { atUs: _at, afterKernelEvents: _after, ...checked }, forked) => {
          const change = engine.changePolicyNow(checked);
          this.scenario = { ...this.scenario!, policyChanges: [...this.scenario!.policyChanges, change] };
          return { op: 'policyChanged', change, forked, scenario: this.scenario };
        },
      ),
    ping: () => this.host.post({ op: 'pong' }),
    frameDone: () => this.frames.done(),
    setStreaming: (cmd) => {
      this.frames.streaming = cmd.on;
      if (cmd.on) this.markDirty();
    },
    inspect: (cmd) => this.requests.inspect(cmd),
    summary: (cmd) => this.requests.summary(cmd),
    find: (cmd) => this.requests.find(cmd),
    lessonRun: (cmd) => this.requests.lessonRun(cmd),
    why: (cmd) => this.requests.why(cmd),
    records: (cmd) => this.requests.records(cmd),
    findRows: (cmd) => this.requests.findRows(cmd),
    export: (cmd) => this.requests.export(cmd),
    cancel: (cmd) => this.requests.cancel(cmd),
  };

  // ---- The run (SessionCore) --------------------------------------------------------------------

  loadedEngine(): Engine {
    if (!this.engine) throw new Error('no scenario is loaded yet');
    return this.engine;
  }

  /** Restores a checkpoint of the current scenario: its hand-made changes still ahead, those a fork abandoned gone. */
  restoreFrom(mark: { cp: Checkpoint }): Engine {
    this.travel.engineReplaced();
    this.recorder = this.frames.newRecorder();
    this.engine = Engine.fromCheckpoint(this.scenario!, mark.cp, { trace: this.recorder, ...(this.engine ? { shapeOf: this.engine } : {}) });
    return this.engine;
  }

  afterRun(): void {
    const engine = this.engine!;
    if (!engine.torn) this.timeline?.maybeCheckpoint(engine, this.recorder.nextSeq);
    if (engine.nowUs > this.reachedUs) this.reachedUs = engine.nowUs;
  }

  markDirty(): void {
    this.frames.markDirty();
  }

  markRewound(): void {
    this.frames.markRewound();
  }

  setTimer(fn: () => void, ms: number): void {
    if (this.timer !== null) this.host.clearTimer(this.timer);
    this.timer = this.host.setTimer(() => {
      this.timer = null;
      fn();
    }, ms);
  }

  stopTimer(): void {
    if (this.timer !== null) this.host.clearTimer(this.timer);
    this.timer = null;
    this.travel.stopped();
  }

  /** start(…, api): a load chooses the API; a reset keeps the run's. */
  private start(scenario: Scenario, reason: 'load' | 'reset', big: LoadJob | null = null, api: Api = this.engine?.api ?? 'tdi'): void {
    this.playing = false;
    this.travel.abandon(); // a seek under way belongs to the run being replaced
    this.stopTimer();
    this.travel.engineReplaced();
    this.scenario = scenario;
    this.timeline = null;
    this.recorder = this.frames.newRecorder();
    this.engine = new Engine(scenario, { trace: this.recorder, api });
    this.timeline = new Timeline(this.engine.topo, scenario.durationUs, () => this.host.nowMs());
    this.recorder.flush();
    this.timeline.maybeCheckpoint(this.engine, this.recorder.nextSeq);
    this.reachedUs = 0;
    if (big) this.host.post({ op: 'loadProgress', stage: 'sending', connections: big.connections, done: false, cancelled: false });
    this.host.post({ op: 'loaded', scenario, topology: this.engine.topo, reason, api });
    this.frames.restart();
    this.markDirty();
    // Cheap checkpoints from now on (the first one, above, was taken before this code had to load).
    void import('../model/stateCopy.ts').then((m) => installStateCodec(m.stateCodec));
    // The validator too, now that the run is on screen: a fault or a policy change seldom waits for it.
    void loadValidators().catch(() => undefined);
  }

  /**
   * Acting on the run now (a fault, a policy change): checked as the scenario file would be (it goes
   * into the scenario, and a shared link), forking when in the past, then applied as a kernel event of
   * its own that `apply` records into the scenario with its place in the event order, so a reset or a
   * shared link replays exactly this run. Acting stops a seek under way; inside an event, it acts after it.
   */
  private actNow<T>(check: (atUs: number, scenario: Scenario) => Checked<T>, apply: (engine: Engine, value: T, forked: boolean) => Event): void {
    if (!this.engine || !this.scenario) return;
    if (this.travel.seeking) this.stopTimer();
    this.travel.wholeAgain();
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
    this.markRewound();
    this.reachedUs = now;
    return true;
  }
}
