// The event log reads the record table: rows, groups, filters by client, connection and status.
import { describe, expect, it } from 'vitest';
import { loadPreset } from '../../src/scenario/presets.ts';
import { validateScenario } from '../../src/scenario/validate.ts';
import { Engine } from '../../src/model/engine.ts';
import { R, TraceRecorder, allocColumns, copyRecord, type TraceChunk } from '../../src/trace/records.ts';
import { decodeRecord, type TraceEvent } from '../../src/trace/names.ts';
import { LOG_CAPACITY, LogModel, NO_FILTER, OLDER_BLOCK_ROWS, SEARCH_BATCH } from './logModel.ts';

async function logOf(name: 'cascade' | 'race'): Promise<LogModel> {
  const v = validateScenario(await loadPreset(name));
  if (!v.ok) throw new Error(v.problems.join('\n'));
  const chunks: TraceChunk[] = [];
  const recorder = new TraceRecorder((k) => chunks.push(k), 4096);
  const engine = new Engine(v.scenario, { trace: recorder });
  engine.runUntil(v.scenario.durationUs);
  recorder.flush();
  const log = new LogModel(engine.topo);
  let row = 0;
  for (const k of chunks) {
    log.append({ ...k, droppedEvents: 0, firstRow: row });
    for (let i = 0; i < k.length; i++) if (k.type[i] !== R.SEND_SUBMIT) row++;
  }
  return log;
}

const rows = (log: LogModel) => Array.from({ length: log.visibleCount }, (_, i) => log.event(log.visibleAt(i)));

describe('event log', () => {
  it('R2: the error filter keeps failed calls and drops successful handler registrations', async () => {
    const log = await logOf('cascade');
    expect(rows(log).filter((e) => e.type === 'handler.register' && e.status === 'STATUS_SUCCESS').length).toBeGreaterThan(0);
    log.setFilter({ ...NO_FILTER, status: 'error' });
    const shown = rows(log);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((e) => e.status === 'STATUS_SUCCESS')).toEqual([]);
  });

  it('R30: filtering by client A shows its address and connection rows, and no other client', async () => {
    const log = await logOf('cascade');
    log.setFilter({ ...NO_FILTER, client: 0 });
    const shown = rows(log);
    expect(shown.map((e) => e.type)).toContain('callback.error');
    expect(shown.filter((e) => e.client !== undefined && e.client !== 'A')).toEqual([]);
  });

  it('R24: a lost race row reads as the C call, with the bytes it was told, and as a sentence', async () => {
    const log = await logOf('race');
    log.setFilter({ ...NO_FILTER, groups: new Set(['sends']) });
    const i = rows(log).findIndex((e) => e.lostRace === true);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(log.text(log.visibleAt(i))).toMatch(/^↻ TDI_SEND\(B1, \d+, NON_BLOCKING\) → .*⚠ lost race \(told \d+\)$/);
    expect(log.sentence(log.visibleAt(i))).toMatch(/^B1's resubmission lost the race/);
  });
});

describe('#10: scroll-back to rows the log no longer holds', () => {
  it('every row of a long run is listed; an old one is fetched on demand and reads as the run\'s own row, with its TDI_SEND arguments', async () => {
    const v = validateScenario(await loadPreset('stress'));
    if (!v.ok) throw new Error(v.problems.join('\n'));
    const scenario = { ...v.scenario, durationUs: 200_000 };
    // The straight trace: all records, and the seq of each row (every record but the submissions).
    const all: TraceChunk[] = [];
    const recorder = new TraceRecorder((k) => all.push(k), 4096);
    const engine = new Engine(scenario, { trace: recorder });
    engine.runToEnd();
    recorder.flush();
    const straight = new LogModel(engine.topo);
    const sent: { firstRow: number; k: TraceChunk }[] = [];
    let row = 0;
    for (const k of all) {
      sent.push({ firstRow: row, k });
      straight.append({ ...k, droppedEvents: 0, firstRow: row });
      for (let i = 0; i < k.length; i++) if (k.type[i] !== R.SEND_SUBMIT) row++;
    }
    const rowsEnd = row;
    expect(rowsEnd).toBeGreaterThan(LOG_CAPACITY * 2);
    // The page's log: frames with gaps (records dropped between frames), as when playing fast.
    const log = new LogModel(engine.topo);
    const asked: [number, number][] = [];
    log.fetchRows = async (fromRow, count) => {
      asked.push([fromRow, count]);
      // As the worker answers: the rows' records with the submissions among them.
      const recs: { k: TraceChunk; i: number }[] = [];
      let r = 0;
      for (const k of all) for (let i = 0; i < k.length; i++) {
        const submit = k.type[i] === R.SEND_SUBMIT;
        if (r >= fromRow && r < fromRow + count) recs.push({ k, i });
        if (!submit) r++;
      }
      const out = { ...allocColumns(recs.length), firstSeq: recs[0]!.k.firstSeq + recs[0]!.i, length: recs.length, droppedEvents: 0, firstRow: fromRow };
      recs.forEach(({ k, i }, j) => copyRecord(k, i, out, j));
      return out;
    };
    let loaded = 0;
    log.onRowsLoaded = () => loaded++;
    for (const { firstRow, k } of sent.filter((_, i) => i % 3 !== 1 || i === sent.length - 1)) log.append({ ...k, droppedEvents: 0, firstRow });
    expect(log.visibleCount).toBe(rowsEnd); // every row, not "N not shown"
    expect(log.visibleAt(0)).toBe(0);
    expect(log.has(0)).toBe(false);
    log.want(0);
    log.want(5); // the same block: asked once
    await Promise.resolve();
    await Promise.resolve();
    expect(asked).toEqual([[0, OLDER_BLOCK_ROWS]]);
    expect(loaded).toBe(1);
    expect(log.has(0)).toBe(true);
    // The first row is the run's first record; old rows read exactly as the straight log's.
    expect(log.event(0)).toEqual(upTo(0).event(0));
    expect(log.event(0).seq).toBe(0);
    for (const abs of [0, 1, 7, 200, 511]) {
      expect(log.text(abs)).toBe(upTo(abs).text(abs));
      expect(log.sentence(abs)).toBe(upTo(abs).sentence(abs));
    }
    // A completion row names its TDI_SEND's arguments, from the submission fetched with it.
    const completion = Array.from({ length: 512 }, (_, i) => i).find((i) => log.event(i).type === 'send.complete')!;
    expect(log.text(completion)).toMatch(/TDI_SEND\([^,]+, \d+, /);
    // Rows the ring holds are the straight run's too.
    expect(log.event(rowsEnd - 1)).toEqual(straight.event(rowsEnd - 1));

    /** The straight log fed up to a little past row abs (its ring still holds it). */
    function upTo(abs: number): LogModel {
      const full = new LogModel(engine.topo);
      for (const { firstRow, k } of sent) if (firstRow <= abs + 4096) full.append({ ...k, droppedEvents: 0, firstRow });
      return full;
    }
  });
});

describe('#10: a filter searches back through the run', () => {
  it('matches older than the log holds join the top of the list, read as the run\'s own rows; a new filter forgets them', async () => {
    const v = validateScenario(await loadPreset('stress'));
    if (!v.ok) throw new Error(v.problems.join('\n'));
    const scenario = { ...v.scenario, durationUs: 500_000 };
    const all: TraceChunk[] = [];
    const recorder = new TraceRecorder((k) => all.push(k), 4096);
    const engine = new Engine(scenario, { trace: recorder });
    engine.runToEnd();
    recorder.flush();
    const log = new LogModel(engine.topo);
    // Every row, decoded on its own (what a row says it is), and the submission before each completion.
    const decoded: TraceEvent[] = [];
    let row = 0;
    for (const k of all) {
      log.append({ ...k, droppedEvents: 0, firstRow: row });
      for (let i = 0; i < k.length; i++) {
        if (k.type[i] === R.SEND_SUBMIT) continue;
        decoded.push(decodeRecord({ ...k, firstSeq: k.firstSeq }, i, engine.topo));
        row++;
      }
    }
    const clientOf = (e: TraceEvent) => engine.topo.clientIds[engine.topo.connectionClient[engine.topo.connectionIds.indexOf(e.connection as string)]!];
    const isMatch = (e: TraceEvent) => e.type === 'send.complete' && clientOf(e) === 'K3' && e.status === 'STATUS_DEVICE_NOT_READY';
    const matching = decoded.flatMap((e, r) => (isMatch(e) ? [r] : []));
    // A worker that answers from the straight trace, found independently of the log's predicate.
    const asked: number[] = [];
    log.searchRows = async (beforeRow, limit) => {
      asked.push(beforeRow);
      const rows = matching.filter((r) => r < beforeRow).slice(-limit);
      const recs = allocColumns(rows.length);
      let seen = 0;
      const seqs: number[] = [];
      const index = new Map(rows.map((r, at) => [r, at]));
      for (const k of all) {
        for (let i = 0; i < k.length; i++) {
          if (k.type[i] === R.SEND_SUBMIT) continue;
          const at = index.get(seen++) ?? -1;
          if (at >= 0) {
            copyRecord(k, i, recs, at);
            seqs[at] = k.firstSeq + i;
          }
        }
      }
      const searchedFrom = rows.length === limit ? rows[0]! : 0;
      return { records: { ...recs, firstSeq: 0, length: rows.length, droppedEvents: 0, firstRow: rows[0] ?? 0 }, rows, seqs, searchedFrom, searchedFromUs: searchedFrom === 0 ? 0 : decoded[searchedFrom]!.t };
    };
    let added = 0;
    log.onEarlierFound = (n) => (added += n);
    log.setFilter({ ...NO_FILTER, groups: new Set(['sends']), client: 3, status: 'STATUS_DEVICE_NOT_READY' });
    const inRing = matching.filter((r) => r >= log.ringStart);
    expect(log.visibleCount).toBe(inRing.length);
    expect(matching.length).toBeGreaterThan(inRing.length + 2 * SEARCH_BATCH);
    expect(log.canSearchEarlier).toBe(true);
    await log.searchEarlier();
    await log.searchEarlier();
    expect(asked).toEqual([log.ringStart, matching[matching.length - inRing.length - SEARCH_BATCH]]);
    expect(added).toBe(2 * SEARCH_BATCH);
    // The list: the 1,000 matches before the ring, then the ring's, in row order.
    const shown = Array.from({ length: log.visibleCount }, (_, i) => log.visibleAt(i));
    expect(shown).toEqual(matching.slice(-(inRing.length + 2 * SEARCH_BATCH)));
    expect(log.searchedBack!.row).toBe(shown[0]);
    // An earlier match reads as its own row: the same record, and its TDI_SEND's arguments when known.
    const old = shown[0]!;
    expect(log.has(old)).toBe(true);
    expect(log.event(old)).toEqual(decoded[old]);
    expect(log.sentence(old)).toContain('K3-');
    expect(log.text(old)).toMatch(/TDI_SEND\(K3-[^,]+, \d+, /);
    // A new filter forgets what the search found.
    log.setFilter({ ...NO_FILTER, client: 3 });
    expect(log.searchedBack).toBe(null);
    expect(log.has(old)).toBe(false);
  });
});
