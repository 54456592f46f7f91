// The public scenario file (formats.md § Scenario file). Field names are a contract; fields marked
// "added" are ours and optional. Every field, with units and default, is documented in docs/scenario.md.
// zod/mini (the tree-shakable build): the worker validates every scenario before its first frame,
// and that first load is in the embed's 100 KB budget. Same checks and messages as classic zod.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { HANDLER_NAMES, MISBEHAVIOUR_NAMES, SEND_FLAG_NAMES, STATUS_NAMES } from '../base/status.ts';
import { DEFAULT_WSK_IRPS, IRQL_NAMES, NOTIFY_POLICIES, RESUBMIT_FROM, RESUBMIT_SIZES, WSK_IN_FLIGHT } from './options.ts';

// zod/mini starts without messages ("Invalid input"): the English ones, as classic zod has them.
z.config(en());

export const SCENARIO_FORMAT = 'tdi-flow-lab/scenario@1';

const id = z.string().check(
  z.minLength(1, 'must not be empty'),
  z.maxLength(64, 'must be at most 64 characters'),
  z.regex(/^[A-Za-z0-9_.:-]+$/, 'may only contain letters, digits, "_", ".", ":" and "-"'),
);
/** A whole number of at least `min`, with the message a field gives. */
const intAtLeast = (min: number, message: string, typeMessage?: string) => z.int(typeMessage).check(z.minimum(min, message));
const us = intAtLeast(0, 'must not be negative', 'must be a whole number of microseconds');
const bytes = intAtLeast(1, 'must be at least 1 byte', 'must be a whole number of bytes');
const status = z.enum(STATUS_NAMES as [string, ...string[]], 'is not a known NTSTATUS name');
const flags = z._default(z.array(z.enum(SEND_FLAG_NAMES as [string, ...string[]], 'is not a TDI_SEND flag')), []);
const handler = z.enum(HANDLER_NAMES as [string, ...string[]], 'must be SendPossible, Error, ErrorEx or Disconnect');
const nonEmpty = <T extends z.ZodMiniType>(item: T, message: string) => z.array(item).check(z.minLength(1, message));

const nic = z.strictObject({
  id,
  kind: z.literal('nic'),
  linkBytesPerMs: intAtLeast(1, 'must be at least 1 byte per millisecond'),
  mtuBytes: z._default(bytes, 1460), // added: bytes the NIC takes from the pool per transmission
});
const protocol = z.strictObject({
  id,
  kind: z.literal('protocol'),
  lower: nonEmpty(id, 'a protocol layer needs at least one lower driver'),
});

const transport = z.strictObject({
  id,
  lower: nonEmpty(id, 'a transport needs at least one lower driver'),
  sendBufferBytes: bytes,
  maxSendBytes: bytes,
  sendPossible: z._default(
    z.strictObject({
      notify: z._default(z.enum(NOTIFY_POLICIES), 'all'), // R22
      thresholdBytes: z._default(bytes, 1), // R22
    }),
    { notify: 'all', thresholdBytes: 1 },
  ),
  buffersSends: z._default(z.boolean(), true), // added, R3
  callbackIrql: z._default(z.enum(IRQL_NAMES), 'DISPATCH_LEVEL'), // added, R40
  abortStatus: z._default(status, 'STATUS_CONNECTION_ABORTED'), // added, R32
  disconnectOnError: z._default(z.boolean(), false), // added: ClientEventDisconnect after a fatal error
});

const client = z.strictObject({
  id,
  handlers: z._default(z.array(handler), []),
  resubmit: z._default(
    z.strictObject({
      from: z._default(z.enum(RESUBMIT_FROM), 'handler'), // R25
      delayUs: z._default(us, 0),
      size: z._default(z.enum(RESUBMIT_SIZES), 'full'),
    }),
    { from: 'handler', delayUs: 0, size: 'full' },
  ),
  onError: z._default(
    z.strictObject({
      closeAfterUs: z._default(us, 0), // R34
      reopenAfterUs: z.optional(intAtLeast(1, 'must be at least 1 µs')), // R34
    }),
    { closeAfterUs: 0 },
  ),
  queueLimitBytes: z.optional(bytes), // added: the client fails new sends beyond this (backpressure)
  handlerMisbehaviour: z.optional(z.strictObject({ handler, does: z.enum(MISBEHAVIOUR_NAMES as [string, ...string[]]) })), // R41
  // Added, W3: how the client keeps sends outstanding when the run goes through WSK (api "wsk").
  wsk: z._default(
    z.strictObject({
      inFlight: z._default(z.enum(WSK_IN_FLIGHT), 'idealBacklog'),
      irps: z._default(intAtLeast(1, 'must be at least 1 IRP', 'must be a whole number of IRPs'), DEFAULT_WSK_IRPS),
    }),
    { inFlight: 'idealBacklog', irps: DEFAULT_WSK_IRPS },
  ),
});

const address = z.strictObject({
  id,
  client: id,
  transport: id,
  nics: nonEmpty(id, 'an address is bound to at least one NIC'),
});

const send = z.strictObject({ atUs: us, bytes, flags });
const generator = z.strictObject({
  startUs: us,
  everyUs: intAtLeast(1, 'must be at least 1 µs'),
  bytes,
  count: intAtLeast(0, 'must not be negative'),
  flags,
  jitterUs: z._default(us, 0),
});
const connection = z.strictObject({
  id,
  address: id,
  nic: id,
  sends: z._default(z.array(send), []),
  generator: z.optional(generator),
});

// Added: a change made by hand in the app (or by a script) records after how many kernel events it
// was made, so that a replay applies it at the same point of the event order, not merely the same µs.
const afterKernelEvents = z.optional(intAtLeast(0, 'must not be negative', 'must be a whole number'));

const fault = z.strictObject({
  atUs: us,
  afterKernelEvents,
  driver: id,
  status,
  recoverAfterUs: z.optional(intAtLeast(1, 'must be at least 1 µs')), // R35
  fatal: z._default(z.boolean(), true), // R36
});

// Added: a policy that changes at a point in time (acting in the past forks a branch with one).
const policyChange = z.strictObject({
  atUs: us,
  afterKernelEvents,
  client: z.optional(id), // the client whose resubmit policy changes; absent: every client
  resubmit: z.optional(
    z.strictObject({
      from: z.optional(z.enum(RESUBMIT_FROM)),
      delayUs: z.optional(us),
      size: z.optional(z.enum(RESUBMIT_SIZES)),
    }),
  ),
  transport: z.optional(id), // the transport whose SendPossible policy changes; absent: every transport
  sendPossible: z.optional(z.strictObject({ notify: z.optional(z.enum(NOTIFY_POLICIES)), thresholdBytes: z.optional(bytes) })),
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
  .check(z.minimum(0, 'must be between 0 and 4294967295'), z.maximum(0xffffffff, 'must be between 0 and 4294967295'));

/** One fault and one policy change, as a command that writes them into a scenario is checked. */
export const faultSchema = fault;
export const policyChangeSchema = policyChange;

export const scenarioSchema = z.strictObject({
  format: z.literal(SCENARIO_FORMAT, `must be "${SCENARIO_FORMAT}"`),
  title: z._default(z.string(), ''),
  description: z.optional(z.string()),
  seed: seedSchema,
  durationUs: intAtLeast(1, 'must be at least 1 µs'),
  drivers: z.array(z.discriminatedUnion('kind', [nic, protocol], 'kind must be "nic" or "protocol"')),
  transports: nonEmpty(transport, 'needs at least one transport'),
  clients: z.array(client),
  addresses: z.array(address),
  connections: z.array(connection),
  faults: z._default(z.array(fault), []),
  handlerChanges: z._default(z.array(handlerChange), []),
  policyChanges: z._default(z.array(policyChange), []),
});

/** A scenario as written in a file (defaults may be missing). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A scenario after validation: every default filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
export type TransportSpec = Scenario['transports'][number];
export type FaultSpec = Scenario['faults'][number];
export type PolicyChange = Scenario['policyChanges'][number];
