// The main thread's side of the worker: sends commands, receives events. Frames bypass React: they
// are kept in a mutable slot and drawn by one requestAnimationFrame loop (latest frame wins), and
// only the slow state (scenario, playing, problems) goes to the Zustand store.
import {
  PROTOCOL_VERSION,
  type Command,
  type Event,
  type Frame,
} from '../src/protocol/messages.ts';

export type FrameListener = (frame: Frame, previous: Frame | null) => void;

export class SimClient {
  private worker: Worker;
  private latest: Frame | null = null;
  private drawn: Frame | null = null;
  private rafHandle = 0;
  private frameListeners: { listener: FrameListener; first: boolean }[] = [];
  private eventListeners = new Set<(e: Event) => void>();
  /** Main-thread ms spent in frame listeners, per drawn frame (for the bench). */
  readonly frameCostsMs: number[] = [];

  constructor() {
    this.worker = new Worker(new URL('./worker/sim.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<Event>) => this.receive(e.data);
    this.worker.onerror = (e) => {
      for (const l of this.eventListeners) l({ op: 'failure', message: e.message || 'the simulation worker failed to start' });
    };
    this.send({ op: 'hello', version: PROTOCOL_VERSION });
  }

  send(cmd: Command): void {
    this.worker.postMessage(cmd);
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
    if (e.op === 'frame') {
      const { op: _op, ...frame } = e;
      this.latest = frame;
      if (!this.rafHandle) this.rafHandle = requestAnimationFrame(() => this.draw());
      return;
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
    cancelAnimationFrame(this.rafHandle);
    this.worker.terminate();
  }
}
