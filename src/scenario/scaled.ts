// A preset made big for load tests and benches (issue 18): each connection repeated, ids suffixed,
// the same load per connection.
import stress from './presets/stress.json' with { type: 'json' };

/** `scenario` (a preset's JSON) with each connection repeated `times` times: `id`, `idx1`, `idx2`, … */
export function repeatConnections<T extends { connections: { id: string }[]; title?: string }>(scenario: T, times: number): T {
  const s = structuredClone(scenario);
  s.connections = scenario.connections.flatMap((c) => Array.from({ length: times }, (_, k) => ({ ...c, id: k === 0 ? c.id : `${c.id}x${k}` })));
  return s;
}

/** The stress preset (2,048 connections) with `times`× the connections, titled with their number. */
export function stressTimes(times: number): typeof stress {
  const s = repeatConnections(stress, times);
  s.title = `Stress: ${s.connections.length} connections`;
  return s;
}
