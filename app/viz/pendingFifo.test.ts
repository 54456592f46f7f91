// R10, R14 (#8): the transport's pending FIFO is drawn under the pool as chips, head first. Placement is
// pure: chips never overlap each other or the picture's own labels and boxes, stay in the band under
// the pool, and what does not fit is counted, not dropped silently.
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/protocol/messages.ts';
import type { PendingEntry } from '../../src/model/engine.ts';
import { buildTopology, type Topology } from '../../src/model/topology.ts';
import { validateScenario } from '../../src/scenario/validate.ts';
import blocking from '../../src/scenario/presets/blocking.json' with { type: 'json' };
import race from '../../src/scenario/presets/race.json' with { type: 'json' };
import { boxesOverlap, type Box, type Measure } from './callouts.ts';
import { fifoBand, placeFifo } from './pendingFifo.ts';
import { stackGeometry } from './stackGeometry.ts';
import { sceneObstacles } from './stackObstacles.ts';
import { fmtBytes } from '../format.ts';

const measure: Measure = (text) => ({ w: text.length * 6.5 + 4, h: 14 });

function info(json: unknown): Topology {
  const v = validateScenario(json);
  if (!v.ok) throw new Error(v.problems.join('\n'));
  return buildTopology(v.scenario);
}

function held(n: number, expeditedAt = -1): Frame['transportPending'] {
  const sends: PendingEntry[] = Array.from({ length: n }, (_, i) => ({ connection: 0, sendId: i + 1, bytes: 2000, left: i === 0 ? 1200 : 2000, expedited: i === expeditedAt }));
  return [{ sends, total: n, totalBytes: sends.reduce((s, p) => s + p.left, 0) }];
}

describe('pending FIFO placement', () => {
  for (const [w, h] of [[928, 300], [370, 300], [875, 311]] as const) {
    it(`R14: at ${w}×${h} the chips go head first in the band under the pool, clear of each other and of the picture`, () => {
      const topo = info(blocking);
      const geo = stackGeometry(topo, w, h);
      const band = fifoBand(geo, 0);
      const placed = placeFifo(topo, geo, held(4, 1), measure).transports[0]!;
      const sends = placed.chips.filter((c) => c.client >= 0);
      expect(sends.length).toBeGreaterThanOrEqual(2);
      expect(sends.map((c) => c.key)).toEqual(['0:1', '0:2', '0:3', '0:4'].slice(0, sends.length)); // head first
      expect(sends[1]!.expedited).toBe(true);
      expect(sends[0]!.copied).toBeCloseTo(0.4); // 800 of 2,000 bytes already in the pool
      const boxes: Box[] = [...(placed.caption ? [placed.caption] : []), ...placed.chips];
      for (const b of boxes) {
        expect(b.x).toBeGreaterThanOrEqual(band.x);
        expect(b.x + b.w).toBeLessThanOrEqual(band.x + band.w + 0.01);
        expect(b.y + b.h).toBeLessThanOrEqual(band.y + band.h + 0.01);
      }
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(boxesOverlap(boxes[i]!, boxes[j]!)).toBe(false);
      for (const o of sceneObstacles(topo, geo, measure)) for (const b of boxes) expect(boxesOverlap(b, o)).toBe(false);
    });
  }

  it('R14: what does not fit is one "+n more" chip with the rest of the bytes', () => {
    const topo = info(blocking);
    const geo = stackGeometry(topo, 370, 300);
    const placed = placeFifo(topo, geo, held(30), measure).transports[0]!;
    const sends = placed.chips.filter((c) => c.client >= 0);
    const more = placed.chips.at(-1)!;
    expect(more.client).toBe(-1);
    expect(more.text).toBe(`+${30 - sends.length} more, ${fmtBytes((30 - sends.length) * 2000)}`);
  });

  it('R14: an empty FIFO, or no room under the pool (a protocol row right below), draws nothing', () => {
    const topo = info(blocking);
    expect(placeFifo(topo, stackGeometry(topo, 928, 300), [{ sends: [], total: 0, totalBytes: 0 }], measure).transports[0]!.chips).toEqual([]);
    const r = info(race);
    const geo = stackGeometry(r, 928, 200);
    expect(fifoBand(geo, 0).h).toBeLessThan(16);
    expect(placeFifo(r, geo, held(3), measure).transports[0]!.chips).toEqual([]);
  });
});
