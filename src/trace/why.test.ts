// The "why?" chains on the race and cascade presets.
import { describe, expect, it } from 'vitest';
import { run } from '../testkit.ts';
import { loadPreset } from '../scenario/presets.ts';
import { explain, dependencyPath } from './why.ts';
import type { ScenarioInput } from '../scenario/schema.ts';
import { validateScenario } from '../scenario/validate.ts';
import { momentOfRecord } from './whyMoment.ts';
import { Engine } from '../model/engine.ts';

/** The bytes a holder link names ("K6 held 110,960 B of the pool …"). */
const heldBytes = (text: string): number => Number(/held ([\d,]+) B/.exec(text)![1]!.replaceAll(',', ''));

async function preset(name: 'race' | 'cascade') {
  const r = run((await loadPreset(name)) as ScenarioInput);
  return { r, topo: r.engine.topo };
}

describe('why?', () => {
  it('R24: a lost race is explained by the call that told it, who took the space, and the late resubmission', async () => {
    const { r, topo } = await preset('race');
    const at = r.events.findIndex((e) => e.type === 'send.complete' && e.lostRace && e.connection === 'B1');
    const chain = explain(r.events, at, topo)!;
    expect(chain.subject).toMatch(/^B1's resubmission got \d+ B although it was told \d+ B were free: it lost the race \(R24\)\.$/);
    const roles = chain.links.map((l) => l.role);
    expect(roles).toContain('told');
    expect(roles).toContain('took');
    expect(roles.at(-1)).toBe('resubmit');
    // The SendPossible links precede the loss, and the space was taken by A1 in between.
    const took = chain.links.filter((l) => l.role === 'took');
    expect(took.some((l) => l.text.startsWith('A1 took'))).toBe(true);
    for (const l of chain.links) expect(l.seq).toBeLessThanOrEqual(r.events[at]!.seq);
    // Every link points at a real event of the trace (the UI seeks to it).
    for (const l of chain.links) expect(r.events[l.seq]!.t).toBe(l.t);
  });

  it('R13: a refusal is explained by who filled the pool, and the SendPossible it was owed', async () => {
    const { r, topo } = await preset('race');
    const at = r.events.findIndex((e) => e.type === 'send.complete' && e.status === 'STATUS_DEVICE_NOT_READY' && !e.lostRace);
    const chain = explain(r.events, at, topo)!;
    expect(chain.subject).toMatch(/was refused with STATUS_DEVICE_NOT_READY: tcp's 8192 B pool was full/);
    const filled = chain.links.filter((l) => l.role === 'filled');
    expect(filled.length).toBeGreaterThan(0);
    const total = filled.reduce((s, l) => s + Number(/had (\d+) B/.exec(l.text)![1]), 0);
    expect(total).toBeGreaterThanOrEqual(8192);
  });

  it('the moment of a record replayed from a checkpoint (as the worker does) is the one replayed from the start', async () => {
    const v = validateScenario(await loadPreset('race'));
    if (!v.ok) throw new Error('invalid');
    const r = run(v.scenario as unknown as ScenarioInput);
    const refusal = r.events.filter((e) => e.type === 'send.complete' && e.status === 'STATUS_DEVICE_NOT_READY' && !e.lostRace).at(-1)!;
    const engine = new Engine(v.scenario);
    engine.runUntil(Math.floor(refusal.t / 2));
    const cp = engine.checkpoint();
    expect(cp.traceSeq).toBeLessThan(refusal.seq);
    const fromStart = momentOfRecord(v.scenario, null, refusal.seq)!;
    const fromCheckpoint = momentOfRecord(v.scenario, cp, refusal.seq, engine)!;
    expect(Array.from(fromCheckpoint.buffered)).toEqual(Array.from(fromStart.buffered));
    expect(Array.from(fromCheckpoint.addressHandlers)).toEqual(Array.from(fromStart.addressHandlers));
    expect(Array.from(fromStart.buffered).reduce((a, b) => a + b, 0)).toBe(8192); // the pool was full then (R13)
  });

  describe('on stress at 8191 µs (the model state at the record settles what the trace cannot)', async () => {
    const input = (await loadPreset('stress')) as ScenarioInput;
    const r = run(input, 8300);
    const v = validateScenario(input);
    if (!v.ok) throw new Error(v.problems.join('\n'));
    const topo = r.engine.topo;

    it('R24: a lost race names each connection that took the space once, and the sweep of calls once', () => {
      const at = r.events.findIndex((e) => e.type === 'send.complete' && e.lostRace && e.connection === 'K1-4.1' && e.t === 8191);
      expect(at).toBeGreaterThan(0);
      const chain = explain(r.events, at, topo)!;
      const texts = chain.links.map((l) => l.text);
      expect(new Set(texts).size).toBe(texts.length);
      expect(chain.links.filter((l) => l.role === 'told')).toHaveLength(1);
      // Every connection that completed a copy between the call and the resubmission is named in one link only.
      const took = chain.links.filter((l) => l.role === 'took');
      expect(took.length).toBeGreaterThan(0);
      const sp = r.events.slice(0, at).filter((e) => e.type === 'callback.sendPossible' && e.connection === 'K1-4.1').at(-1)!;
      const takers = new Set(r.events.filter((e) => e.seq > sp.seq && e.seq < r.events[at]!.seq && e.type === 'send.complete' && (e.information as number) > 0).map((e) => e.connection as string));
      expect(takers.size).toBeGreaterThan(1);
      for (const k of takers) expect(took.filter((l) => new RegExp(`\\b${k}\\b`).test(l.text))).toHaveLength(1);
      expect(chain.links.length).toBeLessThan(15);
    });

    it('R13, R21: a refusal shows holders that add up to the bytes in the pool, by client, and settles whether a SendPossible is owed', () => {
      const at = r.events.findIndex((e) => e.type === 'send.complete' && e.status === 'STATUS_DEVICE_NOT_READY' && !e.lostRace && e.t > 8000);
      const moment = momentOfRecord(v.scenario, null, r.events[at]!.seq)!;
      const tr = topo.connectionTransport[topo.connectionIds.indexOf(r.events[at]!.connection as string)]!;
      let used = 0;
      for (let c = 0; c < topo.connectionIds.length; c++) if (topo.connectionTransport[c] === tr) used += moment.buffered[c]!;
      expect(used).toBe(262_144); // refused because nothing was free
      const chain = explain(r.events, at, topo, moment)!;
      const filled = chain.links.filter((l) => l.role === 'filled');
      expect(filled.length).toBeGreaterThan(1);
      expect(filled.reduce((s, l) => s + heldBytes(l.text), 0)).toBe(used);
      expect(filled.every((l) => /^K\d held /.test(l.text))).toBe(true); // grouped by client: many connections hold it
      expect(chain.links.some((l) => l.text.startsWith('Together 262,144 B of tcp'))).toBe(true);
      for (const l of chain.links) expect(l.text).not.toMatch(/\bif\b/);
      expect(chain.links.at(-1)!.text).toMatch(/has the handler registered/);
    });
  });

  it('R30: an error callback is explained by the failed driver and the dependency path', async () => {
    const { r, topo } = await preset('cascade');
    const at = r.events.findIndex((e) => e.type === 'callback.error');
    const chain = explain(r.events, at, topo)!;
    expect(chain.subject).toBe('A-0 (client A) got ClientEventError(STATUS_ADAPTER_HARDWARE_ERROR) because it depends on nic0, which failed (R30).');
    expect(chain.links.find((l) => l.role === 'fault')!.text).toBe('nic0 failed STATUS_ADAPTER_HARDWARE_ERROR.');
    expect(chain.links.find((l) => l.role === 'path')!.text).toBe("Dependency: tcp → ip → nic0 → A-0's NIC nic0.");
  });

  it('R31: a broken connection on a healthy route is explained through its wildcard address', async () => {
    const { r, topo } = await preset('cascade');
    const at = r.events.findIndex((e) => e.type === 'connection.broken' && e.connection === 'C2');
    const chain = explain(r.events, at, topo)!;
    expect(chain.subject).toBe('C2 broke because its address C-any became unusable (R31) when nic0 failed.');
    expect(dependencyPath(topo, topo.addressIds.indexOf('B-1'), topo.nodeIds.indexOf('nic0'))).toEqual([]);
  });

  it('events that need no explanation get none', async () => {
    const { r, topo } = await preset('race');
    expect(explain(r.events, r.events.findIndex((e) => e.type === 'buffer.transmit'), topo)).toBeNull();
  });
});
