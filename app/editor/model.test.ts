// The scenario editor's model (#15): adding, removing, moving, renaming, scaling and undo, as pure
// functions on a draft; what they build is checked by the same validation a file gets.
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/scenario/validate.ts';
import { Engine } from '../../src/model/engine.ts';
import { summarize } from '../../src/trace/summary.ts';
import basics from '../../src/scenario/presets/basics.json' with { type: 'json' };
import race from '../../src/scenario/presets/race.json' with { type: 'json' };
import {
  addSend,
  addThing,
  blankScenario,
  commit,
  formatPath,
  HISTORY_LIMIT,
  items,
  moveConnection,
  numberFromText,
  parsePath,
  redo,
  removeThing,
  renameId,
  scale,
  setAt,
  setForAll,
  startHistory,
  undo,
  type Draft,
  type NewThing,
} from './model.ts';

const problems = (d: Draft): string[] => {
  const v = validateScenario(d);
  return v.ok ? [] : v.problems;
};
const add = (d: Draft, what: NewThing, parent?: string): Draft => addThing(d, what, parent).draft;

/** race's values, built from a blank page with one NIC (as the e2e spec does through the forms). */
function buildRace(): Draft {
  let d = blankScenario();
  d = { ...d, title: 'Race, built by hand', seed: 7 };
  d = add(d, 'nic');
  d = setAt(d, ['drivers', 0, 'linkBytesPerMs'], 2000);
  d = add(d, 'transport');
  d = add(d, 'client');
  d = add(d, 'client');
  d = setAt(d, ['clients', 0, 'resubmit'], { from: 'dpc', delayUs: 10, size: 'full' });
  d = setAt(d, ['clients', 1, 'resubmit'], { from: 'workItem', delayUs: 60, size: 'available' });
  d = add(d, 'address', 'A');
  d = add(d, 'address', 'B');
  d = add(d, 'connection', 'A-0');
  d = add(d, 'connection', 'B-0');
  d = addSend(d, 0);
  d = setAt(d, ['connections', 0, 'sends', 0, 'bytes'], 6000);
  d = setAt(d, ['connections', 0, 'generator'], {
    startUs: 1000,
    everyUs: 1000,
    bytes: 3000,
    count: 15,
    flags: ['NON_BLOCKING'],
  });
  d = setAt(d, ['connections', 1, 'generator'], {
    startUs: 0,
    everyUs: 400,
    bytes: 1460,
    count: 40,
    flags: ['NON_BLOCKING'],
  });
  return d;
}

describe('editor model: adding', () => {
  it('a blank page is valid JSON that names what it lacks (a transport)', () => {
    expect(problems(blankScenario())).toEqual(['transports: needs at least one transport']);
  });

  it('each new thing refers to what is there: an address gets the transport and a NIC below it, a connection its address’s NIC', () => {
    const d = buildRace();
    expect(items(d, 'drivers')).toEqual([{ id: 'nic0', kind: 'nic', linkBytesPerMs: 2000, mtuBytes: 1460 }]);
    expect(items(d, 'transports')).toEqual([
      { id: 'tcp', lower: ['nic0'], sendBufferBytes: 8192, maxSendBytes: 65536 },
    ]);
    expect(items(d, 'clients').map((c) => c.id)).toEqual(['A', 'B']);
    expect(items(d, 'addresses')).toEqual([
      { id: 'A-0', client: 'A', transport: 'tcp', nics: ['nic0'] },
      { id: 'B-0', client: 'B', transport: 'tcp', nics: ['nic0'] },
    ]);
    expect(items(d, 'connections').map((c) => [c.id, c.address, c.nic])).toEqual([
      ['A1', 'A-0', 'nic0'],
      ['B1', 'B-0', 'nic0'],
    ]);
  });

  it('R24: race built from a blank page is valid and B loses the race', () => {
    const v = validateScenario(buildRace());
    if (!v.ok) throw new Error(v.problems.join('\n'));
    const e = new Engine(v.scenario, { trace: null });
    e.runUntil(v.scenario.durationUs);
    const s = summarize(e);
    expect(s.clients.B!.lostRaces).toBeGreaterThan(0);
    expect(s.clients.A!.lostRaces).toBe(0);
  });

  it('a protocol layer goes on the NICs nothing is above yet; a transport on the top drivers', () => {
    let d = add(add(blankScenario(), 'nic'), 'nic');
    d = add(d, 'protocol');
    d = add(d, 'transport');
    expect(items(d, 'drivers')[2]).toEqual({ id: 'ip', kind: 'protocol', lower: ['nic0', 'nic1'] });
    expect(items(d, 'transports')[0]!.lower).toEqual(['ip']);
    expect(problems(d)).toEqual([]);
  });
});

describe('editor model: removing, moving, renaming', () => {
  it('removing a client removes its addresses and their connections; the rest stays valid', () => {
    const d = removeThing(structuredClone(race), { list: 'clients', index: 0 });
    expect(items(d, 'clients').map((c) => c.id)).toEqual(['B']);
    expect(items(d, 'addresses').map((a) => a.id)).toEqual(['B-any']);
    expect(items(d, 'connections').map((c) => c.id)).toEqual(['B1']);
    expect(problems(d)).toEqual([]);
  });

  it('removing a NIC takes it out of every list; a connection routed over it is named by validation', () => {
    const d = removeThing(structuredClone(race), { list: 'drivers', index: 1 }); // nic1
    expect(items(d, 'drivers')[1]).toEqual({ id: 'ip', kind: 'protocol', lower: ['nic0'] });
    expect(items(d, 'addresses')[1]!.nics).toEqual(['nic0']);
    expect(problems(d)).toEqual(['connections[1].nic: "nic1" is not a NIC of address "B-any"']);
  });

  it('moving a connection to another address keeps its NIC when bound there, else takes the address’s first', () => {
    const r = structuredClone(race) as Draft;
    expect(items(moveConnection(r, 0, 'B-any'), 'connections')[0]).toMatchObject({
      address: 'B-any',
      nic: 'nic0',
    });
    expect(items(moveConnection(r, 1, 'A-445'), 'connections')[1]).toMatchObject({
      address: 'A-445',
      nic: 'nic0',
    });
    expect(problems(moveConnection(r, 1, 'A-445'))).toEqual([]);
  });

  it('renaming an id renames every reference to it, unless the new id is taken', () => {
    const r = structuredClone(race) as Draft;
    const d = renameId(r, { list: 'drivers', index: 0 }, 'eth0');
    expect(items(d, 'drivers')[2]!.lower).toEqual(['eth0', 'nic1']);
    expect(items(d, 'addresses').map((a) => a.nics)).toEqual([['eth0'], ['eth0', 'nic1']]);
    expect(items(d, 'connections')[0]!.nic).toBe('eth0');
    expect(problems(d)).toEqual([]);
    const clash = renameId(r, { list: 'clients', index: 1 }, 'A');
    expect(items(clash, 'addresses')[1]!.client).toBe('B');
    expect(problems(clash)).toEqual([
      'clients[1].id: duplicate id "A" (also clients[0])',
      'addresses[1].client: unknown client "B"',
    ]);
  });
});

describe('editor model: many at once', () => {
  it('scales basics to 4 clients × 2 addresses × 8 connections, the way stress is made', () => {
    const d = scale(structuredClone(basics), {
      clients: 4,
      addressesPerClient: 2,
      connectionsPerAddress: 8,
      transport: 'tcp',
      workload: { generator: basics.connections[0]!.generator },
      staggerUs: 7,
    });
    expect(items(d, 'clients').map((c) => c.id)).toEqual(['A', 'B', 'C', 'D']);
    expect(items(d, 'clients')[3]!.resubmit).toEqual(basics.clients[0]!.resubmit); // new clients copy the last one
    expect(items(d, 'addresses')).toHaveLength(8);
    expect(items(d, 'connections')).toHaveLength(64);
    expect(items(d, 'connections')[9]).toMatchObject({
      id: 'A-1.1',
      address: 'A-1',
      nic: 'nic0',
      generator: { startUs: 63, everyUs: 100, bytes: 2048 },
    });
    expect(problems(d)).toEqual([]);
  });

  it('a scale out of range leaves the draft as it was', () => {
    const r = structuredClone(basics) as Draft;
    const spec = {
      clients: 0,
      addressesPerClient: 2,
      connectionsPerAddress: 8,
      transport: 'tcp',
      workload: {},
      staggerUs: 0,
    };
    expect(scale(r, spec)).toBe(r);
    expect(scale(r, { ...spec, clients: 1000, addressesPerClient: 1000 })).toBe(r);
  });

  it('sets the pool size of every transport and the link rate of every NIC (not of a protocol layer)', () => {
    const d = setForAll(structuredClone(race), 'drivers', ['linkBytesPerMs'], 500, (x) => x.kind === 'nic');
    expect(items(d, 'drivers').map((x) => x.linkBytesPerMs)).toEqual([500, 500, undefined]);
    expect(
      items(setForAll(d, 'transports', ['sendBufferBytes'], 4096), 'transports')[0]!.sendBufferBytes,
    ).toBe(4096);
  });
});

describe('editor model: undo, redo and what is typed', () => {
  it('undo and redo walk the edits; a new edit drops what was undone', () => {
    const a = blankScenario();
    const b = add(a, 'nic');
    const c = add(b, 'transport');
    let h = commit(commit(startHistory(a), b), c);
    h = undo(h);
    expect(h.present).toBe(b);
    h = undo(h);
    expect(h.present).toBe(a);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe(b);
    const d = add(b, 'client');
    h = commit(h, d);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });

  it('typing into one field is one undo step; another field starts another', () => {
    const a = blankScenario();
    let h = startHistory(a);
    for (const text of ['1', '14', '146', '1460'])
      h = commit(h, setAt(h.present, ['durationUs'], numberFromText(text)), 'durationUs');
    h = commit(h, setAt(h.present, ['seed'], 9), 'seed');
    expect(h.past).toHaveLength(2);
    expect(undo(h).present.durationUs).toBe(1460);
    expect(undo(undo(h)).present).toBe(a);
  });

  it(`keeps at most ${HISTORY_LIMIT} undo steps`, () => {
    let h = startHistory(blankScenario());
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) h = commit(h, setAt(h.present, ['seed'], i));
    expect(h.past).toHaveLength(HISTORY_LIMIT);
  });

  it('a number field keeps what was typed: "12a" stays text, and validation names it', () => {
    expect(numberFromText('1460')).toBe(1460);
    expect(numberFromText(' 1.5 ')).toBe(1.5);
    expect(numberFromText('')).toBeUndefined();
    expect(numberFromText('12a')).toBe('12a');
    expect(numberFromText('0x10')).toBe('0x10');
    const d = setAt(structuredClone(race), ['connections', 0, 'sends', 0, 'bytes'], numberFromText('12a'));
    expect(problems(d)).toEqual([
      'connections[0].sends[0].bytes: must be a whole number of bytes, not "12a"',
    ]);
  });

  it('paths read back as validate.ts writes them (a problem links to its field)', () => {
    for (const p of [
      'connections[1].sends[0].bytes',
      'transports[0].sendPossible.thresholdBytes',
      'seed',
      '(root)',
    ])
      expect(formatPath(parsePath(p))).toBe(p);
  });
});
