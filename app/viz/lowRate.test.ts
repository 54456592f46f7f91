import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOW_RATE_MS, lowRate } from './lowRate.ts';

describe('#10: low-rate panels', () => {
  afterEach(() => vi.useRealTimers());

  it('while frames come every 16 ms, a panel redraws about every LOW_RATE_MS; urgent requests (a step, a pause) at once; the last request is never lost', () => {
    vi.useFakeTimers();
    let draws = 0;
    const panel = lowRate(() => draws++);
    for (let t = 0; t < 1000; t += 16) {
      panel.request(false);
      vi.advanceTimersByTime(16);
    }
    // ~10 Hz over one second, not 60.
    expect(draws).toBeGreaterThanOrEqual(1000 / LOW_RATE_MS - 2);
    expect(draws).toBeLessThanOrEqual(1000 / LOW_RATE_MS + 1);
    const before = draws;
    panel.request(true);
    expect(draws).toBe(before + 1);
    panel.request(false); // the frames stop here
    expect(draws).toBe(before + 1);
    vi.advanceTimersByTime(2 * LOW_RATE_MS);
    expect(draws).toBe(before + 2);
  });

  it('cancel drops a pending redraw (a destroyed view draws nothing)', () => {
    vi.useFakeTimers();
    let draws = 0;
    const panel = lowRate(() => draws++);
    panel.request(false); // the first draws at once
    panel.request(false);
    panel.cancel();
    vi.advanceTimersByTime(10 * LOW_RATE_MS);
    expect(draws).toBe(1);
  });
});
