// The static shape of a scenario, resolved to indices once at load: who is below whom, which
// addresses depend on which drivers. The engine's hot path only ever sees these indices.
import type { Scenario } from '../scenario/schema.ts';
import { reachableFrom } from '../scenario/graph.ts';
import { HANDLER_NAMES, handlerBit, type HandlerName } from '../base/status.ts';

export type NodeKind = 'nic' | 'protocol' | 'transport';

export interface Topology {
  /** Drivers then transports: every id a fault may name. */
  nodeIds: string[];
  nodeKind: NodeKind[];
  nodeIndex: Map<string, number>;
  /** Node index → NIC slot (or -1). */
  nicSlotOfNode: Int32Array;
  nicNode: Int32Array;
  transportNode: Int32Array;
  clientIds: string[];
  addressIds: string[];
  connectionIds: string[];
  addressClient: Int32Array;
  addressTransport: Int32Array;
  /** Per address, the node indices it depends on (R30): its transport and every driver on a path down to its NICs. */
  addressDeps: Int32Array[];
  /** Per address, its connections, in scenario order. */
  addressConnections: Int32Array[];
  /** Per client, the registration mask its `handlers` ask for. */
  clientHandlerMask: Uint8Array;
  connectionAddress: Int32Array;
  connectionTransport: Int32Array;
  connectionClient: Int32Array;
  /** NIC slot of each connection's route. */
  connectionNic: Int32Array;
}

export function buildTopology(s: Scenario): Topology {
  const nodeIds = [...s.drivers.map((d) => d.id), ...s.transports.map((t) => t.id)];
  const nodeKind: NodeKind[] = [...s.drivers.map((d) => d.kind), ...s.transports.map(() => 'transport' as const)];
  const nodeIndex = new Map(nodeIds.map((id, i) => [id, i]));
  const nicNodes = nodeKind.flatMap((k, i) => (k === 'nic' ? [i] : []));
  const nicSlotOfNode = new Int32Array(nodeIds.length).fill(-1);
  nicNodes.forEach((node, slot) => (nicSlotOfNode[node] = slot));
  const transportIndex = new Map(s.transports.map((t, i) => [t.id, i]));
  const clientIndex = new Map(s.clients.map((c, i) => [c.id, i]));
  const addressIndex = new Map(s.addresses.map((a, i) => [a.id, i]));
  const driverById = new Map(s.drivers.map((d) => [d.id, d]));

  const addressDeps = s.addresses.map((a) => {
    const t = s.transports[transportIndex.get(a.transport) as number]!;
    const deps = [nodeIndex.get(t.id) as number];
    // A driver is a dependency when one of the address's NICs lies at or below it.
    for (const d of reachableFrom(t.lower, driverById)) {
      const below = reachableFrom([d], driverById);
      if (a.nics.some((n) => below.has(n))) deps.push(nodeIndex.get(d) as number);
    }
    return Int32Array.from(deps.sort((x, y) => x - y));
  });

  const connectionAddress = Int32Array.from(s.connections.map((c) => addressIndex.get(c.address) as number));
  const addressTransport = Int32Array.from(s.addresses.map((a) => transportIndex.get(a.transport) as number));
  const addressClient = Int32Array.from(s.addresses.map((a) => clientIndex.get(a.client) as number));

  return {
    nodeIds,
    nodeKind,
    nodeIndex,
    nicSlotOfNode,
    nicNode: Int32Array.from(nicNodes),
    transportNode: Int32Array.from(s.transports.map((t) => nodeIndex.get(t.id) as number)),
    clientIds: s.clients.map((c) => c.id),
    addressIds: s.addresses.map((a) => a.id),
    connectionIds: s.connections.map((c) => c.id),
    addressClient,
    addressTransport,
    addressDeps,
    addressConnections: s.addresses.map((_, ai) =>
      Int32Array.from(s.connections.flatMap((_c, ci) => (connectionAddress[ci] === ai ? [ci] : []))),
    ),
    clientHandlerMask: Uint8Array.from(
      s.clients.map((c) => c.handlers.reduce((m, h) => m | handlerBit(h as HandlerName), 0)),
    ),
    connectionAddress,
    connectionTransport: Int32Array.from(connectionAddress, (a) => addressTransport[a] as number),
    connectionClient: Int32Array.from(connectionAddress, (a) => addressClient[a] as number),
    connectionNic: Int32Array.from(
      s.connections.map((c) => nicSlotOfNode[nodeIndex.get(c.nic) as number] as number),
    ),
  };
}

export { HANDLER_NAMES };
