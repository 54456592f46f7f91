// Issue 18: a big load tells its stages and can be cancelled, keeping the run that was loaded.
import { describe, expect, it } from 'vitest';
import { SimSession } from './session.ts';
import { BIG_LOAD_CONNECTIONS, WORKER_LOAD_STAGES, type Event, type EventOf } from '../protocol/messages.ts';
import { stressTimes } from '../scenario/scaled.ts';

/** A session on the real timers (a big load yields to the message loop between its stages). */
function harness() {
  const posted: Event[] = [];
  const session = new SimSession({
    post: (m) => posted.push(m),
    nowMs: () => performance.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  });
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 2000 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  };
  const of = <K extends Event['op']>(op: K) => posted.filter((m): m is EventOf<K> => m.op === op);
  return { session, posted, until, of, ops: () => posted.map((m) => (m.op === 'loadProgress' ? `${m.op}:${m.stage}${m.done ? ':done' : ''}${m.cancelled ? ':cancelled' : ''}` : m.op)) };
}

const big = stressTimes(BIG_LOAD_CONNECTIONS / 2048);

describe('a big load (issue 18)', () => {
  it('tells each of its worker stages in order, then the run; a small load is answered as before, with no stages', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'basics' } });
    await h.until(() => h.of('loaded').length === 1);
    expect(h.ops().filter((op) => op !== 'frame')).toEqual(['loaded']);
    h.posted.length = 0;
    h.session.handle({ op: 'load', source: { kind: 'json', scenario: big } });
    await h.until(() => h.of('loaded').length === 1);
    expect(h.ops().filter((op) => op !== 'frame')).toEqual([...WORKER_LOAD_STAGES.map((s) => `loadProgress:${s}`), 'loaded']);
    expect(h.of('loadProgress').map((p) => p.connections)).toEqual(WORKER_LOAD_STAGES.map(() => BIG_LOAD_CONNECTIONS));
    expect(h.of('loaded')[0]!.topology.connectionIds).toHaveLength(BIG_LOAD_CONNECTIONS);
  });

  it('Cancel stops it before the new run is in place: one answer (done, cancelled), no run, and the old run goes on', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'race' } });
    await h.until(() => h.of('loaded').length === 1);
    h.posted.length = 0;
    h.session.handle({ op: 'load', source: { kind: 'json', scenario: big } });
    // The first stage is told at once; the cancel comes in while the load yields.
    expect(h.ops()).toEqual(['loadProgress:validating']);
    h.session.handle({ op: 'cancelLoad' });
    await new Promise((r) => setTimeout(r, 50));
    expect(h.ops().filter((op) => op !== 'frame')).toEqual(['loadProgress:validating', 'loadProgress:sending:done:cancelled']);
    // The race preset is still the run: a step moves it, on its own connections.
    h.session.handle({ op: 'frameDone' });
    h.session.handle({ op: 'step' });
    h.session.handle({ op: 'frameDone' });
    await h.until(() => h.of('frame').some((f) => f.eventCount > 0));
    const last = h.of('frame').at(-1)!;
    expect(last.connState.length).toBeLessThan(100);
    expect(last.eventCount).toBeGreaterThan(0);
  });

  it('a cancel that comes after the run is in place is answered too (done, not cancelled), and the new run stays', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'json', scenario: big } });
    await h.until(() => h.of('loaded').length === 1);
    h.session.handle({ op: 'cancelLoad' });
    const answers = h.of('loadProgress').filter((p) => p.done);
    expect(answers.map((p) => p.cancelled)).toEqual([false]);
    h.session.handle({ op: 'frameDone' });
    await h.until(() => h.of('frame').length > 0);
    expect(h.of('frame').at(-1)!.connState.length).toBe(BIG_LOAD_CONNECTIONS);
  });

  it('a newer load replaces one under way: only the newer one is loaded', async () => {
    const h = harness();
    h.session.handle({ op: 'load', source: { kind: 'json', scenario: big } });
    h.session.handle({ op: 'load', source: { kind: 'preset', name: 'basics' } });
    await h.until(() => h.of('loaded').length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.of('loaded').map((l) => l.scenario.connections.length)).toEqual([h.of('loaded')[0]!.topology.connectionIds.length]);
    expect(h.of('loaded')[0]!.topology.connectionIds.length).toBeLessThan(100);
  });
});
