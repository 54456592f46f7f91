// The worker entry: wires the engine session to postMessage and to the worker's real clock.
import { SimSession } from '../../src/worker/session.ts';
import type { Command, Event } from '../../src/protocol/messages.ts';

const scope = self as unknown as {
  postMessage(message: Event, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<Command>) => void) | null;
};

const session = new SimSession({
  post: (message, transfer) => scope.postMessage(message, transfer ?? []),
  nowMs: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as number),
});
scope.onmessage = (e) => session.handle(e.data);
