// Corner cases where the model once broke its rules, found by writing new scenarios as a user would.
// Each is a class of bug; the test pins the mechanism that fixes it (see state.ts, policy.ts, irql.ts).
import { describe, expect, it } from 'vitest';
import { baseScenario, run, type Run } from '../testkit.ts';
import type { ScenarioInput } from '../scenario/schema.ts';
import { summarize } from '../trace/summary.ts';
import type { RecordName } from '../trace/recordTable.ts';

type Input = ScenarioInput;
const NB = ['NON_BLOCKING'];
const send = (atUs: number, bytes: number, flags: string[] = NB) => ({ atUs, bytes, flags }) as never;
const times = (r: Run, type: RecordName, where: Record<string, unknown> = {}) => r.of(type, where).map((e) => e.t);

/** Clients A (on nic0) and optionally others, one transport over both NICs. */
function twoNics(tweak: (s: Input) => void): Input {
  const s = baseScenario();
  s.drivers = [
    { id: 'nic0', kind: 'nic', linkBytesPerMs: 1000, mtuBytes: 1000 },
    { id: 'nic1', kind: 'nic', linkBytesPerMs: 1000, mtuBytes: 1000 },
  ];
  s.transports = [{ id: 'tcp', lower: ['nic0', 'nic1'], sendBufferBytes: 1000, maxSendBytes: 10_000 }];
  tweak(s);
  return s;
}

describe('scheduled client work belongs to its connection incarnation', () => {
  it('R25 timer: after a break and reopen, retries come every delayUs, never from the old timer', () => {
    const s = baseScenario();
    s.transports[0]!.sendBufferBytes = 1000;
    s.clients = [{ id: 'A', handlers: ['Error'], resubmit: { from: 'timer', delayUs: 1000 }, onError: { closeAfterUs: 10, reopenAfterUs: 100 } }];
    // 0: fills the pool until 1000; 10: refused, retry timer for 1010. 500: nic0 fails (recovers at
    // 550): A hears it, closes at 510, reopens at 610. 700 fills again; 710 is refused: timer 1710.
    s.connections[0]!.sends = [send(0, 1000), send(10, 500), send(700, 1000), send(710, 500)];
    s.faults = [{ atUs: 500, driver: 'nic0', status: 'STATUS_ADAPTER_HARDWARE_ERROR', recoverAfterUs: 50 }];
    const r = run(s);
    expect(times(r, 'address.open', { address: 'A-1' })).toEqual([0, 610]);
    // The old incarnation's timer (due at 1010) must not run: one retry, delayUs after the refusal.
    expect(times(r, 'send.submit', { connection: 'A1' }).filter((t) => t > 610)).toEqual([700, 710, 1710]);
  });

  it('R25 dpc: a resubmission scheduled before the break does not fire in the next incarnation', () => {
    const s = baseScenario();
    s.drivers[0] = { id: 'nic0', kind: 'nic', linkBytesPerMs: 10_000, mtuBytes: 1000 };
    s.transports[0]!.sendBufferBytes = 1000;
    s.clients = [{ id: 'A', handlers: ['SendPossible', 'Error'], resubmit: { from: 'dpc', delayUs: 400 }, onError: { closeAfterUs: 10, reopenAfterUs: 100 } }];
    // 100: SendPossible, resubmission due at 500. 200: the break. Reopen at 310; 330 refused; 420:
    // SendPossible again, its resubmission due at 820 — the one due at 500 belongs to the old connection.
    s.connections[0]!.sends = [send(0, 1000), send(10, 500), send(320, 1000), send(330, 500)];
    s.faults = [{ atUs: 200, driver: 'nic0', status: 'STATUS_ADAPTER_HARDWARE_ERROR', recoverAfterUs: 50 }];
    const r = run(s);
    const calls = times(r, 'callback.sendPossible');
    expect(calls).toEqual([100, 420]);
    const resubmits = r.of('send.submit', { resubmit: true }).map((e) => e.t);
    expect(resubmits).toEqual([820]);
  });
});

describe('SendPossible queue', () => {
  it('R21, R22: a broken connection loses its place; after reopen it queues behind those that waited longer', () => {
    const s = twoNics((x) => {
      x.transports[0]!.sendPossible = { notify: 'oldest', thresholdBytes: 1 };
      x.clients = [
        { id: 'A', handlers: ['SendPossible', 'Error'], onError: { closeAfterUs: 0, reopenAfterUs: 50 } },
        { id: 'B', handlers: ['SendPossible', 'Error'] },
        { id: 'C', handlers: [] },
      ];
      x.addresses = [
        { id: 'A-1', client: 'A', transport: 'tcp', nics: ['nic0'] },
        { id: 'B-1', client: 'B', transport: 'tcp', nics: ['nic1'] },
        { id: 'C-1', client: 'C', transport: 'tcp', nics: ['nic1'] },
      ];
      // C1 fills the pool until 1000. A1 is refused at 10, B1 at 20; nic0 fails at 30 (A-1 breaks,
      // closes, reopens at 80); A1 is refused again at 100 — after B1.
      x.connections = [
        { id: 'C1', address: 'C-1', nic: 'nic1', sends: [send(0, 1000)] },
        { id: 'A1', address: 'A-1', nic: 'nic0', sends: [send(10, 100), send(100, 100)] },
        { id: 'B1', address: 'B-1', nic: 'nic1', sends: [send(20, 100)] },
      ];
      x.faults = [{ atUs: 30, driver: 'nic0', status: 'STATUS_LINK_FAILED', recoverAfterUs: 10 }];
    });
    const r = run(s);
    expect(times(r, 'connection.broken', { connection: 'A1' })).toEqual([30]);
    expect(r.of('callback.sendPossible').map((e) => `${e.connection as string}@${e.t}`)[0]).toBe('B1@1000');
  });

  it('R20, R22: lowering thresholdBytes while space is free calls the owed connection at once', () => {
    const s = baseScenario();
    s.drivers[0] = { id: 'nic0', kind: 'nic', linkBytesPerMs: 1000, mtuBytes: 500 };
    s.transports[0]!.sendBufferBytes = 1000;
    s.transports[0]!.sendPossible = { notify: 'all', thresholdBytes: 1000 };
    // 0 fills the pool; 10 is refused; at 500 half is transmitted (free 500 < threshold 1000).
    s.connections[0]!.sends = [send(0, 1000), send(10, 300)];
    s.policyChanges = [{ atUs: 600, sendPossible: { thresholdBytes: 100 } }];
    const r = run(s);
    const first = r.of('callback.sendPossible')[0]!;
    expect([first.t, first.bytesAvailable]).toEqual([600, 500]);
  });
});

describe('resubmission', () => {
  it('R24, R25: a SendPossible that finds nothing queued marks no later, unrelated send as a resubmission', () => {
    const s = baseScenario();
    s.drivers[0] = { id: 'nic0', kind: 'nic', linkBytesPerMs: 1000, mtuBytes: 500 };
    s.transports[0]!.sendBufferBytes = 1000;
    s.transports[0]!.sendPossible = { notify: 'all', thresholdBytes: 1000 };
    s.clients[0]!.resubmit = { from: 'timer', delayUs: 200, size: 'full' };
    // 10 is refused (owed a SendPossible); the timer retry at 610 succeeds; the client switches to
    // `handler` at 700; the SendPossible at 1400 finds nothing queued. 2000 is a new send.
    s.connections[0]!.sends = [send(0, 1000), send(10, 400), send(2000, 300)];
    s.policyChanges = [{ atUs: 700, client: 'A', resubmit: { from: 'handler' } }];
    const r = run(s);
    expect(times(r, 'callback.sendPossible')).toEqual([1400]);
    const late = r.of('send.submit').find((e) => e.t === 2000)!;
    expect(late.resubmit).toBeUndefined();
    expect(r.of('send.complete', { lostRace: true })).toEqual([]);
  });

  it('R25: switching a waiting client from handler to timer makes it retry, not wait forever', () => {
    const s = baseScenario();
    s.transports[0]!.sendBufferBytes = 1000;
    s.clients = [{ id: 'A', handlers: [], resubmit: { from: 'handler', delayUs: 0 } }];
    // No SendPossible handler: the refused send at 10 waits for a callback that never comes, until
    // the client switches to a 300 µs timer at 50 (it retries at once, then every 300 µs).
    s.connections[0]!.sends = [send(0, 1000), send(10, 200)];
    s.policyChanges = [{ atUs: 50, client: 'A', resubmit: { from: 'timer', delayUs: 300 } }];
    const r = run(s);
    expect(times(r, 'send.submit').slice(0, 6)).toEqual([0, 10, 50, 350, 650, 950]);
    expect(r.of('send.complete', { status: 'STATUS_SUCCESS' }).map((e) => e.t)).toEqual([0, 1250]);
  });
});

describe('bug checks', () => {
  it('R41: nothing follows the first bugcheck, even in the middle of a fault cascade', () => {
    const s = baseScenario();
    s.transports[0]!.disconnectOnError = true;
    s.clients = [{ id: 'A', handlers: ['Error', 'Disconnect'], handlerMisbehaviour: { handler: 'Disconnect', does: 'wait' } }];
    s.connections = [
      { id: 'A1', address: 'A-1', nic: 'nic0', sends: [send(0, 1500)] },
      { id: 'A2', address: 'A-1', nic: 'nic0', sends: [send(0, 1500)] },
    ];
    s.faults = [{ atUs: 100, driver: 'nic0', status: 'STATUS_ADAPTER_HARDWARE_ERROR' }];
    const r = run(s);
    const types = r.events.map((e) => e.type);
    expect(types.filter((t) => t === 'bugcheck')).toHaveLength(1);
    expect(types.at(-1)).toBe('bugcheck');
    expect(r.of('connection.broken').map((e) => e.connection)).toEqual(['A1']);
    expect(r.engine.finished).toBe(true);
  });
});

describe('error notification', () => {
  it('R33, R34: a client told late — by a second fault — stops submitting and closes the address', () => {
    const s = baseScenario();
    s.clients = [{ id: 'A', handlers: [], onError: { closeAfterUs: 40 } }];
    s.connections[0]!.generator = { startUs: 0, everyUs: 50, bytes: 100, count: 40, flags: ['NON_BLOCKING'] };
    s.handlerChanges = [{ atUs: 200, address: 'A-1', handler: 'Error', registered: true }];
    s.faults = [
      { atUs: 100, driver: 'nic0', status: 'STATUS_LINK_FAILED' },
      { atUs: 300, driver: 'nic0', status: 'STATUS_LINK_FAILED' },
    ];
    const r = run(s);
    expect(times(r, 'callback.error')).toEqual([300]);
    // Before it was told, it kept submitting on the dead address (R16 answers INVALID_CONNECTION).
    expect(r.of('send.complete', { status: 'STATUS_INVALID_CONNECTION' }).length).toBeGreaterThan(0);
    expect(times(r, 'send.submit').filter((t) => t >= 300)).toEqual([]);
    expect(times(r, 'address.close')).toEqual([340]);
    expect(r.of('client.fail').filter((e) => e.t >= 300).length).toBeGreaterThan(0);
  });

  it('R35, R36: a non-fatal fault with recoverAfterUs is followed by driver.recover', () => {
    const s = baseScenario();
    s.faults = [{ atUs: 100, driver: 'nic0', status: 'STATUS_PORT_UNREACHABLE', fatal: false, recoverAfterUs: 250 }];
    const r = run(s);
    expect(times(r, 'driver.recover', { driver: 'nic0' })).toEqual([350]);
    expect(r.of('connection.broken')).toEqual([]);
  });
});

describe('accounting', () => {
  it('R3: on a transport that does not buffer, a NON_BLOCKING send pends and completes; nothing is failed', () => {
    const s = baseScenario();
    s.transports[0]!.buffersSends = false;
    s.transports[0]!.sendBufferBytes = 1000;
    s.connections[0]!.sends = [send(0, 1500), send(10, 700)];
    const r = run(s);
    expect(r.of('send.pending')).toHaveLength(2);
    expect(r.of('client.fail')).toEqual([]);
    expect(r.of('send.complete', { status: 'STATUS_SUCCESS', blocking: true })).toHaveLength(2);
    const a1 = summarize(r.engine).connections.A1!;
    expect([a1.bytesSubmitted, a1.bytesAccepted, a1.bytesFailed, a1.bytesTransmitted]).toEqual([2200, 2200, 0, 2200]);
  });

  it('R15, R16, R32: bytesFailed counts blocking sends the transport failed', () => {
    const s = baseScenario();
    s.transports[0]!.sendBufferBytes = 1000;
    s.clients = [{ id: 'A', handlers: [] }];
    // 0: too long (R15). 10: 1000 copied, then 20: 600 pending; the break at 100 aborts it (R32);
    // 200: on the broken connection (R16).
    s.connections[0]!.sends = [send(0, 20_000, []), send(10, 1000, []), send(20, 600, []), send(200, 50, [])];
    s.faults = [{ atUs: 100, driver: 'nic0', status: 'STATUS_LINK_FAILED' }];
    const r = run(s);
    expect(r.of('send.complete').map((e) => e.status)).toEqual([
      'STATUS_INVALID_PARAMETER',
      'STATUS_SUCCESS',
      'STATUS_CONNECTION_ABORTED',
      'STATUS_INVALID_CONNECTION',
    ]);
    const a1 = summarize(r.engine).connections.A1!;
    expect(a1.bytesFailed).toBe(20_000 + 600 + 50);
    expect(a1.bytesSubmitted).toBe(a1.bytesAccepted + a1.bytesFailed + a1.bytesHeld + a1.bytesPending);
  });
});

describe('lost races', () => {
  it('R24: a resubmission failed because the address broke meanwhile is not a lost race', () => {
    const s = baseScenario();
    s.drivers[0] = { id: 'nic0', kind: 'nic', linkBytesPerMs: 10_000, mtuBytes: 1000 };
    s.transports[0]!.sendBufferBytes = 1000;
    s.clients = [{ id: 'A', handlers: ['SendPossible'], resubmit: { from: 'dpc', delayUs: 400 } }];
    // SendPossible at 100, resubmission due at 500; nic0 fails at 200 and A has no Error handler.
    s.connections[0]!.sends = [send(0, 1000), send(10, 500)];
    s.faults = [{ atUs: 200, driver: 'nic0', status: 'STATUS_LINK_FAILED' }];
    const r = run(s);
    const resubmitted = r.of('send.complete').find((e) => e.t === 500)!;
    expect(resubmitted.status).toBe('STATUS_INVALID_CONNECTION');
    expect(resubmitted.lostRace).toBeUndefined();
    expect(summarize(r.engine).connections.A1!.lostRaces).toBe(0);
  });
});
