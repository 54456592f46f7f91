// Frames: the state now and the records since the last frame, at most one in flight (the page says
// when it drew it: the latest state wins). The trace recorder's chunks wait here until then; if the
// page stops asking (a hidden tab), only the newest FRAME_EVENT_LIMIT are kept, so memory stays flat.
import type { Engine } from '../model/engine.ts';
import { R, TraceChunk, TraceRecorder, allocColumns, copyRange } from '../trace/records.ts';
import { FRAME_EVENT_LIMIT, PENDING_FRAME_LIMIT, frameTransferables, type Frame, type TimelineStats } from '../protocol/messages.ts';
import type { SessionCore } from './core.ts';
import type { Timeline } from './timeline.ts';

export class FrameStream {
  private pendingChunks: TraceChunk[] = [];
  private pendingRecords = 0;
  private droppedRecords = 0;
  private inFlight = false;
  private dirty = false;
  private rewound = false;
  private framesSinceStats = 0;
  /** The first record seq the page has not been sent: going on from inside an event replays its start. */
  private sentSeq = 0;
  /** Off: no frames while playing (headless runs, the streaming benchmark); the held one goes when the run stops. */
  streaming = true;

  constructor(
    private readonly core: SessionCore,
    /** How the model is doing against the chosen speed (pacing.ts). */
    private readonly pace: { behind: boolean; achievedSpeed(): number },
  ) {}

  /** A recorder whose chunks go into the timeline's history and wait here for the next frame. */
  newRecorder(): TraceRecorder {
    this.pendingChunks = [];
    this.pendingRecords = 0;
    this.droppedRecords = 0;
    const recorder: TraceRecorder = new TraceRecorder((k) => {
      this.core.timeline?.record(k);
      this.pendingChunks.push(k);
      this.pendingRecords += k.length;
      while (this.pendingChunks.length > 1 && this.pendingRecords - this.pendingChunks[0]!.length >= FRAME_EVENT_LIMIT) {
        const old = this.pendingChunks.shift()!;
        this.pendingRecords -= old.length;
        this.droppedRecords += old.length;
        recorder.recycle(old);
      }
    }, 4096);
    return recorder;
  }

  /** A new run: nothing sent of it yet, and the page is ready for its first frame. */
  restart(): void {
    this.sentSeq = 0;
    this.inFlight = false;
  }

  markRewound(): void {
    this.rewound = true;
  }

  markDirty(): void {
    this.dirty = true;
    if (!this.inFlight) this.send();
  }

  /** Playing without streaming: the frame waits until the run stops. */
  holdWhilePlaying(): void {
    if (this.streaming || !this.core.playing) this.markDirty();
    else this.dirty = true;
  }

  /** The page drew the last frame: the next may go. */
  done(): void {
    this.inFlight = false;
    // Not streaming while playing: the held frame waits until the run stops (#10: a frameDone that
    // arrives after setStreaming(false) must not send one).
    if (this.dirty && (this.streaming || !this.core.playing)) this.send();
  }

  private send(): void {
    const { engine, timeline: tl, recorder } = this.core;
    if (!engine) return;
    this.dirty = false;
    this.inFlight = true;
    recorder.flush();
    let chunks = this.pendingChunks.splice(0);
    let dropped = this.droppedRecords;
    this.pendingRecords = 0;
    this.droppedRecords = 0;
    const rewound = this.rewound;
    this.rewound = false;
    if (rewound && tl) {
      // After going back, the page's log is rebuilt from the history up to now.
      const to = recorder.nextSeq - 1;
      const from = Math.max(tl.histMin, to - FRAME_EVENT_LIMIT + 1);
      const cols = tl.slice(from, to);
      chunks = cols.length > 0 ? [cols] : [];
      dropped = from;
    } else chunks = unsentOnly(chunks, this.sentSeq);
    this.sentSeq = recorder.nextSeq;
    this.framesSinceStats++;
    const playing = this.core.playing;
    const withStats = tl !== null && (rewound || this.framesSinceStats >= 8 || !playing);
    if (withStats) this.framesSinceStats = 0;
    const frame = buildFrame(engine, chunks, dropped, {
      playing,
      // Only a running model can be behind: a paused run kept saying "can't keep up".
      behind: playing && this.pace.behind,
      achievedSpeed: this.pace.achievedSpeed(),
      rewound,
      reachedUs: this.core.reachedUs,
      timeline: withStats ? copyStats(tl!, engine) : null,
      commandsHandled: this.core.commandsHandled,
      seeking: this.core.seeking,
    });
    this.core.host.post({ op: 'frame', ...frame }, frameTransferables(frame));
  }
}

/**
 * The records from `sentSeq` on: going on from inside an event replays that event from its start,
 * and the page already has what it wrote before the stop.
 */
function unsentOnly(chunks: TraceChunk[], sentSeq: number): TraceChunk[] {
  const out: TraceChunk[] = [];
  for (const k of chunks) {
    const skip = sentSeq - k.firstSeq;
    if (skip <= 0) out.push(k);
    else if (skip < k.length) {
      const rest = new TraceChunk(k.length - skip);
      copyRange(k, skip, k.length, rest, 0);
      rest.firstSeq = sentSeq;
      rest.length = k.length - skip;
      out.push(rest);
    }
  }
  return out;
}

function copyStats(tl: Timeline, engine: Engine): TimelineStats {
  tl.syncCurrent();
  return { ...structuredClone(tl.stats), waitHist: engine.metrics().waitHist.slice() };
}

/** Packs the state and the newest trace records into transferable typed arrays. */
export function buildFrame(
  engine: Engine,
  chunks: TraceChunk[],
  alreadyDropped: number,
  flags: { playing: boolean; behind: boolean; achievedSpeed: number; rewound?: boolean; reachedUs?: number; timeline?: Frame['timeline']; commandsHandled?: number; seeking?: boolean },
): Frame {
  const snap = engine.snapshot();
  let total = 0;
  for (const k of chunks) total += k.length;
  const n = Math.min(total, FRAME_EVENT_LIMIT);
  const ev = {
    firstSeq: (chunks.length > 0 ? chunks[chunks.length - 1]!.firstSeq + chunks[chunks.length - 1]!.length : engine.eventCount) - n,
    length: n,
    droppedEvents: total - n + alreadyDropped,
    firstRow: 0,
    ...allocColumns(n),
  };
  // Copy the newest n records, oldest first.
  let skip = total - n;
  let at = 0;
  for (const k of chunks) {
    const from = Math.min(skip, k.length);
    skip -= from;
    const count = k.length - from;
    if (count <= 0) continue;
    copyRange(k, from, k.length, ev, at);
    at += count;
  }
  // The log row of the first record: the rows up to now (the records end here: the recorder was flushed) less those sent.
  let rowsInFrame = 0;
  for (let i = 0; i < n; i++) if (ev.type[i] !== R.SEND_SUBMIT) rowsInFrame++;
  ev.firstRow = engine.rowCount - rowsInFrame;
  return {
    nowUs: snap.nowUs,
    durationUs: engine.durationUs,
    eventCount: snap.eventCount,
    playing: flags.playing,
    finished: snap.finished,
    behind: flags.behind,
    achievedSpeed: flags.achievedSpeed,
    rewound: flags.rewound ?? false,
    reachedUs: flags.reachedUs ?? snap.nowUs,
    timeline: flags.timeline ?? null,
    commandsHandled: flags.commandsHandled ?? 0,
    seeking: flags.seeking ?? false,
    poolUsed: snap.poolUsed,
    buffered: snap.buffered,
    heldBytes: snap.heldBytes,
    pendingBytes: snap.pendingBytes,
    queued: snap.queued,
    connState: snap.state,
    lostRaces: snap.lostRaces,
    transmitted: snap.transmitted,
    nodeFailed: snap.nodeFailed,
    addressState: snap.addressState,
    addressHandlers: snap.addressHandlers,
    addressErrorCalls: snap.addressErrorCalls,
    ...(snap.lockedBytes ? { lockedBytes: snap.lockedBytes } : {}),
    ...(snap.irpsPending ? { irpsPending: snap.irpsPending } : {}),
    events: ev,
    transportPending: engine.pendingFifo(PENDING_FRAME_LIMIT),
    bugcheck: engine.bugcheck,
  };
}
