// Every field of docs/scenario.md, as the editor's forms show it: label, unit, default and limits,
// and how it is edited (a number, a choice, a list of choices) — never text to parse (#15).
import {
  HANDLER_NAMES,
  IRQL_NAMES,
  MISBEHAVIOUR_NAMES,
  SEND_FLAG_NAMES,
  STATUS_NAMES,
} from '../../src/base/status.ts';
import { NOTIFY_POLICIES, RESUBMIT_FROM, RESUBMIT_SIZES } from '../../src/scenario/options.ts';
import { idsOf, items, nicIds, driverIds, idOf, type Draft, type Obj, type PathKey } from './model.ts';

export type FieldSpec = {
  /** Path inside the item (or the scenario). */
  path: PathKey[];
  label: string;
  /** What the user can read next to the field: unit, default, limits, the rule it belongs to. */
  hint?: string;
  unit?: string;
  /** An optional field left empty is absent (its default applies). */
  optional?: boolean;
  /** Emptying this optional field removes the object it is in (e.g. handlerMisbehaviour). */
  removesParent?: boolean;
} & (
  | { kind: 'int'; min?: number; max?: number }
  | { kind: 'text'; long?: boolean }
  | { kind: 'id' }
  | { kind: 'bool'; defaultValue: boolean }
  | {
      kind: 'choice';
      options: (d: Draft, item: Obj) => readonly string[];
      defaultValue?: string;
      noneLabel?: string;
    }
  | { kind: 'choices'; options: (d: Draft, item: Obj) => readonly string[] }
);

const fixed = (list: readonly string[]) => () => list;
const FAULT_STATUSES = STATUS_NAMES.filter((s) => s !== 'STATUS_SUCCESS' && s !== 'STATUS_PENDING');
const MAX_SEED = 0xffffffff;

export const SCENARIO_FIELDS: FieldSpec[] = [
  { path: ['title'], label: 'Title', kind: 'text', optional: true, hint: 'shown in the app and the summary' },
  {
    path: ['description'],
    label: 'Description',
    kind: 'text',
    long: true,
    optional: true,
    hint: 'a paragraph for the help panel',
  },
  {
    path: ['seed'],
    label: 'Seed',
    kind: 'int',
    min: 0,
    max: MAX_SEED,
    hint: '0 … 4294967295: the only source of randomness (generator jitter)',
  },
  {
    path: ['durationUs'],
    label: 'Duration',
    kind: 'int',
    unit: 'µs',
    min: 1,
    hint: 'the run stops after this simulated time',
  },
];

export const NIC_FIELDS: FieldSpec[] = [
  { path: ['id'], label: 'Id', kind: 'id' },
  {
    path: ['linkBytesPerMs'],
    label: 'Link rate',
    kind: 'int',
    unit: 'B/ms',
    min: 1,
    hint: 'required; 1000 B/ms = 1 MB/s',
  },
  {
    path: ['mtuBytes'],
    label: 'MTU',
    kind: 'int',
    unit: 'B',
    min: 1,
    optional: true,
    hint: 'default 1460: bytes taken from the pool per transmission',
  },
];

export const PROTOCOL_FIELDS: FieldSpec[] = [
  { path: ['id'], label: 'Id', kind: 'id' },
  {
    path: ['lower'],
    label: 'Lower drivers',
    kind: 'choices',
    options: (d, item) => driverIds(d).filter((x) => x !== idOf(item)),
    hint: 'at least one; no cycles',
  },
];

export const TRANSPORT_FIELDS: FieldSpec[] = [
  { path: ['id'], label: 'Id', kind: 'id' },
  {
    path: ['lower'],
    label: 'Lower drivers',
    kind: 'choices',
    options: (d) => driverIds(d),
    hint: 'the drivers directly below it; at least one',
  },
  {
    path: ['sendBufferBytes'],
    label: 'Send pool',
    kind: 'int',
    unit: 'B',
    min: 1,
    hint: 'required: the ONE pool all its connections share',
  },
  {
    path: ['maxSendBytes'],
    label: 'Largest send',
    kind: 'int',
    unit: 'B',
    min: 1,
    hint: 'required: a longer TDI_SEND fails STATUS_INVALID_PARAMETER (R15)',
  },
  {
    path: ['sendPossible', 'notify'],
    label: 'SendPossible calls',
    kind: 'choice',
    options: fixed(NOTIFY_POLICIES),
    defaultValue: 'all',
    hint: 'R22: every indebted connection, or the longest-waiting only',
  },
  {
    path: ['sendPossible', 'thresholdBytes'],
    label: 'SendPossible threshold',
    kind: 'int',
    unit: 'B',
    min: 1,
    optional: true,
    hint: 'default 1; at most the pool (R22)',
  },
  {
    path: ['buffersSends'],
    label: 'Buffers sends',
    kind: 'bool',
    defaultValue: true,
    hint: 'R3: off refuses SendPossible registration',
  },
  {
    path: ['callbackIrql'],
    label: 'Callback IRQL',
    kind: 'choice',
    options: fixed(IRQL_NAMES),
    defaultValue: 'DISPATCH_LEVEL',
    hint: 'R40',
  },
  {
    path: ['abortStatus'],
    label: 'Abort status',
    kind: 'choice',
    options: fixed(FAULT_STATUSES),
    defaultValue: 'STATUS_CONNECTION_ABORTED',
    hint: 'R32: pending sends on a broken connection',
  },
  {
    path: ['disconnectOnError'],
    label: 'Disconnect on error',
    kind: 'bool',
    defaultValue: false,
    hint: 'also call ClientEventDisconnect for each broken connection',
  },
];

export const CLIENT_FIELDS: FieldSpec[] = [
  { path: ['id'], label: 'Id', kind: 'id' },
  {
    path: ['handlers'],
    label: 'Handlers',
    kind: 'choices',
    options: fixed(HANDLER_NAMES),
    hint: 'registered on each of its addresses (R1, R2)',
  },
  {
    path: ['resubmit', 'from'],
    label: 'Resubmit from',
    kind: 'choice',
    options: fixed(RESUBMIT_FROM),
    defaultValue: 'handler',
    hint: 'R25: in the callback, after a delay, or by timer',
  },
  {
    path: ['resubmit', 'delayUs'],
    label: 'Resubmit delay',
    kind: 'int',
    unit: 'µs',
    min: 0,
    optional: true,
    hint: 'default 0 (≥ 1 for timer): the race window',
  },
  {
    path: ['resubmit', 'size'],
    label: 'Resubmit size',
    kind: 'choice',
    options: fixed(RESUBMIT_SIZES),
    defaultValue: 'full',
    hint: 'R25: the whole remainder, or at most BytesAvailable',
  },
  {
    path: ['onError', 'closeAfterUs'],
    label: 'Close after error',
    kind: 'int',
    unit: 'µs',
    min: 0,
    optional: true,
    hint: 'default 0 (R34)',
  },
  {
    path: ['onError', 'reopenAfterUs'],
    label: 'Reopen after',
    kind: 'int',
    unit: 'µs',
    min: 1,
    optional: true,
    hint: 'empty: never (R34)',
  },
  {
    path: ['queueLimitBytes'],
    label: 'Queue limit',
    kind: 'int',
    unit: 'B',
    min: 1,
    optional: true,
    hint: 'per connection; default 16777216 (16 MiB)',
  },
  {
    path: ['handlerMisbehaviour', 'handler'],
    label: 'Misbehaving handler',
    kind: 'choice',
    options: fixed(HANDLER_NAMES),
    optional: true,
    removesParent: true,
    noneLabel: '(none)',
    hint: 'R41: bug-checks at DISPATCH_LEVEL',
  },
  {
    path: ['handlerMisbehaviour', 'does'],
    label: 'It does',
    kind: 'choice',
    options: fixed(MISBEHAVIOUR_NAMES),
    hint: 'wait, pageable or zwClose',
  },
];

export const ADDRESS_FIELDS: FieldSpec[] = [
  { path: ['id'], label: 'Id', kind: 'id' },
  { path: ['client'], label: 'Client', kind: 'choice', options: (d) => idsOf(d, 'clients') },
  { path: ['transport'], label: 'Transport', kind: 'choice', options: (d) => idsOf(d, 'transports') },
  {
    path: ['nics'],
    label: 'NICs',
    kind: 'choices',
    options: (d) => nicIds(d),
    hint: 'at least one, below its transport; several = a wildcard address',
  },
];

export const CONNECTION_FIELDS: FieldSpec[] = [
  { path: ['id'], label: 'Id', kind: 'id' },
  {
    path: ['address'],
    label: 'Address',
    kind: 'choice',
    options: (d) => idsOf(d, 'addresses'),
    hint: 'choosing another moves the connection there',
  },
  {
    path: ['nic'],
    label: 'NIC (route)',
    kind: 'choice',
    options: (d, item) => {
      const a = items(d, 'addresses').find((x) => idOf(x) === item.address);
      return Array.isArray(a?.nics) ? (a.nics as string[]) : nicIds(d);
    },
    hint: 'one of its address’s NICs',
  },
];

export const GENERATOR_FIELDS: FieldSpec[] = [
  { path: ['generator', 'startUs'], label: 'Start', kind: 'int', unit: 'µs', min: 0 },
  { path: ['generator', 'everyUs'], label: 'Every', kind: 'int', unit: 'µs', min: 1 },
  { path: ['generator', 'bytes'], label: 'Bytes', kind: 'int', unit: 'B', min: 1 },
  { path: ['generator', 'count'], label: 'Count', kind: 'int', min: 0 },
  {
    path: ['generator', 'jitterUs'],
    label: 'Jitter',
    kind: 'int',
    unit: 'µs',
    min: 0,
    optional: true,
    hint: 'default 0: each send delayed by 0 … jitter, from the seed',
  },
  {
    path: ['generator', 'flags'],
    label: 'Flags',
    kind: 'choices',
    options: fixed(SEND_FLAG_NAMES),
    hint: 'none = blocking',
  },
];

export const SEND_FLAGS = SEND_FLAG_NAMES;

export const FAULT_FIELDS: FieldSpec[] = [
  { path: ['atUs'], label: 'At', kind: 'int', unit: 'µs', min: 0 },
  {
    path: ['driver'],
    label: 'Driver or transport',
    kind: 'choice',
    options: (d) => [...driverIds(d), ...idsOf(d, 'transports')],
  },
  {
    path: ['status'],
    label: 'Status',
    kind: 'choice',
    options: fixed(FAULT_STATUSES),
    hint: 'passed to ClientEventError(Ex)',
  },
  {
    path: ['fatal'],
    label: 'Fatal',
    kind: 'bool',
    defaultValue: true,
    hint: 'R36: off calls the handlers and breaks nothing',
  },
  {
    path: ['recoverAfterUs'],
    label: 'Recover after',
    kind: 'int',
    unit: 'µs',
    min: 1,
    optional: true,
    hint: 'empty: never (R35)',
  },
];

export const HANDLER_CHANGE_FIELDS: FieldSpec[] = [
  { path: ['atUs'], label: 'At', kind: 'int', unit: 'µs', min: 0 },
  { path: ['address'], label: 'Address', kind: 'choice', options: (d) => idsOf(d, 'addresses') },
  { path: ['handler'], label: 'Handler', kind: 'choice', options: fixed(HANDLER_NAMES) },
  {
    path: ['registered'],
    label: 'Registered',
    kind: 'bool',
    defaultValue: false,
    hint: 'off registers NULL (R2)',
  },
];

export const POLICY_CHANGE_FIELDS: FieldSpec[] = [
  { path: ['atUs'], label: 'From', kind: 'int', unit: 'µs', min: 0 },
  {
    path: ['client'],
    label: 'Client',
    kind: 'choice',
    options: (d) => idsOf(d, 'clients'),
    optional: true,
    noneLabel: '(every client)',
  },
  {
    path: ['resubmit', 'from'],
    label: 'Resubmit from',
    kind: 'choice',
    options: fixed(RESUBMIT_FROM),
    optional: true,
    noneLabel: '(unchanged)',
  },
  {
    path: ['resubmit', 'delayUs'],
    label: 'Resubmit delay',
    kind: 'int',
    unit: 'µs',
    min: 0,
    optional: true,
    hint: 'empty: unchanged',
  },
  {
    path: ['resubmit', 'size'],
    label: 'Resubmit size',
    kind: 'choice',
    options: fixed(RESUBMIT_SIZES),
    optional: true,
    noneLabel: '(unchanged)',
  },
  {
    path: ['transport'],
    label: 'Transport',
    kind: 'choice',
    options: (d) => idsOf(d, 'transports'),
    optional: true,
    noneLabel: '(every transport)',
  },
  {
    path: ['sendPossible', 'notify'],
    label: 'SendPossible calls',
    kind: 'choice',
    options: fixed(NOTIFY_POLICIES),
    optional: true,
    noneLabel: '(unchanged)',
  },
  {
    path: ['sendPossible', 'thresholdBytes'],
    label: 'SendPossible threshold',
    kind: 'int',
    unit: 'B',
    min: 1,
    optional: true,
    hint: 'empty: unchanged',
  },
];
