// The speed ladder of the Speed menu and the +/− keys (simulated time per real time).
export const SPEEDS = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.1, 1, 10, 100, 1000] as const;
export const DEFAULT_SPEED = 0.0005;
export const MAX_SPEED = 1000;

/**
 * A speed written in an address (`?speed=0.001`): a plain decimal above 0 and at most 1000, or null.
 * `Number()` alone would read `0x10` as 16, `1e-3` or ` 5 ` — not what anyone typed on purpose.
 */
export function parseSpeedParam(text: string): number | null {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) return null;
  const n = Number(text);
  return n > 0 && n <= MAX_SPEED ? n : null;
}

/** The Speed menu's choices: the ladder, and the speed in force when a link or a script set one off it. */
export function speedChoices(current: number): number[] {
  const values: number[] = [...SPEEDS];
  if (current > 0 && current <= MAX_SPEED && !values.includes(current)) values.push(current);
  return values.sort((a, b) => a - b);
}
