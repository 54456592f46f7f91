// NTSTATUS values used by the model (hex as in ntstatus.h; docs/rules.md § NTSTATUS values).
// Statuses are stored in the trace as an index into STATUS_NAMES, so the table order is part of the
// in-memory trace layout (not of the public JSON trace, which carries names and codes).

const STATUS_CODES = {
  STATUS_SUCCESS: 0x00000000,
  STATUS_TIMEOUT: 0x00000102,
  STATUS_PENDING: 0x00000103,
  STATUS_INVALID_PARAMETER: 0xc000000d,
  STATUS_INSUFFICIENT_RESOURCES: 0xc000009a,
  STATUS_DEVICE_NOT_READY: 0xc00000a3,
  STATUS_IO_TIMEOUT: 0xc00000b5,
  STATUS_ADAPTER_HARDWARE_ERROR: 0xc00000c2,
  STATUS_CANCELLED: 0xc0000120,
  STATUS_FILE_CLOSED: 0xc0000128,
  STATUS_LOCAL_DISCONNECT: 0xc000013b,
  STATUS_REMOTE_DISCONNECT: 0xc000013c,
  STATUS_LINK_FAILED: 0xc000013e,
  STATUS_LINK_TIMEOUT: 0xc000013f,
  STATUS_INVALID_CONNECTION: 0xc0000140,
  STATUS_INVALID_ADDRESS: 0xc0000141,
  STATUS_CONNECTION_DISCONNECTED: 0xc000020c,
  STATUS_CONNECTION_RESET: 0xc000020d,
  STATUS_NETWORK_UNREACHABLE: 0xc000023c,
  STATUS_HOST_UNREACHABLE: 0xc000023d,
  STATUS_PROTOCOL_UNREACHABLE: 0xc000023e,
  STATUS_PORT_UNREACHABLE: 0xc000023f,
  STATUS_CONNECTION_ABORTED: 0xc0000241,
  STATUS_DEVICE_REMOVED: 0xc00002b6,
} as const;

export type StatusName = keyof typeof STATUS_CODES;
export const STATUS_NAMES = Object.keys(STATUS_CODES) as StatusName[];
const STATUS_INDEX = new Map<string, number>(STATUS_NAMES.map((n, i) => [n, i]));

export function statusIndex(name: StatusName): number {
  return STATUS_INDEX.get(name) as number;
}

/** `0xC00000A3` — the form the trace and the event log use. */
export function statusHex(name: StatusName): string {
  return '0x' + STATUS_CODES[name].toString(16).toUpperCase().padStart(8, '0');
}

// Indices used on the hot path (precomputed so the engine never looks a name up per event).
export const S_SUCCESS = statusIndex('STATUS_SUCCESS');
export const S_PENDING = statusIndex('STATUS_PENDING');
export const S_INVALID_PARAMETER = statusIndex('STATUS_INVALID_PARAMETER');
export const S_DEVICE_NOT_READY = statusIndex('STATUS_DEVICE_NOT_READY');
export const S_INSUFFICIENT_RESOURCES = statusIndex('STATUS_INSUFFICIENT_RESOURCES');
export const S_INVALID_CONNECTION = statusIndex('STATUS_INVALID_CONNECTION');

// TDI_SEND flags (tdi.h) — R10–R14.
export const SEND_FLAGS = {
  EXPEDITED: 0x20,
  PARTIAL: 0x40,
  NO_RESPONSE_EXPECTED: 0x80,
  NON_BLOCKING: 0x100,
  AND_DISCONNECT: 0x200,
} as const;
export type SendFlagName = keyof typeof SEND_FLAGS;
export const SEND_FLAG_NAMES = Object.keys(SEND_FLAGS) as SendFlagName[];

export function flagsToMask(names: readonly SendFlagName[]): number {
  let mask = 0;
  for (const n of names) mask |= SEND_FLAGS[n];
  return mask;
}

export function maskToFlags(mask: number): SendFlagName[] {
  return SEND_FLAG_NAMES.filter((n) => (mask & SEND_FLAGS[n]) !== 0);
}

// TdiBuildSetEventHandler event types (R2).
export const EVENT_TYPES = { Disconnect: 1, Error: 2, SendPossible: 6, ErrorEx: 10 } as const;
export type HandlerName = keyof typeof EVENT_TYPES;
export const HANDLER_NAMES: readonly HandlerName[] = ['SendPossible', 'Error', 'ErrorEx', 'Disconnect'];
/** Bit per handler in an address's registration mask. */
export const H_SEND_POSSIBLE = 1;
export const H_ERROR = 2;
export const H_ERROR_EX = 4;
export const H_DISCONNECT = 8;
export function handlerBit(name: HandlerName): number {
  return 1 << HANDLER_NAMES.indexOf(name);
}

export const IRQL_NAMES = ['PASSIVE_LEVEL', 'APC_LEVEL', 'DISPATCH_LEVEL'] as const;
export const PASSIVE_LEVEL = 0;
export const DISPATCH_LEVEL = 2;

// R41: what a misbehaving handler does at DISPATCH_LEVEL, and the bug check that follows. Touching
// pageable memory faults inside the driver (0xD1); a wait or ZwClose reaches the kernel's scheduler or
// object manager at raised IRQL and faults there (0xA).
export const MISBEHAVIOURS = {
  wait: { code: 0x0a, name: 'IRQL_NOT_LESS_OR_EQUAL', what: 'KeWaitForSingleObject with a non-zero timeout' },
  zwClose: { code: 0x0a, name: 'IRQL_NOT_LESS_OR_EQUAL', what: 'ZwClose' },
  pageable: { code: 0xd1, name: 'DRIVER_IRQL_NOT_LESS_OR_EQUAL', what: 'a touch of pageable memory' },
} as const;
export type MisbehaviourName = keyof typeof MISBEHAVIOURS;
export const MISBEHAVIOUR_NAMES = Object.keys(MISBEHAVIOURS) as MisbehaviourName[];
