// The event queue: a binary min-heap over parallel typed arrays, ordered by (time, phase, order of
// scheduling). Phase and order are folded into one sequence key assigned at push, so two events at the
// same microsecond leave by phase, then in the order they were scheduled — the tie-break that makes a
// run deterministic (I7) without comparing payloads. The heap knows nothing of what phases mean.

/** Pushes per phase before the keys of two phases could meet: far beyond any run (2^45 ≈ 3.5e13). */
const PHASE_STRIDE = 2 ** 45;

export class EventHeap {
  private timeUs: Float64Array;
  private seq: Float64Array;
  private kind: Uint8Array;
  private arg0: Int32Array;
  private arg1: Float64Array;
  private count = 0;
  private nextSeq = 0;

  // The event just popped; read these after pop() returns true.
  topTimeUs = 0;
  topKind = 0;
  topArg0 = 0;
  topArg1 = 0;

  constructor(initialCapacity = 1024) {
    this.timeUs = new Float64Array(initialCapacity);
    this.seq = new Float64Array(initialCapacity);
    this.kind = new Uint8Array(initialCapacity);
    this.arg0 = new Int32Array(initialCapacity);
    this.arg1 = new Float64Array(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  peekTimeUs(): number {
    return this.count > 0 ? (this.timeUs[0] as number) : Infinity;
  }

  /** Schedules an event; `phase` (0–255) orders it among events of the same microsecond. */
  push(timeUs: number, kind: number, arg0: number, arg1: number, phase = 0): void {
    if (this.count === this.timeUs.length) this.grow();
    const s = phase * PHASE_STRIDE + this.nextSeq++;
    // Sift up with a hole: move parents down until the new entry's place is found.
    let i = this.count++;
    const T = this.timeUs;
    const S = this.seq;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = T[p] as number;
      if (pt < timeUs || (pt === timeUs && (S[p] as number) < s)) break;
      this.move(p, i);
      i = p;
    }
    T[i] = timeUs;
    S[i] = s;
    this.kind[i] = kind;
    this.arg0[i] = arg0;
    this.arg1[i] = arg1;
  }

  pop(): boolean {
    if (this.count === 0) return false;
    this.topTimeUs = this.timeUs[0] as number;
    this.topKind = this.kind[0] as number;
    this.topArg0 = this.arg0[0] as number;
    this.topArg1 = this.arg1[0] as number;
    const last = --this.count;
    if (last === 0) return true;
    // Sift the last entry down from the root.
    const T = this.timeUs;
    const S = this.seq;
    const lt = T[last] as number;
    const ls = S[last] as number;
    const lk = this.kind[last] as number;
    const la0 = this.arg0[last] as number;
    const la1 = this.arg1[last] as number;
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      const r = c + 1;
      if (r < last) {
        const ct = T[c] as number;
        const rt = T[r] as number;
        if (rt < ct || (rt === ct && (S[r] as number) < (S[c] as number))) c = r;
      }
      const ct = T[c] as number;
      if (lt < ct || (lt === ct && ls < (S[c] as number))) break;
      this.move(c, i);
      i = c;
    }
    T[i] = lt;
    S[i] = ls;
    this.kind[i] = lk;
    this.arg0[i] = la0;
    this.arg1[i] = la1;
    return true;
  }

  private move(from: number, to: number): void {
    this.timeUs[to] = this.timeUs[from] as number;
    this.seq[to] = this.seq[from] as number;
    this.kind[to] = this.kind[from] as number;
    this.arg0[to] = this.arg0[from] as number;
    this.arg1[to] = this.arg1[from] as number;
  }

  private grow(): void {
    const n = this.timeUs.length * 2;
    const grow64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.timeUs = grow64(this.timeUs);
    this.seq = grow64(this.seq);
    this.arg1 = grow64(this.arg1);
    const k = new Uint8Array(n);
    k.set(this.kind);
    this.kind = k;
    const a0 = new Int32Array(n);
    a0.set(this.arg0);
    this.arg0 = a0;
  }

  /** A copy for checkpoints (time travel restores from it): block copies of the used part. */
  serialize(): HeapState {
    const n = this.count;
    return {
      timeUs: this.timeUs.slice(0, n),
      seq: this.seq.slice(0, n),
      kind: this.kind.slice(0, n),
      arg0: this.arg0.slice(0, n),
      arg1: this.arg1.slice(0, n),
      nextSeq: this.nextSeq,
    };
  }

  static restore(state: HeapState): EventHeap {
    const h = new EventHeap(Math.max(1024, state.timeUs.length * 2));
    h.timeUs.set(state.timeUs);
    h.seq.set(state.seq);
    h.kind.set(state.kind);
    h.arg0.set(state.arg0);
    h.arg1.set(state.arg1);
    h.count = state.timeUs.length;
    h.nextSeq = state.nextSeq;
    return h;
  }
}

export interface HeapState {
  timeUs: Float64Array;
  seq: Float64Array;
  kind: Uint8Array;
  arg0: Int32Array;
  arg1: Float64Array;
  nextSeq: number;
}
