// The stop screen's "what led to it" (R41): the last few things the model did before the bug check,
// in the log's plain sentences, from the frames that carried them (the fatal kernel event writes the
// handler's call and the bug check in one frame; what set it up came in the one before).
import type { FrameEvents } from '../src/protocol/messages.ts';
import type { Topology } from '../src/model/topology.ts';
import { decodeRecord } from '../src/trace/names.ts';
import { R, SUBMIT_RESUBMIT } from '../src/trace/records.ts';
import { recordSentence, type SubmitArgs } from '../src/trace/recordTable.ts';

/** The last `count` rows of these frames' records (oldest first), each as a plain sentence. */
export function leadUpSentences(frames: readonly FrameEvents[], topo: Topology, count = 4): string[] {
  const submits = new Map<number, SubmitArgs>();
  const rows: { k: FrameEvents; i: number }[] = [];
  for (const k of frames) {
    for (let i = 0; i < k.length; i++) {
      if (k.type[i] === R.SEND_SUBMIT) submits.set(k.c[i]!, { bytes: k.d[i]!, flags: k.f[i]! & 0xffff, resubmit: (k.f[i]! & SUBMIT_RESUBMIT) !== 0 });
      else rows.push({ k, i });
    }
  }
  return rows.slice(-count).map(({ k, i }) => recordSentence(decodeRecord(k, i, topo), { topo, submitOf: (id) => submits.get(id) }));
}
