// The model's state, described once: per entity (transport pool, SendPossible notifier, driver node,
// address, NIC, connection, client policy, metrics) one record of typed arrays indexed by that
// entity — a struct of arrays, as bitECS keeps per component. The rule modules (sends.ts,
// sendPossible.ts, transmit.ts, faults.ts, policy.ts, irql.ts) are functions over these stores.
//
// Everything that changes while the model runs lives in one of DYNAMIC_STORES — besides the event
// heap, the PRNG and the fault and policy-change lists, which the engine's checkpoint() copies
// itself. A checkpoint copies the stores whole, so a new field is checkpointed by being declared
// here: there is no hand-kept list of fields to forget. What never changes after load is `Params`.
import type { EventHeap } from '../sim/heap.ts';
import type { Prng } from '../base/prng.ts';
import {
  IRQL_NAMES,
  MISBEHAVIOUR_NAMES,
  flagsToMask,
  handlerBit,
  statusIndex,
  type HandlerName,
  type MisbehaviourName,
  type SendFlagName,
  type StatusName,
} from '../base/status.ts';
import type { FaultSpec, PolicyChange, Scenario } from '../scenario/schema.ts';
import { DEFAULT_QUEUE_LIMIT_BYTES } from '../scenario/options.ts';
import { R, type TraceRecorder } from '../trace/records.ts';
import type { Topology } from './topology.ts';

// Kernel event kinds. A kind's number carries its phase in its high four bits: events at the same
// microsecond run phase by phase (docs/model.md § Events at the same instant) — work already under
// way (0x0_), then the scenario's timed inputs (0x1_ … 0x4_) — and in scheduling order within a
// phase. Each rule module owns the kinds it runs (its *_EVENTS table of handlers); the engine's
// dispatch is one lookup in their union, which the compiler checks covers every kind (engine.ts).
export const EV_TX_DONE = 0x01; // arg0 NIC slot, arg1 NIC epoch (transmit.ts)
export const EV_RESUBMIT = 0x02; // arg0 conn, arg1 work id (R25 dpc / workItem; policy.ts)
export const EV_RETRY = 0x03; // arg0 conn, arg1 work id (R25 timer; policy.ts)
export const EV_RECOVER = 0x04; // arg0 fault index (R35; faults.ts)
export const EV_ADDR_CLOSE = 0x05; // arg0 address (R34; faults.ts)
export const EV_ADDR_REOPEN = 0x06; // arg0 address (R34; faults.ts)
export const EV_WSK_RECONNECT = 0x07; // arg0 conn (W6: the WSK client connects a new socket; wskFaults.ts)
export const EV_POLICY = 0x11; // arg0 policyChanges index (policy.ts)
export const EV_HANDLER_CHANGE = 0x21; // arg0 handlerChanges index (R2; faults.ts)
export const EV_FAULT = 0x31; // arg0 fault index (R30; faults.ts)
export const EV_APP_SEND = 0x41; // arg0 conn, arg1 explicit send index (>= 0) or -(generator send number + 1) (sends.ts)
export const EVENT_KINDS = [EV_TX_DONE, EV_RESUBMIT, EV_RETRY, EV_RECOVER, EV_ADDR_CLOSE, EV_ADDR_REOPEN, EV_WSK_RECONNECT, EV_POLICY, EV_HANDLER_CHANGE, EV_FAULT, EV_APP_SEND] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
/** The kinds a run through TDI schedules (the engine's TDI table must run each of them). */
export type TdiEventKind = Exclude<EventKind, typeof EV_WSK_RECONNECT>;
/** The kinds a run through WSK schedules: no SendPossible resubmission, no retry timer, no address close (W1, W5). */
export type WskEventKind = Exclude<EventKind, typeof EV_RESUBMIT | typeof EV_RETRY | typeof EV_ADDR_CLOSE | typeof EV_ADDR_REOPEN>;

/** Which kernel interface the clients use: TDI (the archived pages) or Winsock Kernel (W1–W7). */
export const APIS = ['tdi', 'wsk'] as const;
export type Api = (typeof APIS)[number];
/** Runs one kernel event of a kind with the two arguments it was scheduled with. */
export type EventHandler = (m: Model, arg0: number, arg1: number) => void;
/** A rule module's kinds and the functions that run them. */
export type EventHandlers = { readonly [K in EventKind]?: EventHandler };

// What a connection's client is waiting for.
export const AWAIT_NONE = 0;
export const AWAIT_SEND_POSSIBLE = 1; // refused (R13); waits for the callback
export const AWAIT_RESUBMIT = 2; // told; resubmission scheduled (R25 dpc/workItem)
export const AWAIT_TIMER = 3; // refused; retry timer set (R25 timer)

export const FROM_HANDLER = 0;
export const FROM_DPC = 1;
export const FROM_WORK_ITEM = 2;
export const FROM_TIMER = 3;
export const FROM_CODES = { handler: FROM_HANDLER, dpc: FROM_DPC, workItem: FROM_WORK_ITEM, timer: FROM_TIMER } as const;

/** A send the client still holds (refused, partly copied, or queued behind one). */
export interface HeldSend {
  remaining: number;
  flags: number;
  /** sendId of the first TDI_SEND that carried this data; -1 while never submitted. */
  origin: number;
  /** When the transport first refused it (for the wait metric); -1 if never refused. */
  refusedAtUs: number;
}

/** A blocking send held by the transport (R14). */
export interface PendingSend {
  sendId: number;
  bytes: number;
  copied: number;
  expedited: boolean;
}

export interface BugcheckInfo {
  code: number;
  name: string;
  client: string;
  handler: HandlerName;
  does: MisbehaviourName;
}

/** Scenario values resolved to typed arrays once; they never change while the model runs. */
export interface Params {
  transport: {
    capacity: Float64Array; // sendBufferBytes
    maxSend: Float64Array;
    buffersSends: Uint8Array; // R3
    callbackIrql: Uint8Array; // R40
    abortStatus: Int32Array; // R32
    disconnectOnError: Uint8Array;
  };
  client: {
    closeAfterUs: Float64Array; // R34
    reopenAfterUs: Float64Array; // R34; -1 never
    queueLimitBytes: Float64Array; // the scenario's, or DEFAULT_QUEUE_LIMIT_BYTES
    badHandler: Uint8Array; // R41: handler bit that misbehaves, 0 none
    badAction: Int32Array;
    /** W3: 1 when the client keeps its ideal send backlog outstanding, 0 when a fixed count of IRPs. */
    wskIdealBacklog: Uint8Array;
    /** W3: the IRPs per connection a client with `wsk.inFlight: "irps"` keeps pending. */
    wskIrps: Int32Array;
  };
  nic: { bytesPerMs: Float64Array; mtuBytes: Float64Array };
  connection: {
    appSends: { atUs: number; bytes: number; flags: number }[][];
    generatorFlags: Int32Array;
    /**
     * The generator's numbers (0 without one), read on every generated send: in typed arrays, not
     * from the scenario's objects, whose differing shapes make each read slow (#16: replay speed).
     */
    generatorCount: Float64Array;
    generatorBytes: Float64Array;
    generatorStartUs: Float64Array;
    generatorEveryUs: Float64Array;
    generatorJitterUs: Float64Array;
  };
}

export interface ClockStore {
  /** Simulated time of the event being processed, or the last time run to. */
  nowUs: number;
  /** Trace records emitted (counted with the trace on or off). */
  eventCount: number;
  /** Kernel events dispatched. */
  dispatchCount: number;
  /** Set by a bug check (R41): the model stops. */
  halted: boolean;
  bugcheck: BugcheckInfo | null;
  nextSendId: number;
  /** Id of the next piece of client work scheduled for a connection (see ConnectionStore.work). */
  nextWorkId: number;
  /** Information of the last completed TDI_SEND. */
  lastInformation: number;
}

/** Per transport: its one shared send pool (I1). */
export interface PoolStore {
  used: Float64Array;
  peak: Float64Array;
  /** byte·µs, for the mean */
  area: Float64Array;
  since: Float64Array;
  /** Per transport, connections with pending blocking sends, in arrival order (R14). */
  blockingRing: number[][];
}

/** Per transport, who is owed a SendPossible and how the transport calls them (R20–R22). */
export interface NotifierStore {
  /** Connections owed a callable SendPossible, in DEVICE_NOT_READY order (R22). */
  queue: number[][];
  /** Per connection: 1 while it is in its transport's queue (at most once). */
  listed: Uint8Array;
  notifyAll: Uint8Array; // R22 notify = all; a policy change may switch it
  thresholdBytes: Float64Array; // R22
}

/** Per driver or transport node. */
export interface NodeStore {
  /** Active fatal faults (a node may fail twice before recovering). */
  failed: Int32Array;
}

export interface AddressStore {
  open: Uint8Array;
  usable: Uint8Array; // R31
  /** The client heard of the failure through Error/ErrorEx (R33). */
  knowsBroken: Uint8Array;
  failStatus: Int32Array;
  /** Registered handler bits (R1, R2). */
  handlers: Uint8Array;
  errorCalls: Int32Array;
}

/** Per NIC slot: the transmission in progress and the round-robin of connections with bytes to send. */
export interface NicStore {
  busy: Uint8Array;
  txConn: Int32Array;
  txBytes: Float64Array;
  /** Bumped when a transmission is cancelled, so its EV_TX_DONE is recognised as stale. */
  epoch: Float64Array;
  ring: Int32Array[];
  ringHead: Int32Array;
  ringCount: Int32Array;
}

export interface ConnectionStore {
  buffered: Float64Array; // its bytes in the pool
  inTx: Float64Array; // of those, bytes on the wire right now
  inNicRing: Uint8Array;
  debt: Uint8Array; // R21: owed a SendPossible
  broken: Uint8Array;
  awaiting: Uint8Array; // AWAIT_*
  /** BytesAvailable of the last SendPossible (R24). */
  told: Float64Array;
  /**
   * The one piece of client work scheduled for this connection (a retry timer or a delayed
   * resubmission, R25), by id; 0 none. The kernel event carries the id. Whatever ends the wait clears
   * it here — the client failing what it holds (R33), a SendPossible answered at once, a reopen, a
   * change of the client's `from` — and the event then finds a different id and does nothing.
   */
  work: Float64Array;
  held: HeldSend[][];
  heldBytes: Float64Array;
  pending: PendingSend[][];
  pendingBytes: Float64Array;
  /** Last generator send time, to keep jittered sends in order. */
  generatorLastUs: Float64Array;
  /** IRQL of its last callback (-1 none). */
  lastIrql: Int8Array;
}

/** Per client: its resubmission policy (R25); a policy change may alter it mid-run. */
export interface ClientPolicyStore {
  from: Uint8Array;
  delayUs: Float64Array;
  sizeAvailable: Uint8Array;
}

/** Counters for the summary format. Per connection unless noted. */
export interface MetricsStore {
  offered: Float64Array; // handed to the client by the application
  accepted: Float64Array; // copied into the pool
  transmitted: Float64Array;
  discarded: Float64Array; // R32
  /** Failed to the application: by the client (R33, backpressure, R15) or by the transport (R15, R16, R32). */
  failed: Float64Array;
  /** Of `failed`: bytes the client failed because its queue was full (queueLimitBytes or the default). */
  queueFull: Float64Array;
  submits: Float64Array;
  refusals: Float64Array;
  sendPossibles: Float64Array;
  lostRaces: Float64Array;
  waitSumUs: Float64Array;
  waitCount: Float64Array;
  waitMaxUs: Float64Array;
  errorCallbacks: Float64Array; // per client
  /** Per client, a log-scale histogram of waits (WAIT_BINS bins). */
  waitHist: Float64Array;
}

/** One WskSend IRP still pending (W1): its bytes stay locked in the caller's buffer until it completes. */
export interface WskIrp {
  irpId: number;
  bytes: number;
  /** Of those, bytes the transport has taken into its send buffer. */
  copied: number;
  /** Of those, bytes the NIC has sent. */
  sent: number;
}

/** The WSK model's state (api "wsk"; every list and array empty in a run through TDI). Per connection unless noted. */
export interface WskStore {
  nextIrpId: number;
  /** Pending WskSend IRPs, oldest first (W1). */
  irps: WskIrp[][];
  /** Bytes of its pending IRPs: the caller's buffers that stay locked (W1). */
  lockedBytes: Float64Array;
  /** Per transport: connections with IRP bytes not yet in the send buffer, in the order they came (W2). */
  copyRing: number[][];
  /** 1 while it is in its transport's copyRing. */
  inCopyRing: Uint8Array;
  /** Sent a first WskSend since it connected and not disconnected since: it counts for the ideal backlog (W3). */
  active: Uint8Array;
  /** Per transport: its active connections. */
  activeCount: Int32Array;
  /** The ideal send backlog the client was last told (W3); 0 never. */
  idealBacklog: Float64Array;
  /** Abortively disconnected (W5) and not yet connected again (W6). */
  disconnected: Uint8Array;
  /** Per client: bytes locked in its pending IRPs, and their peak. */
  clientLocked: Float64Array;
  clientPeakLocked: Float64Array;
  /** Bytes locked in all pending IRPs, and their peak. */
  totalLocked: number;
  totalPeakLocked: number;
  /** Counters for the summary. */
  sends: Float64Array;
  irpsFailed: Float64Array;
  peakLocked: Float64Array;
  backlogEvents: Float64Array;
  disconnects: Float64Array;
}

/** The stores a checkpoint copies, whole. */
export const DYNAMIC_STORES = ['clock', 'pool', 'notifier', 'nodes', 'addr', 'nic', 'conn', 'policy', 'metrics', 'wsk'] as const;
export type DynamicStores = {
  clock: ClockStore;
  pool: PoolStore;
  notifier: NotifierStore;
  nodes: NodeStore;
  addr: AddressStore;
  nic: NicStore;
  conn: ConnectionStore;
  policy: ClientPolicyStore;
  metrics: MetricsStore;
  wsk: WskStore;
};

/** What the rule modules work on: the static shape, the parameters, the stores, the event queue. */
export interface Model extends DynamicStores {
  readonly scenario: Scenario;
  readonly topo: Topology;
  readonly params: Params;
  heap: EventHeap;
  prng: Prng;
  trace: TraceRecorder | null;
  /** The scenario's faults, then those injected while running (appended; a replay repeats them). */
  readonly faults: FaultSpec[];
  readonly policyChanges: PolicyChange[];
  /**
   * Record-level time: emit throws RecordLimitReached instead of writing a record past this many
   * (Infinity: no limit). Not part of the state: only Engine.runToRecord sets it, for one call.
   */
  recordLimit: number;
  /** Type of the last record written (a submission is never a stopping point: see emit). */
  lastRecordType: number;
}

/**
 * Thrown by emit at the record limit: the model stops mid-event, just before the record it was about
 * to write, so its state shows exactly the records written so far (a cascade one callback at a
 * time). Only Engine.runToRecord catches it; the engine is then torn and never runs on.
 */
export class RecordLimitReached {
  readonly name = 'RecordLimitReached';
}
const RECORD_LIMIT = new RecordLimitReached();
const R_SEND_SUBMIT = R.SEND_SUBMIT;

export function createParams(s: Scenario, topo: Topology): Params {
  const nicSpecs = Array.from(topo.nicNode, (node) => s.drivers[node]!);
  return {
    transport: {
      capacity: Float64Array.from(s.transports, (t) => t.sendBufferBytes),
      maxSend: Float64Array.from(s.transports, (t) => t.maxSendBytes),
      buffersSends: Uint8Array.from(s.transports, (t) => (t.buffersSends ? 1 : 0)),
      callbackIrql: Uint8Array.from(s.transports, (t) => IRQL_NAMES.indexOf(t.callbackIrql)),
      abortStatus: Int32Array.from(s.transports, (t) => statusIndex(t.abortStatus as StatusName)),
      disconnectOnError: Uint8Array.from(s.transports, (t) => (t.disconnectOnError ? 1 : 0)),
    },
    client: {
      closeAfterUs: Float64Array.from(s.clients, (c) => c.onError.closeAfterUs),
      reopenAfterUs: Float64Array.from(s.clients, (c) => c.onError.reopenAfterUs ?? -1),
      queueLimitBytes: Float64Array.from(s.clients, (c) => c.queueLimitBytes ?? DEFAULT_QUEUE_LIMIT_BYTES),
      badHandler: Uint8Array.from(s.clients, (c) =>
        c.handlerMisbehaviour ? handlerBit(c.handlerMisbehaviour.handler as HandlerName) : 0,
      ),
      badAction: Int32Array.from(s.clients, (c) =>
        c.handlerMisbehaviour ? MISBEHAVIOUR_NAMES.indexOf(c.handlerMisbehaviour.does as MisbehaviourName) : -1,
      ),
      wskIdealBacklog: Uint8Array.from(s.clients, (c) => (c.wsk.inFlight === 'idealBacklog' ? 1 : 0)),
      wskIrps: Int32Array.from(s.clients, (c) => c.wsk.irps),
    },
    nic: {
      bytesPerMs: Float64Array.from(nicSpecs, (d) => (d.kind === 'nic' ? d.linkBytesPerMs : 1)),
      mtuBytes: Float64Array.from(nicSpecs, (d) => (d.kind === 'nic' ? d.mtuBytes : 1)),
    },
    connection: {
      appSends: s.connections.map((c) =>
        c.sends
          .map((x) => ({ atUs: x.atUs, bytes: x.bytes, flags: flagsToMask(x.flags as SendFlagName[]) }))
          .sort((x, y) => x.atUs - y.atUs),
      ),
      generatorFlags: Int32Array.from(s.connections, (c) =>
        c.generator ? flagsToMask(c.generator.flags as SendFlagName[]) : 0,
      ),
      generatorCount: Float64Array.from(s.connections, (c) => c.generator?.count ?? 0),
      generatorBytes: Float64Array.from(s.connections, (c) => c.generator?.bytes ?? 0),
      generatorStartUs: Float64Array.from(s.connections, (c) => c.generator?.startUs ?? 0),
      generatorEveryUs: Float64Array.from(s.connections, (c) => c.generator?.everyUs ?? 0),
      generatorJitterUs: Float64Array.from(s.connections, (c) => c.generator?.jitterUs ?? 0),
    },
  };
}

export function createStores(s: Scenario, topo: Topology, api: Api = 'tdi'): DynamicStores {
  const nT = s.transports.length;
  const nA = s.addresses.length;
  const nC = s.connections.length;
  const nN = topo.nodeIds.length;
  const nNic = topo.nicNode.length;
  const nCl = s.clients.length;
  const perNic = new Int32Array(nNic);
  for (let c = 0; c < nC; c++) perNic[topo.connectionNicSlot[c] as number]!++;
  return {
    clock: {
      nowUs: 0,
      eventCount: 0,
      dispatchCount: 0,
      halted: false,
      bugcheck: null,
      nextSendId: 0,
      nextWorkId: 1,
      lastInformation: 0,
    },
    pool: {
      used: new Float64Array(nT),
      peak: new Float64Array(nT),
      area: new Float64Array(nT),
      since: new Float64Array(nT),
      blockingRing: Array.from({ length: nT }, () => []),
    },
    notifier: {
      queue: Array.from({ length: nT }, () => []),
      listed: new Uint8Array(nC),
      notifyAll: Uint8Array.from(s.transports, (t) => (t.sendPossible.notify === 'all' ? 1 : 0)),
      thresholdBytes: Float64Array.from(s.transports, (t) => t.sendPossible.thresholdBytes),
    },
    nodes: { failed: new Int32Array(nN) },
    addr: {
      open: new Uint8Array(nA),
      usable: new Uint8Array(nA),
      knowsBroken: new Uint8Array(nA),
      failStatus: new Int32Array(nA),
      handlers: new Uint8Array(nA),
      errorCalls: new Int32Array(nA),
    },
    nic: {
      busy: new Uint8Array(nNic),
      txConn: new Int32Array(nNic).fill(-1),
      txBytes: new Float64Array(nNic),
      epoch: new Float64Array(nNic),
      ring: Array.from(perNic, (n) => new Int32Array(Math.max(1, n))),
      ringHead: new Int32Array(nNic),
      ringCount: new Int32Array(nNic),
    },
    conn: {
      buffered: new Float64Array(nC),
      inTx: new Float64Array(nC),
      inNicRing: new Uint8Array(nC),
      debt: new Uint8Array(nC),
      broken: new Uint8Array(nC),
      awaiting: new Uint8Array(nC),
      told: new Float64Array(nC),
      work: new Float64Array(nC),
      held: Array.from({ length: nC }, () => []),
      heldBytes: new Float64Array(nC),
      pending: Array.from({ length: nC }, () => []),
      pendingBytes: new Float64Array(nC),
      generatorLastUs: new Float64Array(nC),
      lastIrql: new Int8Array(nC).fill(-1),
    },
    policy: {
      from: Uint8Array.from(s.clients, (c) => FROM_CODES[c.resubmit.from]),
      delayUs: Float64Array.from(s.clients, (c) => c.resubmit.delayUs),
      sizeAvailable: Uint8Array.from(s.clients, (c) => (c.resubmit.size === 'available' ? 1 : 0)),
    },
    metrics: {
      offered: new Float64Array(nC),
      accepted: new Float64Array(nC),
      transmitted: new Float64Array(nC),
      discarded: new Float64Array(nC),
      failed: new Float64Array(nC),
      queueFull: new Float64Array(nC),
      submits: new Float64Array(nC),
      refusals: new Float64Array(nC),
      sendPossibles: new Float64Array(nC),
      lostRaces: new Float64Array(nC),
      waitSumUs: new Float64Array(nC),
      waitCount: new Float64Array(nC),
      waitMaxUs: new Float64Array(nC),
      errorCallbacks: new Float64Array(nCl),
      waitHist: new Float64Array(nCl * WAIT_BINS),
    },
    // A run through TDI keeps no WSK state: its checkpoints stay the size they were (the time-travel budget).
    wsk: createWskStore(api === 'wsk' ? nT : 0, api === 'wsk' ? nC : 0, api === 'wsk' ? nCl : 0),
  };
}

function createWskStore(nT: number, nC: number, nCl: number): WskStore {
  return {
    nextIrpId: 0,
    irps: Array.from({ length: nC }, () => []),
    lockedBytes: new Float64Array(nC),
    copyRing: Array.from({ length: nT }, () => []),
    inCopyRing: new Uint8Array(nC),
    active: new Uint8Array(nC),
    activeCount: new Int32Array(nT),
    idealBacklog: new Float64Array(nC),
    disconnected: new Uint8Array(nC),
    clientLocked: new Float64Array(nCl),
    clientPeakLocked: new Float64Array(nCl),
    totalLocked: 0,
    totalPeakLocked: 0,
    sends: new Float64Array(nC),
    irpsFailed: new Float64Array(nC),
    peakLocked: new Float64Array(nC),
    backlogEvents: new Float64Array(nC),
    disconnects: new Float64Array(nC),
  };
}

/** Appends a trace record at the current time (the record's columns: src/trace/records.ts). */
export function emit(m: Model, type: number, a: number, b: number, c: number, d: number, e: number, f: number): void {
  if (m.clock.eventCount >= m.recordLimit) {
    // A TDI_SEND's submission is never a moment of its own: its completion (or its hold, R14)
    // follows in the same event, and the state between the two shows bytes no row explains.
    if (m.lastRecordType !== R_SEND_SUBMIT) throw RECORD_LIMIT;
    m.recordLimit++;
  }
  m.lastRecordType = type;
  m.clock.eventCount++;
  const trace = m.trace;
  if (trace !== null) trace.push(type, m.clock.nowUs, a, b, c, d, e, f);
}

/** Schedules a kernel event; its phase orders it among events of the same microsecond. */
export function schedule(m: Model, atUs: number, kind: number, arg0: number, arg1: number): void {
  m.heap.push(atUs, kind, arg0, arg1, kind >> 4);
}

// ---- Wait metric ------------------------------------------------------------------------------

/** Wait histogram: bin i holds waits in [1.25^i − 1, 1.25^(i+1) − 1) µs; 100 bins reach ~4.9 × 10⁹ µs. */
export const WAIT_BINS = 100;
const LOG_WAIT_BASE = Math.log(1.25);
function waitBin(us: number): number {
  return Math.min(WAIT_BINS - 1, Math.floor(Math.log(us + 1) / LOG_WAIT_BASE));
}
/** The value reported for a bin: its geometric middle (so percentiles are within ±12%). */
export function waitBinValueUs(bin: number): number {
  return Math.max(0, Math.round(Math.pow(1.25, bin + 0.5) - 1));
}

/**
 * A send the transport once refused is now all accepted: its wait (first refusal → all of it
 * accepted) counts, whether or not its address had a SendPossible handler meanwhile (model).
 */
export function recordWait(m: Model, c: number, cl: number, waitUs: number): void {
  const x = m.metrics;
  x.waitSumUs[c]! += waitUs;
  x.waitCount[c]!++;
  if (waitUs > x.waitMaxUs[c]!) x.waitMaxUs[c] = waitUs;
  x.waitHist[cl * WAIT_BINS + waitBin(waitUs)]!++;
}
