// #10 hardened edges: the address bar's ?preset, ?seed and ?speed are read strictly, and a value that
// makes no sense is named in a notice instead of being read as something nobody typed.
import { describe, expect, it } from 'vitest';
import { readUrlState } from './url.ts';
import { parseSpeedParam, speedChoices, SPEEDS } from './store/speeds.ts';

describe('readUrlState (#10: URL items)', () => {
  it('reads a plain decimal speed', () => {
    expect(readUrlState('?speed=0.001').speed).toBe(0.001);
    expect(readUrlState('?speed=10').speed).toBe(10);
  });

  it.each(['0x10', '1e1', ' 5', '-1', '0', '1001', 'Infinity', 'NaN', ''])('refuses speed=%s with a notice naming it', (v) => {
    const s = readUrlState(`?speed=${encodeURIComponent(v)}`);
    expect(s.speed).toBeUndefined();
    expect(s.notices.join(' ')).toContain(`speed=${v} must be a decimal number`);
  });

  it('names an unknown preset and a bad seed, and keeps the defaults', () => {
    const s = readUrlState('?preset=nope&seed=2.5');
    expect(s.preset).toBe('basics');
    expect(s.seed).toBeUndefined();
    expect(s.notices).toHaveLength(2);
  });
});

describe('readUrlState: api (#20)', () => {
  it('reads api=wsk and api=tdi', () => {
    expect(readUrlState('?preset=race&api=wsk').api).toBe('wsk');
    expect(readUrlState('?api=tdi').api).toBe('tdi');
    expect(readUrlState('?preset=race').api).toBeUndefined();
  });

  it.each(['WSK', 'winsock', '', '1'])('names api=%s in a notice and stays on TDI', (v) => {
    const s = readUrlState(`?api=${encodeURIComponent(v)}`);
    expect(s.api).toBeUndefined();
    expect(s.notices).toEqual([`api=${v} must be tdi or wsk (the kernel interface the clients use): showing TDI.`]);
  });
});

describe('speedChoices (#10: ?speed=0.37 shows as itself in the Speed menu)', () => {
  it('adds an off-ladder speed in order, so the menu shows what is in force', () => {
    const c = speedChoices(0.37);
    expect(c).toContain(0.37);
    expect(c.indexOf(0.37)).toBe(c.indexOf(0.1) + 1);
    expect(c).toHaveLength(SPEEDS.length + 1);
  });
  it('a speed on the ladder adds nothing', () => {
    expect(speedChoices(1)).toEqual([...SPEEDS]);
  });
  it('parseSpeedParam is the one reader of a written speed', () => {
    expect(parseSpeedParam('.5')).toBe(0.5);
    expect(parseSpeedParam('1000')).toBe(1000);
    expect(parseSpeedParam('0x10')).toBeNull();
  });
});

describe('readUrlState: projector (#8)', () => {
  it('#8: ?projector=1 turns projector mode on, 0 turns it off, absent leaves it to the page', () => {
    expect(readUrlState('?projector=1')).toMatchObject({ projector: true, notices: [] });
    expect(readUrlState('?projector=0')).toMatchObject({ projector: false, notices: [] });
    expect(readUrlState('?preset=race').projector).toBeUndefined();
  });

  it('#8: a projector value that is not 1 or 0 is named in a notice', () => {
    const u = readUrlState('?projector=big');
    expect(u.projector).toBeUndefined();
    expect(u.notices).toEqual(['projector=big must be 1 or 0 (or true or false): projector mode stays off.']);
  });
});
