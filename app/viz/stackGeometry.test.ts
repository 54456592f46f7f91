// The stack view's geometry and frame state are pure: where things go and what a frame means for
// them is checked here without a DOM (the browser specs check the drawn result).
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/protocol/messages.ts';
import { buildTopology, type Topology } from '../../src/model/topology.ts';
import { validateScenario } from '../../src/scenario/validate.ts';
import race from '../../src/scenario/presets/race.json' with { type: 'json' };
import { fitLabel, NAME_CHAR_PX, stackGeometry } from './stackGeometry.ts';
import { addressState, connectionKey, connectionState, poolState, segmentLabel } from './stackState.ts';

/** The race preset's shape: two clients, one address and one connection each, one 8 KiB pool, ip over two NICs. */
function raceInfo(): Topology {
  const v = validateScenario(race);
  if (!v.ok) throw new Error(v.problems.join('\n'));
  return buildTopology(v.scenario);
}

/** n connections spread over `addresses` addresses, the addresses spread over `clients` clients. */
function wideInfo(n: number, addresses: number, clients = 1): Topology {
  const v = validateScenario({
    format: 'tdi-flow-lab/scenario@1',
    seed: 1,
    durationUs: 1000,
    drivers: [
      { id: 'nic0', kind: 'nic', linkBytesPerMs: 1000 },
      { id: 'nic1', kind: 'nic', linkBytesPerMs: 1000 },
      { id: 'ip', kind: 'protocol', lower: ['nic0', 'nic1'] },
    ],
    transports: [{ id: 'tcp', lower: ['ip'], sendBufferBytes: 8192, maxSendBytes: 65536 }],
    clients: Array.from({ length: clients }, (_, k) => ({ id: String.fromCharCode(65 + k), handlers: clients === 1 ? ['SendPossible'] : [] })),
    addresses: Array.from({ length: addresses }, (_, a) => ({ id: `a${a}`, client: String.fromCharCode(65 + (a % clients)), transport: 'tcp', nics: ['nic0'] })),
    connections: Array.from({ length: n }, (_, c) => ({ id: `c${c}`, address: `a${c % addresses}`, nic: 'nic0' })),
  });
  if (!v.ok) throw new Error(v.problems.join('\n'));
  return buildTopology(v.scenario);
}

function frame(info: Topology, over: Partial<Record<keyof Frame, unknown>> = {}): Frame {
  const nc = info.connectionIds.length;
  const na = info.addressIds.length;
  return {
    poolUsed: new Float64Array(info.transportNodes.length),
    buffered: new Float64Array(nc),
    heldBytes: new Float64Array(nc),
    pendingBytes: new Float64Array(nc),
    queued: new Uint32Array(nc),
    connState: new Uint8Array(nc),
    lostRaces: new Uint32Array(nc),
    nodeFailed: new Uint8Array(info.nodeIds.length),
    addressState: new Uint8Array(na).fill(3),
    addressHandlers: new Uint8Array(na),
    addressErrorCalls: new Uint32Array(na),
    ...over,
  } as unknown as Frame;
}

describe('stack geometry', () => {
  it('rows go top to bottom: clients, addresses, connections, the pool, protocol layers, NICs — all inside the view', () => {
    const g = stackGeometry(raceInfo(), 928, 300);
    const { rows, connections, pools, nodes } = g.layout;
    expect([rows.clients, rows.addresses, rows.connections, rows.transports, ...rows.protocols, rows.nics]).toEqual(
      [rows.clients, rows.addresses, rows.connections, rows.transports, ...rows.protocols, rows.nics].sort((a, b) => a - b),
    );
    for (const p of [...connections, ...nodes]) {
      expect(p.x).toBeGreaterThan(0);
      expect(p.x).toBeLessThan(928);
      expect(p.y).toBeLessThan(300);
    }
    // The pool spans both connections, so each send flies straight down into it.
    for (const c of connections) expect(c.x).toBeGreaterThanOrEqual(pools[0]!.x);
    for (const c of connections) expect(c.x).toBeLessThanOrEqual(pools[0]!.x + pools[0]!.w);
  });

  it('edges join each address to its client and connection, each connection to its pool, each driver to those below', () => {
    const g = stackGeometry(raceInfo(), 928, 300);
    expect(g.edges.map((e) => e.key).sort()).toEqual(['ac0', 'ac1', 'ca0', 'ca1', 'ct0', 'ct1', 'n2-0', 'n2-1', 'n3-2'].sort());
    const ct1 = g.edges.find((e) => e.key === 'ct1')!;
    expect(ct1.y2).toBe(g.layout.pools[0]!.y); // ends on the pool's top edge
  });

  it('neighbouring connections get alternate label lanes (left-to-right rank)', () => {
    const info = wideInfo(6, 3);
    const g = stackGeometry(info, 900, 400);
    const byX = info.connectionIds.map((_, c) => c).sort((a, b) => g.layout.connections[a]!.x - g.layout.connections[b]!.x);
    expect(byX.map((c) => g.connection.laneOf[c])).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('narrow views drop what does not fit: row captions, "client " prefixes, connection names; boxes still fit the row', () => {
    const wide = stackGeometry(raceInfo(), 928, 300);
    expect(wide.showRowLabels).toBe(true);
    expect(wide.client.labels).toEqual(['client A', 'client B']);
    const info = wideInfo(40, 4, 4);
    const narrow = stackGeometry(info, 320, 300);
    expect(narrow.showRowLabels).toBe(false);
    expect(narrow.client.labels).toEqual(['A', 'B', 'C', 'D']);
    expect(narrow.connection.showNames).toBe(false);
    const nicWidths = [0, 1].map((n) => narrow.driverBoxWidth[n]!);
    expect(nicWidths[0]! + nicWidths[1]!).toBeLessThanOrEqual(320);
  });

  it('many addresses draw as small boxes without names', () => {
    expect(stackGeometry(wideInfo(20, 16), 1200, 400).address.small).toBe(false);
    expect(stackGeometry(wideInfo(20, 17), 1200, 400).address).toMatchObject({ small: true, width: 14, height: 20 });
  });
});

describe('stack frame state', () => {
  it("the pool: one segment per connection with bytes in it, laid end to end, proportional to the pool's capacity", () => {
    const info = raceInfo();
    const g = stackGeometry(info, 928, 300);
    const pool = g.layout.pools[0]!;
    const f = frame(info, { poolUsed: Float64Array.of(8192), buffered: Float64Array.of(6144, 2048) });
    const s = poolState(info, g, f, 0);
    expect(s).toMatchObject({ used: 8192, capacity: 8192, full: true, fillText: '8192 B / 8192 B — full' });
    expect(s.segments.map((x) => x.c)).toEqual([0, 1]);
    expect(s.segments[0]!.x).toBe(pool.x);
    expect(s.segments[1]!.x).toBeCloseTo(pool.x + pool.w * 0.75);
    expect(s.segments[1]!.w).toBeCloseTo(pool.w * 0.25);
    expect(segmentLabel(info, s.segments[0]!)).toBe('A1');
    // A connection with nothing in the pool has no segment; a narrow pool hides its fill text.
    expect(poolState(info, g, frame(info, { buffered: Float64Array.of(0, 100) }), 0).segments.map((x) => x.c)).toEqual([1]);
    expect(poolState(info, stackGeometry(info, 300, 300), f, 0).showFill).toBe(false);
  });

  it('the dense view sums the pool per client', () => {
    const info = wideInfo(300, 3);
    const g = stackGeometry(info, 1200, 500);
    expect(g.layout.dense).toBe(true);
    const buffered = new Float64Array(300).fill(10);
    const s = poolState(info, g, frame(info, { buffered, poolUsed: Float64Array.of(3000) }), 0);
    expect(s.segments).toHaveLength(1);
    expect(s.segments[0]!.c).toBe(-1); // client 0
    expect(segmentLabel(info, { ...s.segments[0]!, w: 500 })).toBe('client A');
  });

  it('a connection: state from its bits, ⚑ lost races, a queue of at most 8 blocks above the endpoint, pending at the bottom', () => {
    const info = raceInfo();
    const g = stackGeometry(info, 928, 300);
    const f = frame(info, {
      connState: Uint8Array.of(0, 1), // B1 owes a SendPossible: refused
      lostRaces: Uint32Array.of(0, 3),
      heldBytes: Float64Array.of(0, 4096),
      pendingBytes: Float64Array.of(0, 1024),
      queued: Uint32Array.of(0, 12),
    });
    expect(connectionState(f, 0, g)).toMatchObject({ state: 'ok', raceBadge: '', queue: [] });
    const b1 = connectionState(f, 1, g);
    expect(b1).toMatchObject({ state: 'refused', raceBadge: '⚑3', lostRaces: 3 });
    expect(b1.queue).toHaveLength(8);
    expect(b1.queue[0]!.pending).toBe(true);
    expect(b1.queue.slice(1).every((q) => !q.pending)).toBe(true);
    const top = Math.min(...b1.queue.map((q) => q.y));
    expect(top).toBeGreaterThanOrEqual(-g.connection.radius - 3 - g.queue.room); // inside the band above it
    expect(b1.queue.every((q) => q.y + q.h < -g.connection.radius)).toBe(true);
    // The key changes with anything drawn, so unchanged connections are skipped.
    expect(connectionKey(f, 1)).not.toBe(connectionKey(frame(info, { connState: Uint8Array.of(0, 1) }), 1));
  });

  it('an address: open/usable bits and S E X D badges from the registered handlers', () => {
    const info = raceInfo();
    const f = frame(info, { addressState: Uint8Array.of(1, 3), addressHandlers: Uint8Array.of(0b0101, 0), addressErrorCalls: Uint32Array.of(2, 0) });
    const a = addressState(f, 0);
    expect(a).toMatchObject({ open: true, usable: false, errorCalls: 2, handlers: 'SendPossible ErrorEx' });
    expect(a.badges.map((b) => `${b.text}${b.on ? '+' : '-'}`)).toEqual(['S+', 'E-', 'X+', 'D-']);
  });
});

describe('long ids (#10: 64-character ids overflow labels)', () => {
  it('fitLabel keeps short ids, and shortens long ones in the middle to the room', () => {
    expect(fitLabel('nic0', 100)).toBe('nic0');
    const id = 'connection_with_a_very_long_identifier_that_goes_on_and_on_0017';
    const fitted = fitLabel(id, 140);
    expect(fitted.length).toBeLessThanOrEqual(20);
    expect(fitted).toMatch(/^connection.*….*0017$/);
    expect(fitLabel(id, 10)).toBe('c…');
  });

  it('names of neighbours in a row never reach into each other at phone and desktop widths', () => {
    const long = (id: string) => (id + '_LongIdentifierName'.repeat(4)).slice(0, 64);
    const text = JSON.stringify(race).replace(/"(nic0|nic1|ip|tcp|A|B|A-445|B-any|A1|B1)"/g, (_, id: string) => `"${long(id)}"`);
    const v = validateScenario(JSON.parse(text));
    if (!v.ok) throw new Error(v.problems.join('\n'));
    const topology = buildTopology(v.scenario);
    for (const [w, h] of [[390, 500], [930, 330], [1880, 700]] as const) {
      const geo = stackGeometry(topology, w, h);
      // [names, where each is centred, px per character as fitLabel counts them]
      const rows: [string[], { x: number; y: number }[], number][] = [
        [geo.names.address, geo.layout.addresses, NAME_CHAR_PX],
        [geo.names.connection, geo.layout.connections, NAME_CHAR_PX],
        [geo.drivers.map((n) => geo.names.node[n]!), geo.drivers.map((n) => geo.layout.nodes[n]!), 8.2],
      ];
      let compared = 0;
      for (const [names, points, charPx] of rows) {
        for (let i = 0; i < names.length; i++) {
          const half = (names[i]!.length * charPx) / 2;
          expect(names[i]!.length).toBeLessThan(64);
          expect(points[i]!.x - half).toBeGreaterThanOrEqual(-4);
          expect(points[i]!.x + half).toBeLessThanOrEqual(w + 4);
          for (let j = i + 1; j < names.length; j++) {
            if (Math.abs(points[i]!.y - points[j]!.y) > 1) continue;
            compared++;
            const other = (names[j]!.length * charPx) / 2;
            expect(Math.abs(points[i]!.x - points[j]!.x)).toBeGreaterThanOrEqual(half + other);
          }
        }
      }
      expect(compared).toBeGreaterThan(0);
    }
  });
});
