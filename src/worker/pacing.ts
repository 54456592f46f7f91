// Play and End: the model paced against real time × speed in short ticks, or run as fast as it goes
// in slices; either way it yields to the message loop, so Pause, a seek or a load are obeyed at once.
import type { SessionCore } from './core.ts';

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

export class Pacing {
  /** Simulated time per real time (1 = real time). */
  private speed = 0.001;
  private anchorRealMs = 0;
  private anchorSimUs = 0;
  private speedWindow: { realMs: number; simUs: number }[] = [];
  /** The model could not keep up with the chosen speed in the last tick. */
  behind = false;

  constructor(
    private readonly core: SessionCore,
    /** Where a tick's frame goes (frames.ts: held while playing without streaming). */
    private readonly frameAfterTick: () => void,
  ) {}

  play(): void {
    this.core.playing = true;
    this.anchor();
    this.core.setTimer(() => this.tick(), TICK_MS);
  }

  setSpeed(speed: number): void {
    this.speed = Math.min(1000, Math.max(1e-6, speed));
    this.anchor();
  }

  /** From here, real time and simulated time are measured anew. */
  anchor(): void {
    this.anchorRealMs = this.core.host.nowMs();
    this.anchorSimUs = this.core.engine?.nowUs ?? 0;
    this.speedWindow = [];
  }

  /** Achieved simulated µs per real µs over the last ticks. */
  achievedSpeed(): number {
    const w = this.speedWindow;
    if (w.length < 2) return this.core.playing ? this.speed : 0;
    const first = w[0]!;
    const last = w[w.length - 1]!;
    const realMs = last.realMs - first.realMs;
    return realMs > 0 ? (last.simUs - first.simUs) / (realMs * 1000) : 0;
  }

  /**
   * End runs in slices of a few tens of milliseconds that yield to the message loop, so a frame
   * shows how far it got and Pause, Reset, a seek or another load are obeyed at once, however long
   * the scenario (the model never runs in one unbounded loop).
   */
  runToEndSlice(): void {
    const core = this.core;
    const engine = core.engine;
    if (!engine || !core.playing) return;
    const host = core.host;
    const start = host.nowMs();
    let chunks = 0;
    while (!engine.finished && chunks < RUN_TO_END_CHUNKS && host.nowMs() - start < RUN_TO_END_SLICE_MS) {
      engine.runUntil(engine.durationUs, 4096);
      core.afterRun();
      chunks++;
    }
    if (engine.finished) core.playing = false;
    else core.setTimer(() => this.runToEndSlice(), 1); // 1 ms: a real yield, on any clock
    core.markDirty();
  }

  private tick(): void {
    const core = this.core;
    const engine = core.engine;
    if (!engine || !core.playing) return;
    const host = core.host;
    const start = host.nowMs();
    // speed × real ms × 1000 = simulated µs.
    // The simulated clock is whole microseconds (formats.md): pace to the last whole µs reached.
    const targetUs = Math.floor(this.anchorSimUs + (start - this.anchorRealMs) * 1000 * this.speed);
    this.behind = false;
    while (engine.nowUs < targetUs && !engine.finished) {
      engine.runUntil(targetUs, 2048);
      core.afterRun();
      if (host.nowMs() - start > TICK_BUDGET_MS) {
        // Can't keep up: say so, and re-anchor so the clock does not run away from the model.
        this.behind = engine.nowUs < targetUs;
        this.anchorRealMs = host.nowMs();
        this.anchorSimUs = engine.nowUs;
        break;
      }
    }
    const endMs = host.nowMs();
    this.speedWindow.push({ realMs: endMs, simUs: engine.nowUs });
    while (this.speedWindow.length > 2 && endMs - this.speedWindow[0]!.realMs > SPEED_WINDOW_MS) this.speedWindow.shift();
    if (engine.finished) core.playing = false;
    this.frameAfterTick();
    // Behind: go again after a short real pause (messages get in, the page's core breathes);
    // otherwise keep the cadence.
    if (core.playing) core.setTimer(() => this.tick(), this.behind ? BEHIND_YIELD_MS : Math.max(1, TICK_MS - (host.nowMs() - start)));
  }
}
