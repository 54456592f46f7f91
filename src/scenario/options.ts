// The closed option lists of a scenario, written once: the zod schema validates against them and the
// page's menus (inspector policy editor, fault menu, compare variants) list them, so a new option is
// one edit here, not a hunt through the schema and three menus.
import type { StatusName } from '../base/status.ts';

export { IRQL_NAMES } from '../base/status.ts';

/** R25: where a client resubmits from after ClientEventSendPossible. */
export const RESUBMIT_FROM = ['handler', 'dpc', 'workItem', 'timer'] as const;
export type ResubmitFrom = (typeof RESUBMIT_FROM)[number];

/** R25: resubmit the whole refused send, or only the BytesAvailable the transport reported. */
export const RESUBMIT_SIZES = ['full', 'available'] as const;
export type ResubmitSize = (typeof RESUBMIT_SIZES)[number];

/** W3: how much a WSK client keeps outstanding: its ideal send backlog (WskSendBacklogEvent), or a fixed count of IRPs. */
export const WSK_IN_FLIGHT = ['idealBacklog', 'irps'] as const;
export type WskInFlight = (typeof WSK_IN_FLIGHT)[number];
/** W3: the IRPs per connection a client with `wsk.inFlight: "irps"` keeps pending when the scenario names no count. */
export const DEFAULT_WSK_IRPS = 2;

/** R22: which waiting connections a transport tells when space frees. */
export const NOTIFY_POLICIES = ['all', 'oldest'] as const;
export type NotifyPolicy = (typeof NOTIFY_POLICIES)[number];

/** R31: statuses a failing driver reports that break the addresses depending on it. */
export const FATAL_FAULT_STATUSES: readonly StatusName[] = [
  'STATUS_ADAPTER_HARDWARE_ERROR',
  'STATUS_DEVICE_REMOVED',
  'STATUS_LINK_FAILED',
  'STATUS_LINK_TIMEOUT',
  'STATUS_IO_TIMEOUT',
  'STATUS_INSUFFICIENT_RESOURCES',
];

/** R36: statuses reported through ClientEventErrorEx without breaking anything. */
export const NON_FATAL_FAULT_STATUSES: readonly StatusName[] = [
  'STATUS_PORT_UNREACHABLE',
  'STATUS_HOST_UNREACHABLE',
  'STATUS_NETWORK_UNREACHABLE',
  'STATUS_PROTOCOL_UNREACHABLE',
];

/** R35: the recovery delays the fault menu offers (0: never recovers). */
export const FAULT_RECOVER_US = [0, 1000, 3000, 10_000] as const;

/** A value from one of the lists above, or null: for <select> values that arrive as strings. */
export function pick<T extends string>(options: readonly T[], value: string): T | null {
  return (options as readonly string[]).includes(value) ? (value as T) : null;
}

/**
 * The bytes a client holds per connection (refused or queued behind a refusal) when its scenario
 * gives no `queueLimitBytes`: beyond this, new non-blocking sends fail STATUS_INSUFFICIENT_RESOURCES
 * (scenario.md). Without a bound, a load above the links' rate grows the queue until memory runs out.
 */
export const DEFAULT_QUEUE_LIMIT_BYTES = 16 * 1024 * 1024;
