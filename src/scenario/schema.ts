// The public scenario file (formats.md § Scenario file). Field names are a contract; fields marked
// "added" are ours and optional. Every field, with units and default, is documented in docs/scenario.md.
import { z } from 'zod';
import { HANDLER_NAMES, MISBEHAVIOUR_NAMES, SEND_FLAG_NAMES, STATUS_NAMES } from '../base/status.ts';
import { IRQL_NAMES, NOTIFY_POLICIES, RESUBMIT_FROM, RESUBMIT_SIZES } from './options.ts';

export const SCENARIO_FORMAT = 'tdi-flow-lab/scenario@1';

const id = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'may only contain letters, digits, "_", ".", ":" and "-"');
const us = z.int('must be a whole number of microseconds').min(0, 'must not be negative');
const bytes = z.int('must be a whole number of bytes').min(1, 'must be at least 1 byte');
const status = z.enum(STATUS_NAMES as [string, ...string[]], 'is not a known NTSTATUS name');
const flags = z.array(z.enum(SEND_FLAG_NAMES as [string, ...string[]], 'is not a TDI_SEND flag')).default([]);
const handler = z.enum(HANDLER_NAMES as [string, ...string[]], 'must be SendPossible, Error, ErrorEx or Disconnect');

const nic = z.strictObject({
  id,
  kind: z.literal('nic'),
  linkBytesPerMs: z.int().min(1, 'must be at least 1 byte per millisecond'),
  mtuBytes: bytes.default(1460), // added: bytes the NIC takes from the pool per transmission
});
const protocol = z.strictObject({
  id,
  kind: z.literal('protocol'),
  lower: z.array(id).min(1, 'a protocol layer needs at least one lower driver'),
});

const transport = z.strictObject({
  id,
  lower: z.array(id).min(1, 'a transport needs at least one lower driver'),
  sendBufferBytes: bytes,
  maxSendBytes: bytes,
  sendPossible: z
    .strictObject({
      notify: z.enum(NOTIFY_POLICIES).default('all'), // R22
      thresholdBytes: bytes.default(1), // R22
    })
    .default({ notify: 'all', thresholdBytes: 1 }),
  buffersSends: z.boolean().default(true), // added, R3
  callbackIrql: z.enum(IRQL_NAMES).default('DISPATCH_LEVEL'), // added, R40
  abortStatus: status.default('STATUS_CONNECTION_ABORTED'), // added, R32
  disconnectOnError: z.boolean().default(false), // added: ClientEventDisconnect after a fatal error
});

const client = z.strictObject({
  id,
  handlers: z.array(handler).default([]),
  resubmit: z
    .strictObject({
      from: z.enum(RESUBMIT_FROM).default('handler'), // R25
      delayUs: us.default(0),
      size: z.enum(RESUBMIT_SIZES).default('full'),
    })
    .default({ from: 'handler', delayUs: 0, size: 'full' }),
  onError: z
    .strictObject({
      closeAfterUs: us.default(0), // R34
      reopenAfterUs: z.int().min(1, 'must be at least 1 µs').optional(), // R34
    })
    .default({ closeAfterUs: 0 }),
  queueLimitBytes: bytes.optional(), // added: the client fails new sends beyond this (backpressure)
  handlerMisbehaviour: z
    .strictObject({ handler, does: z.enum(MISBEHAVIOUR_NAMES as [string, ...string[]]) })
    .optional(), // R41
});

const address = z.strictObject({
  id,
  client: id,
  transport: id,
  nics: z.array(id).min(1, 'an address is bound to at least one NIC'),
});

const send = z.strictObject({ atUs: us, bytes, flags });
const generator = z.strictObject({
  startUs: us,
  everyUs: z.int().min(1, 'must be at least 1 µs'),
  bytes,
  count: z.int().min(0, 'must not be negative'),
  flags,
  jitterUs: us.default(0),
});
const connection = z.strictObject({
  id,
  address: id,
  nic: id,
  sends: z.array(send).default([]),
  generator: generator.optional(),
});

// Added: a change made by hand in the app (or by a script) records after how many kernel events it
// was made, so that a replay applies it at the same point of the event order, not merely the same µs.
const afterKernelEvents = z.int('must be a whole number').min(0, 'must not be negative').optional();

const fault = z.strictObject({
  atUs: us,
  afterKernelEvents,
  driver: id,
  status,
  recoverAfterUs: z.int().min(1, 'must be at least 1 µs').optional(), // R35
  fatal: z.boolean().default(true), // R36
});

// Added: a policy that changes at a point in time (acting in the past forks a branch with one).
const policyChange = z.strictObject({
  atUs: us,
  afterKernelEvents,
  client: id.optional(), // the client whose resubmit policy changes; absent: every client
  resubmit: z
    .strictObject({
      from: z.enum(RESUBMIT_FROM).optional(),
      delayUs: us.optional(),
      size: z.enum(RESUBMIT_SIZES).optional(),
    })
    .optional(),
  transport: id.optional(), // the transport whose SendPossible policy changes; absent: every transport
  sendPossible: z
    .strictObject({ notify: z.enum(NOTIFY_POLICIES).optional(), thresholdBytes: bytes.optional() })
    .optional(),
});

const handlerChange = z.strictObject({
  atUs: us,
  address: id,
  handler,
  registered: z.boolean(), // R2: false registers NULL
});

/** A run's seed (I7): a whole number 0 … 2³²−1. */
export const seedSchema = z
  .int('must be a whole number between 0 and 4294967295')
  .min(0, 'must be between 0 and 4294967295')
  .max(0xffffffff, 'must be between 0 and 4294967295');

/** One fault and one policy change, as a command that writes them into a scenario is checked. */
export const faultSchema = fault;
export const policyChangeSchema = policyChange;

export const scenarioSchema = z.strictObject({
  format: z.literal(SCENARIO_FORMAT, `must be "${SCENARIO_FORMAT}"`),
  title: z.string().default(''),
  description: z.string().optional(),
  seed: seedSchema,
  durationUs: z.int().min(1, 'must be at least 1 µs'),
  drivers: z.array(z.discriminatedUnion('kind', [nic, protocol], 'kind must be "nic" or "protocol"')),
  transports: z.array(transport).min(1, 'needs at least one transport'),
  clients: z.array(client),
  addresses: z.array(address),
  connections: z.array(connection),
  faults: z.array(fault).default([]),
  handlerChanges: z.array(handlerChange).default([]),
  policyChanges: z.array(policyChange).default([]),
});

/** A scenario as written in a file (defaults may be missing). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A scenario after validation: every default filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
export type TransportSpec = Scenario['transports'][number];
export type FaultSpec = Scenario['faults'][number];
export type PolicyChange = Scenario['policyChanges'][number];
