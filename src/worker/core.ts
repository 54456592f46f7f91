// What the worker session's parts share (session.ts owns it): the run — one engine of one scenario,
// its trace recorder and timeline — and the one timer that whichever part is running (play, End, a
// seek's slices) holds. Each part (loading.ts, pacing.ts, frames.ts, travel.ts, requests.ts) does one job over it.
import type { Checkpoint, Engine } from '../model/engine.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { TraceRecorder } from '../trace/records.ts';
import type { Event } from '../protocol/messages.ts';
import type { Timeline } from './timeline.ts';
import type { Api } from '../model/state.ts';

export interface SessionHost {
  post(message: Event, transfer?: ArrayBuffer[]): void;
  nowMs(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export interface SessionCore {
  readonly host: SessionHost;
  readonly scenario: Scenario | null;
  readonly engine: Engine | null;
  /** The kernel interface the run's clients use (the load's; exports and replays run under it too). */
  readonly api: Api;
  readonly timeline: Timeline | null;
  readonly recorder: TraceRecorder;
  /** Playing (or running to the end): frames say so, and a paused run is never behind. */
  playing: boolean;
  /** The furthest simulated time this run has reached (the scrubber's played part). */
  reachedUs: number;
  /** Every message handled so far (the page counts what it sent): a frame says which commands it shows (#17). */
  readonly commandsHandled: number;
  /** A seek is under way. */
  readonly seeking: boolean;
  /** The engine, or a failure for the request that needs it. */
  loadedEngine(): Engine;
  /** The run continued from a checkpoint of the current scenario (a new recorder, the same history). */
  restoreFrom(mark: { cp: Checkpoint }): Engine;
  /** After the engine moved forward: checkpoint if due, remember how far the run has come. */
  afterRun(): void;
  /** The state changed: a frame goes out when the page is ready for one. */
  markDirty(): void;
  /** Frames from here show a moment travelled to (the page rebuilds its log), not play. */
  markRewound(): void;
  /** The part that runs next holds the timer; setting it cancels whatever held it. */
  setTimer(fn: () => void, ms: number): void;
  /** Stops whatever holds the timer (play's ticks, End's slices, a seek under way). */
  stopTimer(): void;
}
