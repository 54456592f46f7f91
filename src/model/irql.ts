// IRQL (R40–R41): every callback records the IRQL it runs at; a handler configured to misbehave at
// DISPATCH_LEVEL stops the machine with a bug check.
import { DISPATCH_LEVEL, HANDLER_NAMES, MISBEHAVIOURS, MISBEHAVIOUR_NAMES } from '../base/status.ts';
import { R } from '../trace/records.ts';
import { emit, type Model } from './state.ts';

/**
 * Thrown by a bug check to unwind whatever the model was doing: the machine stops at once, so
 * nothing — no further callback, break or discard of the same cascade — follows the `bugcheck`
 * record (R41). The engine's dispatch catches it; nothing else may.
 */
export class MachineHalted {
  readonly name = 'MachineHalted';
}
const HALT = new MachineHalted();

/** R41: a handler that waits, touches pageable memory or calls ZwClose at DISPATCH_LEVEL bug-checks. */
export function checkHandler(m: Model, cl: number, handler: number, irql: number): void {
  if (m.params.client.badHandler[cl] !== handler || irql < DISPATCH_LEVEL) return;
  const does = MISBEHAVIOUR_NAMES[m.params.client.badAction[cl] as number]!;
  const check = MISBEHAVIOURS[does];
  const handlerIndex = 31 - Math.clz32(handler);
  emit(m, R.BUGCHECK, cl, handlerIndex, MISBEHAVIOUR_NAMES.indexOf(does), 0, 0, check.code);
  m.clock.bugcheck = {
    code: check.code,
    name: check.name,
    client: m.topo.clientIds[cl]!,
    handler: HANDLER_NAMES[handlerIndex]!,
    does,
  };
  m.clock.halted = true;
  throw HALT;
}
