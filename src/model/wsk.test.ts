// The WSK model (api 'wsk', docs/rules.md W1–W6, W10–W13): the same scenario as TDI, sent through
// WskSend IRPs that pend until their data is sent; failures reach only the connections on the failed path.
import { describe, expect, it } from 'vitest';
import { Engine } from './engine.ts';
import { baseScenario, run } from '../testkit.ts';
import { PRESET_NAMES, loadPreset } from '../scenario/presets.ts';
import { validateScenario } from '../scenario/validate.ts';
import { checkInvariants } from '../trace/invariants.ts';
import { checkWskInvariants } from '../trace/wskInvariants.ts';
import { summarize } from '../trace/summary.ts';
import { TraceRecorder, type TraceChunk } from '../trace/records.ts';
import { decodeRecord, type TraceEvent } from '../trace/names.ts';
import type { Scenario, ScenarioInput } from '../scenario/schema.ts';

const preset = async (name: (typeof PRESET_NAMES)[number]) => (await loadPreset(name)) as ScenarioInput;
function valid(input: ScenarioInput): Scenario {
  const v = validateScenario(input);
  if (!v.ok) throw new Error(v.problems.join('\n'));
  return v.scenario;
}

/** One client sending `count` sends of `bytes` every `everyUs` on one connection, with a WSK policy. */
function oneSender(wsk: ScenarioInput['clients'][number]['wsk'], count = 12, bytes = 1000, everyUs = 100): ScenarioInput {
  const s = baseScenario();
  s.clients[0] = { ...s.clients[0]!, ...(wsk ? { wsk } : {}) };
  s.connections[0]!.generator = { startUs: 0, everyUs, bytes, count, flags: ['NON_BLOCKING'], jitterUs: 0 };
  return s;
}

/** The most IRPs a connection had pending at once, from the trace. */
function peakPending(events: readonly TraceEvent[], connection: string): number {
  let now = 0;
  let peak = 0;
  for (const e of events) {
    if (e.connection !== connection) continue;
    if (e.type === 'irp.pending') peak = Math.max(peak, ++now);
    if (e.type === 'irp.complete') now--;
  }
  return peak;
}

describe('WSK model', () => {
  it('W1: race through WSK has no refusal, no SendPossible, no lost race — and bytes locked in pending IRPs', async () => {
    const input = await preset('race');
    const tdi = summarize(run(input).engine);
    const r = run(input, undefined, 'wsk');
    const s = summarize(r.engine);
    expect(tdi.total.lostRaces).toBeGreaterThan(0); // the same scenario through TDI loses races (R24)
    expect(s.api).toBe('wsk');
    expect(s.total.lostRaces).toBe(0);
    expect(s.total.deviceNotReady).toBe(0);
    expect(s.total.sendPossible).toBe(0);
    expect(r.of('send.submit')).toHaveLength(0);
    expect(r.of('irp.pending').length).toBeGreaterThan(10);
    expect(s.wsk!.total.peakLockedBytes).toBeGreaterThan(0);
    expect(s.wsk!.total.peakLockedBytes).toBeGreaterThanOrEqual(s.wsk!.clients.A!.peakLockedBytes);
    expect(s.wsk!.total.wskSends).toBe(r.of('irp.pending').length);
    // Every completion is a success with all its bytes: no refusal, nothing partial (W1).
    const completes = r.of('irp.complete');
    expect(completes.length).toBeGreaterThan(10);
    const bytesOf = new Map(r.of('irp.pending').map((e) => [e.irpId, e.bytes]));
    expect(completes.filter((e) => e.status !== 'STATUS_SUCCESS' || e.information !== bytesOf.get(e.irpId))).toEqual([]);
  });

  it('W1: an IRP completes in the event the NIC sends its last byte, not when it enters the send buffer', () => {
    // One 3000-byte send, 1000 B/ms, MTU 1000: in the buffer at once, sent by 3000 µs.
    const s = baseScenario();
    s.connections[0]!.sends = [{ atUs: 0, bytes: 3000, flags: ['NON_BLOCKING'] }];
    const r = run(s, undefined, 'wsk');
    expect(r.of('buffer.copy').map((e) => [e.t, e.bytes])).toEqual([[0, 3000]]);
    const lastSent = r.of('buffer.transmit').at(-1)!;
    expect(r.of('irp.complete').map((e) => [e.t, e.status, e.information, e.lockedAfter])).toEqual([[lastSent.t, 'STATUS_SUCCESS', 3000, 0]]);
    expect(lastSent.t).toBe(3000);
  });

  it('W3: a client with wsk.inFlight "irps" keeps at most wsk.irps IRPs pending; "idealBacklog" keeps below what it was told', () => {
    for (const irps of [1, 3]) {
      const r = run(oneSender({ inFlight: 'irps', irps }), undefined, 'wsk');
      expect(peakPending(r.events, 'A1')).toBe(irps);
      expect(r.of('wsk.sendBacklog')).toHaveLength(0); // it enables no WskSendBacklogEvent
    }
    const r = run(oneSender(undefined, 12, 1000, 100), undefined, 'wsk');
    const query = r.of('wsk.sendBacklog');
    expect(query.map((e) => [e.query, e.idealBacklogSize])).toEqual([[true, 2048]]); // the 4000-byte buffer, down to a power of two
    // It sends while less than 2048 bytes are locked: at 0, 1000 and 2000 locked — so 3 IRPs, 3000 bytes at most.
    expect(peakPending(r.events, 'A1')).toBe(3);
    expect(summarize(r.engine).wsk!.total.peakLockedBytes).toBe(3000);
  });

  it('W3: when a second connection starts sending, the first is told a smaller ideal send backlog (WskSendBacklogEvent), and a larger one when it disconnects', async () => {
    const r = run(await preset('cascade'), undefined, 'wsk');
    const toA1 = r.of('wsk.sendBacklog', { connection: 'A1' }).filter((e) => !e.query).map((e) => e.idealBacklogSize as number);
    expect(toA1.length).toBeGreaterThan(0);
    expect(toA1[0]).toBeLessThan(8192);
    // C1 and A1 disconnect at 5000 µs: the remaining B1 and C2 are told more.
    const after = r.events.filter((e) => e.type === 'wsk.sendBacklog' && !e.query && e.t === 5000);
    expect(new Set(after.map((e) => e.connection))).toEqual(new Set(['B1', 'C2']));
    expect(summarize(r.engine).wsk!.total.backlogEvents).toBe(r.of('wsk.sendBacklog').filter((e) => !e.query).length);
  });

  it('W4, W5: a NIC failure reaches only the connections routed through it — WskDisconnectEvent and failed IRPs — where TDI tells every dependent address', async () => {
    const input = await preset('cascade');
    const tdi = run(input);
    const wsk = run(input, undefined, 'wsk');
    expect(new Set(tdi.of('connection.broken').map((e) => e.connection))).toEqual(new Set(['A1', 'C1', 'C2']));
    expect(tdi.of('callback.error').length).toBeGreaterThan(0);
    expect(wsk.of('callback.error')).toHaveLength(0);
    expect(wsk.of('connection.broken')).toHaveLength(0);
    const disconnects = wsk.of('wsk.disconnect');
    expect(disconnects.map((e) => [e.connection, e.driver, (e.flags as string[]).includes('WSK_FLAG_ABORTIVE')])).toEqual([
      ['A1', 'nic0', true],
      ['C1', 'nic0', true],
    ]);
    // Their pending IRPs fail with the transport's abortStatus, right after the disconnect.
    const failed = wsk.of('irp.complete').filter((e) => e.status !== 'STATUS_SUCCESS');
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed.map((e) => e.status))).toEqual(new Set(['STATUS_CONNECTION_ABORTED']));
    expect(new Set(failed.map((e) => e.connection))).toEqual(new Set(['A1', 'C1']));
    const s = summarize(wsk.engine).wsk!;
    expect(s.total.disconnects).toBe(2);
    expect(s.total.irpsFailed).toBe(failed.length);
    expect(s.clients.B!.disconnects).toBe(0);
  });

  it('W6: a client with onError.reopenAfterUs connects a new socket once the NIC has recovered, and sends again', async () => {
    const r = run(await preset('cascade'), undefined, 'wsk');
    const recovered = r.of('driver.recover')[0]!.t;
    const connect = r.of('connection.connect');
    expect(connect.map((e) => e.connection)).toEqual(['A1']); // C has no reopenAfterUs
    expect(connect[0]!.t).toBeGreaterThanOrEqual(recovered);
    expect(r.events.some((e) => e.type === 'irp.pending' && e.connection === 'A1' && e.t > connect[0]!.t)).toBe(true);
    expect(r.events.some((e) => e.type === 'irp.pending' && e.connection === 'C1' && e.t > 5000)).toBe(false);
  });

  it("W1: the snapshot shows each connection's locked buffers (bytes and count of pending IRPs) under WSK, and nothing of them under TDI", async () => {
    const input = await preset('race');
    const r = run(input, 5000, 'wsk');
    const snap = r.engine.snapshot();
    const lastLocked = (c: string) => r.events.filter((e) => e.connection === c && (e.type === 'irp.pending' || e.type === 'irp.complete')).at(-1)!.lockedAfter;
    expect(Array.from(snap.lockedBytes!)).toEqual([lastLocked('A1'), lastLocked('B1')]);
    expect(snap.lockedBytes![0]! + snap.lockedBytes![1]!).toBeGreaterThan(0);
    const pending = (c: string) => r.of('irp.pending', { connection: c }).length - r.of('irp.complete', { connection: c }).length;
    expect(Array.from(snap.irpsPending!)).toEqual([pending('A1'), pending('B1')]);
    const tdi = run(input, 5000).engine.snapshot();
    expect([tdi.lockedBytes, tdi.irpsPending]).toEqual([undefined, undefined]);
  });

  it.each(PRESET_NAMES)('W10–W13, I1, I2: the invariant checker passes on %s under WSK', async (name) => {
    const input = await preset(name);
    const r = run(input, name === 'stress' ? 20_000 : undefined, 'wsk');
    expect(r.of('irp.pending').length).toBeGreaterThan(0);
    expect(checkInvariants(valid(input), r.events, { buffered: r.engine.metrics().buffered, nowUs: r.engine.nowUs })).toEqual([]);
  });

  it('W11, W12, W13: the checker catches an IRP completed twice, one completed before its data was sent, and a send after a disconnect', async () => {
    const input = await preset('cascade');
    const s = valid(input);
    const { events } = run(input, undefined, 'wsk');
    expect(checkWskInvariants(s, events)).toEqual([]);
    const done = events.findIndex((e) => e.type === 'irp.complete');
    const twice = [...events.slice(0, done + 1), events[done]!, ...events.slice(done + 1)];
    expect(checkWskInvariants(s, twice).join('\n')).toMatch(/W11: IRP #\d+ completes a second time/);
    const sentAt = events.findIndex((e) => e.type === 'buffer.transmit' && e.connection === events[done]!.connection);
    const early = [...events.slice(0, sentAt), events[done]!, ...events.slice(sentAt).filter((e) => e !== events[done])];
    expect(checkWskInvariants(s, early).join('\n')).toMatch(/W12/);
    const cut = events.findIndex((e) => e.type === 'wsk.disconnect');
    const pended = events.find((e) => e.type === 'irp.pending' && e.connection === events[cut]!.connection);
    if (pended?.type !== 'irp.pending') throw new Error('W13: the disconnected connection never pended an IRP');
    const late = { ...pended, irpId: 9999 };
    expect(checkWskInvariants(s, [...events.slice(0, cut + 1), late]).join('\n')).toMatch(/W13: a WskSend on \w+, which was disconnected/);
  });

  it('I7 under WSK: a run continued from a checkpoint writes the very records of a straight run', async () => {
    const s = valid(await preset('cascade'));
    const straight = traced(s);
    straight.engine.runToEnd();
    const half = new Engine(s, { api: 'wsk' });
    half.runUntil(6000);
    const cp = half.checkpoint();
    expect(cp.api).toBe('wsk');
    const resumed = traced(s, (trace) => Engine.fromCheckpoint(s, cp, { trace }));
    expect(resumed.engine.api).toBe('wsk');
    resumed.engine.runToEnd();
    const tail = straight.events().filter((e) => e.seq >= cp.traceSeq);
    expect(tail.length).toBeGreaterThan(20);
    expect(resumed.events()).toEqual(tail);
  });

  it('the API is the run\'s choice: the default engine runs TDI, and a WSK run of the same scenario writes no TDI record', async () => {
    const s = valid(await preset('basics'));
    expect(new Engine(s).api).toBe('tdi');
    const r = run(await preset('basics'), undefined, 'wsk');
    expect(r.events.filter((e) => e.type.startsWith('send.') || e.type.startsWith('callback.') || e.type === 'handler.register')).toEqual([]);
  });
});

function traced(s: Scenario, make: (trace: TraceRecorder) => Engine = (trace) => new Engine(s, { trace, api: 'wsk' })) {
  const chunks: TraceChunk[] = [];
  const recorder = new TraceRecorder((k) => chunks.push(k), 64);
  const engine = make(recorder);
  return {
    engine,
    events: (): TraceEvent[] => {
      recorder.flush();
      return chunks.flatMap((k) => Array.from({ length: k.length }, (_, i) => decodeRecord(k, i, engine.topo)));
    },
  };
}
