// The model's state at the instant one trace record was written, for Why?: which connections held the
// pool's bytes, and whether an address had a SendPossible handler registered. The trace alone cannot
// say either exactly (a NIC transmits round-robin over connections, and handlers were registered long
// before any window of history), so the run is replayed from a checkpoint up to that record.
import { Engine, type Checkpoint } from '../model/engine.ts';
import type { Scenario } from '../scenario/schema.ts';
import { TraceRecorder } from './records.ts';

export interface RecordMoment {
  /** Per connection, its bytes in its transport's pool just before the record. */
  buffered: Float64Array;
  /** Per address, its registered handler bits (H_SEND_POSSIBLE …) just before the record. */
  addressHandlers: Uint8Array;
}

/** Stops the replay when record `seq` is about to be written (a thrown marker: no further work is done). */
class MomentReached extends Error {}

class CatchingRecorder extends TraceRecorder {
  constructor(
    private readonly targetSeq: number,
    private readonly atSeq: () => void,
  ) {
    super(() => {}, 4096);
  }

  override push(type: number, t: number, a: number, b: number, c: number, d: number, e: number, f: number): void {
    if (this.nextSeq === this.targetSeq) this.atSeq();
    super.push(type, t, a, b, c, d, e, f);
  }
}

/**
 * Replays `scenario` from `cp` (a checkpoint taken before record `seq`, or null: from the start) to the
 * moment record `seq` is written; null if the run ends first. `shapeOf` lends an engine's topology.
 */
export function momentOfRecord(scenario: Scenario, cp: Checkpoint | null, seq: number, shapeOf?: Engine): RecordMoment | null {
  let moment: RecordMoment | null = null;
  let engine: Engine | null = null;
  const recorder = new CatchingRecorder(seq, () => {
    if (!engine) return; // a record of the setup: no state to read before it
    const s = engine.snapshot();
    moment = { buffered: s.buffered, addressHandlers: s.addressHandlers };
    throw new MomentReached();
  });
  engine = cp ? Engine.fromCheckpoint(scenario, cp, { trace: recorder, ...(shapeOf ? { shapeOf } : {}) }) : new Engine(scenario, { trace: recorder, api: shapeOf?.api ?? 'tdi' });
  try {
    while (recorder.nextSeq <= seq && engine.step());
  } catch (e) {
    if (!(e instanceof MomentReached)) throw e;
  }
  return moment;
}
