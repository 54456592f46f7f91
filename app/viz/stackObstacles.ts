// What a callout must not cover: the stack view's own boxes and labels, computed from the geometry
// and measured text (no DOM read, so no layout is forced). Pure, so it is unit-tested with the
// placement: a callout never lands on a client pill, an address and its badges, a connection's
// endpoint, name or lost-race count, a pool's name or fill text, or a driver box.
import type { Topology } from '../../src/model/topology.ts';
import type { Box, Measure } from './callouts.ts';
import { captionWidth, ROW_LABEL_X, type StackGeometry } from './stackGeometry.ts';
import { fmtBytes } from '../format.ts';
import { irpBadgeWidth } from './stackState.ts';

const around = (x: number, y: number, w: number, h: number): Box => ({ x: x - w / 2, y: y - h / 2, w, h });

/** `wsk`: the run is through Winsock Kernel (#20): the badge beside an endpoint may hold its pending IRPs, as wide as it has room for. */
export function sceneObstacles(info: Topology, geo: StackGeometry, measure: Measure, wsk = false): Box[] {
  const { layout } = geo;
  const boxes: Box[] = [];
  if (geo.showRowLabels) {
    for (const [text, y] of geo.rowLabels) boxes.push({ x: ROW_LABEL_X - 2, y: y - 24, w: captionWidth(text) + 4, h: 13 });
  }
  layout.clients.forEach((p) => boxes.push(around(p.x, p.y, geo.client.width, 24)));
  layout.addresses.forEach((p) => boxes.push(around(p.x, p.y, geo.address.width + 4, geo.address.height + 4)));
  layout.pools.forEach((p, tr) => {
    boxes.push({ x: p.x, y: p.y, w: p.w, h: p.h });
    const name = `${info.nodeIds[info.transportNodes[tr]!]!} send pool`;
    boxes.push({ x: p.x, y: p.y - 18, w: measure(name, 'pool-name').w, h: 15 });
    if (p.w >= 240) {
      const cap = info.transportCapacity[tr]!;
      const fill = measure(`${fmtBytes(cap)} / ${fmtBytes(cap)} — full`, 'pool-fill').w;
      boxes.push({ x: p.x + p.w - fill, y: p.y - 18, w: fill, h: 15 });
    }
  });
  geo.drivers.forEach((n) => {
    const p = layout.nodes[n]!;
    boxes.push(around(p.x, p.y, geo.driverBoxWidth[n]!, 26));
  });
  if (!layout.dense) {
    const r = geo.connection.radius;
    info.connectionIds.forEach((id, c) => {
      const p = layout.connections[c]!;
      boxes.push(around(p.x, p.y, 2 * r + 4, 2 * r + 4));
      if (geo.connection.showNames) boxes.push(around(p.x, p.y + r + 8, measure(id, 'conn-name').w, 13));
      // The lost-race count (⚑n) beside the endpoint.
      boxes.push({ x: p.x + r, y: p.y - r - 10, w: wsk ? Math.max(measure('⚑999', 'race-badge').w, irpBadgeWidth(geo)) : measure('⚑999', 'race-badge').w, h: 13 });
    });
  }
  return boxes;
}

/** The fonts of the scene's texts and of the callouts (svg.stack rules in styles.css). */
export const STACK_FONTS: Record<string, string> = {
  default: "700 11.5px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif",
  'lbl-muted': "500 11.5px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif",
  'pool-name': "600 12px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif",
  'pool-fill': "11.5px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif",
  'conn-name': "11px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif",
  'race-badge': "700 11px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif",
};
