import { describe, expect, it } from 'vitest';
import { CaptionChooser, type CaptionCandidate } from './captionChooser.ts';
import { IMPORTANCE } from '../../src/trace/recordTable.ts';

const c = (importance: number, key: string): CaptionCandidate<string> => ({ importance, key });

function chooser(holdMs = 1500) {
  const clock = { t: 0 };
  return { clock, ch: new CaptionChooser<string>({ holdMs, now: () => clock.t }) };
}

describe('caption chooser', () => {
  it('narration: the importance order is bug check > fault > error callback > lost race > refusal > SendPossible', () => {
    const order = [IMPORTANCE.bugcheck, IMPORTANCE.fault, IMPORTANCE.errorCallback, IMPORTANCE.lostRace, IMPORTANCE.refusal, IMPORTANCE.sendPossible, IMPORTANCE.accepted];
    expect(order.slice().sort((a, b) => b - a)).toEqual(order);
  });

  it('narration: shows the most important event of a frame, the newest among equals', () => {
    const { ch } = chooser();
    expect(ch.offer([c(IMPORTANCE.refusal, 'r1'), c(IMPORTANCE.lostRace, 'race'), c(IMPORTANCE.refusal, 'r2')])?.key).toBe('race');
    const { ch: ch2 } = chooser();
    expect(ch2.offer([c(IMPORTANCE.refusal, 'r1'), c(IMPORTANCE.refusal, 'r2')])?.key).toBe('r2');
  });

  it('narration: holds a caption for the hold time against less or equally important events', () => {
    const { ch, clock } = chooser(1500);
    expect(ch.offer([c(IMPORTANCE.refusal, 'first')])?.key).toBe('first');
    clock.t = 500;
    expect(ch.offer([c(IMPORTANCE.sendPossible, 'sp')])).toBeNull();
    clock.t = 900;
    expect(ch.offer([c(IMPORTANCE.refusal, 'second')])).toBeNull();
    expect(ch.nextDueMs()).toBe(1500);
    clock.t = 1499;
    expect(ch.due()).toBeNull();
    clock.t = 1500;
    // The most important of those that waited (the refusal, not the earlier SendPossible).
    expect(ch.due()?.key).toBe('second');
    expect(ch.nextDueMs()).toBeNull();
  });

  it('narration: a more important event replaces the caption at once', () => {
    const { ch, clock } = chooser(1500);
    ch.offer([c(IMPORTANCE.refusal, 'refusal')]);
    clock.t = 100;
    expect(ch.offer([c(IMPORTANCE.fault, 'fault')])?.key).toBe('fault');
    clock.t = 200;
    expect(ch.offer([c(IMPORTANCE.bugcheck, 'stop')])?.key).toBe('stop');
  });

  it('narration: a step asked for by the user is narrated at once, whatever the hold', () => {
    const { ch, clock } = chooser(1500);
    ch.offer([c(IMPORTANCE.fault, 'fault')]);
    clock.t = 10;
    expect(ch.offer([c(IMPORTANCE.transmit, 'tx')], true)?.key).toBe('tx');
  });

  it('narration: records of importance 0 (a submit) are never narrated', () => {
    const { ch } = chooser();
    expect(ch.offer([c(IMPORTANCE.submit, 'submit')])).toBeNull();
    expect(ch.nextDueMs()).toBeNull();
  });

  it('narration: at most one caption per hold time under a flood of equal events', () => {
    const { ch, clock } = chooser(1500);
    let shown = 0;
    for (let t = 0; t <= 6000; t += 10) {
      clock.t = t;
      if (ch.offer([c(IMPORTANCE.refusal, `r${t}`)])) shown++;
    }
    expect(shown).toBe(5); // at 0, 1500, 3000, 4500, 6000
  });
});

describe('live region (#17)', () => {
  it('#17: the live region speaks at most once per hold while playing, even when more important events arrive (it spoke 3 in 0.8 s)', () => {
    const clock = { t: 0 };
    const live = new CaptionChooser<string>({ holdMs: 4000, now: () => clock.t, preempt: false });
    const spoken: [number, string][] = [];
    const say = (r: CaptionCandidate<string> | null) => r && spoken.push([clock.t, r.key]);
    say(live.offer([c(IMPORTANCE.refusal, 'refused')]));
    clock.t = 300;
    say(live.offer([c(IMPORTANCE.lostRace, 'lost race')]));
    clock.t = 800;
    say(live.offer([c(IMPORTANCE.errorCallback, 'error callback')]));
    clock.t = 3999;
    say(live.due());
    clock.t = 4000;
    say(live.due());
    // One sentence, then after the hold the most important of those that came meanwhile.
    expect(spoken).toEqual([
      [0, 'refused'],
      [4000, 'error callback'],
    ]);
    // The caption (preempting, the default) would have changed at once.
    const { ch } = chooser(1500);
    ch.offer([c(IMPORTANCE.refusal, 'refused')]);
    expect(ch.offer([c(IMPORTANCE.lostRace, 'lost race')])?.key).toBe('lost race');
  });
});
