// The caption under the stage and the screen reader's live region: each frame's most important trace
// record in the record table's plain sentence, rate-limited by a CaptionChooser (a teacher can read
// it; a screen reader is not flooded). Updated from the frame loop by writing text to two elements,
// like the log: frames never go through React.
import type { Frame } from '../../src/protocol/messages.ts';
import type { Topology } from '../../src/model/topology.ts';
import { decodeRecord } from '../../src/trace/names.ts';
import { R, SUBMIT_RESUBMIT } from '../../src/trace/records.ts';
import { recordImportance, recordSentence, type RecordContext, type SubmitArgs } from '../../src/trace/recordTable.ts';
import { CAPTION_HOLD_MS, CaptionChooser, LIVE_HOLD_MS, type CaptionCandidate } from './captionChooser.ts';
import { fmtUs } from '../format.ts';

export interface Narrator {
  update(frame: Frame): void;
  destroy(): void;
}

export interface NarratorClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: NarratorClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** What a shown caption says: the sentence, when, and how important (the caption's colour). */
interface Said {
  text: string;
  t: number;
  importance: number;
  seq: number;
}

const SUBMIT_RING = 8192;

export function createNarrator(caption: HTMLElement, live: HTMLElement, topo: Topology, clock: NarratorClock = realClock): Narrator {
  // The TDI_SEND arguments of recent sends, so a completion can say "A's 2,048-byte send".
  const subId = new Float64Array(SUBMIT_RING).fill(-1);
  const subBytes = new Float64Array(SUBMIT_RING);
  const subFlags = new Int32Array(SUBMIT_RING);
  const submitOf = (id: number): SubmitArgs | undefined => {
    const k = id % SUBMIT_RING;
    return subId[k] === id ? { bytes: subBytes[k]!, flags: subFlags[k]! & 0xffff, resubmit: (subFlags[k]! & SUBMIT_RESUBMIT) !== 0 } : undefined;
  };
  const context: RecordContext = { topo, submitOf };
  const shownCaption = new CaptionChooser<Said>({ holdMs: CAPTION_HOLD_MS, now: clock.now });
  const spoken = new CaptionChooser<Said>({ holdMs: LIVE_HOLD_MS, now: clock.now, preempt: false });
  let timer: unknown = null;
  // One scratch record for the importance of every event of a frame (thousands a frame under stress).
  const cols = { a: 0, b: 0, c: 0, d: 0, e: 0, f: 0 };
  // The first frame is the state the narrator was mounted on (a load: address opens, handler
  // registrations): the caption keeps its invitation until something happens.
  let first = true;

  const write = (el: HTMLElement, c: CaptionCandidate<Said> | null, withTime: boolean): void => {
    if (!c) return;
    if (withTime) {
      el.replaceChildren();
      const t = document.createElement('span');
      t.className = 'caption-t';
      t.textContent = fmtUs(c.key.t);
      el.append(t, ' ', c.key.text);
      el.title = c.key.text;
      el.dataset.importance = String(c.importance);
      el.dataset.seq = String(c.key.seq);
    } else el.textContent = c.key.text;
  };

  function flush(): void {
    timer = null;
    write(caption, shownCaption.due(), true);
    write(live, spoken.due(), false);
    schedule();
  }

  function schedule(): void {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    const due = [shownCaption.nextDueMs(), spoken.nextDueMs()].filter((x): x is number => x !== null);
    if (due.length) timer = clock.setTimeout(flush, Math.max(0, Math.min(...due) - clock.now()));
  }

  return {
    update(f) {
      const ev = f.events;
      const skip = first;
      first = false;
      if (f.rewound) {
        subId.fill(-1);
        shownCaption.reset();
        spoken.reset();
      }
      let best = -1;
      let bestImportance = 0;
      // After a jump in time the frame replays history, and the frame that ends a run (End) may
      // span most of it: narrate only the moment arrived at, not an older event of the way.
      const from = (f.rewound || f.finished) && ev.length > 0 ? lastInstantStart(ev) : 0;
      for (let i = 0; i < ev.length; i++) {
        const type = ev.type[i]!;
        if (type === R.SEND_SUBMIT) {
          const k = ev.c[i]! % SUBMIT_RING;
          subId[k] = ev.c[i]!;
          subBytes[k] = ev.d[i]!;
          subFlags[k] = ev.f[i]!;
          continue;
        }
        if (i < from) continue;
        cols.a = ev.a[i]!;
        cols.b = ev.b[i]!;
        cols.c = ev.c[i]!;
        cols.d = ev.d[i]!;
        cols.e = ev.e[i]!;
        cols.f = ev.f[i]!;
        const importance = recordImportance(type, cols);
        if (importance > 0 && importance >= bestImportance) {
          best = i;
          bestImportance = importance;
        }
      }
      if (best < 0 || skip) return;
      const decoded = decodeRecord(ev, best, topo);
      const said: CaptionCandidate<Said> = { importance: bestImportance, key: { text: recordSentence(decoded, context), t: decoded.t, importance: bestImportance, seq: decoded.seq } };
      // A step or a jump the user asked for (the model is paused) is narrated at once.
      const immediate = f.rewound || !f.playing;
      write(caption, shownCaption.offer([said], immediate), true);
      write(live, spoken.offer([said], immediate), false);
      schedule();
    },
    destroy() {
      if (timer !== null) clock.clearTimeout(timer);
    },
  };
}

/** Index of the first record at the time of the frame's last record. */
function lastInstantStart(ev: Frame['events']): number {
  const t = ev.t[ev.length - 1]!;
  let i = ev.length - 1;
  while (i > 0 && ev.t[i - 1] === t) i--;
  return i;
}
