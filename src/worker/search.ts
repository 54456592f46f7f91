// The event log's filter over the whole run (#10): the rows that pass a filter before a given row,
// found by replaying the run backwards a checkpoint gap at a time (newest gap first), so the page
// can show matches older than the rows it holds. Loaded on first use, like the scroll-back.
import type { Engine } from '../model/engine.ts';
import type { Topology } from '../model/topology.ts';
import type { Scenario } from '../scenario/schema.ts';
import { R, TraceRecorder, allocColumns, copyRange, copyRecord, type Columns } from '../trace/records.ts';
import { rowPasses, type RowFilter } from '../trace/rowFilter.ts';
import type { EarlierRows } from '../protocol/messages.ts';
import type { Timeline } from './timeline.ts';
import { replayFrom, trimmed } from './rows.ts';

/** Submissions remembered by send id while a gap replays (a completion shows its TDI_SEND's arguments). */
const SUBMIT_RING = 65_536;

/**
 * Up to `limit` rows before `beforeRow` that pass `filter`, the newest of them; replaying at most
 * about `budgetEvents` records (then it stops at a checkpoint and says how far it got).
 */
export function findEarlierRows(
  engine: Engine,
  scenario: Scenario,
  tl: Timeline,
  topo: Topology,
  req: { beforeRow: number; limit: number; filter: RowFilter },
  budgetEvents = 2_000_000,
): [EarlierRows, ArrayBuffer[]] {
  const limit = Math.max(1, Math.min(req.limit, 4096));
  let hi = Math.min(req.beforeRow, engine.rowCount);
  const marks = tl.marks;
  let k = marks.length - 1;
  while (k >= 0 && marks[k]!.rows >= hi) k--;
  /** Matches per gap, newest gap first. */
  const gaps: { cols: Columns; n: number; rows: number[]; seqs: number[] }[] = [];
  let found = 0;
  let replayed = 0;
  let searchedFromUs = engine.nowUs;
  while (hi > 0 && found < limit && replayed < budgetEvents) {
    const mark = k >= 0 ? marks[k]! : null;
    const lo = mark ? mark.rows : 0;
    const gap = replayGap(engine, scenario, topo, mark, lo, hi, req.filter);
    replayed += gap.replayed;
    // The newest matches of the gap, as many as are still wanted.
    const keep = Math.min(gap.rows.length, limit - found);
    if (keep > 0) gaps.push(tail(gap, keep));
    found += keep;
    searchedFromUs = mark ? mark.nowUs : 0;
    hi = lo;
    k--;
  }
  // A search stopped by the limit searched only back to its oldest match.
  const oldest = gaps.length ? gaps[gaps.length - 1]!.rows[0]! : hi;
  const searchedFrom = found >= limit ? oldest : hi;
  const total = gaps.reduce((sum, g) => sum + g.n, 0);
  const out = allocColumns(total);
  const rows: number[] = [];
  const seqs: number[] = [];
  let n = 0;
  for (let g = gaps.length - 1; g >= 0; g--) {
    const gap = gaps[g]!;
    copyRange(gap.cols, 0, gap.n, out, n);
    n += gap.n;
    rows.push(...gap.rows);
    seqs.push(...gap.seqs);
  }
  const cols = trimmed(out, n);
  // Stopped by the limit: searched back to its oldest match, whose time that is.
  if (found >= limit) searchedFromUs = cols.t[Array.from(cols.type).findIndex((type) => type !== R.SEND_SUBMIT)]!;
  const transfer = Object.values(cols).map((x: Columns[keyof Columns]) => x.buffer as ArrayBuffer);
  return [{ records: { ...cols, firstSeq: 0, length: n, droppedEvents: 0, firstRow: rows[0] ?? searchedFrom }, rows, seqs, searchedFrom, searchedFromUs }, transfer];
}

interface Gap {
  cols: Columns;
  n: number;
  /** Per matching row: its row number (ascending), its seq, and where its records start in cols. */
  rows: number[];
  seqs: number[];
  starts: number[];
  replayed: number;
}

/** Replays rows [lo, hi) from `mark` (null: the start) and keeps those passing the filter. */
function replayGap(engine: Engine, scenario: Scenario, topo: Topology, mark: Timeline['marks'][number] | null, lo: number, hi: number, filter: RowFilter): Gap {
  const gap: Gap = { cols: allocColumns(256), n: 0, rows: [], seqs: [], starts: [], replayed: 0 };
  const submits = allocColumns(SUBMIT_RING);
  const submitId = new Float64Array(SUBMIT_RING).fill(-1);
  let row = lo;
  const push = (from: Columns, i: number) => {
    if (gap.n === gap.cols.type.length) gap.cols = grown(gap.cols, gap.n);
    copyRecord(from, i, gap.cols, gap.n++);
  };
  const rec: TraceRecorder = new TraceRecorder((chunk) => {
    gap.replayed += chunk.length;
    for (let i = 0; i < chunk.length && row < hi; i++) {
      const type = chunk.type[i]!;
      if (type === R.SEND_SUBMIT) {
        const id = chunk.c[i]!;
        copyRecord(chunk, i, submits, id % SUBMIT_RING);
        submitId[id % SUBMIT_RING] = id;
        continue;
      }
      if (rowPasses(filter, topo, type, chunk.a[i]!, chunk.b[i]!, chunk.f[i]!)) {
        gap.starts.push(gap.n);
        gap.rows.push(row);
        gap.seqs.push(chunk.firstSeq + i);
        const id = chunk.c[i]!;
        if (type === R.SEND_COMPLETE && submitId[id % SUBMIT_RING] === id) push(submits, id % SUBMIT_RING);
        push(chunk, i);
      }
      row++;
    }
    rec.recycle(chunk);
  }, 4096);
  replayFrom(engine, scenario, mark, rec, () => row >= hi);
  return gap;
}

/** The last `keep` matches of a gap, with their records. */
function tail(gap: Gap, keep: number): { cols: Columns; n: number; rows: number[]; seqs: number[] } {
  const first = gap.rows.length - keep;
  const from = gap.starts[first]!;
  const cols = allocColumns(gap.n - from);
  copyRange(gap.cols, from, gap.n, cols, 0);
  return { cols, n: gap.n - from, rows: gap.rows.slice(first), seqs: gap.seqs.slice(first) };
}

function grown(cols: Columns, n: number): Columns {
  const next = allocColumns(cols.type.length * 2);
  copyRange(cols, 0, n, next, 0);
  return next;
}
