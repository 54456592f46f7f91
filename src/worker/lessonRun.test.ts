// #8: the worker's lessonRun: a step's moment found by replaying the run on screen, and a seek there
// shows exactly that moment (the lesson player seeks to { timeUs, events }).
import { describe, expect, it } from 'vitest';
import { SimSession, type SessionHost } from './session.ts';
import type { Event, EventOf } from '../protocol/messages.ts';

function session() {
  const posted: Event[] = [];
  const host: SessionHost = { post: (m) => posted.push(m), nowMs: () => 0, setTimer: () => 0, clearTimer: () => undefined };
  const s = new SimSession(host);
  const wait = async (pred: (m: Event) => boolean): Promise<Event> => {
    for (let i = 0; i < 1000 && !posted.some(pred); i++) await new Promise((r) => setTimeout(r, 2));
    return posted.find(pred)!;
  };
  return { s, posted, wait };
}

describe('worker lessonRun (#8)', () => {
  it('R24: finds the first lost race, collects the records asked for, and a seek there shows that record last', async () => {
    const { s, posted, wait } = session();
    s.handle({ op: 'load', source: { kind: 'preset', name: 'race' } });
    await wait((m) => m.op === 'loaded');
    s.handle({ op: 'lessonRun', id: 1, trigger: { record: { type: 'send.complete', where: { lostRace: true } }, nth: 1, from: 'start' }, fromSeq: 0, collect: { type: 'callback.sendPossible' } });
    const r = (await wait((m) => m.op === 'lessonReached')) as EventOf<'lessonReached'>;
    const m = r.moment;
    expect(m.record).toMatchObject({ type: 'send.complete', lostRace: true });
    expect(m.events).toBe(m.record!.seq + 1);
    // Every collected record is a SendPossible call before the lost race.
    expect(m.collected.length).toBeGreaterThan(0);
    for (const e of m.collected) {
      expect(e.type).toBe('callback.sendPossible');
      expect(e.seq).toBeLessThan(m.events);
    }
    s.handle({ op: 'frameDone' });
    posted.length = 0;
    s.handle({ op: 'seek', timeUs: m.timeUs, events: m.events });
    const f = posted.find((x) => x.op === 'frame') as EventOf<'frame'>;
    expect(f.eventCount).toBe(m.events);
    expect(f.nowUs).toBe(m.timeUs);
  });

  it('a trigger the run never reaches comes back missed, at the end of the run; before any load, a failure', async () => {
    const { s, wait } = session();
    s.handle({ op: 'lessonRun', id: 7, trigger: { atUs: 10 }, fromSeq: 0 });
    expect(await wait((m) => m.op === 'failure')).toMatchObject({ id: 7, message: 'no scenario is loaded yet' });
    s.handle({ op: 'load', source: { kind: 'preset', name: 'basics' } });
    await wait((m) => m.op === 'loaded');
    s.handle({ op: 'lessonRun', id: 2, trigger: { record: { type: 'bugcheck' }, nth: 1, from: 'start' }, fromSeq: 0 });
    const r = (await wait((m) => m.op === 'lessonReached')) as EventOf<'lessonReached'>;
    expect(r.moment).toMatchObject({ missed: true, record: null });
  });
});
