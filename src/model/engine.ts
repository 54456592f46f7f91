// The TDI transport model: a discrete-event simulation of send flow control (R10–R26) and error
// notification (R30–R36, R40–R41). Rules are cited beside the code that implements them.
//
// Layout for speed: every per-connection quantity is a typed array indexed by connection, so the
// hot path (send, transmit, callback) allocates nothing. Variable-length queues (the client's
// refused sends, the transport's pending blocking sends) are small JS arrays per connection.
import { EventHeap } from '../sim/heap.ts';
import { Prng } from '../base/prng.ts';
import {
  DISPATCH_LEVEL,
  H_DISCONNECT,
  H_ERROR,
  H_ERROR_EX,
  H_SEND_POSSIBLE,
  HANDLER_NAMES,
  IRQL_NAMES,
  MISBEHAVIOURS,
  MISBEHAVIOUR_NAMES,
  S_DEVICE_NOT_READY,
  S_INSUFFICIENT_RESOURCES,
  S_INVALID_CONNECTION,
  S_INVALID_PARAMETER,
  S_SUCCESS,
  SEND_FLAGS,
  flagsToMask,
  handlerBit,
  statusIndex,
  type HandlerName,
  type MisbehaviourName,
  type SendFlagName,
  type StatusName,
} from '../base/status.ts';
import type { FaultSpec, PolicyChange, Scenario } from '../scenario/schema.ts';
import {
  COMPLETE_BLOCKING,
  COMPLETE_LOST_RACE,
  ERROR_EX,
  R,
  SUBMIT_RESUBMIT,
  type TraceRecorder,
} from '../trace/records.ts';
import { buildTopology, type Topology } from './topology.ts';

// Kernel event kinds.
const EV_APP_SEND = 1; // arg0 conn, arg1 explicit send index (>= 0) or -(generator send number + 1)
const EV_TX_DONE = 2; // arg0 NIC slot, arg1 epoch
const EV_RESUBMIT = 3; // arg0 conn (R25 dpc / workItem)
const EV_RETRY = 4; // arg0 conn (R25 timer)
const EV_FAULT = 5; // arg0 fault index
const EV_RECOVER = 6; // arg0 fault index
const EV_ADDR_CLOSE = 7; // arg0 address (R34)
const EV_ADDR_REOPEN = 8; // arg0 address (R34)
const EV_HANDLER_CHANGE = 9; // arg0 handlerChanges index (R2)
const EV_POLICY = 10; // arg0 policyChanges index

// What a connection's client is waiting for.
const AWAIT_NONE = 0;
const AWAIT_SEND_POSSIBLE = 1; // refused (R13); debt owed
const AWAIT_RESUBMIT = 2; // told; resubmission scheduled (R25 dpc/workItem)
const AWAIT_TIMER = 3; // refused; retry timer set (R25 timer)

const FROM_HANDLER = 0;
const FROM_DPC = 1;
const FROM_WORK_ITEM = 2;
const FROM_TIMER = 3;
const FROM_CODES = { handler: FROM_HANDLER, dpc: FROM_DPC, workItem: FROM_WORK_ITEM, timer: FROM_TIMER } as const;

/** A send the client still holds (refused, partly copied, or queued behind one). */
interface HeldSend {
  remaining: number;
  flags: number;
  /** sendId of the first TDI_SEND that carried this data; -1 while never submitted. */
  origin: number;
  /** When the transport first refused it (for the wait metric); -1 if never refused. */
  refusedAtUs: number;
}

/** A blocking send held by the transport (R14). */
interface PendingSend {
  sendId: number;
  bytes: number;
  copied: number;
  expedited: boolean;
}

export interface FaultRequest {
  driver: string;
  status: StatusName;
  fatal?: boolean;
  recoverAfterUs?: number;
}

export interface EngineOptions {
  /** Where trace records go; null runs without a trace (counters and metrics still kept). */
  trace?: TraceRecorder | null;
}

export class Engine {
  readonly scenario: Scenario;
  readonly topo: Topology;
  private trace: TraceRecorder | null;
  private heap = new EventHeap(1024);
  private prng: Prng;

  /** Simulated time of the event being processed, or the last time run to. */
  nowUs = 0;
  /** Trace records emitted (counted with the trace on or off). */
  eventCount = 0;
  /** Kernel events dispatched. */
  dispatchCount = 0;
  /** Set by a bug check (R41): the model stops. */
  halted = false;
  private nextSendId = 0;

  // Faults: the scenario's, then those injected while running (appended; a replay reproduces them).
  readonly faults: FaultSpec[];

  // Static per-entity parameters.
  private readonly nConn: number;
  private readonly cap: Float64Array; // per transport: sendBufferBytes
  private readonly maxSend: Float64Array;
  private notifyAll: Uint8Array;
  private threshold: Float64Array;
  private readonly buffersSends: Uint8Array;
  private readonly callbackIrql: Uint8Array;
  private readonly abortStatus: Int32Array;
  private readonly disconnectOnError: Uint8Array;
  // Policies (R22, R25): dynamic, since a policy change can take effect mid-run (checkpointed).
  private clientFrom: Uint8Array;
  private clientDelayUs: Float64Array;
  private clientSizeAvailable: Uint8Array;
  readonly policyChanges: PolicyChange[];
  private readonly clientCloseAfterUs: Float64Array;
  private readonly clientReopenAfterUs: Float64Array; // -1: never
  private readonly clientQueueLimit: Float64Array; // bytes the client holds at most (Infinity: no limit)
  private readonly clientBadHandler: Uint8Array; // handler bit that misbehaves (R41), 0 none
  private readonly clientBadAction: Int32Array;
  private readonly nicRate: Float64Array; // bytes per ms
  private readonly nicMtu: Float64Array;
  private readonly appSends: { atUs: number; bytes: number; flags: number }[][];
  private readonly genFlags: Int32Array;

  // Dynamic state (all of it is copied by checkpoint()).
  private poolUsed: Float64Array; // per transport (I1)
  private poolPeak: Float64Array;
  private poolArea: Float64Array; // byte·µs, for the mean
  private poolSince: Float64Array;
  // Per transport, the connections owed a SendPossible that can be called, in DEVICE_NOT_READY
  // order (R22): a FIFO over a typed array; `listed` keeps each connection in it at most once.
  private debtQueue: Int32Array[];
  private debtHead: Int32Array;
  private debtLen: Int32Array;
  private listed: Uint8Array;
  private pendingRing: number[][]; // per transport, connections with pending blocking sends (R14)
  private nodeFailed: Int32Array; // active fatal faults per node
  private addrOpen: Uint8Array;
  private addrUsable: Uint8Array; // R31
  private addrKnowsBroken: Uint8Array; // the client heard it through Error/ErrorEx (R33)
  private addrFailStatus: Int32Array;
  private addrRegs: Uint8Array; // registered handler bits (R1, R2)
  private nicBusy: Uint8Array;
  private nicTxConn: Int32Array;
  private nicTxBytes: Float64Array;
  private nicEpoch: Float64Array;
  private nicRing: Int32Array[]; // round-robin of connections with untransmitted bytes
  private nicRingHead: Int32Array;
  private nicRingCount: Int32Array;
  private buffered: Float64Array; // per connection: its bytes in the pool
  private inTx: Float64Array; // of those, bytes on the wire right now
  private inNicRing: Uint8Array;
  private debt: Uint8Array; // R21
  private broken: Uint8Array;
  private awaiting: Uint8Array;
  private told: Float64Array; // BytesAvailable of the last SendPossible (R24)
  private resubmitNext: Uint8Array; // the next TDI_SEND is the resubmission after a SendPossible
  private held: HeldSend[][];
  private heldBytes: Float64Array;
  private pending: PendingSend[][];
  private pendingBytes: Float64Array;
  private genNextUs: Float64Array; // last generator send time, to keep jittered sends in order
  // Metrics (summary format).
  private offered: Float64Array;
  private accepted: Float64Array;
  private transmitted: Float64Array;
  private discarded: Float64Array;
  private clientFailed: Float64Array;
  private submits: Float64Array;
  private refusals: Float64Array;
  private sendPossibles: Float64Array;
  private lostRaces: Float64Array;
  private waitSumUs: Float64Array;
  private waitCount: Float64Array;
  private waitMaxUs: Float64Array;
  private errorCallbacks: Float64Array; // per client
  private addrErrorCalls: Int32Array; // per address: Error + ErrorEx calls received
  /** Per client, a log-scale histogram of waits from first refusal to full acceptance (WAIT_BINS bins). */
  private waitHist: Float64Array;
  private lastIrql: Int8Array; // per connection: IRQL of its last callback (-1 none)
  bugcheck: { code: number; name: string; client: string; handler: HandlerName; does: MisbehaviourName } | null =
    null;

  /** An engine that continues from a checkpoint: nothing of the start is emitted again. */
  static fromCheckpoint(scenario: Scenario, cp: Checkpoint, options: EngineOptions = {}): Engine {
    const engine = new Engine(scenario, { trace: null });
    engine.restore(cp);
    if (options.trace) {
      engine.trace = options.trace;
      options.trace.nextSeq = cp.traceSeq;
    }
    return engine;
  }

  constructor(scenario: Scenario, options: EngineOptions = {}) {
    this.scenario = scenario;
    this.topo = buildTopology(scenario);
    this.trace = options.trace ?? null;
    this.prng = new Prng(scenario.seed);
    this.faults = scenario.faults.map((f) => ({ ...f }));
    this.policyChanges = scenario.policyChanges.map((p) => structuredClone(p));
    const s = scenario;
    const nT = s.transports.length;
    const nA = s.addresses.length;
    const nC = s.connections.length;
    const nN = this.topo.nodeIds.length;
    const nNic = this.topo.nicNode.length;
    const nCl = s.clients.length;
    this.nConn = nC;

    this.cap = Float64Array.from(s.transports, (t) => t.sendBufferBytes);
    this.maxSend = Float64Array.from(s.transports, (t) => t.maxSendBytes);
    this.notifyAll = Uint8Array.from(s.transports, (t) => (t.sendPossible.notify === 'all' ? 1 : 0));
    this.threshold = Float64Array.from(s.transports, (t) => t.sendPossible.thresholdBytes);
    this.buffersSends = Uint8Array.from(s.transports, (t) => (t.buffersSends ? 1 : 0));
    this.callbackIrql = Uint8Array.from(s.transports, (t) => IRQL_NAMES.indexOf(t.callbackIrql));
    this.abortStatus = Int32Array.from(s.transports, (t) => statusIndex(t.abortStatus as StatusName));
    this.disconnectOnError = Uint8Array.from(s.transports, (t) => (t.disconnectOnError ? 1 : 0));
    this.clientFrom = Uint8Array.from(s.clients, (c) => FROM_CODES[c.resubmit.from]);
    this.clientDelayUs = Float64Array.from(s.clients, (c) => c.resubmit.delayUs);
    this.clientSizeAvailable = Uint8Array.from(s.clients, (c) => (c.resubmit.size === 'available' ? 1 : 0));
    this.clientCloseAfterUs = Float64Array.from(s.clients, (c) => c.onError.closeAfterUs);
    this.clientReopenAfterUs = Float64Array.from(s.clients, (c) => c.onError.reopenAfterUs ?? -1);
    this.clientQueueLimit = Float64Array.from(s.clients, (c) => c.queueLimitBytes ?? Infinity);
    this.clientBadHandler = Uint8Array.from(s.clients, (c) =>
      c.handlerMisbehaviour ? handlerBit(c.handlerMisbehaviour.handler as HandlerName) : 0,
    );
    this.clientBadAction = Int32Array.from(s.clients, (c) =>
      c.handlerMisbehaviour ? MISBEHAVIOUR_NAMES.indexOf(c.handlerMisbehaviour.does as MisbehaviourName) : -1,
    );
    const nicSpecs = Array.from(this.topo.nicNode, (node) => s.drivers[node]!);
    this.nicRate = Float64Array.from(nicSpecs, (d) => (d.kind === 'nic' ? d.linkBytesPerMs : 1));
    this.nicMtu = Float64Array.from(nicSpecs, (d) => (d.kind === 'nic' ? d.mtuBytes : 1));
    this.appSends = s.connections.map((c) =>
      c.sends
        .map((x) => ({ atUs: x.atUs, bytes: x.bytes, flags: flagsToMask(x.flags as SendFlagName[]) }))
        .sort((x, y) => x.atUs - y.atUs),
    );
    this.genFlags = Int32Array.from(s.connections, (c) =>
      c.generator ? flagsToMask(c.generator.flags as SendFlagName[]) : 0,
    );

    this.poolUsed = new Float64Array(nT);
    this.poolPeak = new Float64Array(nT);
    this.poolArea = new Float64Array(nT);
    this.poolSince = new Float64Array(nT);
    const perTransport = new Int32Array(nT);
    for (let c = 0; c < nC; c++) perTransport[this.topo.connectionTransport[c] as number]!++;
    this.debtQueue = Array.from(perTransport, (n) => new Int32Array(Math.max(1, n)));
    this.debtHead = new Int32Array(nT);
    this.debtLen = new Int32Array(nT);
    this.listed = new Uint8Array(nC);
    this.pendingRing = Array.from({ length: nT }, () => []);
    this.nodeFailed = new Int32Array(nN);
    this.addrOpen = new Uint8Array(nA);
    this.addrUsable = new Uint8Array(nA);
    this.addrKnowsBroken = new Uint8Array(nA);
    this.addrFailStatus = new Int32Array(nA);
    this.addrRegs = new Uint8Array(nA);
    this.nicBusy = new Uint8Array(nNic);
    this.nicTxConn = new Int32Array(nNic).fill(-1);
    this.nicTxBytes = new Float64Array(nNic);
    this.nicEpoch = new Float64Array(nNic);
    const perNic = new Int32Array(nNic);
    for (let c = 0; c < nC; c++) perNic[this.topo.connectionNic[c] as number]!++;
    this.nicRing = Array.from(perNic, (n) => new Int32Array(Math.max(1, n)));
    this.nicRingHead = new Int32Array(nNic);
    this.nicRingCount = new Int32Array(nNic);
    this.buffered = new Float64Array(nC);
    this.inTx = new Float64Array(nC);
    this.inNicRing = new Uint8Array(nC);
    this.debt = new Uint8Array(nC);
    this.broken = new Uint8Array(nC);
    this.awaiting = new Uint8Array(nC);
    this.told = new Float64Array(nC);
    this.resubmitNext = new Uint8Array(nC);
    this.held = Array.from({ length: nC }, () => []);
    this.heldBytes = new Float64Array(nC);
    this.pending = Array.from({ length: nC }, () => []);
    this.pendingBytes = new Float64Array(nC);
    this.genNextUs = new Float64Array(nC);
    this.offered = new Float64Array(nC);
    this.accepted = new Float64Array(nC);
    this.transmitted = new Float64Array(nC);
    this.discarded = new Float64Array(nC);
    this.clientFailed = new Float64Array(nC);
    this.submits = new Float64Array(nC);
    this.refusals = new Float64Array(nC);
    this.sendPossibles = new Float64Array(nC);
    this.lostRaces = new Float64Array(nC);
    this.waitSumUs = new Float64Array(nC);
    this.waitCount = new Float64Array(nC);
    this.waitMaxUs = new Float64Array(nC);
    this.errorCallbacks = new Float64Array(nCl);
    this.addrErrorCalls = new Int32Array(nA);
    this.waitHist = new Float64Array(nCl * WAIT_BINS);
    this.lastIrql = new Int8Array(nC).fill(-1);

    // t = 0: every address opens with no handlers (R1), then its client registers its own (R2).
    for (let a = 0; a < nA; a++) this.openAddress(a);
    for (let c = 0; c < nC; c++) {
      const sends = this.appSends[c]!;
      for (let i = 0; i < sends.length; i++) this.heap.push(sends[i]!.atUs, EV_APP_SEND, c, i);
      const g = s.connections[c]!.generator;
      if (g && g.count > 0) this.scheduleGenerated(c, 0);
    }
    this.faults.forEach((f, i) => this.heap.push(f.atUs, EV_FAULT, i, 0));
    s.handlerChanges.forEach((h, i) => this.heap.push(h.atUs, EV_HANDLER_CHANGE, i, 0));
    this.policyChanges.forEach((p, i) => this.heap.push(p.atUs, EV_POLICY, i, 0));
  }

  get durationUs(): number {
    return this.scenario.durationUs;
  }

  /** True when nothing is left to do before durationUs (or a bug check stopped the model). */
  get finished(): boolean {
    return this.halted || this.heap.peekTimeUs() > this.scenario.durationUs;
  }

  /** Time of the next kernel event, or Infinity. */
  get nextEventUs(): number {
    return this.heap.peekTimeUs();
  }

  // ---- Running -------------------------------------------------------------------------------

  /** Processes one kernel event (which may emit several trace records). False when finished. */
  step(): boolean {
    if (this.finished) return false;
    this.dispatchOne();
    return true;
  }

  /** Runs every event at or before `untilUs` (capped at durationUs), then sets the clock to it. */
  runUntil(untilUs: number, maxDispatches = Infinity): void {
    const limit = Math.min(untilUs, this.scenario.durationUs);
    const heap = this.heap;
    let n = 0;
    while (!this.halted && heap.size > 0 && heap.peekTimeUs() <= limit && n < maxDispatches) {
      this.dispatchOne();
      n++;
    }
    if (!this.halted && n < maxDispatches && limit > this.nowUs) this.nowUs = limit; // the clock reaches the time asked for
  }

  runToEnd(): void {
    this.runUntil(this.scenario.durationUs);
  }

  private dispatchOne(): void {
    const heap = this.heap;
    heap.pop();
    this.nowUs = heap.topTimeUs;
    this.dispatchCount++;
    const a0 = heap.topArg0;
    const a1 = heap.topArg1;
    switch (heap.topKind) {
      case EV_APP_SEND:
        this.appSend(a0, a1);
        break;
      case EV_TX_DONE:
        this.txDone(a0, a1);
        break;
      case EV_RESUBMIT:
        if (this.awaiting[a0] === AWAIT_RESUBMIT) {
          this.awaiting[a0] = AWAIT_NONE;
          this.resubmitNext[a0] = 1;
          this.pump(a0);
        }
        break;
      case EV_RETRY:
        if (this.awaiting[a0] === AWAIT_TIMER) {
          this.awaiting[a0] = AWAIT_NONE;
          this.pump(a0);
        }
        break;
      case EV_FAULT:
        this.fault(a0);
        break;
      case EV_RECOVER:
        this.recover(a0);
        break;
      case EV_ADDR_CLOSE:
        this.closeAddress(a0);
        break;
      case EV_ADDR_REOPEN:
        this.reopenAddress(a0);
        break;
      case EV_POLICY:
        this.applyPolicy(this.policyChanges[a0]!);
        break;
      case EV_HANDLER_CHANGE: {
        const h = this.scenario.handlerChanges[a0]!;
        const a = this.topo.addressIds.indexOf(h.address);
        if (this.addrOpen[a]) this.register(a, handlerBit(h.handler as HandlerName), h.registered);
        break;
      }
    }
  }

  private emit(type: number, a: number, b: number, c: number, d: number, e: number, f: number): void {
    this.eventCount++;
    if (this.trace !== null) this.trace.push(type, this.nowUs, a, b, c, d, e, f);
  }

  // ---- The application above the client ----------------------------------------------------

  private scheduleGenerated(c: number, k: number): void {
    const g = this.scenario.connections[c]!.generator!;
    let at = g.startUs + k * g.everyUs;
    if (g.jitterUs > 0) at += this.prng.intInclusive(g.jitterUs);
    if (at < (this.genNextUs[c] as number)) at = this.genNextUs[c] as number;
    this.genNextUs[c] = at;
    this.heap.push(at, EV_APP_SEND, c, -(k + 1));
  }

  private appSend(c: number, which: number): void {
    let bytes: number;
    let flags: number;
    if (which >= 0) {
      const x = this.appSends[c]![which]!;
      bytes = x.bytes;
      flags = x.flags;
    } else {
      const g = this.scenario.connections[c]!.generator!;
      const k = -which - 1;
      if (k + 1 < g.count) this.scheduleGenerated(c, k + 1);
      bytes = g.bytes;
      flags = this.genFlags[c] as number;
    }
    this.offered[c]! += bytes;
    const a = this.topo.connectionAddress[c] as number;
    // R33: a client that heard of the error (or closed the address) no longer submits on it; it fails
    // the request to its own caller.
    if (this.addrKnowsBroken[a] || !this.addrOpen[a]) {
      this.clientFailed[c]! += bytes;
      this.emit(R.CLIENT_FAIL, c, this.addrFailStatus[a] as number, -1, bytes, 0, 0);
      return;
    }
    if ((flags & SEND_FLAGS.NON_BLOCKING) === 0) {
      // R14: a blocking send goes straight to the transport, which holds it if it does not fit.
      this.tdiSend(c, bytes, flags, false, -1);
      return;
    }
    // Backpressure: a client with a full queue fails new work at once instead of holding it.
    const cl = this.topo.connectionClient[c] as number;
    if (this.heldBytes[c]! + bytes > (this.clientQueueLimit[cl] as number)) {
      this.clientFailed[c]! += bytes;
      this.emit(R.CLIENT_FAIL, c, S_INSUFFICIENT_RESOURCES, -1, bytes, 0, 0);
      return;
    }
    // The client keeps its stream in order: new data waits behind data the transport refused.
    const q = this.held[c]!;
    q.push({ remaining: bytes, flags, origin: -1, refusedAtUs: -1 });
    this.heldBytes[c]! += bytes;
    if (q.length === 1 && this.awaiting[c] === AWAIT_NONE) this.pump(c);
  }

  /** The client submits what it holds, in order, until it is refused or has nothing left. */
  private pump(c: number): void {
    const q = this.held[c]!;
    const a = this.topo.connectionAddress[c] as number;
    const cl = this.topo.connectionClient[c] as number;
    while (q.length > 0 && !this.halted) {
      if (this.addrKnowsBroken[a] || !this.addrOpen[a]) {
        this.failHeld(c, this.addrFailStatus[a] as number); // R33
        return;
      }
      const item = q[0]!;
      const isResubmit = this.resubmitNext[c] === 1;
      this.resubmitNext[c] = 0;
      let len = item.remaining;
      // R25 size=available: the resubmission asks for at most what it was told.
      if (isResubmit && this.clientSizeAvailable[cl] && this.told[c]! < len) len = this.told[c] as number;
      const status = this.tdiSend(c, len, item.flags, isResubmit, item.origin);
      if (item.origin < 0) item.origin = this.nextSendId - 1;
      if (status === S_DEVICE_NOT_READY) {
        if (item.refusedAtUs < 0) item.refusedAtUs = this.nowUs;
        if (this.clientFrom[cl] === FROM_TIMER) {
          // R25 timer: no SendPossible needed; retry after delayUs.
          this.awaiting[c] = AWAIT_TIMER;
          this.heap.push(this.nowUs + (this.clientDelayUs[cl] as number), EV_RETRY, c, 0);
        } else {
          this.awaiting[c] = AWAIT_SEND_POSSIBLE;
        }
        return;
      }
      if (status === S_INVALID_PARAMETER) {
        // R15: too long for the transport; the client fails it upward and goes on with the next.
        q.shift();
        this.heldBytes[c]! -= item.remaining;
        this.clientFailed[c]! += item.remaining;
        this.emit(R.CLIENT_FAIL, c, status, item.origin, item.remaining, 0, 0);
        continue;
      }
      if (status !== S_SUCCESS) {
        // R16: the connection is gone; everything held for it fails.
        this.failHeld(c, status);
        return;
      }
      const copied = this.lastInformation;
      item.remaining -= copied;
      this.heldBytes[c]! -= copied;
      if (item.remaining === 0) {
        q.shift();
        if (item.refusedAtUs >= 0) {
          const w = this.nowUs - item.refusedAtUs;
          this.waitSumUs[c]! += w;
          this.waitCount[c]!++;
          if (w > this.waitMaxUs[c]!) this.waitMaxUs[c] = w;
          this.waitHist[cl * WAIT_BINS + waitBin(w)]!++;
        }
      }
      // R12: a partial copy leaves the rest with the client; the loop submits it again, which the
      // now-full pool refuses (R13), and that refusal is what makes SendPossible owed.
    }
  }

  /** R33: the client fails to its callers every send it still holds for this connection. */
  private failHeld(c: number, status: number): void {
    const q = this.held[c]!;
    for (const item of q) {
      this.clientFailed[c]! += item.remaining;
      this.emit(R.CLIENT_FAIL, c, status, item.origin, item.remaining, 0, 0);
    }
    q.length = 0;
    this.heldBytes[c] = 0;
    this.awaiting[c] = AWAIT_NONE;
  }

  // ---- The transport: TDI_SEND -------------------------------------------------------------

  private lastInformation = 0;

  /** One TDI_SEND IRP. Returns the completion status index; Information is in lastInformation. */
  private tdiSend(c: number, bytes: number, flags: number, isResubmit: boolean, origin: number): number {
    const sendId = this.nextSendId++;
    this.submits[c]!++;
    this.emit(R.SEND_SUBMIT, c, 0, sendId, bytes, origin, flags | (isResubmit ? SUBMIT_RESUBMIT : 0));
    const a = this.topo.connectionAddress[c] as number;
    const tr = this.topo.connectionTransport[c] as number;
    const told = isResubmit ? (this.told[c] as number) : -1;
    if (!this.addrUsable[a] || this.broken[c]) {
      return this.complete(c, sendId, S_INVALID_CONNECTION, 0, bytes, told, 0); // R16
    }
    if (bytes > (this.maxSend[tr] as number)) {
      return this.complete(c, sendId, S_INVALID_PARAMETER, 0, bytes, told, 0); // R15
    }
    // R3: a transport that does not buffer sends ignores NON_BLOCKING: every send is held (R14).
    if ((flags & SEND_FLAGS.NON_BLOCKING) === 0 || !this.buffersSends[tr]) {
      this.holdBlocking(c, tr, sendId, bytes, (flags & SEND_FLAGS.EXPEDITED) !== 0);
      this.lastInformation = 0;
      return statusIndexPending;
    }
    const free = (this.cap[tr] as number) - (this.poolUsed[tr] as number);
    // R10: a non-blocking send cannot overtake this connection's pending blocking sends, so while
    // any are held it is refused as if the pool were full (model).
    if (free <= 0 || this.pendingBytes[c]! > 0) {
      // R13: refused at once, Information = 0, not queued; SendPossible is now owed (R21).
      this.refusals[c]!++;
      this.debt[c] = 1;
      if (!this.listed[c] && this.canNotify(c)) this.listDebtor(tr, c);
      return this.complete(c, sendId, S_DEVICE_NOT_READY, 0, bytes, told, 0);
    }
    const copied = bytes <= free ? bytes : free; // R11 all, R12 what fits
    this.accept(c, tr, copied);
    return this.complete(c, sendId, S_SUCCESS, copied, bytes, told, 0);
  }

  private complete(
    c: number,
    sendId: number,
    status: number,
    info: number,
    asked: number,
    told: number,
    bits: number,
  ): number {
    // R24: a resubmission that got less than min(its length, what it was told) lost the race.
    if (told >= 0) {
      if (info < (asked < told ? asked : told)) {
        bits |= COMPLETE_LOST_RACE;
        this.lostRaces[c]!++;
      }
    }
    this.lastInformation = info;
    this.emit(R.SEND_COMPLETE, c, status, sendId, info, told, bits);
    return status;
  }

  /** Bytes enter the pool: counted as accepted, queued for the NIC. */
  private accept(c: number, tr: number, bytes: number): void {
    this.setPoolUsed(tr, (this.poolUsed[tr] as number) + bytes);
    this.buffered[c]! += bytes;
    this.accepted[c]! += bytes;
    if (!this.inNicRing[c]) {
      const n = this.topo.connectionNic[c] as number;
      this.ringPush(n, c);
      this.kickNic(n);
    }
  }

  private setPoolUsed(tr: number, value: number): void {
    const now = this.nowUs;
    this.poolArea[tr]! += (this.poolUsed[tr] as number) * (now - (this.poolSince[tr] as number));
    this.poolSince[tr] = now;
    this.poolUsed[tr] = value;
    if (value > this.poolPeak[tr]!) this.poolPeak[tr] = value;
  }

  /** R14 + R10: the transport holds a blocking send in the connection's FIFO; expedited go first. */
  private holdBlocking(c: number, tr: number, sendId: number, bytes: number, expedited: boolean): void {
    const q = this.pending[c]!;
    const p: PendingSend = { sendId, bytes, copied: 0, expedited };
    if (expedited) {
      // Ahead of queued normal sends, FIFO among expedited ones. The head may be partly copied
      // already; it keeps its place.
      let i = 0;
      while (i < q.length && (q[i]!.expedited || (i === 0 && q[0]!.copied > 0))) i++;
      q.splice(i, 0, p);
    } else {
      q.push(p);
    }
    if (this.pendingBytes[c] === 0) this.pendingRing[tr]!.push(c);
    this.pendingBytes[c]! += bytes;
    this.emit(R.SEND_PENDING, c, 0, sendId, bytes, -1, 0);
    this.servePending(tr);
  }

  /** R14: copy pending blocking sends into free space, connection by connection in arrival order. */
  private servePending(tr: number): void {
    const ring = this.pendingRing[tr]!;
    while (ring.length > 0) {
      const free = (this.cap[tr] as number) - (this.poolUsed[tr] as number);
      if (free <= 0) return;
      const c = ring[0]!;
      const q = this.pending[c]!;
      const p = q[0];
      if (!p) {
        ring.shift();
        continue;
      }
      const want = p.bytes - p.copied;
      const n = want <= free ? want : free;
      p.copied += n;
      this.pendingBytes[c]! -= n;
      this.accept(c, tr, n);
      this.emit(R.BUFFER_COPY, c, 0, p.sendId, n, this.poolUsed[tr] as number, 0);
      if (p.copied === p.bytes) {
        q.shift();
        this.complete(c, p.sendId, S_SUCCESS, p.bytes, p.bytes, -1, COMPLETE_BLOCKING);
        if (q.length === 0) ring.shift();
      }
    }
  }

  // ---- NICs ---------------------------------------------------------------------------------

  private ringPush(n: number, c: number): void {
    const ring = this.nicRing[n]!;
    const len = ring.length;
    ring[((this.nicRingHead[n] as number) + (this.nicRingCount[n] as number)) % len] = c;
    this.nicRingCount[n]!++;
    this.inNicRing[c] = 1;
  }

  /** Starts the next transmission if the NIC is idle and healthy: round-robin over its connections. */
  private kickNic(n: number): void {
    if (this.nicBusy[n] || this.nodeFailed[this.topo.nicNode[n] as number]) return;
    const ring = this.nicRing[n]!;
    const len = ring.length;
    while (this.nicRingCount[n]! > 0) {
      const head = this.nicRingHead[n] as number;
      const c = ring[head] as number;
      this.nicRingHead[n] = (head + 1) % len;
      this.nicRingCount[n]!--;
      const ready = (this.buffered[c] as number) - (this.inTx[c] as number);
      if (ready <= 0) {
        this.inNicRing[c] = 0;
        continue;
      }
      const mtu = this.nicMtu[n] as number;
      const bytes = ready < mtu ? ready : mtu;
      this.inTx[c]! += bytes;
      if (ready > bytes) ring[((this.nicRingHead[n] as number) + this.nicRingCount[n]!++) % len] = c;
      else this.inNicRing[c] = 0;
      this.nicBusy[n] = 1;
      this.nicTxConn[n] = c;
      this.nicTxBytes[n] = bytes;
      const durUs = Math.max(1, Math.ceil((bytes * 1000) / (this.nicRate[n] as number)));
      this.heap.push(this.nowUs + durUs, EV_TX_DONE, n, this.nicEpoch[n] as number);
      return;
    }
  }

  private txDone(n: number, epoch: number): void {
    if (epoch !== this.nicEpoch[n]) return; // cancelled by a fault or a discard
    const c = this.nicTxConn[n] as number;
    const bytes = this.nicTxBytes[n] as number;
    const tr = this.topo.connectionTransport[c] as number;
    this.nicBusy[n] = 0;
    this.nicTxConn[n] = -1;
    this.inTx[c]! -= bytes;
    this.buffered[c]! -= bytes;
    this.transmitted[c]! += bytes;
    this.setPoolUsed(tr, (this.poolUsed[tr] as number) - bytes);
    this.emit(R.BUFFER_TRANSMIT, c, this.topo.nicNode[n] as number, 0, bytes, this.poolUsed[tr] as number, 0);
    this.kickNic(n);
    this.spaceFreed(tr);
  }

  /** Stops a NIC's transmission in progress: its bytes stay in (or leave) the pool with the caller. */
  private cancelTx(n: number): void {
    if (!this.nicBusy[n]) return;
    const c = this.nicTxConn[n] as number;
    this.inTx[c]! -= this.nicTxBytes[n] as number;
    if (!this.inNicRing[c] && this.buffered[c]! > this.inTx[c]!) this.ringPush(n, c);
    this.nicBusy[n] = 0;
    this.nicTxConn[n] = -1;
    this.nicEpoch[n]!++;
  }

  // ---- ClientEventSendPossible (R20–R26) ----------------------------------------------------

  private spaceFreed(tr: number): void {
    this.servePending(tr); // R14: held blocking sends are the transport's own; they go first.
    const threshold = this.threshold[tr] as number;
    // R22 all: every indebted connection, in the order of their refusals; `oldest`: only the first.
    // Refusals made during this sweep (a handler's resubmission refused again) join the end of the
    // queue and wait for the next sweep.
    let calls = this.notifyAll[tr] ? (this.debtLen[tr] as number) : 1;
    let scan = this.debtLen[tr] as number;
    while (calls > 0 && scan > 0 && !this.halted) {
      if ((this.cap[tr] as number) - (this.poolUsed[tr] as number) < threshold) return; // R22 threshold
      const c = this.unlistDebtor(tr);
      scan--;
      if (!this.debt[c] || !this.canNotify(c)) continue; // paid by a break, or the handler went away (R21)
      calls--;
      this.sendPossible(c, tr);
    }
  }

  private listDebtor(tr: number, c: number): void {
    const q = this.debtQueue[tr]!;
    q[((this.debtHead[tr] as number) + (this.debtLen[tr] as number)) % q.length] = c;
    this.debtLen[tr]!++;
    this.listed[c] = 1;
  }

  private unlistDebtor(tr: number): number {
    const q = this.debtQueue[tr]!;
    const head = this.debtHead[tr] as number;
    const c = q[head] as number;
    this.debtHead[tr] = (head + 1) % q.length;
    this.debtLen[tr]!--;
    this.listed[c] = 0;
    return c;
  }

  private canNotify(c: number): boolean {
    const a = this.topo.connectionAddress[c] as number;
    return (this.addrRegs[a]! & H_SEND_POSSIBLE) !== 0 && this.addrUsable[a] === 1 && !this.broken[c];
  }

  private sendPossible(c: number, tr: number): void {
    // R21: the debt is paid by this call. R23: BytesAvailable is the free space now, not reserved.
    this.debt[c] = 0;
    const bytesAvailable = (this.cap[tr] as number) - (this.poolUsed[tr] as number);
    this.told[c] = bytesAvailable;
    this.sendPossibles[c]!++;
    const irql = this.callbackIrql[tr] as number;
    this.lastIrql[c] = irql;
    this.emit(R.CALLBACK_SEND_POSSIBLE, c, 0, 0, bytesAvailable, -1, irql); // R40
    const cl = this.topo.connectionClient[c] as number;
    if (this.misbehaves(cl, H_SEND_POSSIBLE, irql)) return;
    // R26: the handler returns STATUS_SUCCESS; what it does first is the client's policy (R25).
    switch (this.clientFrom[cl]) {
      case FROM_HANDLER:
        this.awaiting[c] = AWAIT_NONE;
        this.resubmitNext[c] = 1;
        this.pump(c);
        break;
      case FROM_DPC:
      case FROM_WORK_ITEM:
        // The delay is the race window: anyone may take the space meanwhile (R24).
        if (this.awaiting[c] !== AWAIT_RESUBMIT) {
          this.awaiting[c] = AWAIT_RESUBMIT;
          this.heap.push(this.nowUs + (this.clientDelayUs[cl] as number), EV_RESUBMIT, c, 0);
        }
        break;
      default:
        break; // FROM_TIMER: the client ignores the call; its timer retries.
    }
  }

  /** R41: a handler that waits, touches pageable memory or calls ZwClose at DISPATCH_LEVEL. */
  private misbehaves(cl: number, handler: number, irql: number): boolean {
    if (this.clientBadHandler[cl] !== handler || irql < DISPATCH_LEVEL) return false;
    const does = MISBEHAVIOUR_NAMES[this.clientBadAction[cl] as number]!;
    const check = MISBEHAVIOURS[does];
    const handlerIndex = 31 - Math.clz32(handler);
    this.emit(R.BUGCHECK, cl, handlerIndex, MISBEHAVIOUR_NAMES.indexOf(does), 0, 0, check.code);
    this.bugcheck = {
      code: check.code,
      name: check.name,
      client: this.topo.clientIds[cl]!,
      handler: HANDLER_NAMES[handlerIndex]!,
      does,
    };
    this.halted = true;
    return true;
  }

  // ---- Registration (R1–R3) -----------------------------------------------------------------

  private openAddress(a: number): void {
    this.addrOpen[a] = 1;
    this.addrUsable[a] = 1;
    this.addrKnowsBroken[a] = 0;
    this.addrRegs[a] = 0; // R1: a new address has no handlers.
    const cl = this.topo.addressClient[a] as number;
    this.emit(R.ADDRESS_OPEN, a, 0, 0, 0, 0, 0);
    const mask = this.topo.clientHandlerMask[cl] as number;
    for (let h = 0; h < HANDLER_NAMES.length; h++) if (mask & (1 << h)) this.register(a, 1 << h, true);
  }

  private register(a: number, bit: number, on: boolean): void {
    const tr = this.topo.addressTransport[a] as number;
    let status = S_SUCCESS;
    if (on && bit === H_SEND_POSSIBLE && !this.buffersSends[tr]) {
      status = S_INVALID_PARAMETER; // R3: nothing to be notified about
    } else if (on) {
      this.addrRegs[a]! |= bit; // R2: registering again replaces (one handler per event type)
      if (bit === H_SEND_POSSIBLE) {
        // Debts owed before the handler existed become callable now (R21), and if the space is
        // already free the transport has no reason to wait for the next transmit (R20).
        const conns = this.topo.addressConnections[a]!;
        let listedAny = false;
        for (let k = 0; k < conns.length; k++) {
          const c = conns[k]!;
          if (this.debt[c] && !this.listed[c] && this.canNotify(c)) {
            this.listDebtor(tr, c);
            listedAny = true;
          }
        }
        if (listedAny) {
          this.emit(R.HANDLER_REGISTER, a, 31 - Math.clz32(bit), 1, 0, 0, status);
          this.spaceFreed(tr);
          return;
        }
      }
    } else {
      this.addrRegs[a]! &= ~bit; // R2: registering NULL stops the event
    }
    this.emit(R.HANDLER_REGISTER, a, 31 - Math.clz32(bit), on ? 1 : 0, 0, 0, status);
  }

  // ---- ClientEventError / ErrorEx (R30–R36) -------------------------------------------------

  /** Injects a fault now (the app's "fail now"); it is appended to `faults` so a replay repeats it. */
  injectFault(req: FaultRequest): FaultSpec {
    const spec: FaultSpec = {
      atUs: this.nowUs,
      driver: req.driver,
      status: req.status,
      fatal: req.fatal ?? true,
      ...(req.recoverAfterUs !== undefined ? { recoverAfterUs: req.recoverAfterUs } : {}),
    };
    if (!this.topo.nodeIndex.has(req.driver)) throw new Error(`unknown driver or transport "${req.driver}"`);
    this.faults.push(spec);
    this.heap.push(this.nowUs, EV_FAULT, this.faults.length - 1, 0);
    return spec;
  }

  /** Schedules a policy change at its own time (now, if that is past); appended like a fault. */
  schedulePolicy(change: PolicyChange): void {
    this.policyChanges.push(structuredClone(change));
    this.heap.push(Math.max(change.atUs, this.nowUs), EV_POLICY, this.policyChanges.length - 1, 0);
  }

  private applyPolicy(p: PolicyChange): void {
    const s = this.scenario;
    s.clients.forEach((c, cl) => {
      if (!p.resubmit || (p.client !== undefined && p.client !== c.id)) return;
      if (p.resubmit.from) this.clientFrom[cl] = FROM_CODES[p.resubmit.from];
      if (p.resubmit.delayUs !== undefined) this.clientDelayUs[cl] = p.resubmit.delayUs;
      if (p.resubmit.size) this.clientSizeAvailable[cl] = p.resubmit.size === 'available' ? 1 : 0;
      if (this.clientFrom[cl] === FROM_TIMER && this.clientDelayUs[cl]! < 1) this.clientDelayUs[cl] = 1;
    });
    s.transports.forEach((t, tr) => {
      if (!p.sendPossible || (p.transport !== undefined && p.transport !== t.id)) return;
      if (p.sendPossible.notify) this.notifyAll[tr] = p.sendPossible.notify === 'all' ? 1 : 0;
      if (p.sendPossible.thresholdBytes !== undefined) this.threshold[tr] = p.sendPossible.thresholdBytes;
    });
  }

  /** Schedules a fault at its own time (a hand-injected fault still ahead after a restore). */
  scheduleFault(spec: FaultSpec): void {
    this.faults.push({ ...spec });
    this.heap.push(Math.max(spec.atUs, this.nowUs), EV_FAULT, this.faults.length - 1, 0);
  }

  private fault(i: number): void {
    const f = this.faults[i]!;
    const node = this.topo.nodeIndex.get(f.driver) as number;
    const status = statusIndex(f.status as StatusName);
    this.emit(R.DRIVER_FAULT, node, status, 0, 0, 0, f.fatal ? 1 : 0);
    if (f.fatal) {
      this.nodeFailed[node]!++;
      const slot = this.topo.nicSlotOfNode[node] as number;
      if (slot >= 0) this.cancelTx(slot); // a dead NIC transmits nothing
      if (f.recoverAfterUs !== undefined) this.heap.push(this.nowUs + f.recoverAfterUs, EV_RECOVER, i, 0);
    }
    const freed = new Uint8Array(this.scenario.transports.length);
    const nA = this.topo.addressIds.length;
    for (let a = 0; a < nA && !this.halted; a++) {
      // R30: every open address that depends on the failed driver, and no other (one already broken
      // by an earlier fault is still open until its client closes it, so it is told again).
      if (!this.addrOpen[a] || !this.topo.addressDeps[a]!.includes(node)) continue;
      const cl = this.topo.addressClient[a] as number;
      const tr = this.topo.addressTransport[a] as number;
      const irql = this.callbackIrql[tr] as number;
      const regs = this.addrRegs[a] as number;
      // R30 (model): a client that registered both gets both, Error first.
      if (regs & H_ERROR) {
        this.errorCallbacks[cl]!++;
        this.addrErrorCalls[a]!++;
        this.emit(R.CALLBACK_ERROR, a, status, node, 0, 0, irql);
        if (this.misbehaves(cl, H_ERROR, irql)) return;
      }
      if (regs & H_ERROR_EX) {
        this.errorCallbacks[cl]!++;
        this.addrErrorCalls[a]!++;
        this.emit(R.CALLBACK_ERROR, a, status, node, 0, 0, irql | ERROR_EX);
        if (this.misbehaves(cl, H_ERROR_EX, irql)) return;
      }
      if (!f.fatal || !this.addrUsable[a]) continue; // R36: a non-fatal report breaks nothing
      // R31: the address is no longer usable; every connection on it is broken.
      this.addrUsable[a] = 0;
      this.addrFailStatus[a] = status;
      const conns = this.topo.addressConnections[a]!;
      for (let k = 0; k < conns.length; k++) this.breakConnection(conns[k]!, status, tr, irql);
      if (this.halted) return;
      freed[tr] = 1;
      if (regs & (H_ERROR | H_ERROR_EX)) {
        // R33: the handler stops using the address and fails what the client holds for it.
        this.addrKnowsBroken[a] = 1;
        for (let k = 0; k < conns.length; k++) this.failHeld(conns[k]!, status);
        // R34: closing needs PASSIVE_LEVEL, so it is deferred to a work item.
        this.heap.push(this.nowUs + (this.clientCloseAfterUs[cl] as number), EV_ADDR_CLOSE, a, 0);
      }
    }
    // R32: discarded bytes freed space, which may be owed to connections on healthy addresses (R20).
    for (let tr = 0; tr < freed.length && !this.halted; tr++) if (freed[tr]) this.spaceFreed(tr);
  }

  private breakConnection(c: number, status: number, tr: number, irql: number): void {
    this.broken[c] = 1;
    this.debt[c] = 0;
    this.emit(R.CONNECTION_BROKEN, c, status, 0, 0, 0, 0);
    // R32: pending sends complete with the abort status. A blocking send already partly copied
    // reports the bytes the transport took (keeps I2: accepted = transmitted + buffered + discarded).
    const abort = this.abortStatus[tr] as number;
    const q = this.pending[c]!;
    for (const p of q) {
      this.complete(c, p.sendId, abort, p.copied, p.bytes, -1, COMPLETE_BLOCKING);
    }
    q.length = 0;
    this.pendingBytes[c] = 0;
    const ring = this.pendingRing[tr]!;
    const at = ring.indexOf(c);
    if (at >= 0) ring.splice(at, 1);
    // R32: its bytes still in the pool are discarded, freeing that space.
    const n = this.topo.connectionNic[c] as number;
    if (this.nicTxConn[n] === c) this.cancelTx(n);
    const bytes = this.buffered[c] as number;
    if (bytes > 0) {
      this.buffered[c] = 0;
      this.inTx[c] = 0;
      this.discarded[c]! += bytes;
      this.setPoolUsed(tr, (this.poolUsed[tr] as number) - bytes);
      this.emit(R.BUFFER_DISCARD, c, 0, 0, bytes, this.poolUsed[tr] as number, 0);
      this.kickNic(n); // the NIC may have been sending this connection's bytes; others may go now
    }
    const a = this.topo.connectionAddress[c] as number;
    if (this.disconnectOnError[tr] && this.addrRegs[a]! & H_DISCONNECT) {
      this.lastIrql[c] = irql;
      this.emit(R.CALLBACK_DISCONNECT, c, 0, 0, 0, 0, irql);
      this.misbehaves(this.topo.addressClient[a] as number, H_DISCONNECT, irql);
    }
  }

  private recover(i: number): void {
    const f = this.faults[i]!;
    const node = this.topo.nodeIndex.get(f.driver) as number;
    this.nodeFailed[node]!--;
    this.emit(R.DRIVER_RECOVER, node, 0, 0, 0, 0, 0);
    const slot = this.topo.nicSlotOfNode[node] as number;
    if (slot >= 0 && this.nodeFailed[node] === 0) this.kickNic(slot);
  }

  private closeAddress(a: number): void {
    if (!this.addrOpen[a]) return;
    this.addrOpen[a] = 0;
    this.addrRegs[a] = 0; // the handlers go with the file object
    this.emit(R.ADDRESS_CLOSE, a, 0, 0, 0, 0, 0);
    const cl = this.topo.addressClient[a] as number;
    const reopen = this.clientReopenAfterUs[cl] as number;
    if (reopen > 0) this.heap.push(this.nowUs + reopen, EV_ADDR_REOPEN, a, 0);
  }

  /** R34/R35: reopen once every driver the address depends on has recovered; otherwise try later. */
  private reopenAddress(a: number): void {
    const deps = this.topo.addressDeps[a]!;
    const cl = this.topo.addressClient[a] as number;
    for (let k = 0; k < deps.length; k++) {
      if (this.nodeFailed[deps[k]!]) {
        this.heap.push(this.nowUs + (this.clientReopenAfterUs[cl] as number), EV_ADDR_REOPEN, a, 0);
        return;
      }
    }
    this.openAddress(a);
    const conns = this.topo.addressConnections[a]!;
    for (let k = 0; k < conns.length; k++) {
      const c = conns[k]!;
      this.broken[c] = 0;
      this.awaiting[c] = AWAIT_NONE;
      this.emit(R.CONNECTION_CONNECT, c, 0, 0, 0, 0, 0);
    }
  }

  // ---- Reading the state --------------------------------------------------------------------

  /** A compact copy of the state the views draw (its arrays may be transferred). */
  snapshot(): Snapshot {
    const nC = this.nConn;
    const state = new Uint8Array(nC);
    const queued = new Int32Array(nC);
    for (let c = 0; c < nC; c++) {
      let s = 0;
      if (this.debt[c]) s |= CONN_DEBT;
      if (this.broken[c]) s |= CONN_BROKEN;
      if (this.awaiting[c] !== AWAIT_NONE) s |= CONN_WAITING;
      if (this.pending[c]!.length > 0) s |= CONN_PENDING;
      if (this.inTx[c]! > 0) s |= CONN_ON_WIRE;
      state[c] = s;
      queued[c] = this.held[c]!.length + this.pending[c]!.length;
    }
    return {
      nowUs: this.nowUs,
      eventCount: this.eventCount,
      finished: this.finished,
      poolUsed: this.poolUsed.slice(),
      poolCapacity: this.cap.slice(),
      buffered: this.buffered.slice(),
      heldBytes: this.heldBytes.slice(),
      pendingBytes: this.pendingBytes.slice(),
      queued,
      state,
      lostRaces: this.lostRaces.slice(),
      transmitted: this.transmitted.slice(),
      nodeFailed: Uint8Array.from(this.nodeFailed, (n) => (n > 0 ? 1 : 0)),
      addressState: Uint8Array.from(this.addrOpen, (open, a) => (open ? 1 : 0) | (this.addrUsable[a] ? 2 : 0)),
      addressHandlers: this.addrRegs.slice(),
      addressErrorCalls: this.addrErrorCalls.slice(),
    };
  }

  /** What the inspector shows for one connection. */
  inspectConnection(c: number): ConnectionDetail {
    return {
      held: this.held[c]!.map((h) => ({ bytes: h.remaining, origin: h.origin })),
      pending: this.pending[c]!.map((p) => ({ sendId: p.sendId, bytes: p.bytes - p.copied, expedited: p.expedited })),
      debt: this.debt[c] === 1,
      broken: this.broken[c] === 1,
      told: this.told[c] as number,
      lastIrql: this.lastIrql[c]! >= 0 ? IRQL_NAMES[this.lastIrql[c] as number]! : null,
    };
  }

  /** Per-connection and per-transport counters, for the summary. */
  metrics(): EngineMetrics {
    const nowUs = this.nowUs;
    return {
      nowUs,
      eventCount: this.eventCount,
      offered: this.offered,
      accepted: this.accepted,
      transmitted: this.transmitted,
      discarded: this.discarded,
      clientFailed: this.clientFailed,
      buffered: this.buffered,
      heldBytes: this.heldBytes,
      submits: this.submits,
      refusals: this.refusals,
      sendPossibles: this.sendPossibles,
      lostRaces: this.lostRaces,
      waitSumUs: this.waitSumUs,
      waitCount: this.waitCount,
      waitMaxUs: this.waitMaxUs,
      errorCallbacks: this.errorCallbacks,
      waitHist: this.waitHist,
      poolPeak: this.poolPeak,
      poolMean: Float64Array.from(this.poolArea, (area, tr) => {
        const total = area + (this.poolUsed[tr] as number) * (nowUs - (this.poolSince[tr] as number));
        return nowUs > 0 ? total / nowUs : 0;
      }),
      bugcheck: this.bugcheck,
    };
  }

  // ---- Checkpoints --------------------------------------------------------------------------

  /** Everything needed to continue this run exactly (I7) from here, as structured-cloneable data. */
  checkpoint(): Checkpoint {
    const fields: Record<string, unknown> = {};
    for (const k of MUTABLE_FIELDS) fields[k] = structuredClone((this as unknown as Record<string, unknown>)[k]);
    return {
      fields,
      heap: this.heap.serialize(),
      prng: this.prng.getState(),
      faults: structuredClone(this.faults),
      policyChanges: structuredClone(this.policyChanges),
      traceSeq: this.trace?.nextSeq ?? this.eventCount,
    };
  }

  /** Restores a checkpoint taken from an engine of the same scenario. */
  restore(cp: Checkpoint): void {
    for (const k of MUTABLE_FIELDS) (this as unknown as Record<string, unknown>)[k] = structuredClone(cp.fields[k]);
    this.heap = EventHeap.restore(cp.heap);
    this.prng.setState(cp.prng);
    this.faults.length = 0;
    this.faults.push(...structuredClone(cp.faults));
    this.policyChanges.length = 0;
    this.policyChanges.push(...structuredClone(cp.policyChanges));
    if (this.trace) this.trace.nextSeq = cp.traceSeq;
  }
}

const statusIndexPending = statusIndex('STATUS_PENDING');

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

const MUTABLE_FIELDS = [
  'nowUs', 'eventCount', 'dispatchCount', 'halted', 'nextSendId', 'bugcheck', 'lastInformation',
  'notifyAll', 'threshold', 'clientFrom', 'clientDelayUs', 'clientSizeAvailable',
  'poolUsed', 'poolPeak', 'poolArea', 'poolSince', 'debtQueue', 'debtHead', 'debtLen', 'listed', 'pendingRing', 'nodeFailed', 'addrOpen',
  'addrUsable', 'addrKnowsBroken', 'addrFailStatus', 'addrRegs', 'nicBusy', 'nicTxConn', 'nicTxBytes',
  'nicEpoch', 'nicRing', 'nicRingHead', 'nicRingCount', 'buffered', 'inTx', 'inNicRing', 'debt', 'broken',
  'awaiting', 'told', 'resubmitNext', 'held', 'heldBytes', 'pending', 'pendingBytes', 'genNextUs', 'offered',
  'accepted', 'transmitted', 'discarded', 'clientFailed', 'submits', 'refusals', 'sendPossibles', 'lostRaces',
  'waitSumUs', 'waitCount', 'waitMaxUs', 'errorCallbacks', 'addrErrorCalls', 'waitHist', 'lastIrql',
] as const;

export interface Checkpoint {
  fields: Record<string, unknown>;
  policyChanges: PolicyChange[];
  heap: ReturnType<EventHeap['serialize']>;
  prng: [number, number, number, number];
  faults: FaultSpec[];
  traceSeq: number;
}

// Snapshot connection state bits.
export const CONN_DEBT = 1;
export const CONN_BROKEN = 2;
export const CONN_WAITING = 4;
export const CONN_PENDING = 8;
export const CONN_ON_WIRE = 16;

export interface Snapshot {
  nowUs: number;
  eventCount: number;
  finished: boolean;
  poolUsed: Float64Array;
  poolCapacity: Float64Array;
  buffered: Float64Array;
  heldBytes: Float64Array;
  pendingBytes: Float64Array;
  queued: Int32Array;
  state: Uint8Array;
  lostRaces: Float64Array;
  transmitted: Float64Array;
  nodeFailed: Uint8Array;
  /** bit 1 open, bit 2 usable */
  addressState: Uint8Array;
  addressHandlers: Uint8Array;
  addressErrorCalls: Int32Array;
}

export interface ConnectionDetail {
  held: { bytes: number; origin: number }[];
  pending: { sendId: number; bytes: number; expedited: boolean }[];
  debt: boolean;
  broken: boolean;
  told: number;
  lastIrql: string | null;
}

export interface EngineMetrics {
  nowUs: number;
  eventCount: number;
  offered: Float64Array;
  accepted: Float64Array;
  transmitted: Float64Array;
  discarded: Float64Array;
  clientFailed: Float64Array;
  buffered: Float64Array;
  heldBytes: Float64Array;
  submits: Float64Array;
  refusals: Float64Array;
  sendPossibles: Float64Array;
  lostRaces: Float64Array;
  waitSumUs: Float64Array;
  waitCount: Float64Array;
  waitMaxUs: Float64Array;
  errorCallbacks: Float64Array;
  waitHist: Float64Array;
  poolPeak: Float64Array;
  poolMean: Float64Array;
  bugcheck: Engine['bugcheck'];
}
