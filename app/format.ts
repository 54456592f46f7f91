// How the page writes simulated times and byte counts: one module, so the log, the stage, the
// narration, the store's notices and the embed say "1.250 ms" and "12 KiB" the same way.

/** Simulated microseconds as µs below 10 ms, ms below 1 s, s above. */
export function fmtUs(t: number): string {
  if (t >= 1_000_000) return `${(t / 1_000_000).toFixed(3)} s`;
  if (t >= 10_000) return `${(t / 1000).toFixed(2)} ms`;
  return `${Math.round(t)} µs`;
}

/** A byte count (signed: a change can be negative) as B below 10 KiB, KiB below 1 MiB, MiB above. */
export function fmtBytes(n: number): string {
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  if (a >= 1_048_576) return `${sign}${(a / 1_048_576).toFixed(1)} MiB`;
  if (a >= 10_240) return `${sign}${(a / 1024).toFixed(0)} KiB`;
  return `${sign}${a} B`;
}
