// The static shape of a scenario, resolved to indices once at load: who is below whom, which
// addresses depend on which drivers. The engine's hot path only ever sees these indices.
import type { Scenario } from '../scenario/schema.ts';
import { reachableFrom, reachingAny } from '../scenario/graph.ts';
import { HANDLER_NAMES, handlerBit, type HandlerName } from '../base/status.ts';

export type NodeKind = 'nic' | 'protocol' | 'transport';

/**
 * The static shape of a scenario, as indices. The engine builds it; the worker sends it to the page
 * with `loaded` (structured-cloneable: arrays, typed arrays, a Map), where the views, the log and the
 * why-chain read the same object. Typed arrays hold what the engine indexes per event; plain arrays
 * what only the views and explanations read.
 *
 * Two numberings of NICs: a node index (into nodeIds, like every driver) and a NIC slot (into nicNode,
 * NICs only, for per-NIC engine state). Fields say which one they hold.
 */
export interface Topology {
  /** Drivers then transports: every id a fault may name. */
  nodeIds: string[];
  nodeKinds: NodeKind[];
  nodeIndex: Map<string, number>;
  /** Per node, the node indices directly below it. */
  nodeLower: number[][];
  /** Node index → NIC slot (or -1). */
  nicSlotOfNode: Int32Array;
  /** NIC slot → node index. */
  nicNode: Int32Array;
  /** Transport index → node index. */
  transportNodes: number[];
  /** Per transport, its send pool in bytes. */
  transportCapacity: number[];
  clientIds: string[];
  addressIds: string[];
  connectionIds: string[];
  /** Per client, the handlers it registers. */
  clientHandlers: HandlerName[][];
  /** Per client, the registration mask its `handlers` ask for. */
  clientHandlerMask: Uint8Array;
  addressClient: Int32Array;
  addressTransport: Int32Array;
  /** Per address, the node indices of the NICs it is bound to. */
  addressNics: number[][];
  /** Per address, the node indices it depends on (R30): its transport and every driver on a path down to its NICs. */
  addressDeps: Int32Array[];
  /** Per address, its connections, in scenario order. */
  addressConnections: Int32Array[];
  connectionAddress: Int32Array;
  connectionTransport: Int32Array;
  connectionClient: Int32Array;
  /** NIC slot of each connection's route. */
  connectionNicSlot: Int32Array;
  /** Node index of each connection's route's NIC. */
  connectionNicNode: Int32Array;
}

export function buildTopology(s: Scenario): Topology {
  const nodeIds = [...s.drivers.map((d) => d.id), ...s.transports.map((t) => t.id)];
  const nodeKinds: NodeKind[] = [...s.drivers.map((d) => d.kind), ...s.transports.map(() => 'transport' as const)];
  const nodeIndex = new Map(nodeIds.map((id, i) => [id, i]));
  const nicNodes = nodeKinds.flatMap((k, i) => (k === 'nic' ? [i] : []));
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
    for (const d of reachingAny(reachableFrom(t.lower, driverById), a.nics, driverById)) deps.push(nodeIndex.get(d) as number);
    return Int32Array.from(deps.sort((x, y) => x - y));
  });

  const lowerOf = (id: string): string[] => {
    const d = driverById.get(id);
    if (d) return d.kind === 'protocol' ? d.lower : [];
    return s.transports[transportIndex.get(id) as number]!.lower;
  };
  const connectionNicNode = Int32Array.from(s.connections.map((c) => nodeIndex.get(c.nic) as number));
  const connectionNicSlot = Int32Array.from(connectionNicNode, (node) => nicSlotOfNode[node] as number);
  const connectionAddress = Int32Array.from(s.connections.map((c) => addressIndex.get(c.address) as number));
  const addressTransport = Int32Array.from(s.addresses.map((a) => transportIndex.get(a.transport) as number));
  const addressClient = Int32Array.from(s.addresses.map((a) => clientIndex.get(a.client) as number));

  return {
    nodeIds,
    nodeKinds,
    nodeIndex,
    nodeLower: nodeIds.map((id) => lowerOf(id).map((l) => nodeIndex.get(l) as number)),
    nicSlotOfNode,
    nicNode: Int32Array.from(nicNodes),
    transportNodes: s.transports.map((t) => nodeIndex.get(t.id) as number),
    transportCapacity: s.transports.map((t) => t.sendBufferBytes),
    clientIds: s.clients.map((c) => c.id),
    addressIds: s.addresses.map((a) => a.id),
    connectionIds: s.connections.map((c) => c.id),
    clientHandlers: s.clients.map((c) => c.handlers.map((h) => h as HandlerName)),
    addressClient,
    addressTransport,
    addressNics: s.addresses.map((a) => a.nics.map((n) => nodeIndex.get(n) as number)),
    addressDeps,
    addressConnections: connectionsByAddress(connectionAddress, s.addresses.length),
    clientHandlerMask: Uint8Array.from(
      s.clients.map((c) => c.handlers.reduce((m, h) => m | handlerBit(h as HandlerName), 0)),
    ),
    connectionAddress,
    connectionTransport: Int32Array.from(connectionAddress, (a) => addressTransport[a] as number),
    connectionClient: Int32Array.from(connectionAddress, (a) => addressClient[a] as number),
    connectionNicSlot,
    connectionNicNode,
  };
}

/** Per address, its connections in scenario order: counted, then filled, in two passes (not a scan of every connection per address). */
function connectionsByAddress(connectionAddress: Int32Array, addresses: number): Int32Array[] {
  const count = new Int32Array(addresses);
  for (const a of connectionAddress) count[a]!++;
  const out = Array.from(count, (n) => new Int32Array(n));
  const filled = new Int32Array(addresses);
  connectionAddress.forEach((a, c) => (out[a]![filled[a]!++] = c));
  return out;
}

export { HANDLER_NAMES };
