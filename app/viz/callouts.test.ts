// Callout placement is pure: whatever is asked, what it places never overlaps another callout or the
// picture's own labels, and stays inside the view.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boxesOverlap, placeCallouts, type Box, type CalloutRequest, type Measure } from './callouts.ts';
import { sceneObstacles } from './stackObstacles.ts';
import { stackGeometry } from './stackGeometry.ts';
import { buildTopology } from '../../src/model/topology.ts';
import { validateScenario } from '../../src/scenario/validate.ts';
import herd from '../../src/scenario/presets/herd.json' with { type: 'json' };

const measure: Measure = (text) => ({ w: text.length * 7 + 4, h: 14 });
const bounds: Box = { x: 0, y: 0, w: 600, h: 400 };

const requestArb = fc.record({
  key: fc.constantFrom('c0', 'c1', 'c2', 'c3', 'a0', 'a1', 'n0'),
  text: fc.constantFrom('DEVICE_NOT_READY', 'lost race!', 'SendPossible 1460 B', 'ClientEventError', '✕', 'FAILED LINK_FAILED'),
  cls: fc.constant('lbl-bad'),
  anchorX: fc.integer({ min: 0, max: 600 }),
  anchorY: fc.integer({ min: 0, max: 400 }),
  preferDx: fc.integer({ min: -20, max: 20 }),
  preferDy: fc.integer({ min: -40, max: 40 }),
  priority: fc.integer({ min: 1, max: 6 }),
});
const boxArb = fc.record({ x: fc.integer({ min: 0, max: 580 }), y: fc.integer({ min: 0, max: 380 }), w: fc.integer({ min: 4, max: 80 }), h: fc.integer({ min: 4, max: 30 }) });

describe('callout placement', () => {
  it('labels never overlap each other or the obstacles, and stay inside the view', () => {
    fc.assert(
      fc.property(fc.array(requestArb, { maxLength: 30 }), fc.array(boxArb, { maxLength: 20 }), (requests, obstacles) => {
        const placed = placeCallouts(requests, obstacles, bounds, measure);
        for (const p of placed) {
          expect(p.box.x).toBeGreaterThanOrEqual(bounds.x);
          expect(p.box.y).toBeGreaterThanOrEqual(bounds.y);
          expect(p.box.x + p.box.w).toBeLessThanOrEqual(bounds.x + bounds.w);
          expect(p.box.y + p.box.h).toBeLessThanOrEqual(bounds.y + bounds.h);
          expect(obstacles.filter((o) => boxesOverlap(p.box, o))).toEqual([]);
        }
        for (let i = 0; i < placed.length; i++) {
          for (let j = i + 1; j < placed.length; j++) expect(boxesOverlap(placed[i]!.box, placed[j]!.box)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a label goes where it prefers when that is free, with no leader line', () => {
    const r: CalloutRequest = { key: 'c0', text: 'lost race!', cls: 'lbl-race', anchorX: 300, anchorY: 200, preferDx: 0, preferDy: -30, priority: 5 };
    const [p] = placeCallouts([r], [], bounds, measure);
    expect(p!.box.y + p!.box.h / 2).toBe(170);
    expect(p!.leader).toBe(false);
  });

  it('the more important label keeps the spot; the other moves off it and draws a leader', () => {
    const at = { anchorX: 300, anchorY: 200, preferDx: 0, preferDy: 30, cls: 'lbl-bad' };
    const placed = placeCallouts(
      [
        { ...at, key: 'c1', text: 'SendPossible 1460 B', priority: 3 },
        { ...at, key: 'c0', text: 'DEVICE_NOT_READY', priority: 4 },
      ],
      [],
      bounds,
      measure,
    );
    const refused = placed.find((p) => p.key === 'c0')!;
    const told = placed.find((p) => p.key === 'c1')!;
    expect(refused.box.y + refused.box.h / 2).toBe(230);
    expect(boxesOverlap(refused.box, told.box)).toBe(false);
  });

  it('near the left edge a label is pulled inside the view, not clipped', () => {
    const [p] = placeCallouts([{ key: 'n0', text: 'FAILED ADAPTER_HARDWARE_ERROR', cls: 'lbl-bad', anchorX: 10, anchorY: 200, preferDx: 0, preferDy: -22, priority: 6 }], [], bounds, measure);
    expect(p!.box.x).toBe(0);
  });

  it('the herd picture: a SendPossible label on every connection at once never covers a name, a badge or a pool title', () => {
    const v = validateScenario(herd);
    if (!v.ok) throw new Error(v.problems.join('\n'));
    const topo = buildTopology(v.scenario);
    const geo = stackGeometry(topo, 430, 320);
    const obstacles = sceneObstacles(topo, geo, measure);
    const requests: CalloutRequest[] = topo.connectionIds.map((_, c) => {
      const p = geo.layout.connections[c]!;
      return { key: `c${c}`, text: '1000 B', cls: 'lbl-good', anchorX: p.x, anchorY: p.y, preferDx: 0, preferDy: 34, priority: 3 };
    });
    const placed = placeCallouts(requests, obstacles, { x: 0, y: 0, w: 430, h: 320 }, measure);
    expect(placed.length).toBeGreaterThan(0);
    for (const p of placed) expect(obstacles.filter((o) => boxesOverlap(p.box, o))).toEqual([]);
  });
});
