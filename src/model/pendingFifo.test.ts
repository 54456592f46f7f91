// R10, R14: the transport's FIFO of held blocking sends, as the view draws it (Engine.pendingFifo):
// head first, an EXPEDITED send ahead of the queued normal ones, the head keeping its place once its
// copy has begun; what is still to copy of each; all of them counted when a frame lists fewer.
import { describe, expect, it } from 'vitest';
import { loadPreset } from '../scenario/presets.ts';
import type { ScenarioInput } from '../scenario/schema.ts';
import { run, baseScenario } from '../testkit.ts';

describe('Engine.pendingFifo', () => {
  it('R10/R14: in the blocking preset, the EXPEDITED send at 300 µs goes ahead of the queued #2, behind the head #1 whose copy began', async () => {
    const { engine } = run((await loadPreset('blocking')) as ScenarioInput, 299);
    const before = engine.pendingFifo(32)[0]!;
    expect(before.sends.map((p) => [p.sendId, p.expedited])).toEqual([[1, false], [2, false]]);
    engine.runUntil(450);
    const [tcp] = engine.pendingFifo(32);
    expect(tcp!.sends.map((p) => [p.sendId, p.expedited])).toEqual([[1, false], [3, true], [2, false], [4, false]]);
    // The head has 96 of its 3,000 bytes in the pool (the pool was 4,000 of 4,096 full).
    expect(tcp!.sends[0]).toMatchObject({ bytes: 3000, left: 2904 });
    expect(tcp!.total).toBe(4);
    expect(tcp!.totalBytes).toBe(2904 + 500 + 2000 + 1500);
    expect(engine.topo.connectionIds[tcp!.sends[0]!.connection]).toBe('W1');
  });

  it('R14: a frame lists at most `limit` sends, and counts them all', () => {
    const s = baseScenario();
    s.connections[0]!.sends = Array.from({ length: 6 }, (_, i) => ({ atUs: i, bytes: 3000, flags: [] }));
    const r = run(s, 10);
    const [tcp] = r.engine.pendingFifo(3);
    expect(tcp!.sends).toHaveLength(3);
    expect(tcp!.total).toBeGreaterThan(3);
    // Only the head can be partly copied already.
    expect(tcp!.totalBytes).toBe(tcp!.total * 3000 - (tcp!.sends[0]!.bytes - tcp!.sends[0]!.left));
  });
});
