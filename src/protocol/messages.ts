// The worker protocol: one message map per direction, keyed by `op`; every union is derived from
// the maps, so adding a message is one line here and a compile error wherever it is not handled.
import type { PresetName } from '../scenario/presets.ts';
import type { PolicyChange, Scenario } from '../scenario/schema.ts';
import type { StatusName } from '../base/status.ts';
import type { Summary } from '../trace/summary.ts';
import type { ConnectionDetail, Snapshot, TransportPending } from '../model/engine.ts';
import type { Columns } from '../trace/records.ts';
import type { Topology } from '../model/topology.ts';
import type { Api } from '../model/state.ts';
import type { WhyChain } from '../trace/why.ts';
import type { ExportFormat } from '../trace/exportRun.ts';
import type { RecordMatch } from '../trace/match.ts';
import type { TraceEvent } from '../trace/names.ts';
import type { LessonMoment, RunTrigger } from '../lesson/run.ts';
import type { RowFilter } from '../trace/rowFilter.ts';

// 2: inspect, summary and why carry a request id, answered in their reply (and in a failure).
// 3: export (streamed in exportPart events), cancel, seek to a record count, and find (the first
//    record matching, for the embed API's seek-to-first).
// 4: ping/pong, so the page can tell a worker that stopped answering.
// 5: lessonRun (a lesson step's moment and the records its question reads).
// 6: a long seek runs in slices (seekProgress, cancelSeek); records regenerates old trace records.
// 7: findRows (the log's filter searched back through the whole run).
// 8: frames say which commands they show (commandsHandled) and whether a seek is under way.
// 9: a big load says which stage it is at (loadProgress) and can be cancelled (cancelLoad).
// 10: load may run the scenario through Winsock Kernel (`api: 'wsk'`); loaded says which API runs;
//     lessonRun may name the API its step runs through (a lesson step's `api`, #20).
export const PROTOCOL_VERSION = 10;

type Empty = Record<never, never>;
/** A request expects exactly one reply carrying the same id (or a failure with that id). */
type Request<T> = T & { id: number };

export type ScenarioSource = { kind: 'preset'; name: PresetName } | { kind: 'json'; scenario: unknown };

/** Main thread → worker. */
export interface Commands {
  hello: { version: number };
  /** `api`: the kernel interface the clients use, 'tdi' (default) or 'wsk' (Winsock Kernel, W1–W6). */
  load: { source: ScenarioSource; seed?: number; api?: Api };
  play: Empty;
  pause: Empty;
  step: Empty;
  runToEnd: Empty;
  reset: Empty;
  /** Simulated time per real time (1 = real time). */
  setSpeed: { speed: number };
  injectFault: { driver: string; status: StatusName; fatal: boolean; recoverAfterUs?: number };
  /** Change a policy from now on (R22, R25); in the past, this forks a new branch. */
  changePolicy: { change: Omit<PolicyChange, 'atUs'> };
  inspect: Request<{ connection: number }>;
  summary: Request<Empty>;
  /** The main thread has drawn the last frame: the worker may send the next (latest wins). */
  frameDone: Empty;
  /** Are you there? (the page's watchdog; any message back proves it) */
  ping: Empty;
  /** Stop (or resume) sending frames while playing: headless runs and the streaming benchmark. */
  setStreaming: { on: boolean };
  /**
   * Time travel: the state just after every event at or before timeUs. With `events` (a shared
   * link's moment): the first state with that many trace records, when a step left the sender
   * inside an instant whose other events have not run yet.
   */
  seek: { timeUs: number; events?: number };
  /** Stop a seek under way: the state stays at the moment it had reached (a seekProgress done says where). */
  cancelSeek: Empty;
  /** Stop a load under way: the run loaded before stays (a loadProgress done says whether it was in time). */
  cancelLoad: Empty;
  /**
   * The log's rows [fromRow, fromRow + count) of this run up to now (a row is a record other than a
   * TDI_SEND submission, which shows on its completion's row), regenerated from the nearest
   * checkpoint: the log's scroll-back to rows it no longer holds.
   */
  records: Request<{ fromRow: number; count: number }>;
  /**
   * Up to `limit` rows before `beforeRow` that pass `filter` (the newest of them), found by replaying
   * the run back from there a checkpoint gap at a time: the log's filter over rows it no longer holds.
   */
  findRows: Request<{ beforeRow: number; limit: number; filter: RowFilter }>;
  /** Undo the last kernel event. */
  stepBack: Empty;
  /** Explain the trace record with this seq (a refusal, a lost race, an error callback, a break). */
  why: Request<{ seq: number }>;
  /**
   * The current scenario (with what was done by hand) run again headless to untilUs (default: the
   * end) in a command-line format; the text comes in exportPart events, then the reply.
   */
  export: Request<{ format: ExportFormat; untilUs?: number; intervalUs?: number }>;
  /** The page no longer wants the answer to request `id` (an export stops; its reply never comes). */
  cancel: { id: number };
  /** The first record of the current run matching, searched by replaying from the start. */
  find: Request<{ match: RecordMatch }>;
  /**
   * A lesson step's moment: the current scenario replayed from the start to the trigger (a record's
   * nth match counted from seq fromSeq, or a time), with the records matching `collect` on the way.
   */
  lessonRun: Request<{ trigger: RunTrigger; fromSeq: number; collect?: RecordMatch; api?: Api }>;
}

/** Worker → main thread. */
export interface Events {
  ready: { version: number };
  pong: Empty;
  versionMismatch: { worker: number; main: number };
  /** `reset`: the same run started over (the page keeps its branches); `load`: a new run. */
  /** `api`: the kernel interface the run's clients use (absent: 'tdi'). */
  loaded: { scenario: Scenario; topology: Topology; reason: 'load' | 'reset'; api?: Api };
  invalid: { problems: string[] };
  frame: Frame;
  inspected: Request<{ connection: number; detail: ConnectionDetail }>;
  summary: Request<{ summary: Summary }>;
  faultInjected: { fault: Scenario['faults'][number]; forked: boolean; scenario: Scenario };
  policyChanged: { change: PolicyChange; forked: boolean; scenario: Scenario };
  why: Request<{ seq: number; chain: WhyChain | null; reason?: string }>;
  /** A piece of an export's text, in order; progress 0…1. */
  exportPart: { id: number; text: string; progress: number };
  exported: Request<{ format: ExportFormat; untilUs: number; parts: number; chars: number }>;
  found: Request<{ record: TraceEvent | null }>;
  lessonReached: Request<{ moment: LessonMoment }>;
  /** A seek that takes a while: how far it got (0…1), sent from SEEK_PROGRESS_AFTER_MS on; `done` ends it (finished or cancelled). */
  seekProgress: { targetUs: number; atUs: number; fraction: number; done: boolean; cancelled: boolean };
  /**
   * A big load (BIG_LOAD_CONNECTIONS or more) at each of its stages in the worker; `done` ends it
   * without a `loaded` (cancelled, or a cancel that came after the new run was in place).
   */
  loadProgress: { stage: WorkerLoadStage; connections: number; done: boolean; cancelled: boolean };
  /** Those rows' records, oldest first, with the submissions they show (`firstRow`: the row of the first). */
  records: Request<{ records: FrameEvents }>;
  /** The rows found, and how far back the search got (it stops after a budget of replayed records). */
  foundRows: Request<EarlierRows>;
  /** `id`: the request that failed (its promise rejects); without one, the session itself failed. */
  failure: { message: string; id?: number };
}

/** Each request command and the event that answers it. */
export interface Replies {
  inspect: 'inspected';
  summary: 'summary';
  why: 'why';
  export: 'exported';
  find: 'found';
  lessonRun: 'lessonReached';
  records: 'records';
  findRows: 'foundRows';
}

/** The requests answered in pieces before their reply, and the event that carries a piece. */
export interface Parts {
  export: 'exportPart';
}

export type Command = { [K in keyof Commands]: { op: K } & Commands[K] }[keyof Commands];
export type Event = { [K in keyof Events]: { op: K } & Events[K] }[keyof Events];
export type EventOf<K extends keyof Events> = Extract<Event, { op: K }>;
export type RequestOp = keyof Replies;
/** What a caller passes to a request: the command without its op and id. */
export type RequestPayload<K extends RequestOp> = Omit<Commands[K], 'id'>;
export type ReplyOf<K extends RequestOp> = EventOf<Replies[K]>;
export type ReplyEvent = ReplyOf<RequestOp>;
export type PartEvent = EventOf<Parts[keyof Parts]>;

/** The reply events, checked against Replies: a new request without its reply here is a type error. */
const REPLY_OPS = { inspected: true, summary: true, why: true, exported: true, found: true, lessonReached: true, records: true, foundRows: true } satisfies Record<Replies[RequestOp], true>;
const PART_OPS = { exportPart: true } satisfies Record<Parts[keyof Parts], true>;

export function isReply(e: Event): e is ReplyEvent {
  return Object.hasOwn(REPLY_OPS, e.op);
}

export function isPart(e: Event): e is PartEvent {
  return Object.hasOwn(PART_OPS, e.op);
}

/**
 * One frame: the state now (typed arrays, transferred) and the trace records since the previous
 * frame (columnar, transferred; at most FRAME_EVENT_LIMIT of the newest, `droppedEvents` counts the rest).
 */
export interface Frame extends Omit<Snapshot, 'state'> {
  durationUs: number;
  playing: boolean;
  /** The model could not keep up with the chosen speed during this frame. */
  behind: boolean;
  /** The state went back in time (seek or step back): the events replace what the page had. */
  rewound: boolean;
  /** The furthest simulated time this run has reached (the scrubber's played part). */
  reachedUs: number;
  /**
   * How many messages the worker had handled when it built this frame (the page numbers what it
   * sends the same way): the frame shows the effect of every command up to that one (#17).
   */
  commandsHandled: number;
  /** A seek is still under way (its frames show how far it got, not its target). */
  seeking: boolean;
  /** Per-bucket statistics, sent every few frames and after a rewind (a copy; not transferred). */
  timeline: TimelineStats | null;
  /** Achieved simulated µs per real µs over the last frames. */
  achievedSpeed: number;
  /** Per connection, the engine's state bits (CONN_*): the snapshot's `state`. */
  connState: Uint8Array;
  events: FrameEvents;
  /** R10, R14: per transport, the blocking sends it holds, head first (at most PENDING_FRAME_LIMIT each). */
  transportPending: TransportPending[];
  bugcheck: { code: number; name: string; client: string; handler: string; does: string } | null;
}

/** The trace records since the previous frame, oldest first; `droppedEvents` were not sent. */
export interface FrameEvents extends Columns {
  firstSeq: number;
  length: number;
  droppedEvents: number;
  /** The log row of the first record that is not a submission (rows before it in the run, #10 scroll-back). */
  firstRow: number;
}

/** The timeline's statistics per bucket, for the charts and the scrubber (sent with some frames). */
/** Per-bucket series over the run so far (the part already played). */
export interface TimelineStats {
  bucketUs: number;
  /** Buckets filled so far (the furthest point reached). */
  reached: number;
  refusals: Float32Array;
  sendPossible: Float32Array;
  lostRaces: Float32Array;
  errorCalls: Float32Array;
  faults: Float32Array;
  bugchecks: Float32Array;
  /** Pool bytes by transport and client at the end of each bucket: [bucket][transport][client]. */
  poolByClient: Float32Array;
  /** Bytes transmitted by client in each bucket: [bucket][client]. */
  txByClient: Float32Array;
  transports: number;
  clients: number;
  /** Per client, the engine's log histogram of waits from refusal to acceptance (WAIT_BINS bins each). */
  waitHist: Float64Array;
}

/** An answer to findRows. */
export interface EarlierRows {
  /** The matching rows' records, oldest first, each completion preceded by its submission when known. */
  records: FrameEvents;
  /** The row number of each matching record (submissions excluded), ascending. */
  rows: number[];
  /** The trace seq of each matching record (what Why? asks about). */
  seqs: number[];
  /** Every row from here to `beforeRow` has been searched (0: the whole run before it). */
  searchedFrom: number;
  /** The simulated time of row `searchedFrom` (0 at the run's start). */
  searchedFromUs: number;
}

/** The worker's stages of a load, in order: checking the scenario, building the model, handing it to the page. */
export const WORKER_LOAD_STAGES = ['validating', 'building', 'sending'] as const;
export type WorkerLoadStage = (typeof WORKER_LOAD_STAGES)[number];
/** From this many connections a load tells its stages and yields between them (Cancel gets in). */
export const BIG_LOAD_CONNECTIONS = 8192;

export const FRAME_EVENT_LIMIT = 4096;
/** Pending blocking sends a frame lists per transport (the view shows fewer; `total` counts all). */
export const PENDING_FRAME_LIMIT = 32;
/** A seek still under way after this long (real ms) posts seekProgress: the page shows a bar with Cancel. */
export const SEEK_PROGRESS_AFTER_MS = 300;
/** At most this many rows per `records` request. */
export const RECORDS_LIMIT = 4096;

export function frameTransferables(f: Frame): ArrayBuffer[] {
  const ev = f.events;
  return [
    f.poolUsed, f.buffered, f.heldBytes, f.pendingBytes, f.queued, f.connState, f.lostRaces, f.transmitted,
    f.nodeFailed, f.addressState, f.addressHandlers, f.addressErrorCalls, ev.type, ev.t, ev.a, ev.b, ev.c, ev.d, ev.e, ev.f,
    ...(f.lockedBytes ? [f.lockedBytes] : []), ...(f.irpsPending ? [f.irpsPending] : []),
  ].map((a) => a.buffer as ArrayBuffer);
}
