// The driver graph, without the validator (and its schema library): the app bundle needs only this.

type DriverLike = { id: string; kind: 'nic' | 'protocol'; lower?: string[] };

/**
 * Every driver reachable downward from `start` (the start ids included). Iterative, and it never
 * spreads a list into arguments, so neither a deep chain nor a wide `lower` can overflow the stack.
 */
export function reachableFrom(start: readonly string[], drivers: ReadonlyMap<string, DriverLike>): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const idValue = stack.pop() as string;
    if (seen.has(idValue)) continue;
    seen.add(idValue);
    const d = drivers.get(idValue);
    if (d?.kind === 'protocol' && d.lower) for (const l of d.lower) stack.push(l);
  }
  return seen;
}

/**
 * The drivers among `candidates` from which one of `targets` can be reached going down (a target
 * counts itself). One upward sweep from the targets: linear in the graph, where asking
 * reachableFrom once per candidate would be quadratic on a deep chain.
 */
export function reachingAny(candidates: ReadonlySet<string>, targets: readonly string[], drivers: ReadonlyMap<string, DriverLike>): Set<string> {
  const upper = new Map<string, string[]>();
  for (const idValue of candidates) {
    const d = drivers.get(idValue);
    if (d?.kind !== 'protocol' || !d.lower) continue;
    for (const l of d.lower) {
      const list = upper.get(l);
      if (list) list.push(idValue);
      else upper.set(l, [idValue]);
    }
  }
  const seen = new Set<string>();
  const stack = targets.filter((t) => candidates.has(t));
  while (stack.length > 0) {
    const idValue = stack.pop() as string;
    if (seen.has(idValue)) continue;
    seen.add(idValue);
    for (const u of upper.get(idValue) ?? []) stack.push(u);
  }
  return seen;
}
