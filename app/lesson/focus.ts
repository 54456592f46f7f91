// A lesson step's focus as the stage's entities: shared by the app (components/Stage.tsx) and the embed's lesson
// chunk, which must not import the app.
import type { Entity } from '../viz/stackView.ts';
import type { Topology } from '../../src/model/topology.ts';

/** Entity ids (a lesson's focus) as the stage's entities; ids the topology does not have are left out. */
export function focusEntities(ids: readonly string[], layout: Topology | null): Entity[] {
  if (!layout) return [];
  const out: Entity[] = [];
  for (const id of ids) {
    const c = layout.connectionIds.indexOf(id);
    if (c >= 0) out.push({ kind: 'connection', index: c });
    const a = layout.addressIds.indexOf(id);
    if (a >= 0) out.push({ kind: 'address', index: a });
    const cl = layout.clientIds.indexOf(id);
    if (cl >= 0) out.push({ kind: 'client', index: cl });
    const n = layout.nodeIds.indexOf(id);
    if (n >= 0) out.push({ kind: 'node', index: n });
  }
  return out;
}
