// One test (or more) per rule of docs/rules.md, each named with its rule number.
import { describe, expect, it } from 'vitest';
import { baseScenario, completions, run } from '../testkit.ts';
import type { ScenarioInput } from '../scenario/schema.ts';

type Conn = ScenarioInput['connections'][number];
const NB = ['NON_BLOCKING'] as const;
const send = (atUs: number, bytes: number, flags: readonly string[] = NB) => ({ atUs, bytes, flags: [...flags] }) as never;

function withSends(sends: unknown[], tweak: (s: ScenarioInput) => void = () => {}): ScenarioInput {
  const s = baseScenario();
  (s.connections[0] as Conn).sends = sends as Conn['sends'];
  tweak(s);
  return s;
}

describe('registration', () => {
  it('R1: an address opens with no handlers, then its client registers its own', () => {
    const r = run(withSends([]));
    const first = r.events.slice(0, 3).map((e) => `${e.type}:${String(e.event ?? '')}`);
    expect(first).toEqual(['address.open:', 'handler.register:SendPossible', 'handler.register:Error']);
    expect(r.of('handler.register').map((e) => e.eventType)).toEqual([6, 2]);
  });

  it('R2: registering NULL stops the event; registering again restores it', () => {
    // Pool 1000 B, NIC 1 B/µs: t=0 fills it, t=100 is refused; SendPossible would come at 1000.
    const s = withSends([send(0, 1000), send(100, 500)], (x) => {
      x.transports[0]!.sendBufferBytes = 1000;
      x.handlerChanges = [
        { atUs: 50, address: 'A-1', handler: 'SendPossible', registered: false },
        { atUs: 3000, address: 'A-1', handler: 'SendPossible', registered: true },
      ];
    });
    const r = run(s);
    const calls = r.of('callback.sendPossible');
    // Not called while unregistered (at 1000 when space freed); called once it is registered again.
    expect(calls.map((c) => c.t)).toEqual([3000]);
  });

  it('R3: a transport that does not buffer sends refuses SendPossible and ignores NON_BLOCKING', () => {
    const s = withSends([send(0, 3000), send(10, 3000)], (x) => {
      x.transports[0]!.buffersSends = false;
    });
    const r = run(s);
    const reg = r.of('handler.register', { event: 'SendPossible' })[0]!;
    expect(reg.status).toBe('STATUS_INVALID_PARAMETER');
    // The non-blocking send that does not fit is held (STATUS_PENDING), never refused.
    expect(r.of('send.complete', { status: 'STATUS_DEVICE_NOT_READY' })).toHaveLength(0);
    expect(r.of('send.pending')).toHaveLength(2);
    expect(r.of('callback.sendPossible')).toHaveLength(0);
  });
});

describe('TDI_SEND', () => {
  it('R10: blocking sends complete in FIFO order; EXPEDITED goes ahead of queued normal sends', () => {
    const s = withSends([send(0, 4000, []), send(10, 1000, []), send(20, 1000, []), send(30, 500, ['EXPEDITED']), send(40, 500, ['EXPEDITED'])]);
    const r = run(s);
    const order = completions(r).filter((c) => c.status === 'STATUS_SUCCESS').map((c) => `${c.bytes}${c.flags.includes('EXPEDITED') ? 'x' : ''}`);
    expect(order).toEqual(['4000', '500x', '500x', '1000', '1000']);
  });

  it('R11: enough free space → everything copied, STATUS_SUCCESS, Information = SendLength', () => {
    const c = completions(run(withSends([send(0, 1500)])))[0]!;
    expect([c.status, c.information]).toEqual(['STATUS_SUCCESS', 1500]);
  });

  it('R12: some space but not enough → what fits is copied, STATUS_SUCCESS, Information < SendLength', () => {
    const c = completions(run(withSends([send(0, 3000), send(1, 3000)])));
    expect(c[1]).toMatchObject({ status: 'STATUS_SUCCESS', information: 1000, bytes: 3000 });
    // The client still owns the rest and submits it: the full pool refuses it.
    expect(c[2]).toMatchObject({ status: 'STATUS_DEVICE_NOT_READY', bytes: 2000 });
  });

  it('R13: no free space → STATUS_DEVICE_NOT_READY at once with Information 0, not queued', () => {
    const r = run(withSends([send(0, 4000), send(5, 700)]));
    const refused = completions(r)[1]!;
    expect(refused).toMatchObject({ status: 'STATUS_DEVICE_NOT_READY', code: '0xC00000A3', information: 0, t: 5 });
    expect(r.of('send.pending')).toHaveLength(0);
  });

  it('R14: a blocking send that does not fit is pending and completes once all of it is copied', () => {
    const r = run(withSends([send(0, 3000, []), send(10, 2500, [])]));
    const pending = r.of('send.pending');
    expect(pending.map((p) => p.sendId)).toEqual([0, 1]);
    const second = r.of('send.complete', { sendId: 1 })[0]!;
    expect(second).toMatchObject({ status: 'STATUS_SUCCESS', information: 2500 });
    // It was copied in parts as the NIC drained (1000 free at t=10, the rest after transmits).
    const copies = r.of('buffer.copy', { sendId: 1 });
    expect(copies.length).toBeGreaterThan(1);
    expect(second.t).toBe(copies.at(-1)!.t);
  });

  it('R15: a send longer than maxSendBytes fails with STATUS_INVALID_PARAMETER', () => {
    const r = run(withSends([send(0, 10_001)]));
    expect(completions(r)[0]).toMatchObject({ status: 'STATUS_INVALID_PARAMETER', information: 0 });
    expect(r.of('client.fail')[0]).toMatchObject({ bytes: 10_001 });
  });

  it('R16: a send on a connection whose address is unusable completes STATUS_INVALID_CONNECTION', () => {
    // The client has no Error handler, so it does not know and keeps submitting.
    const s = withSends([send(0, 100), send(2000, 100)], (x) => {
      x.clients[0]!.handlers = [];
      x.faults = [{ atUs: 1000, driver: 'nic0', status: 'STATUS_ADAPTER_HARDWARE_ERROR' }];
    });
    const after = completions(run(s)).filter((c) => c.t === 2000)[0]!;
    expect(after.status).toBe('STATUS_INVALID_CONNECTION');
  });
});

describe('ClientEventSendPossible', () => {
  const full = (tweak: (s: ScenarioInput) => void = () => {}) => withSends([send(0, 4000), send(100, 1500)], tweak);

  it('R20: after a DEVICE_NOT_READY, free space brings ClientEventSendPossible to that connection', () => {
    const r = run(full());
    const sp = r.of('callback.sendPossible');
    expect(sp.length).toBeGreaterThan(0);
    expect(sp[0]).toMatchObject({ connection: 'A1', client: 'A', address: 'A-1', t: 1000 });
  });

  it('R21: a connection with no debt is never called; the debt is paid by one call', () => {
    const noRefusal = run(withSends([send(0, 1000), send(2000, 1000)]));
    expect(noRefusal.of('callback.sendPossible')).toHaveLength(0);
    // Refused once; two transmits free space afterwards, but the debt buys one call only.
    const s = full((x) => (x.clients[0]!.resubmit = { from: 'timer', delayUs: 5000, size: 'full' }));
    s.clients[0]!.handlers = ['SendPossible', 'Error'];
    const once = run(s, 2500);
    expect(once.of('callback.sendPossible')).toHaveLength(1);
  });

  it('R21: a connection whose address has no SendPossible handler is never called', () => {
    const r = run(full((x) => (x.clients[0]!.handlers = ['Error'])));
    expect(r.of('send.complete', { status: 'STATUS_DEVICE_NOT_READY' }).length).toBeGreaterThan(0);
    expect(r.of('callback.sendPossible')).toHaveLength(0);
  });

  const herd = (notify: 'all' | 'oldest', thresholdBytes = 1): ScenarioInput => {
    const s = baseScenario();
    s.transports[0]!.sendPossible = { notify, thresholdBytes };
    s.clients[0]!.resubmit = { from: 'dpc', delayUs: 50, size: 'full' };
    s.connections = ['A1', 'A2', 'A3'].map((id, i) => ({
      id,
      address: 'A-1',
      nic: 'nic0',
      sends: [send(0, i === 0 ? 4000 : 100), send(10 + i, 500)],
    }));
    return s;
  };

  it('R22 all: every indebted connection is called, in the order of their refusals', () => {
    const r = run(herd('all'), 1000);
    const sp = r.of('callback.sendPossible');
    const refusalOrder = r.of('send.complete', { status: 'STATUS_DEVICE_NOT_READY' }).map((e) => e.connection);
    expect(refusalOrder).toEqual(['A2', 'A3', 'A1']); // A1's second send is refused at 10 µs
    expect(sp.map((e) => e.connection)).toEqual(refusalOrder);
    expect(new Set(sp.map((e) => e.t))).toEqual(new Set([1000]));
  });

  it('R22 oldest: only the longest-waiting connection is called', () => {
    const sp = run(herd('oldest'), 1000).of('callback.sendPossible');
    expect(sp.map((e) => e.connection)).toEqual(['A2']); // refused first, at 0 µs
  });

  it('R22 thresholdBytes: nobody is called before free space reaches the threshold', () => {
    const sp = run(herd('all', 2500), 5000).of('callback.sendPossible');
    // The NIC frees 1000 B per ms: 2500 B are free only after the third transmit (t = 3000).
    expect(sp[0]!.t).toBe(3000);
    expect(sp[0]!.bytesAvailable).toBeGreaterThanOrEqual(2500);
  });

  it('R23: BytesAvailable is the free space at the instant of the call, not reserved', () => {
    // from: handler — A1 resubmits inside its callback, so A2, called next, is told less.
    const s = herd('all');
    s.clients[0]!.resubmit = { from: 'handler', delayUs: 0, size: 'full' };
    const r = run(s, 1000);
    const sp = r.of('callback.sendPossible');
    expect(sp[0]!.bytesAvailable).toBe(1000);
    const takenBetween = r
      .of('send.complete')
      .filter((e) => e.seq > sp[0]!.seq && e.seq < sp[1]!.seq)
      .reduce((sum, e) => sum + (e.information as number), 0);
    expect(takenBetween).toBe(600); // A2's 100 + 500 held bytes
    expect(sp[1]!.bytesAvailable).toBe(1000 - takenBetween);
  });

  it('R24: resubmission after SendPossible can lose the race', () => {
    // A and B both told 1000 B at t=1000; A resubmits after 10 µs, B after 60 µs and finds nothing.
    const s = baseScenario();
    s.clients = [
      { id: 'A', handlers: ['SendPossible'], resubmit: { from: 'dpc', delayUs: 10, size: 'full' } },
      { id: 'B', handlers: ['SendPossible'], resubmit: { from: 'workItem', delayUs: 60, size: 'available' } },
    ];
    s.addresses = [
      { id: 'A-1', client: 'A', transport: 'tcp', nics: ['nic0'] },
      { id: 'B-1', client: 'B', transport: 'tcp', nics: ['nic0'] },
    ];
    s.connections = [
      { id: 'A1', address: 'A-1', nic: 'nic0', sends: [send(0, 4000), send(10, 1000)] },
      { id: 'B1', address: 'B-1', nic: 'nic0', sends: [send(20, 1000)] },
    ];
    const r = run(s, 1100);
    const told = r.of('callback.sendPossible').map((e) => [e.connection, e.bytesAvailable]);
    expect(told).toEqual([['A1', 1000], ['B1', 1000]]);
    const resubmits = completions(r).filter((c) => c.resubmit);
    expect(resubmits.map((c) => [c.connection, c.t, c.status, c.lostRace === true])).toEqual([
      ['A1', 1010, 'STATUS_SUCCESS', false],
      ['B1', 1060, 'STATUS_DEVICE_NOT_READY', true],
    ]);
    expect(r.engine.metrics().lostRaces[1]).toBe(1);
  });

  it('R25 size=available: the resubmission asks for at most BytesAvailable', () => {
    const s = full((x) => (x.clients[0]!.resubmit = { from: 'handler', delayUs: 0, size: 'available' }));
    const first = completions(run(s)).find((c) => c.resubmit)!;
    expect(first.bytes).toBe(1000);
    const sFull = full((x) => (x.clients[0]!.resubmit = { from: 'handler', delayUs: 0, size: 'full' }));
    expect(completions(run(sFull)).find((c) => c.resubmit)!.bytes).toBe(1500);
  });

  it('R25 from: handler resubmits inside the callback; dpc/workItem after delayUs', () => {
    for (const [from, delayUs] of [['handler', 0], ['dpc', 25], ['workItem', 140]] as const) {
      const s = full((x) => (x.clients[0]!.resubmit = { from, delayUs, size: 'full' }));
      const r = run(s);
      const sp = r.of('callback.sendPossible')[0]!;
      const resub = r.of('send.submit').find((e) => e.resubmit)!;
      expect(resub.t - sp.t).toBe(delayUs);
    }
  });

  it('R25 from: timer retries every delayUs without any SendPossible', () => {
    const s = full((x) => {
      x.clients[0]!.handlers = ['Error'];
      x.clients[0]!.resubmit = { from: 'timer', delayUs: 300, size: 'full' };
    });
    const r = run(s, 2000);
    const refusedAt = r.of('send.complete', { status: 'STATUS_DEVICE_NOT_READY' }).map((e) => e.t);
    expect(refusedAt.slice(0, 3)).toEqual([100, 400, 700]);
    expect(r.of('callback.sendPossible')).toHaveLength(0);
  });
});

describe('ClientEventError / ErrorEx', () => {
  // Two NICs under ip; addresses on nic0, nic1 and both.
  const stack = (): ScenarioInput => {
    const s = baseScenario();
    s.drivers = [
      { id: 'nic0', kind: 'nic', linkBytesPerMs: 1000, mtuBytes: 1000 },
      { id: 'nic1', kind: 'nic', linkBytesPerMs: 1000, mtuBytes: 1000 },
      { id: 'ip', kind: 'protocol', lower: ['nic0', 'nic1'] },
    ];
    s.transports[0]!.lower = ['ip'];
    s.clients = [
      { id: 'A', handlers: ['SendPossible', 'Error', 'ErrorEx'], onError: { closeAfterUs: 50, reopenAfterUs: 1000 } },
      { id: 'B', handlers: ['SendPossible', 'Error'] },
      { id: 'C', handlers: ['SendPossible'] },
    ];
    s.addresses = [
      { id: 'A-0', client: 'A', transport: 'tcp', nics: ['nic0'] },
      { id: 'B-1', client: 'B', transport: 'tcp', nics: ['nic1'] },
      { id: 'C-any', client: 'C', transport: 'tcp', nics: ['nic0', 'nic1'] },
      { id: 'B-any', client: 'B', transport: 'tcp', nics: ['nic0', 'nic1'] },
    ];
    s.connections = [
      { id: 'A1', address: 'A-0', nic: 'nic0', sends: [send(0, 1500), send(10, 3000), send(1500, 100), send(3000, 100)] },
      { id: 'B1', address: 'B-1', nic: 'nic1', sends: [send(20, 1000)] },
      { id: 'C1', address: 'C-any', nic: 'nic1', sends: [] },
      { id: 'B2', address: 'B-any', nic: 'nic1', sends: [send(30, 500, [])] },
    ];
    s.faults = [{ atUs: 500, driver: 'nic0', status: 'STATUS_ADAPTER_HARDWARE_ERROR', recoverAfterUs: 1200 }];
    return s;
  };

  it('R30: every registered Error and ErrorEx handler on every dependent open address, and no other', () => {
    const calls = run(stack()).of('callback.error').map((e) => `${e.address as string}/${e.ex ? 'ErrorEx' : 'Error'}`);
    // A-0 (nic0) gets both; B-any (wildcard) gets Error; C-any has no handler; B-1 (nic1 only) nothing.
    expect(calls).toEqual(['A-0/Error', 'A-0/ErrorEx', 'B-any/Error']);
  });

  it('R30: a failed lower protocol reaches every address above it; a failed transport all of its own', () => {
    const s = stack();
    s.faults = [{ atUs: 500, driver: 'ip', status: 'STATUS_LINK_FAILED' }];
    expect(new Set(run(s).of('callback.error').map((e) => e.address))).toEqual(new Set(['A-0', 'B-1', 'B-any']));
  });

  it('R31: after a fatal error every connection of the address is broken', () => {
    const broken = run(stack()).of('connection.broken').map((e) => e.connection);
    expect(broken).toEqual(['A1', 'C1', 'B2']); // C1 routes over the healthy nic1, but C-any depends on nic0
  });

  it('R32: pending sends of a broken connection complete with the abort status; its buffered bytes are discarded', () => {
    const r = run(stack(), 600);
    const aborted = r.of('send.complete', { connection: 'B2' }).filter((e) => e.t === 500);
    expect(aborted.every((e) => e.status === 'STATUS_CONNECTION_ABORTED')).toBe(true);
    const discard = r.of('buffer.discard', { connection: 'A1' })[0]!;
    expect(discard.bytes).toBeGreaterThan(0);
    expect(r.engine.metrics().buffered[0]).toBe(0);
  });

  it('R32: the freed space triggers SendPossible for a connection on a healthy address', () => {
    const s = stack();
    // B1 fills what A1 left, gets refused, and is told about space when A1's bytes are discarded.
    s.connections[1]!.sends = [send(20, 1000), send(30, 1000)];
    const r = run(s, 600);
    const sp = r.of('callback.sendPossible', { connection: 'B1' });
    expect(sp.map((e) => e.t)).toContain(500);
  });

  it('R33: the client fails its own held sends; new work for the address fails at once', () => {
    const r = run(stack(), 1600);
    const fails = r.of('client.fail', { connection: 'A1' });
    expect(fails.some((e) => e.t === 500)).toBe(true); // its refused remainder
    expect(fails.some((e) => e.t === 1500 && e.bytes === 100)).toBe(true); // after the error, never submitted
    expect(r.of('send.submit', { connection: 'A1' }).some((e) => e.t === 1500)).toBe(false);
  });

  it('R34: the address is closed after closeAfterUs and reopened once the driver recovered', () => {
    const r = run(stack());
    expect(r.of('address.close', { address: 'A-0' }).map((e) => e.t)).toEqual([550]);
    // Reopen tries at 1550 (nic0 still failed until 1700), then at 2550.
    expect(r.of('address.open', { address: 'A-0' }).map((e) => e.t)).toEqual([0, 2550]);
    expect(r.of('send.complete', { connection: 'A1' }).find((e) => e.t === 3000)?.status).toBe('STATUS_SUCCESS');
  });

  it('R35: a fault recovers after recoverAfterUs; an address not reopened stays broken', () => {
    const r = run(stack());
    expect(r.of('driver.recover').map((e) => e.t)).toEqual([1700]);
    // C has no Error handler: it never learns, never reopens, and C-any stays broken after recovery.
    expect(r.engine.snapshot().addressState[2]).toBe(1); // open (bit 1), not usable (bit 2 clear)
    expect(r.engine.snapshot().addressState[0]).toBe(3); // A-0 reopened: open and usable
  });

  it('R36: a non-fatal *_UNREACHABLE error calls the handlers and breaks nothing', () => {
    const s = stack();
    s.faults = [{ atUs: 500, driver: 'ip', status: 'STATUS_PORT_UNREACHABLE', fatal: false }];
    const r = run(s);
    expect(r.of('callback.error').length).toBeGreaterThan(0);
    expect(r.of('connection.broken')).toHaveLength(0);
    expect(r.of('buffer.discard')).toHaveLength(0);
  });
});

describe('IRQL', () => {
  const misbehaving = (does: 'wait' | 'pageable' | 'zwClose', irql: 'DISPATCH_LEVEL' | 'PASSIVE_LEVEL') =>
    withSends([send(0, 4000), send(100, 1000)], (x) => {
      x.transports[0]!.callbackIrql = irql;
      x.clients[0]!.handlerMisbehaviour = { handler: 'SendPossible', does };
    });

  it('R40: every callback records the IRQL it was made at', () => {
    const r = run(withSends([send(0, 4000), send(100, 1000)]));
    expect(r.of('callback.sendPossible')[0]!.irql).toBe('DISPATCH_LEVEL');
    const passive = run(misbehaving('wait', 'PASSIVE_LEVEL'));
    expect(passive.of('callback.sendPossible')[0]!.irql).toBe('PASSIVE_LEVEL');
  });

  it('R41: a handler that waits at DISPATCH_LEVEL stops the model with IRQL_NOT_LESS_OR_EQUAL', () => {
    const r = run(misbehaving('wait', 'DISPATCH_LEVEL'));
    expect(r.of('bugcheck')[0]).toMatchObject({ code: '0x0000000A', name: 'IRQL_NOT_LESS_OR_EQUAL', client: 'A', handler: 'ClientEventSendPossible' });
    expect(r.events.at(-1)!.type).toBe('bugcheck'); // nothing happens after it
    expect(r.engine.finished).toBe(true);
  });

  it('R41: touching pageable memory gives DRIVER_IRQL_NOT_LESS_OR_EQUAL; at PASSIVE_LEVEL nothing happens', () => {
    expect(run(misbehaving('pageable', 'DISPATCH_LEVEL')).of('bugcheck')[0]!.code).toBe('0x000000D1');
    expect(run(misbehaving('pageable', 'PASSIVE_LEVEL')).of('bugcheck')).toHaveLength(0);
  });
});

describe('policy changes in time (added)', () => {
  it('R25: switching B to resubmit from its handler at 5 ms ends its lost races from then on', async () => {
    const { loadPreset } = await import('../scenario/presets.ts');
    const s = (await loadPreset('race')) as ScenarioInput;
    const before = run(s);
    const lostAfter = (r: ReturnType<typeof run>, conn: string) =>
      r.events.filter((e) => e.type === 'send.complete' && e.lostRace && e.connection === conn && e.t > 5000).length;
    expect(lostAfter(before, 'B1')).toBeGreaterThan(0);
    s.policyChanges = [{ atUs: 5000, client: 'B', resubmit: { from: 'handler' } }];
    const after = run(s);
    expect(lostAfter(after, 'B1')).toBe(0); // told the exact free space and takes it at once (R23)
    // Up to 5 ms nothing differs.
    const upTo = (r: ReturnType<typeof run>) => r.events.filter((e) => e.t < 5000).map((e) => JSON.stringify(e));
    expect(upTo(after)).toEqual(upTo(before));
  });
});
