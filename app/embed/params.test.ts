// embed.html's address: every parameter read, and a bad one named in a notice while the rest still apply.
import { describe, expect, it } from 'vitest';
import { parseTimeUs, readEmbedParams } from './params.ts';

describe('readEmbedParams', () => {
  it('reads every parameter', () => {
    const p = readEmbedParams('?preset=race&seed=7&speed=0.001&t=5.8ms&autoplay&pauseAt=first:send.complete,lostRace=true,bytes=512&loop=1&controls=minimal&panels=log,why&theme=dark&allowOrigins=https://docs.example.org,*');
    expect(p).toMatchObject({
      preset: 'race',
      seed: 7,
      speed: 0.001,
      t: 5800,
      autoplay: true,
      loop: true,
      pauseAt: { first: { type: 'send.complete', where: { lostRace: true, bytes: 512 } } },
      controls: 'minimal',
      panels: ['log', 'why'],
      theme: 'dark',
      allowOrigins: ['https://docs.example.org', '*'],
      notices: [],
    });
  });

  it('defaults: basics, full controls, no panels, the system theme, no origins (same origin only)', () => {
    expect(readEmbedParams('')).toEqual({ preset: 'basics', autoplay: false, loop: false, controls: 'full', panels: [], caption: 'auto', legend: 'auto', theme: 'system', allowOrigins: [], notices: [] });
    expect(readEmbedParams('?theme=auto&autoplay=false').theme).toBe('system');
    expect(readEmbedParams('?autoplay=false').autoplay).toBe(false);
  });

  it('issue 16: the caption and the legend show where there is room unless asked off; a bare flag means on', () => {
    expect(readEmbedParams('?caption=off&legend=0')).toMatchObject({ caption: 'off', legend: 'off', notices: [] });
    expect(readEmbedParams('?caption&legend=on')).toMatchObject({ caption: 'on', legend: 'on', notices: [] });
    expect(readEmbedParams('?caption=auto')).toMatchObject({ caption: 'auto', legend: 'auto', notices: [] });
    const bad = readEmbedParams('?caption=big&legend=side');
    expect(bad).toMatchObject({ caption: 'auto', legend: 'auto' });
    expect(bad.notices).toEqual(['caption=big must be on, off or auto: shown where there is room.', 'legend=side must be on, off or auto: shown where there is room.']);
  });

  it.each([
    ['?preset=nope', 'preset=nope is not a preset'],
    ['?seed=-1', 'seed=-1 is not a whole number'],
    ['?speed=0', 'speed=0 must be a decimal number above 0'],
    ['?speed=', 'speed= must be a decimal number'],
    ['?t=soon', 't=soon is not a time'],
    ['?pauseAt=later', 'pauseAt=later is neither a time nor first:'],
    ['?pauseAt=first:Send Complete', 'is not a record type name'],
    ['?pauseAt=first:send.complete,lostRace', '"lostRace" is not field=value'],
    ['?controls=some', 'controls=some must be none, minimal or full'],
    ['?panels=log,chart', 'panels: "chart" is not a panel'],
    ['?theme=blue', 'theme=blue must be light, dark or auto'],
    ['?allowOrigins=https://a.example/path', '"https://a.example/path" is not an origin'],
    ['?allowOrigins=javascript:alert(1)', 'is not an origin'],
    ['?fullscreen=1', 'fullscreen= is not an embed parameter'],
  ])('%s is named in a notice', (q, notice) => {
    const p = readEmbedParams(q);
    expect(p.notices.join(' ')).toContain(notice);
  });

  it('a bad parameter does not spoil the good ones', () => {
    const p = readEmbedParams('?preset=race&speed=fast&t=100');
    expect(p).toMatchObject({ preset: 'race', t: 100 });
    expect(p.speed).toBeUndefined();
    expect(p.notices).toHaveLength(1);
  });

  it('parses times in µs, ms and s', () => {
    expect([parseTimeUs('5800'), parseTimeUs('5800us'), parseTimeUs('5.8ms'), parseTimeUs('0.0058s'), parseTimeUs('-1'), parseTimeUs('1e3')]).toEqual([5800, 5800, 5800, 5800, null, null]);
  });
});
