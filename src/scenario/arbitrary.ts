// fast-check generators of valid scenarios (small random stacks and workloads), for property tests.
import fc from 'fast-check';
import type { ScenarioInput } from './schema.ts';
import { HANDLER_NAMES, STATUS_NAMES } from '../base/status.ts';
import { NOTIFY_POLICIES, RESUBMIT_FROM, RESUBMIT_SIZES, WSK_IN_FLIGHT } from './options.ts';

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

export const scenarioArb: fc.Arbitrary<ScenarioInput> = fc
  .record({
    seed: fc.integer({ min: 0, max: 1000 }),
    description: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    nics: fc.integer({ min: 1, max: 3 }),
    withIp: fc.boolean(),
    transports: fc.array(
      fc.record({
        pool: fc.integer({ min: 500, max: 8000 }),
        maxSend: fc.integer({ min: 500, max: 10_000 }),
        notify: pick(NOTIFY_POLICIES),
        // R22: mostly the default threshold, so that SendPossible rounds are common.
        threshold: fc.oneof({ arbitrary: fc.constant(1), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 3000 }), weight: 1 }),
        buffers: fc.boolean(),
        buffersFirst: fc.boolean(),
        irql: pick(['DISPATCH_LEVEL', 'PASSIVE_LEVEL'] as const),
        disconnect: fc.boolean(),
        // R32: what a broken connection's pending sends complete with (absent: the default).
        abortStatus: fc.option(pick(['STATUS_CONNECTION_RESET', 'STATUS_CANCELLED', 'STATUS_LOCAL_DISCONNECT'] as const), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    clients: fc.array(
      fc.record({
        handlers: fc.subarray([...HANDLER_NAMES]),
        sendPossible: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
        from: pick(RESUBMIT_FROM),
        delayUs: fc.integer({ min: 1, max: 300 }),
        size: pick(RESUBMIT_SIZES),
        closeAfterUs: fc.integer({ min: 0, max: 200 }),
        reopenAfterUs: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
        queueLimitBytes: fc.option(fc.integer({ min: 1000, max: 20_000 }), { nil: undefined }),
        // W3: the WSK policy (a run through TDI ignores it); absent now and then, so its default runs too.
        wsk: fc.option(fc.record({ inFlight: pick(WSK_IN_FLIGHT), irps: fc.integer({ min: 1, max: 4 }) }), { nil: undefined }),
        // R41: now and then a handler that misbehaves (fc.option's freq is the odds of nil, so weights instead).
        misbehave: fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 3 },
          { arbitrary: fc.record({ handler: pick(HANDLER_NAMES), does: pick(['wait', 'pageable', 'zwClose'] as const) }), weight: 1 },
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    addresses: fc.array(fc.record({ client: fc.nat(), transport: fc.nat(), nicMask: fc.integer({ min: 1, max: 7 }) }), { minLength: 1, maxLength: 4 }),
    connections: fc.array(
      fc.record({
        address: fc.nat(),
        nic: fc.nat(),
        sends: fc.array(fc.record({ atUs: fc.integer({ min: 0, max: 8000 }), bytes: fc.integer({ min: 1, max: 6000 }), flags: fc.oneof({ arbitrary: fc.constant(['NON_BLOCKING' as const]), weight: 3 }, { arbitrary: fc.subarray(['NON_BLOCKING', 'EXPEDITED'] as const), weight: 2 }) }), { maxLength: 5 }),
        generator: fc.option(fc.record({ startUs: fc.integer({ min: 0, max: 2000 }), everyUs: fc.integer({ min: 50, max: 2000 }), bytes: fc.integer({ min: 1, max: 4000 }), count: fc.integer({ min: 0, max: 30 }), jitterUs: fc.integer({ min: 0, max: 300 }), blocking: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }) }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    faults: fc.array(fc.record({ atUs: fc.integer({ min: 0, max: 9000 }), node: fc.nat(), status: pick(STATUS_NAMES.filter((n) => n.startsWith('STATUS_') && !['STATUS_SUCCESS', 'STATUS_PENDING'].includes(n))), fatal: fc.boolean(), recoverAfterUs: fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined }) }), { maxLength: 4 }),
    handlerChanges: fc.array(fc.record({ atUs: fc.integer({ min: 0, max: 9000 }), address: fc.nat(), handler: pick(HANDLER_NAMES), registered: fc.boolean() }), { maxLength: 4 }),
    policyChanges: fc.array(
      fc.record({
        atUs: fc.integer({ min: 0, max: 9000 }),
        client: fc.option(fc.nat(), { nil: undefined }),
        from: fc.option(pick(RESUBMIT_FROM), { nil: undefined }),
        delayUs: fc.integer({ min: 1, max: 200 }),
        size: fc.option(pick(RESUBMIT_SIZES), { nil: undefined }),
        transport: fc.option(fc.nat(), { nil: undefined }),
        notify: fc.option(pick(NOTIFY_POLICIES), { nil: undefined }),
        thresholdBytes: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
      }),
      { maxLength: 3 },
    ),
  })
  .map((p) => {
    const nics = Array.from({ length: p.nics }, (_, i) => `nic${i}`);
    const drivers: ScenarioInput['drivers'] = nics.map((id, i) => ({ id, kind: 'nic' as const, linkBytesPerMs: 500 + 700 * i, mtuBytes: 1000 + 230 * i }));
    if (p.withIp) drivers.push({ id: 'ip', kind: 'protocol', lower: nics });
    const transports = p.transports.map((t, i) => ({
      id: `t${i}`,
      lower: p.withIp ? ['ip'] : nics,
      sendBufferBytes: t.pool,
      maxSendBytes: t.maxSend,
      sendPossible: { notify: t.notify, thresholdBytes: Math.min(t.threshold, t.pool) },
      // R3: non-buffering transports, the second one often, the first one now and then.
      buffersSends: i === 1 ? t.buffers : t.buffers || t.buffersFirst,
      callbackIrql: t.irql,
      disconnectOnError: t.disconnect,
      ...(t.abortStatus ? { abortStatus: t.abortStatus } : {}),
    }));
    const clients = p.clients.map((c, i) => ({
      id: `c${i}`,
      handlers: c.sendPossible && !c.handlers.includes('SendPossible') ? ['SendPossible' as const, ...c.handlers] : c.handlers,
      resubmit: { from: c.from, delayUs: c.delayUs, size: c.size },
      onError: { closeAfterUs: c.closeAfterUs, ...(c.reopenAfterUs ? { reopenAfterUs: c.reopenAfterUs } : {}) },
      ...(c.queueLimitBytes ? { queueLimitBytes: c.queueLimitBytes } : {}),
      ...(c.wsk ? { wsk: c.wsk } : {}),
      ...(c.misbehave ? { handlerMisbehaviour: c.misbehave } : {}),
    }));
    const addresses = p.addresses.map((a, i) => {
      const bound = nics.filter((_, k) => (a.nicMask >> k) & 1);
      return { id: `a${i}`, client: `c${a.client % clients.length}`, transport: `t${a.transport % transports.length}`, nics: bound.length > 0 ? bound : [nics[0]!] };
    });
    const connections = p.connections.map((c, i) => {
      const a = addresses[c.address % addresses.length]!;
      return {
        id: `k${i}`,
        address: a.id,
        nic: a.nics[c.nic % a.nics.length]!,
        sends: c.sends.map((x) => ({ ...x, flags: [...x.flags] })),
        ...(c.generator
          ? { generator: { startUs: c.generator.startUs, everyUs: c.generator.everyUs, bytes: c.generator.bytes, count: c.generator.count, jitterUs: c.generator.jitterUs, flags: c.generator.blocking ? [] : ['NON_BLOCKING'] } }
          : {}),
      };
    });
    const nodes = [...drivers.map((d) => d.id), ...transports.map((t) => t.id)];
    return {
      format: 'tdi-flow-lab/scenario@1',
      title: 'generated',
      ...(p.description !== undefined ? { description: p.description } : {}),
      seed: p.seed,
      durationUs: 10_000,
      drivers,
      transports,
      clients,
      addresses,
      connections,
      faults: p.faults.map((f) => ({ atUs: f.atUs, driver: nodes[f.node % nodes.length]!, status: f.status, fatal: f.fatal, ...(f.recoverAfterUs ? { recoverAfterUs: f.recoverAfterUs } : {}) })),
      handlerChanges: p.handlerChanges.map((h) => ({ ...h, address: addresses[h.address % addresses.length]!.id })),
      policyChanges: p.policyChanges.map((c) => {
        const client = c.client === undefined ? undefined : clients[c.client % clients.length]!.id;
        const transport = c.transport === undefined ? undefined : transports[c.transport % transports.length]!;
        // R22: a threshold no larger than the smallest pool it applies to.
        const smallestPool = Math.min(...(transport ? [transport] : transports).map((t) => t.sendBufferBytes));
        return {
          atUs: c.atUs,
          ...(client ? { client } : {}),
          resubmit: { ...(c.from ? { from: c.from } : {}), delayUs: c.delayUs, ...(c.size ? { size: c.size } : {}) },
          ...(transport ? { transport: transport.id } : {}),
          sendPossible: {
            ...(c.notify ? { notify: c.notify } : {}),
            ...(c.thresholdBytes !== undefined ? { thresholdBytes: Math.min(c.thresholdBytes, smallestPool) } : {}),
          },
        };
      }),
    } as ScenarioInput;
  });
