// R40: a transport calls its clients' handlers at one IRQL. Changing it changes the scenario (it is a
// property of the transport, not a policy that changes mid-run), so the run starts over with it.
import type { Scenario } from '../src/scenario/schema.ts';
import type { IRQL_NAMES } from '../src/base/status.ts';

export type Irql = (typeof IRQL_NAMES)[number];

/** The same scenario with `transport`'s callbacks (every transport's, when absent) at `irql`. */
export function withCallbackIrql(scenario: Scenario, irql: Irql, transport?: string): Scenario {
  return {
    ...scenario,
    transports: scenario.transports.map((t) => (transport === undefined || t.id === transport ? { ...t, callbackIrql: irql } : t)),
  };
}
