// The main thread's side of the worker: sends commands, receives events. Frames bypass React: they
// are kept in a mutable slot and drawn by one requestAnimationFrame loop (latest frame wins), and
// only the slow state (scenario, playing, problems) goes to the Zustand store.
//
// Requests that expect an answer (inspect, summary, why) go through request(): each carries an id,
// the worker answers with it, and the promise resolves with that reply — no waiting for a matching
// event. A newer request on the same channel supersedes the older one, whose promise rejects with
// Superseded, so a slow stale answer can never overwrite a newer one.
import {
  PROTOCOL_VERSION,
  isPart,
  isReply,
  type Command,
  type Event,
  type Frame,
  type PartEvent,
  type ReplyOf,
  type RequestOp,
  type RequestPayload,
} from '../src/protocol/messages.ts';
import { decodeEvent, type WireEvent } from '../src/protocol/wire.ts';

export type FrameListener = (frame: Frame, previous: Frame | null) => void;

/** What SimClient needs of a Worker (a fake one in unit tests). */
export interface WorkerPort {
  postMessage(message: Command): void;
  onmessage: ((e: MessageEvent<WireEvent>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  terminate(): void;
}

/** The rejection of a request that a newer one on the same channel replaced: not an error to show. */
export class Superseded extends Error {
  constructor(op: string) {
    super(`${op} request superseded by a newer one`);
    this.name = 'Superseded';
  }
}

export function isSuperseded(e: unknown): e is Superseded {
  return e instanceof Superseded;
}

export interface RequestOptions {
  /** Requests on one channel supersede each other; by default the channel is the op. */
  channel?: string;
  /** Pieces of the answer that come before the reply (an export's text), in order. */
  onPart?: (part: PartEvent) => void;
  /** Aborting tells the worker to stop (a cancel command) and rejects with an AbortError. */
  signal?: AbortSignal;
}

interface Pending {
  channel: string;
  onPart?: ((part: PartEvent) => void) | undefined;
  resolve(reply: Event): void;
  reject(error: Error): void;
}

function spawnSimWorker(): WorkerPort {
  return new Worker(new URL('./worker/sim.worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerPort;
}

/**
 * The frame that shows a seek to `timeUs` arrived: a long seek sends frames on the way (each marked
 * rewound, as every frame of a seek is), and only the last one is at the target (clamped to the run).
 */
export function seekReached(timeUs: number): (f: Frame) => boolean {
  return (f) => f.rewound && f.nowUs === Math.max(0, Math.min(Math.round(timeUs), f.durationUs));
}

/**
 * The frame shows every command up to `serial` (SimClient.commandsSent after sending it) carried out:
 * the worker had handled it when it built the frame, and no seek is still on its way (#17). Unlike
 * matching the frame's content, this holds when a later command's effect is in the same frame.
 */
export function commandShown(serial: number): (f: Frame) => boolean {
  return (f) => f.commandsHandled >= serial && !f.seeking;
}

/**
 * Resolves with the first frame a source draws after now that passes `pred` (the answer to a command
 * just sent). A frame replayed on subscribing is not "after now".
 */
export function nextFrame(source: { onFrame(listener: (f: Frame) => void): () => void }, pred: (f: Frame) => boolean = () => true): Promise<Frame> {
  return new Promise((resolve) => {
    let armed = false;
    const off = source.onFrame((f) => {
      if (!armed || !pred(f)) return;
      off();
      resolve(f);
    });
    armed = true;
  });
}

/**
 * The watchdog pings every WATCH_MS. A ping unanswered for SLOW_MS: the page says at once that the
 * worker is not answering and offers a restart (#17: the page froze for the whole DEAD_MS window);
 * unanswered for DEAD_MS, the worker is taken for dead and replaced.
 */
const WATCH_MS = 1000;
export const SLOW_MS = 2000;
const DEAD_MS = 20_000;

export class SimClient {
  private worker: WorkerPort;
  private latest: Frame | null = null;
  private drawn: Frame | null = null;
  private rafHandle = 0;
  private frameListeners: { listener: FrameListener; first: boolean }[] = [];
  private eventListeners = new Set<(e: Event) => void>();
  private nextRequestId = 1;
  private pending = new Map<number, Pending>();
  /** Per channel, the id of the newest request: older ones are superseded. */
  private newestOnChannel = new Map<string, number>();
  /** Main-thread ms spent in frame listeners, per drawn frame (for the bench). */
  readonly frameCostsMs: number[] = [];

  /** When the watchdog's ping went out, while unanswered (-1: none outstanding). */
  private pingSentMs = -1;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private deadListeners = new Set<(reason: string) => void>();
  private dead = false;
  /** Real ms the worker has not answered for, past SLOW_MS; null while it answers. */
  private silentMs: number | null = null;
  private silentListeners = new Set<(silentMs: number | null) => void>();
  /** Messages sent to this worker so far: a frame's commandsHandled counts the same ones (#17). */
  private sent = 0;
  private sendListeners = new Set<(cmd: Command, serial: number) => void>();

  constructor(worker: WorkerPort = spawnSimWorker(), opts: { watch?: boolean } = {}) {
    this.worker = worker;
    this.worker.onmessage = (e: MessageEvent<WireEvent>) => this.receive(decodeEvent(e.data));
    this.worker.onerror = (e) => {
      const message = e.message || 'the simulation worker failed to start';
      this.rejectAll(new Error(message));
      for (const l of this.eventListeners) l({ op: 'failure', message });
      this.die(message);
    };
    this.send({ op: 'hello', version: PROTOCOL_VERSION });
    // A worker can also die without a word (closed, out of memory): it then answers no ping. The
    // model never holds the worker for long (End, exports and seeks run in slices), so a ping left
    // unanswered for DEAD_MS means it is gone. A throttled background tab only pings less often.
    if (opts.watch !== false && typeof setInterval === 'function') this.watchdog = setInterval(() => this.checkAlive(), WATCH_MS);
  }

  /** Called once if the worker dies; the page then starts a new one. */
  onDead(listener: (reason: string) => void): () => void {
    this.deadListeners.add(listener);
    return () => this.deadListeners.delete(listener);
  }

  /** Hears when the worker has not answered for SLOW_MS (with how long, as it grows) and null when it answers again. */
  onSilence(listener: (silentMs: number | null) => void): () => void {
    this.silentListeners.add(listener);
    return () => this.silentListeners.delete(listener);
  }

  private setSilent(ms: number | null): void {
    if (ms === this.silentMs) return;
    this.silentMs = ms;
    for (const l of this.silentListeners) l(ms);
  }

  /** Ends this worker now (a restart the user asked for): what waits on it fails, onDead listeners start another. */
  abandon(reason: string): void {
    this.die(reason);
    this.worker.terminate();
  }

  private checkAlive(): void {
    const now = performance.now();
    if (this.pingSentMs < 0) {
      this.pingSentMs = now;
      this.send({ op: 'ping' });
    } else if (now - this.pingSentMs > DEAD_MS) {
      this.die(`it stopped answering for ${Math.round(DEAD_MS / 1000)} s`);
    } else if (now - this.pingSentMs > SLOW_MS) {
      this.setSilent(Math.floor((now - this.pingSentMs) / 1000) * 1000);
    }
  }

  private die(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.setSilent(null);
    this.rejectAll(new Error(`the simulation worker stopped: ${reason}`));
    for (const l of this.deadListeners) l(reason);
  }

  send(cmd: Command): void {
    this.worker.postMessage(cmd);
    const serial = ++this.sent;
    for (const l of this.sendListeners) l(cmd, serial);
  }

  /** The serial of the last message sent (1 for the first): a frame with commandsHandled ≥ it shows its effect. */
  get commandsSent(): number {
    return this.sent;
  }

  /** Hears every command sent to the worker, whoever sent it, with its serial. */
  onSend(listener: (cmd: Command, serial: number) => void): () => void {
    this.sendListeners.add(listener);
    return () => this.sendListeners.delete(listener);
  }

  /**
   * Sends a request and resolves with its reply (matched by id). Rejects with Superseded when a newer
   * request on the same channel was sent before this one was answered, or with the worker's failure.
   */
  request<K extends RequestOp>(op: K, payload: RequestPayload<K>, opts: RequestOptions = {}): Promise<ReplyOf<K>> {
    const id = this.nextRequestId++;
    const channel = opts.channel ?? op;
    const older = this.newestOnChannel.get(channel);
    if (older !== undefined) this.settle(older)?.reject(new Superseded(op));
    this.newestOnChannel.set(channel, id);
    return new Promise<ReplyOf<K>>((resolve, reject) => {
      const signal = opts.signal;
      if (signal?.aborted) return reject(new DOMException(`${op} cancelled`, 'AbortError'));
      this.pending.set(id, { channel, onPart: opts.onPart, resolve: resolve as (reply: Event) => void, reject });
      signal?.addEventListener(
        'abort',
        () => {
          const p = this.settle(id);
          if (!p) return;
          this.send({ op: 'cancel', id });
          p.reject(new DOMException(`${op} cancelled`, 'AbortError'));
        },
        { once: true },
      );
      this.send({ op, id, ...payload } as Command);
    });
  }

  /** Removes a pending request (and its channel's mark if it is the newest) and returns it. */
  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    if (this.newestOnChannel.get(p.channel) === id) this.newestOnChannel.delete(p.channel);
    return p;
  }

  private rejectAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(error);
  }

  onEvent(listener: (e: Event) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /**
   * Transient subscription: called from the rAF loop with each new frame, never through React.
   * `first` listeners run before the others: a listener that must read layout (the log's scroll
   * position) runs while layout is still clean, before the views write to the DOM.
   */
  onFrame(listener: FrameListener, opts: { first?: boolean } = {}): () => void {
    const entry = { listener, first: opts.first === true };
    if (entry.first) this.frameListeners.unshift(entry);
    else this.frameListeners.push(entry);
    if (this.drawn) listener(this.drawn, null);
    return () => {
      this.frameListeners = this.frameListeners.filter((e) => e !== entry);
    };
  }

  get lastFrame(): Frame | null {
    return this.drawn;
  }

  private receive(e: Event): void {
    this.pingSentMs = -1; // any message proves the worker is alive
    if (this.silentMs !== null) this.setSilent(null);
    if (e.op === 'pong') return;
    if (e.op === 'frame') {
      const { op: _op, ...frame } = e;
      this.latest = frame;
      if (!this.rafHandle) this.rafHandle = requestAnimationFrame(() => this.draw());
      return;
    }
    // A reply goes to its request only; a superseded request's reply has no one left to hear it.
    if (isReply(e)) {
      this.settle(e.id)?.resolve(e);
      return;
    }
    if (isPart(e)) {
      this.pending.get(e.id)?.onPart?.(e);
      return;
    }
    if (e.op === 'failure' && e.id !== undefined) {
      this.settle(e.id)?.reject(new Error(e.message));
      return;
    }
    // A new run: the frames of the old one (drawn, or not yet) must not reach views made for the
    // new one (a view replays the last frame when it mounts). The worker waits for no frameDone now.
    if (e.op === 'loaded') {
      this.drawn = null;
      this.latest = null;
    }
    for (const l of this.eventListeners) l(e);
  }

  private draw(): void {
    this.rafHandle = 0;
    const frame = this.latest;
    if (!frame) return;
    this.latest = null;
    const t0 = performance.now();
    const previous = this.drawn;
    this.drawn = frame;
    for (const e of this.frameListeners) e.listener(frame, previous);
    this.frameCostsMs.push(performance.now() - t0);
    if (this.frameCostsMs.length > 5000) this.frameCostsMs.splice(0, 1000);
    // Ask for the next frame only now: at most one frame per animation frame.
    this.send({ op: 'frameDone' });
  }

  destroy(): void {
    this.dead = true;
    if (this.watchdog !== null) clearInterval(this.watchdog);
    if (this.rafHandle) cancelAnimationFrame(this.rafHandle);
    // The page that asked is going away: nothing should show these as errors.
    this.rejectAll(new Superseded('pending'));
    this.worker.terminate();
  }
}
