// #14: the moment a paused stage holds is the last instant shown — whole, even when it arrived over
// several frames or one record a step — and nothing of an earlier instant.
import { describe, expect, it } from 'vitest';
import { MomentRecords } from './stackEffects.ts';
import type { Frame } from '../../src/protocol/messages.ts';

/** A frame's records: (time, type) pairs, the other columns numbered so they can be told apart. */
function events(rows: [number, number][]): Frame['events'] {
  const col = (f: (r: [number, number], i: number) => number) => Float64Array.from(rows.map(f));
  return {
    length: rows.length,
    t: col((r) => r[0]),
    type: Uint8Array.from(rows.map((r) => r[1])),
    a: col((_, i) => i),
    b: col(() => 0),
    c: col(() => 0),
    d: col((_, i) => 100 + i),
    e: col(() => 0),
    f: col(() => 0),
    firstSeq: 0,
    droppedEvents: 0,
    firstRow: 0,
  } as unknown as Frame['events'];
}

describe('the moment a paused stage holds', () => {
  it('is the records of the last instant of a frame', () => {
    const m = new MomentRecords();
    m.note(events([[100, 1], [200, 2], [200, 3]]));
    expect(m.t).toBe(200);
    expect(m.type).toEqual([2, 3]);
    expect(m.d).toEqual([101, 102]);
  });

  it('goes on over frames (and steps) within one instant, and starts anew at the next', () => {
    const m = new MomentRecords();
    m.note(events([[100, 1], [400, 2]]));
    m.note(events([[400, 3]])); // a step: one more record of the same instant
    expect(m.type).toEqual([2, 3]);
    m.note(events([])); // a frame with nothing new: the moment stays
    expect(m.length).toBe(2);
    m.note(events([[400, 4], [730, 5]])); // the instant ended inside this frame: only 730's records
    expect(m.t).toBe(730);
    expect(m.type).toEqual([5]);
  });

  it('a frame that starts at the moment\'s time but holds a later instant does not keep the old one', () => {
    const m = new MomentRecords();
    m.note(events([[400, 1]]));
    m.note(events([[400, 2], [500, 3], [500, 4]]));
    expect(m.type).toEqual([3, 4]);
  });

  it('keeps the newest 512 records of a very large instant', () => {
    const m = new MomentRecords();
    m.note(events(Array.from({ length: 300 }, () => [5000, 1] as [number, number])));
    m.note(events(Array.from({ length: 300 }, () => [5000, 2] as [number, number])));
    expect(m.length).toBe(512);
    expect(m.type.filter((x) => x === 2)).toHaveLength(300);
    expect(m.type[0]).toBe(1);
  });

  it('clear forgets it', () => {
    const m = new MomentRecords();
    m.note(events([[1, 1]]));
    m.clear();
    expect(m.length).toBe(0);
    expect(m.t).toBe(-1);
  });
});
