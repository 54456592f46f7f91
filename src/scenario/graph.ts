// The driver graph, without the validator (and its schema library): the app bundle needs only this.

type DriverLike = { id: string; kind: 'nic' | 'protocol'; lower?: string[] };

/** Every driver reachable downward from `start` (the start ids included). */
export function reachableFrom(start: readonly string[], drivers: ReadonlyMap<string, DriverLike>): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const idValue = stack.pop() as string;
    if (seen.has(idValue)) continue;
    seen.add(idValue);
    const d = drivers.get(idValue);
    if (d?.kind === 'protocol' && d.lower) stack.push(...d.lower);
  }
  return seen;
}
