// The share link's fragment (issue 9): a moment round-trips; old #scenario= links still open; a link
// that is cut short, hand-edited, from a newer version or too big is named in one sentence.
import { describe, expect, it } from 'vitest';
import { decodeShareFragment, encodeShareFragment, MAX_INFLATED_BYTES, scenarioFromHash, SHARE_FORMAT, shareUrl, type ShareMoment } from './share.ts';
import { exportFileName, slug } from './exportFiles.ts';
import { presetBase } from './sharePreset.ts';

const scenario = { format: 'tdi-flow-lab/scenario@1', title: 'Two clients race', seed: 7, faults: [{ atUs: 900, driver: 'nic0', status: 'STATUS_LINK_FAILED', fatal: true }] };
const moment: ShareMoment = {
  scenario,
  preset: 'race',
  timeUs: 5800,
  events: 412,
  speed: 0.01,
  theme: 'dark',
  branches: [
    { label: 'main', scenario: { ...scenario, faults: [] }, forkUs: null },
    { label: 'branch 2: LINK_FAILED on nic0 at 900 µs', scenario, forkUs: 900 },
  ],
  branch: 1,
  selection: { kind: 'connection', id: 'B1' },
};

async function deflate(text: string): Promise<string> {
  const bytes = new Uint8Array(await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
  return Buffer.from(bytes).toString('base64url');
}
const v2 = async (doc: unknown) => `#v=2&s=${await deflate(JSON.stringify(doc))}`;

describe('share fragment', () => {
  it('round-trips a whole moment: scenario, time and record count, speed, theme, branches, selection', async () => {
    const frag = await encodeShareFragment(moment);
    expect(frag).toMatch(/^v=2&s=[A-Za-z0-9_-]+$/);
    expect(await decodeShareFragment('#' + frag)).toEqual({ ok: true, moment, problems: [] });
  });

  it('shareUrl keeps the preset in the query (the fallback) and drops seed and speed, which the fragment carries', async () => {
    const url = new URL(await shareUrl(moment, 'http://x.test/?preset=race&seed=3&speed=0.5#scenario=old'));
    expect(url.search).toBe('?preset=race');
    expect(url.hash).toMatch(/^#v=2&s=/);
  });

  it('an old #scenario= link still opens, as the scenario alone', async () => {
    const old = `#scenario=${await deflate(JSON.stringify(scenario))}`;
    expect(await decodeShareFragment(old)).toEqual({ ok: true, moment: { scenario }, problems: [] });
    expect(await scenarioFromHash(old)).toEqual({ ok: true, json: scenario });
  });

  it('a fragment that is not a share link is none (null)', async () => {
    expect(await decodeShareFragment('')).toBeNull();
    expect(await decodeShareFragment('#log')).toBeNull();
  });

  it('a broken link is named: cut short, bad base64url, not deflate, not JSON, wrong format, no scenario', async () => {
    const problem = async (hash: string) => {
      const d = await decodeShareFragment(hash);
      return d && !d.ok ? d.problem : `not a failure: ${JSON.stringify(d)}`;
    };
    const good = await encodeShareFragment(moment);
    expect(await problem('#' + good.slice(0, good.length - 12))).toMatch(/s= part does not unpack/);
    expect(await problem('#v=2&s=ab$cd')).toMatch(/s= part is not valid base64url/);
    expect(await problem('#v=2')).toMatch(/has v=2 but no s= part/);
    expect(await problem('#v=2&s=' + Buffer.from('plain text').toString('base64url'))).toMatch(/does not unpack/);
    expect(await problem(`#v=2&s=${await deflate('{"format":')}`)).toMatch(/unpacks, but not to valid JSON/);
    expect(await problem(await v2([1, 2]))).toMatch(/not a JSON object/);
    expect(await problem(await v2({ format: 'something@9', scenario }))).toMatch(/format "something@9", not "tdi-flow-lab\/share@2"/);
    expect(await problem(await v2({ format: SHARE_FORMAT }))).toMatch(/has no scenario/);
    expect(await problem('#v=9&s=abc')).toMatch(/newer TDI Flow Lab \(link format v9\)/);
    expect(await problem('#v=1&s=abc')).toMatch(/format v1 is unknown/);
    expect(await problem('#scenario=not-a-scenario')).toMatch(/#scenario= part does not unpack/);
  });

  it(`a link that unpacks to more than ${MAX_INFLATED_BYTES / 2 ** 20} MB is refused with a clear message (a zip bomb)`, async () => {
    const bomb = JSON.stringify({ format: SHARE_FORMAT, scenario, pad: ' '.repeat(MAX_INFLATED_BYTES + 10) });
    const hash = await v2(JSON.parse(bomb));
    expect(hash.length).toBeLessThan(100_000); // small to send, huge to unpack
    expect(await decodeShareFragment(hash)).toEqual({ ok: false, problem: "The link's s= part unpacks to more than 8 MB; it is not opened." });
  });

  it('a hand-edited field is named and left out; the rest of the moment is still used', async () => {
    const d = await decodeShareFragment(await v2({ format: SHARE_FORMAT, scenario, timeUs: -5, speed: 5000, theme: 'purple', branches: moment.branches, branch: 7, selection: { kind: 'nic' }, events: 1.5 }));
    expect(d).toMatchObject({ ok: true, moment: { scenario } });
    if (!d?.ok) throw new Error('expected ok');
    expect(Object.keys(d.moment)).toEqual(['scenario']);
    expect(d.problems).toEqual([
      "The link's timeUs -5 is not a time in µs: starting at 0 µs.",
      "The link's events 1.5 is not a count of records: ignored.",
      "The link's speed 5000 must be a number above 0 and at most 1000: using the default.",
      "The link's theme \"purple\" is not light, dark or system: keeping this page’s theme.",
      "The link's branch 7 is not one of its 2 branches: only the current branch is shown.",
      "The link's selection {\"kind\":\"nic\"} is not {kind, id}: nothing is selected.",
    ]);
  });

  it('#20: the API travels in the link (v2 and v3); a value that is not tdi or wsk is named and left out', async () => {
    const on = await decodeShareFragment('#' + (await encodeShareFragment({ scenario, api: 'wsk' })));
    expect(on).toEqual({ ok: true, moment: { scenario, api: 'wsk' }, problems: [] });
    const bad = await decodeShareFragment(await v2({ format: SHARE_FORMAT, scenario, api: 'winsock' }));
    expect(bad).toEqual({ ok: true, moment: { scenario }, problems: ['The link\'s api "winsock" is not tdi or wsk: showing TDI.'] });
  });

  it('#8: projector mode travels in the link; a value that is not a boolean is named and left out', async () => {
    const on = await decodeShareFragment('#' + (await encodeShareFragment({ scenario, projector: true })));
    expect(on).toEqual({ ok: true, moment: { scenario, projector: true }, problems: [] });
    const bad = await decodeShareFragment(await v2({ format: SHARE_FORMAT, scenario, projector: 'yes' }));
    expect(bad).toEqual({ ok: true, moment: { scenario }, problems: ["The link's projector \"yes\" is not true or false: keeping this page’s projector mode."] });
  });
});

describe('short links: a preset plus what changed (v3)', () => {
  const fault = { atUs: 8191, driver: 'nic1', status: 'STATUS_ADAPTER_HARDWARE_ERROR', fatal: true, afterKernelEvents: 11713 };
  async function stressMoment(): Promise<ShareMoment> {
    const base = (await presetBase('stress'))!.scenario;
    return {
      scenario: { ...base, faults: [...(base.faults as unknown[]), fault] },
      preset: 'stress',
      timeUs: 8191,
      events: 11713,
      speed: 0.001,
      theme: 'system',
      selection: { kind: 'connection', id: 'K1-4.1' },
    };
  }

  it('stress with a fault and a selection is under 300 characters and restores the same scenario and moment', async () => {
    const m = await stressMoment();
    const link = await shareUrl(m, 'http://127.0.0.1:4173/?preset=stress');
    expect(link.length).toBeLessThan(300);
    expect(new URL(link).hash).toMatch(/^#v=3&p=stress&h=[0-9a-f]{8}&t=8191&n=11713&speed=0\.001&sel=connection%3AK1-4\.1&c=[A-Za-z0-9_-]+$/);
    expect(await decodeShareFragment(new URL(link).hash)).toEqual({ ok: true, moment: m, problems: [] });
  });

  it('branches travel as changes too, and the current one is restored', async () => {
    const m = await stressMoment();
    const base = (await presetBase('stress'))!.scenario;
    const withBranches = { ...m, branches: [{ label: 'main', scenario: base, forkUs: null }, { label: 'branch 2', scenario: m.scenario, forkUs: 8191 }], branch: 1 };
    const frag = await encodeShareFragment(withBranches);
    expect(frag.length).toBeLessThan(400);
    expect(await decodeShareFragment('#' + frag)).toEqual({ ok: true, moment: withBranches, problems: [] });
  });

  it('a scenario of your own travels whole (v2), and a preset edited beyond recognition too', async () => {
    expect(await encodeShareFragment({ ...moment, preset: undefined } as ShareMoment)).toMatch(/^v=2&s=/);
    expect(await encodeShareFragment(moment)).toMatch(/^v=2&s=/); // "race" in name only: its whole scenario is shorter
  });

  it('a v3 link made from another version of the preset, or naming no preset, is named', async () => {
    const frag = await encodeShareFragment(await stressMoment());
    const other = await decodeShareFragment('#' + frag.replace(/h=[0-9a-f]{8}/, 'h=00000000'));
    expect(other).toMatchObject({ ok: true, problems: ['The link was made with another version of the stress preset: what it shows may differ from what was shared.'] });
    expect(await decodeShareFragment('#v=3&p=nope&t=5')).toEqual({ ok: false, problem: 'The link names the preset "nope", which this page does not have.' });
    const bad = await decodeShareFragment('#' + frag.replace('t=8191', 't=soon'));
    expect(bad).toMatchObject({ ok: true, problems: ['The link\'s timeUs "soon" is not a time in µs: starting at 0 µs.'] });
  });
});

describe('export file names', () => {
  it('are named after the scenario and the time shown', () => {
    expect(exportFileName('race', 'chrome-trace', 5800)).toBe('race-5800us.trace.json');
    expect(exportFileName('race', 'jsonl', 5800.4)).toBe('race-5800us.trace.jsonl');
    expect(exportFileName('race', 'csv', 20000)).toBe('race-20000us.csv');
    expect(exportFileName('race', 'summary', 0)).toBe('race-0us.summary.json');
    expect(exportFileName('race', 'png', 5800)).toBe('race-5800us.stage.png');
    expect(exportFileName('Two clients race for freed space (R24)', 'svg', 10, 'pool-2')).toBe('two-clients-race-for-freed-space-r24-10us.pool-2.svg');
    expect(slug('  ***  ')).toBe('scenario');
  });
});
