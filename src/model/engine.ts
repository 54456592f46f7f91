// The TDI transport model's core, as SimPy's Environment is: it owns the event queue and the stores,
// dispatches kernel events to the rule modules, runs, checkpoints, snapshots and injects. The model's
// behaviour lives around it, one module per rule group:
//   sends.ts         TDI_SEND, the client's queue, the transport's pool and pending FIFO (R10–R16)
//   sendPossible.ts  ClientEventSendPossible: who is owed, who is called, with what (R20–R26)
//   transmit.ts      NICs draining the pool
//   faults.ts        registration (R1–R3), ClientEventError/ErrorEx, breaks, close, reopen (R30–R36)
//   policy.ts        the client's retry/resubmit work (R25) and policy changes (R22, R25)
//   irql.ts          callback IRQL and the bug check (R40–R41)
// A run through Winsock Kernel instead (EngineOptions.api 'wsk') dispatches the same kinds, where the
// API differs, to the WSK modules:
//   wsk.ts           WskSend IRPs, the send buffer serving them, the ideal send backlog (W1–W3)
//   wskFaults.ts     WskDisconnectEvent and failed IRPs instead of ClientEventError (W4–W6)
// The state they share is described once, in state.ts.
import { CONN_BROKEN, CONN_DEBT, CONN_PENDING, CONN_WAITING } from './connState.ts';
import { EventHeap, type HeapState } from '../sim/heap.ts';
import { Prng } from '../base/prng.ts';
import { IRQL_NAMES, type StatusName } from '../base/status.ts';
import type { FaultSpec, PolicyChange, Scenario } from '../scenario/schema.ts';
import type { TraceRecorder } from '../trace/records.ts';
import { buildTopology, type Topology } from './topology.ts';
import { MachineHalted } from './irql.ts';
import { SEND_EVENTS, scheduleGenerated } from './sends.ts';
import { TRANSMIT_EVENTS } from './transmit.ts';
import { FAULT_EVENTS, openAddress } from './faults.ts';
import { POLICY_EVENTS } from './policy.ts';
import { WSK_SEND_EVENTS, wskStart } from './wsk.ts';
import { WSK_FAULT_EVENTS } from './wskFaults.ts';
import {
  AWAIT_NONE,
  DYNAMIC_STORES,
  EVENT_KINDS,
  EV_APP_SEND,
  EV_FAULT,
  EV_HANDLER_CHANGE,
  EV_POLICY,
  EV_RECOVER,
  RecordLimitReached,
  createParams,
  createStores,
  schedule,
  type BugcheckInfo,
  type DynamicStores,
  type Api,
  type EventHandler,
  type EventHandlers,
  type Model,
  type Params,
  type TdiEventKind,
  type WskEventKind,
  type WskStore,
} from './state.ts';

/**
 * Per API, every kernel event kind it schedules and the rule module's function that runs it: the union
 * of the modules' tables, which the compiler checks covers every kind of that API (a new kind without
 * a handler does not build). WSK shares the recovery of a driver (faults.ts) with TDI.
 */
const TDI_HANDLERS = { ...TRANSMIT_EVENTS, ...SEND_EVENTS, ...POLICY_EVENTS, ...FAULT_EVENTS } satisfies Record<TdiEventKind, EventHandler>;
const WSK_HANDLERS = { [EV_RECOVER]: FAULT_EVENTS[EV_RECOVER], ...WSK_SEND_EVENTS, ...WSK_FAULT_EVENTS } satisfies Record<WskEventKind, EventHandler>;
/** The same, indexed by kind number: the dispatch is one array load. */
function dispatchTable(handlers: EventHandlers): EventHandler[] {
  const table: EventHandler[] = [];
  for (const kind of EVENT_KINDS) {
    const run = handlers[kind];
    if (run) table[kind] = run;
  }
  return table;
}
const RUN_EVENT: Record<Api, EventHandler[]> = { tdi: dispatchTable(TDI_HANDLERS), wsk: dispatchTable(WSK_HANDLERS) };

export { WAIT_BINS, waitBinValueUs } from './state.ts';

export interface FaultRequest {
  driver: string;
  status: StatusName;
  fatal?: boolean;
  recoverAfterUs?: number;
}

export interface EngineOptions {
  /** Where trace records go; null runs without a trace (counters and metrics still kept). */
  trace?: TraceRecorder | null;
  /** The kernel interface the clients use: 'tdi' (default) or 'wsk' (Winsock Kernel, W1–W6). */
  api?: Api;
}

export class Engine {
  private readonly m: Model;
  /** The kernel interface this run's clients use (EngineOptions.api). */
  readonly api: Api;
  /** This API's dispatch table (RUN_EVENT). */
  private readonly runEvent: EventHandler[];
  /**
   * Changes made by hand (faults, policy changes with `afterKernelEvents`), in the order they were
   * made. Each is a kernel event of its own: it runs when exactly that many have run before it, so a
   * replay is the same run, not merely one with the same change at the same microsecond.
   */
  private injections: { kind: 'fault' | 'policy'; index: number; after: number; atUs: number }[] = [];
  /** `after` of the next injection still to run (Infinity: none) — one compare per dispatch. */
  private nextInjectionAfter = Infinity;

  /**
   * The run of `scenario` continued from a checkpoint taken in it: nothing of the start is emitted
   * again. The scenario holds every change made by hand, each at its place in the event order; those
   * made after the checkpoint are still ahead, and those the checkpoint holds that the scenario no
   * longer does (the future a fork abandoned) never happen. `shapeOf`, an engine of the same scenario
   * shape (the faults and policy changes may differ: a fork), lends its topology and parameters,
   * which never change while running: a restore then costs the copy of the state alone, not a rebuild
   * of the scenario (milliseconds at 2,048 connections).
   */
  static fromCheckpoint(scenario: Scenario, cp: Checkpoint, options: EngineOptions & { shapeOf?: Engine } = {}): Engine {
    const engine = new Engine(scenario, { trace: null, api: cp.api ?? options.api ?? 'tdi' }, options.shapeOf ? { topo: options.shapeOf.m.topo, params: options.shapeOf.m.params } : undefined);
    engine.restore(cp);
    if (options.trace) {
      engine.m.trace = options.trace;
      options.trace.nextSeq = cp.traceSeq;
    }
    return engine;
  }

  /** `shape`: set only by fromCheckpoint, which restores every dynamic store right after (nothing is scheduled). */
  constructor(scenario: Scenario, options: EngineOptions = {}, shape?: { topo: Topology; params: Params }) {
    const topo = shape?.topo ?? buildTopology(scenario);
    const m: Model = {
      scenario,
      topo,
      params: shape?.params ?? createParams(scenario, topo),
      heap: new EventHeap(1024),
      prng: new Prng(scenario.seed),
      trace: options.trace ?? null,
      faults: scenario.faults.map((f) => ({ ...f })),
      policyChanges: scenario.policyChanges.map((p) => structuredClone(p)),
      recordLimit: Infinity,
      lastRecordType: -1,
      ...createStores(scenario, topo, options.api ?? 'tdi'),
    };
    this.m = m;
    this.api = options.api ?? 'tdi';
    this.runEvent = RUN_EVENT[this.api];
    if (shape) return;
    // t = 0: every address opens with no handlers (R1), then its client registers its own (R2); under
    // WSK the sockets are bound and connected, with no TDI handlers (W4).
    if (this.api === 'wsk') wskStart(m);
    else for (let a = 0; a < topo.addressIds.length; a++) openAddress(m, a);
    for (let c = 0; c < topo.connectionIds.length; c++) {
      const sends = m.params.connection.appSends[c]!;
      for (let i = 0; i < sends.length; i++) schedule(m, sends[i]!.atUs, EV_APP_SEND, c, i);
      const g = scenario.connections[c]!.generator;
      if (g && g.count > 0) scheduleGenerated(m, c, 0);
    }
    m.faults.forEach((f, i) => {
      if (f.afterKernelEvents === undefined) schedule(m, f.atUs, EV_FAULT, i, 0);
    });
    scenario.handlerChanges.forEach((h, i) => schedule(m, h.atUs, EV_HANDLER_CHANGE, i, 0));
    m.policyChanges.forEach((p, i) => {
      if (p.afterKernelEvents === undefined) schedule(m, p.atUs, EV_POLICY, i, 0);
    });
    this.indexInjections();
  }

  /** Rebuilds the list of hand-made changes from the faults and policy changes. */
  private indexInjections(): void {
    const m = this.m;
    const list: Engine['injections'] = [];
    m.faults.forEach((f, index) => {
      if (f.afterKernelEvents !== undefined) list.push({ kind: 'fault', index, after: f.afterKernelEvents, atUs: f.atUs });
    });
    m.policyChanges.forEach((p, index) => {
      if (p.afterKernelEvents !== undefined) list.push({ kind: 'policy', index, after: p.afterKernelEvents, atUs: p.atUs });
    });
    this.injections = list.sort((a, b) => a.after - b.after);
    this.seekInjection();
  }

  private seekInjection(): void {
    const done = this.m.clock.dispatchCount;
    const next = this.injections.find((x) => x.after >= done);
    this.nextInjectionAfter = next ? next.after : Infinity;
  }

  /** Runs the hand-made changes due now (at this point of the event order, at or before limitUs). */
  private runDueInjections(limitUs: number, maxUnits = Infinity): void {
    const m = this.m;
    const clock = m.clock;
    for (let n = 0; n < maxUnits && this.nextInjectionAfter === clock.dispatchCount && !clock.halted; n++) {
      const x = this.injections.find((y) => y.after === clock.dispatchCount)!;
      if (x.atUs > limitUs) return;
      if (x.atUs > clock.nowUs) clock.nowUs = x.atUs;
      clock.dispatchCount++;
      // A change made by hand runs as the scheduled kind of its sort would.
      this.guarded(() => this.runEvent[x.kind === 'fault' ? EV_FAULT : EV_POLICY]!(m, x.index, 0));
      this.seekInjection();
    }
  }

  get scenario(): Scenario {
    return this.m.scenario;
  }
  get topo(): Topology {
    return this.m.topo;
  }
  /** The scenario's faults, then those injected while running. */
  get faults(): readonly FaultSpec[] {
    return this.m.faults;
  }
  get policyChanges(): readonly PolicyChange[] {
    return this.m.policyChanges;
  }
  /** Simulated time of the event being processed, or the last time run to. */
  get nowUs(): number {
    return this.m.clock.nowUs;
  }
  /** Trace records emitted (counted with the trace on or off). */
  get eventCount(): number {
    return this.m.clock.eventCount;
  }
  /** The event log's rows so far: the records less the TDI_SEND submissions (each one record, shown on its completion's row). */
  get rowCount(): number {
    return this.m.clock.eventCount - this.m.clock.nextSendId;
  }
  /** Kernel events dispatched. */
  get dispatchCount(): number {
    return this.m.clock.dispatchCount;
  }
  /** Set by a bug check (R41): the model stops. */
  get halted(): boolean {
    return this.m.clock.halted;
  }
  get bugcheck(): BugcheckInfo | null {
    return this.m.clock.bugcheck;
  }
  get durationUs(): number {
    return this.m.scenario.durationUs;
  }
  /** True when nothing is left to do before durationUs (or a bug check stopped the model). */
  get finished(): boolean {
    const m = this.m;
    if (this.isTorn) return false; // the rest of its event is still to come
    if (m.clock.halted) return true;
    const next = Math.min(m.heap.peekTimeUs(), this.nextInjectionAfter === Infinity ? Infinity : this.injections.find((x) => x.after === this.nextInjectionAfter)!.atUs);
    return next > m.scenario.durationUs;
  }
  /** Time of the next kernel event, or Infinity. */
  get nextEventUs(): number {
    return this.m.heap.peekTimeUs();
  }

  /** Time of what step() does next: the change made by hand due now, else the next kernel event. */
  private nextStepUs(): number {
    const due = this.nextInjectionAfter === this.m.clock.dispatchCount;
    return due ? this.injections.find((x) => x.after === this.nextInjectionAfter)!.atUs : this.m.heap.peekTimeUs();
  }

  // ---- Running -------------------------------------------------------------------------------

  /**
   * Processes one kernel event (which may emit several trace records), or the changes made by hand
   * due at this point of the event order. False when finished, or when the next of them lies after
   * `untilUs` (nothing is done then).
   */
  step(untilUs = Infinity): boolean {
    this.assertWhole();
    if (this.finished) return false;
    const m = this.m;
    if (untilUs < Infinity && this.nextStepUs() > untilUs) return false;
    const before = m.clock.dispatchCount;
    // One unit at a time (record-level time counts on it): a change made by hand, or an event.
    this.runDueInjections(Math.min(untilUs, m.scenario.durationUs), 1);
    if (m.clock.dispatchCount === before && !m.clock.halted && m.heap.size > 0) {
      // Inline, not through guarded(): step() is the per-event loop of exports and seeks by count.
      try {
        this.dispatchOne();
      } catch (e) {
        if (!(e instanceof MachineHalted)) throw e;
      }
    }
    return true;
  }

  /** Runs every event at or before `untilUs` (capped at durationUs), then sets the clock to it. */
  runUntil(untilUs: number, maxDispatches = Infinity): void {
    this.assertWhole();
    const m = this.m;
    const limit = Math.min(untilUs, m.scenario.durationUs);
    const heap = m.heap;
    const clock = m.clock;
    let n = 0;
    // One guard around the loop, not one per event: a bug check (R41) ends the run from anywhere.
    try {
      for (;;) {
        if (this.nextInjectionAfter === clock.dispatchCount) this.runDueInjections(limit);
        if (clock.halted || heap.size === 0 || heap.peekTimeUs() > limit || n >= maxDispatches) break;
        this.dispatchOne();
        n++;
      }
    } catch (e) {
      if (!(e instanceof MachineHalted)) throw e;
    }
    if (!clock.halted && n < maxDispatches && limit > clock.nowUs) clock.nowUs = limit; // the clock reaches the time asked for
  }

  runToEnd(): void {
    this.runUntil(this.m.scenario.durationUs);
  }

  /**
   * Record-level time: runs whole events, one at a time, until `count` records exist (or the run ends,
   * or the next event lies after `untilUs`, or `maxUnits` ran). An event that would write past `count`
   * stops just before that record — never right after a submission (emit) — and the engine is then
   * torn: its state shows exactly the records written so far (a fault's cascade one callback at a
   * time), and it never runs on (the session goes on from the state before that event). Returns
   * true when it stopped torn.
   */
  runToRecord(count: number, untilUs = Infinity, maxUnits = Infinity): boolean {
    this.assertWhole();
    const m = this.m;
    m.recordLimit = count;
    try {
      for (let n = 0; n < maxUnits && m.clock.eventCount < count && this.step(untilUs); n++);
    } catch (e) {
      if (!(e instanceof RecordLimitReached)) throw e;
      this.isTorn = true;
    } finally {
      m.recordLimit = Infinity;
    }
    return this.isTorn;
  }

  /** Stopped mid-event by runToRecord: the state is for looking at, not for running on. */
  get torn(): boolean {
    return this.isTorn;
  }
  private isTorn = false;

  private assertWhole(): void {
    if (this.isTorn) throw new Error('the model stopped inside an event (record-level time): go on from the state before that event');
  }

  /** Runs model code; a bug check (R41) stops the machine mid-event and is caught here, nowhere else. */
  private guarded(run: () => void): void {
    try {
      run();
    } catch (e) {
      if (!(e instanceof MachineHalted)) throw e;
    }
  }

  private dispatchOne(): void {
    const m = this.m;
    const heap = m.heap;
    heap.pop();
    m.clock.nowUs = heap.topTimeUs;
    m.clock.dispatchCount++;
    this.runEvent[heap.topKind]!(m, heap.topArg0, heap.topArg1);
  }

  // ---- Acting on a running model -------------------------------------------------------------

  /**
   * Fails a driver now (the app's "fail now"), as a kernel event of its own: the fault is appended
   * to `faults` with the point of the event order it was made at, so a replay repeats it exactly.
   */
  injectFault(req: FaultRequest): FaultSpec {
    this.assertWhole();
    const m = this.m;
    if (!m.topo.nodeIndex.has(req.driver)) throw new Error(`unknown driver or transport "${req.driver}"`);
    const spec: FaultSpec = {
      atUs: m.clock.nowUs,
      afterKernelEvents: m.clock.dispatchCount,
      driver: req.driver,
      status: req.status,
      fatal: req.fatal ?? true,
      ...(req.recoverAfterUs !== undefined ? { recoverAfterUs: req.recoverAfterUs } : {}),
    };
    this.addFault(spec);
    this.indexInjections();
    this.runDueInjections(spec.atUs);
    return spec;
  }

  /** Changes a policy now (R22, R25), recorded like an injected fault. */
  changePolicyNow(change: Omit<PolicyChange, 'atUs' | 'afterKernelEvents'>): PolicyChange {
    this.assertWhole();
    const m = this.m;
    const recorded: PolicyChange = { ...structuredClone(change), atUs: m.clock.nowUs, afterKernelEvents: m.clock.dispatchCount };
    this.addPolicyChange(recorded);
    this.indexInjections();
    this.runDueInjections(recorded.atUs);
    return recorded;
  }

  /** Adds a fault still ahead: one made by hand waits for its point of the event order (indexInjections). */
  private addFault(spec: FaultSpec): void {
    const m = this.m;
    m.faults.push({ ...spec });
    if (spec.afterKernelEvents === undefined) schedule(m, Math.max(spec.atUs, m.clock.nowUs), EV_FAULT, m.faults.length - 1, 0);
  }

  /** Adds a policy change still ahead, like addFault. */
  private addPolicyChange(change: PolicyChange): void {
    const m = this.m;
    m.policyChanges.push(structuredClone(change));
    if (change.afterKernelEvents === undefined) schedule(m, Math.max(change.atUs, m.clock.nowUs), EV_POLICY, m.policyChanges.length - 1, 0);
  }

  // ---- Reading the state --------------------------------------------------------------------

  /** A compact copy of the state the views draw (its arrays may be transferred). */
  snapshot(): Snapshot {
    const m = this.m;
    const conn = m.conn;
    const nC = m.topo.connectionIds.length;
    const state = new Uint8Array(nC);
    const queued = new Int32Array(nC);
    for (let c = 0; c < nC; c++) {
      let s = 0;
      if (conn.debt[c]) s |= CONN_DEBT;
      if (conn.broken[c]) s |= CONN_BROKEN;
      if (conn.awaiting[c] !== AWAIT_NONE) s |= CONN_WAITING;
      if (conn.pending[c]!.length > 0) s |= CONN_PENDING;
      state[c] = s;
      queued[c] = conn.held[c]!.length + conn.pending[c]!.length;
    }
    return {
      nowUs: m.clock.nowUs,
      eventCount: m.clock.eventCount,
      finished: this.finished,
      poolUsed: m.pool.used.slice(),
      buffered: conn.buffered.slice(),
      heldBytes: conn.heldBytes.slice(),
      pendingBytes: conn.pendingBytes.slice(),
      queued,
      state,
      lostRaces: m.metrics.lostRaces.slice(),
      transmitted: m.metrics.transmitted.slice(),
      nodeFailed: Uint8Array.from(m.nodes.failed, (n) => (n > 0 ? 1 : 0)),
      addressState: Uint8Array.from(m.addr.open, (open, a) => (open ? 1 : 0) | (m.addr.usable[a] ? 2 : 0)),
      addressHandlers: m.addr.handlers.slice(),
      addressErrorCalls: m.addr.errorCalls.slice(),
      // W1: under WSK, the client's locked buffers: the bytes and the count of its pending WskSend IRPs.
      ...(this.api === 'wsk' ? { lockedBytes: m.wsk.lockedBytes.slice(), irpsPending: Int32Array.from(m.wsk.irps, (l) => l.length) } : {}),
    };
  }

  /**
   * R14, R10: per transport, the blocking sends it holds, in the order it copies them into the pool
   * (connections in arrival order, each one's FIFO with EXPEDITED sends ahead): at most `limit` of
   * them, and how many there are in all.
   */
  pendingFifo(limit: number): TransportPending[] {
    const m = this.m;
    return m.pool.blockingRing.map((ring) => {
      const sends: PendingEntry[] = [];
      let total = 0;
      let totalBytes = 0;
      for (const c of ring) {
        for (const p of m.conn.pending[c]!) {
          total++;
          totalBytes += p.bytes - p.copied;
          if (sends.length < limit) sends.push({ connection: c, sendId: p.sendId, bytes: p.bytes, left: p.bytes - p.copied, expedited: p.expedited });
        }
      }
      return { sends, total, totalBytes };
    });
  }

  /** What the inspector shows for one connection. */
  inspectConnection(c: number): ConnectionDetail {
    const conn = this.m.conn;
    const irql = conn.lastIrql[c] as number;
    return {
      held: conn.held[c]!.map((h) => ({ bytes: h.remaining, origin: h.origin })),
      pending: conn.pending[c]!.map((p) => ({ sendId: p.sendId, bytes: p.bytes - p.copied, expedited: p.expedited })),
      debt: conn.debt[c] === 1,
      broken: conn.broken[c] === 1,
      told: conn.told[c] as number,
      lastIrql: irql >= 0 ? IRQL_NAMES[irql]! : null,
    };
  }

  /** Per-connection and per-transport counters, for the summary. */
  metrics(): EngineMetrics {
    const m = this.m;
    const nowUs = m.clock.nowUs;
    const pool = m.pool;
    return {
      ...m.metrics,
      nowUs,
      eventCount: m.clock.eventCount,
      buffered: m.conn.buffered,
      heldBytes: m.conn.heldBytes,
      pendingBytes: m.conn.pendingBytes,
      poolPeak: pool.peak,
      poolMean: Float64Array.from(pool.area, (area, tr) => {
        const total = area + (pool.used[tr] as number) * (nowUs - (pool.since[tr] as number));
        return nowUs > 0 ? total / nowUs : 0;
      }),
      bugcheck: m.clock.bugcheck,
      wsk: m.wsk,
    };
  }

  // ---- Checkpoints --------------------------------------------------------------------------

  /**
   * Everything needed to continue this run exactly (I7) from here, as structured-cloneable data.
   * Cheap enough to take often once the packed codec is installed (stateCopy.ts: block copies of
   * typed arrays, lists of lists packed into columns); structuredClone until then.
   */
  checkpoint(): Checkpoint {
    this.assertWhole();
    const m = this.m;
    const stores = {} as Checkpoint['stores'];
    for (const k of DYNAMIC_STORES) (stores as Record<string, unknown>)[k] = stateCodec.pack(m[k]);
    return {
      stores,
      heap: stateCodec.pack(m.heap.serialize()),
      prng: m.prng.getState(),
      faults: structuredClone(m.faults),
      policyChanges: structuredClone(m.policyChanges),
      traceSeq: m.trace?.nextSeq ?? m.clock.eventCount,
      api: this.api,
    };
  }

  /**
   * Restores a checkpoint taken in a run of this engine's scenario (the checkpoint stays intact), with
   * the scenario's hand-made changes: kept up to those the checkpoint knew, the later ones ahead.
   */
  private restore(cp: Checkpoint): void {
    const m = this.m;
    // A store the checkpoint predates (`wsk`, before WSK existed) keeps its fresh start.
    for (const k of DYNAMIC_STORES) if (cp.stores[k] !== undefined) (m as unknown as Record<string, unknown>)[k] = stateCodec.unpack(cp.stores[k]);
    m.heap = EventHeap.restore(stateCodec.unpack<HeapState>(cp.heap));
    m.prng.setState(cp.prng);
    const { faults, policyChanges } = m.scenario;
    // Changes the checkpoint holds beyond the scenario's belong to a future a fork abandoned.
    m.faults.length = 0;
    m.faults.push(...structuredClone(cp.faults.slice(0, faults.length)));
    m.policyChanges.length = 0;
    m.policyChanges.push(...structuredClone(cp.policyChanges.slice(0, policyChanges.length)));
    if (m.trace) m.trace.nextSeq = cp.traceSeq;
    // What was done by hand after the checkpoint is still ahead of it.
    for (let i = cp.faults.length; i < faults.length; i++) this.addFault(faults[i]!);
    for (let i = cp.policyChanges.length; i < policyChanges.length; i++) this.addPolicyChange(policyChanges[i]!);
    this.indexInjections();
  }
}

/**
 * How checkpoints copy the state. structuredClone is correct but slow (~10 ms at 2,048 connections);
 * stateCopy.ts packs it in ~1.5 ms. The worker installs that after its first frame (its first load
 * stays small: the embed's budget); tests and benches install it at once. The packed codec also
 * restores the plain checkpoints taken before it was installed (unpacking plain state is a deep
 * copy); the plain one cannot read packed checkpoints.
 */
export interface StateCodec {
  pack(state: unknown): unknown;
  unpack<T>(packed: unknown): T;
  bytes?(packed: unknown): number;
}
let stateCodec: StateCodec = { pack: (v) => structuredClone(v), unpack: <T>(v: unknown) => structuredClone(v) as T };
export function installStateCodec(codec: StateCodec): void {
  stateCodec = codec;
}

/**
 * Bytes a checkpoint holds, for the time-travel memory budget: measured by the packed codec; until
 * it is installed (the worker's first checkpoint), counted as 1 MiB, more than any packed one here.
 */
export function checkpointBytes(cp: Checkpoint): number {
  return stateCodec.bytes?.(cp) ?? 2 ** 20;
}

export interface Checkpoint {
  /** The dynamic stores (state.ts), copied whole, lists of lists packed (stateCopy.ts: unpackState). */
  stores: Record<keyof DynamicStores, unknown>;
  /** The pending kernel events (heap.ts: serialize), packed as the stores are. */
  heap: unknown;
  prng: [number, number, number, number];
  faults: FaultSpec[];
  policyChanges: PolicyChange[];
  traceSeq: number;
  /** The API of the run it was taken in (absent: 'tdi', as before WSK existed). */
  api?: Api;
}

// Snapshot connection state bits (their own module: the page colours by them without the engine).
export { CONN_DEBT, CONN_BROKEN, CONN_WAITING, CONN_PENDING };

export interface Snapshot {
  nowUs: number;
  eventCount: number;
  finished: boolean;
  poolUsed: Float64Array;
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
  /** Only in a run through WSK (W1): per connection, bytes locked in its pending WskSend IRPs. */
  lockedBytes?: Float64Array;
  /** Only in a run through WSK (W1): per connection, its pending WskSend IRPs. */
  irpsPending?: Int32Array;
}

/** One blocking send held by a transport (R14): its connection, id, length and what is still to copy. */
export interface PendingEntry {
  connection: number;
  sendId: number;
  bytes: number;
  left: number;
  expedited: boolean;
}

/** A transport's pending FIFO of blocking sends (R10, R14), head first; `total` counts all of them. */
export interface TransportPending {
  sends: PendingEntry[];
  total: number;
  totalBytes: number;
}

export interface ConnectionDetail {
  held: { bytes: number; origin: number }[];
  pending: { sendId: number; bytes: number; expedited: boolean }[];
  debt: boolean;
  broken: boolean;
  told: number;
  lastIrql: string | null;
}

export type EngineMetrics = DynamicStores['metrics'] & {
  nowUs: number;
  eventCount: number;
  buffered: Float64Array;
  heldBytes: Float64Array;
  pendingBytes: Float64Array;
  poolPeak: Float64Array;
  poolMean: Float64Array;
  bugcheck: BugcheckInfo | null;
  /** The WSK model's counters and state (zeros under TDI). */
  wsk: WskStore;
};
