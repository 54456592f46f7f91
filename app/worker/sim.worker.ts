// The worker entry: wires the engine session to postMessage and to the worker's real clock.
import { SimSession } from '../../src/worker/session.ts';
import type { Command } from '../../src/protocol/messages.ts';
import { encodeEvent, type WireEvent } from '../../src/protocol/wire.ts';

const scope = self as unknown as {
  postMessage(message: WireEvent, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<Command>) => void) | null;
};

const session = new SimSession({
  // A scenario crosses as JSON text (wire.ts): much cheaper than a structured clone when it is big.
  post: (message, transfer) => scope.postMessage(encodeEvent(message), transfer ?? []),
  nowMs: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as number),
});
scope.onmessage = (e) => session.handle(e.data);
