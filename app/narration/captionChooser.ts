// Which event the caption under the stage narrates, and when it may change: the most important
// record of the moment (IMPORTANCE, in the record table), held long enough to read. Pure: the clock
// is injected, so the rate limit is tested in node without waiting.

/** A record offered to the caption: its importance and a key to make its sentence only if shown. */
export interface CaptionCandidate<K> {
  importance: number;
  key: K;
}

export interface CaptionChooserOptions {
  /** Real milliseconds a caption stays up before a less or equally important one may replace it. */
  holdMs: number;
  /** Real time in milliseconds (performance.now in the page, a fake in tests). */
  now: () => number;
  /**
   * A more important event replaces the one shown before its hold is over (default: yes). The live
   * region says no: a screen reader hears at most one sentence per hold while playing, whatever comes
   * (#17: a refusal, a lost race and an error callback made three in 0.8 s); the most important of
   * those that came meanwhile is spoken when the hold ends.
   */
  preempt?: boolean;
}

/** A teacher reads a caption of two lines in about this long. */
export const CAPTION_HOLD_MS = 1500;
/** The screen-reader region speaks less often: one sentence must finish before the next one. */
export const LIVE_HOLD_MS = 4000;

export class CaptionChooser<K> {
  private shown: CaptionCandidate<K> | null = null;
  private shownAt = -Infinity;
  private waiting: CaptionCandidate<K> | null = null;

  constructor(private readonly opts: CaptionChooserOptions) {}

  /**
   * Offers the events of one frame, oldest first; `immediate` (a step the user asked for, a jump in
   * time) shows its most important event at once. Returns the candidate to show now, or null to keep
   * what is shown. A less important event than the one shown waits until the hold is over (only the
   * most important of those waiting is kept; among equals the newest).
   */
  offer(candidates: Iterable<CaptionCandidate<K>>, immediate = false): CaptionCandidate<K> | null {
    let best: CaptionCandidate<K> | null = null;
    for (const c of candidates) if (c.importance > 0 && (!best || c.importance >= best.importance)) best = c;
    if (immediate) {
      this.waiting = null;
      return best ? this.show(best) : null;
    }
    if (best && (!this.waiting || best.importance >= this.waiting.importance)) this.waiting = best;
    return this.due();
  }

  /** The waiting candidate, if it may be shown now (call when `nextDueMs` has come). */
  due(): CaptionCandidate<K> | null {
    const w = this.waiting;
    if (!w) return null;
    const held = this.opts.now() - this.shownAt >= this.opts.holdMs;
    if (!this.shown || held || (this.opts.preempt !== false && w.importance > this.shown.importance)) {
      this.waiting = null;
      return this.show(w);
    }
    return null;
  }

  /** When a waiting candidate may be shown (real ms), or null if none waits. */
  nextDueMs(): number | null {
    return this.waiting ? this.shownAt + this.opts.holdMs : null;
  }

  /** Forgets everything (a new scenario). */
  reset(): void {
    this.shown = null;
    this.waiting = null;
    this.shownAt = -Infinity;
  }

  private show(c: CaptionCandidate<K>): CaptionCandidate<K> {
    this.shown = c;
    this.shownAt = this.opts.now();
    return c;
  }
}
