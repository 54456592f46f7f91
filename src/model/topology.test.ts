// The one Topology: built by the engine, sent to the page with `loaded`, read by views and the why-chain.
import { describe, expect, it } from 'vitest';
import { baseScenario } from '../testkit.ts';
import { validateScenario } from '../scenario/validate.ts';
import { buildTopology } from './topology.ts';

// A protocol listed before the NICs, so a NIC's node index (1, 2) differs from its NIC slot (0, 1).
function twoNicTopology() {
  const s = baseScenario();
  s.drivers = [
    { id: 'ip', kind: 'protocol', lower: ['nic0', 'nic1'] },
    { id: 'nic0', kind: 'nic', linkBytesPerMs: 1000, mtuBytes: 1000 },
    { id: 'nic1', kind: 'nic', linkBytesPerMs: 1000, mtuBytes: 1000 },
  ];
  s.transports[0]!.lower = ['ip'];
  s.addresses[0]!.nics = ['nic0', 'nic1'];
  s.connections = [
    { id: 'A1', address: 'A-1', nic: 'nic1', sends: [] },
    { id: 'A2', address: 'A-1', nic: 'nic0', sends: [] },
  ];
  const v = validateScenario(s);
  if (!v.ok) throw new Error(v.problems.join('\n'));
  return buildTopology(v.scenario);
}

describe('topology', () => {
  it("names a connection's NIC both ways: node index and NIC slot", () => {
    const topo = twoNicTopology();
    expect(Array.from(topo.connectionNicNode, (n) => topo.nodeIds[n])).toEqual(['nic1', 'nic0']);
    expect(Array.from(topo.connectionNicSlot)).toEqual([1, 0]);
    expect(Array.from(topo.connectionNicSlot, (slot) => topo.nicNode[slot])).toEqual(Array.from(topo.connectionNicNode));
  });

  it('R30: holds the driver graph and each address NICs and dependencies as node indices', () => {
    const topo = twoNicTopology();
    const names = (ns: ArrayLike<number>) => Array.from(ns, (n) => topo.nodeIds[n]);
    expect(topo.nodeLower.map(names)).toEqual([['nic0', 'nic1'], [], [], ['ip']]);
    expect(names(topo.addressNics[0]!)).toEqual(['nic0', 'nic1']);
    expect(names(topo.addressDeps[0]!).sort()).toEqual(['ip', 'nic0', 'nic1', 'tcp']);
    expect(names(topo.transportNodes)).toEqual(['tcp']);
    expect(topo.transportCapacity).toEqual([4000]);
    expect(topo.clientHandlers).toEqual([['SendPossible', 'Error']]);
  });

  it('survives structured cloning (it is posted to the page with `loaded`)', () => {
    const topo = twoNicTopology();
    const copy = structuredClone(topo);
    expect(copy).toEqual(topo);
    expect(copy.nodeIndex.get('nic1')).toBe(2);
  });
});
