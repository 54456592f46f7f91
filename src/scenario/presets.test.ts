// Presets: each is valid, keeps the invariants, shows what it is named for, and its trace is pinned
// by a golden file (a change in behaviour shows as a readable line diff of the JSONL trace, without
// `seq`: it is the line number less one).
import { describe, expect, it } from 'vitest';
import { PRESET_NAMES, loadPreset } from './presets.ts';
import { validateScenario } from './validate.ts';
import { run } from '../testkit.ts';
import { checkInvariants } from '../trace/invariants.ts';
import type { ScenarioInput } from './schema.ts';

const small = PRESET_NAMES.filter((n) => n !== 'stress');
const input = async (name: (typeof PRESET_NAMES)[number]) => (await loadPreset(name)) as ScenarioInput;

describe('presets', () => {
  it.each(PRESET_NAMES)('%s is a valid scenario', async (name) => {
    const v = validateScenario(await input(name));
    expect(v.ok ? [] : v.problems).toEqual([]);
  });

  it.each(small)('%s keeps I1–I6 and matches its golden trace', async (name) => {
    const s = await input(name);
    const r = run(s);
    const v = validateScenario(s);
    if (!v.ok) throw new Error('invalid');
    expect(checkInvariants(v.scenario, r.events, { buffered: r.engine.metrics().buffered })).toEqual([]);
    // Line n is the record with seq n - 1: the golden file leaves `seq` out, so a record inserted
    // or removed reads as one line added or taken away, not as every later line rewritten.
    expect(r.events.map((e) => e.seq)).toEqual(r.events.map((_, i) => i));
    const text = r.events.map(({ seq: _seq, ...e }) => JSON.stringify(e)).join('\n') + '\n';
    await expect(text).toMatchFileSnapshot(`./presets/golden/${name}.jsonl`);
  });

  it.each(['race', 'cascade'] as const)('%s under WSK (W1–W6) keeps I1, I2, W10–W13 and matches its golden trace', async (name) => {
    const s = await input(name);
    const r = run(s, undefined, 'wsk');
    const v = validateScenario(s);
    if (!v.ok) throw new Error('invalid');
    expect(checkInvariants(v.scenario, r.events, { buffered: r.engine.metrics().buffered })).toEqual([]);
    expect(r.of('irp.complete').length).toBeGreaterThan(10);
    const text = r.events.map(({ seq: _seq, ...e }) => JSON.stringify(e)).join('\n') + '\n';
    await expect(text).toMatchFileSnapshot(`./presets/golden/${name}.wsk.jsonl`);
  });

  it('stress has 2048 connections over 64 addresses and keeps I1–I6 for its first 20 ms', async () => {
    const s = await input('stress');
    expect(s.connections).toHaveLength(2048);
    expect(s.addresses).toHaveLength(64);
    const v = validateScenario(s);
    if (!v.ok) throw new Error('invalid');
    const r = run(s, 20_000);
    expect(r.events.length).toBeGreaterThan(1000);
    expect(checkInvariants(v.scenario, r.events)).toEqual([]);
  });

  it('basics: fill, refuse, SendPossible, resubmit accepted', async () => {
    const r = run(await input('basics'));
    const kinds = r.events.filter((e) => ['send.complete', 'callback.sendPossible'].includes(e.type)).map((e) => e.status ?? e.type);
    expect(kinds.slice(0, 5)).toEqual(['STATUS_SUCCESS', 'STATUS_SUCCESS', 'STATUS_DEVICE_NOT_READY', 'callback.sendPossible', 'STATUS_SUCCESS']);
  });

  it('partial-copy (R12): some sends complete with Information < SendLength', async () => {
    const r = run(await input('partial-copy'));
    const submits = new Map(r.of('send.submit').map((e) => [e.sendId, e.bytes as number]));
    const partial = r.of('send.complete', { status: 'STATUS_SUCCESS' }).filter((e) => (e.information as number) < submits.get(e.sendId)!);
    expect(partial.length).toBeGreaterThan(0);
  });

  it('race (R24): the slower resubmitter B loses races that the faster A does not', async () => {
    const m = run(await input('race')).engine.metrics();
    expect(m.lostRaces[1]).toBeGreaterThan(m.lostRaces[0]!);
    expect(m.lostRaces[1]).toBeGreaterThan(0);
  });

  it('herd (R22): notify all produces many more SendPossible calls and lost races than oldest', async () => {
    const r = run(await input('herd'));
    const lost = (client: string) => r.of('send.complete').filter((e) => e.lostRace && (e.connection as string).startsWith(client)).length;
    const calls = (client: string) => r.of('callback.sendPossible', { client }).length;
    expect(calls('H')).toBeGreaterThan(2 * calls('O'));
    expect(lost('H')).toBeGreaterThan(lost('O'));
  });

  it('blocking (R10, R14, R15): pending sends, expedited first, oversize refused', async () => {
    const r = run(await input('blocking'));
    expect(r.of('send.pending').length).toBeGreaterThanOrEqual(4);
    const done = r.of('send.complete', { connection: 'W1', status: 'STATUS_SUCCESS' }).map((e) => e.sendId);
    const submitted = r.of('send.submit', { connection: 'W1' });
    const expedited = submitted.find((e) => (e.flags as string[]).includes('EXPEDITED'))!.sendId;
    // R10: it goes ahead of the queued 2000- and 1500-byte sends; the 3000-byte send, already partly
    // copied when it arrived, keeps its place.
    expect(done.indexOf(expedited)).toBeLessThan(done.indexOf(submitted[2]!.sendId));
    expect(done.indexOf(expedited)).toBeGreaterThan(done.indexOf(submitted[1]!.sendId));
    expect(r.of('send.complete', { status: 'STATUS_INVALID_PARAMETER' })).toHaveLength(1);
  });

  it('cascade (R30): ClientEventError reaches exactly the dependent addresses\' registered handlers', async () => {
    const r = run(await input('cascade'));
    const calls = r.of('callback.error').map((e) => `${e.client as string}:${e.address as string}:${e.ex ? 'ErrorEx' : 'Error'}`);
    expect(calls).toEqual(['A:A-0:Error', 'A:A-0:ErrorEx']); // C-any depends on nic0 but has no handler; B-1 does not depend
    expect(new Set(r.of('connection.broken').map((e) => e.connection))).toEqual(new Set(['A1', 'C1', 'C2']));
    expect(r.of('send.complete', { status: 'STATUS_INVALID_CONNECTION' }).length).toBeGreaterThan(0); // C keeps trying (R16)
    expect(r.of('address.open', { address: 'A-0' })).toHaveLength(2); // reopened after recovery (R34)
  });

  it('irql (R41): ends in a bug check naming the handler', async () => {
    const r = run(await input('irql'));
    expect(r.events.at(-1)).toMatchObject({ type: 'bugcheck', name: 'IRQL_NOT_LESS_OR_EQUAL', handler: 'ClientEventSendPossible', client: 'M' });
  });
});
