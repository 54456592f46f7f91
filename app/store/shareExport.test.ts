// Share links restore the moment, and export goes through the worker (issue 9) — driven through the
// store's actions with a fake worker, as a script or the embed API would.
import { beforeAll, describe, expect, it } from 'vitest';
import { createAppStore } from './store.ts';
import { SimClient, type WorkerPort } from '../simClient.ts';
import { PROTOCOL_VERSION, type Command, type Event, type EventOf } from '../../src/protocol/messages.ts';
import { encodeShareFragment } from '../share.ts';

beforeAll(() => {
  globalThis.requestAnimationFrame ??= ((cb: FrameRequestCallback) => (cb(0), 1)) as typeof requestAnimationFrame;
  globalThis.cancelAnimationFrame ??= () => undefined;
});

const topology = { connectionIds: ['A1', 'B1'], addressIds: ['a', 'b'], nodeIds: ['nic0', 'tcp'], clientIds: ['A', 'B'] } as unknown as EventOf<'loaded'>['topology'];
const scenario = (title: string) => ({ title, durationUs: 20000, faults: [], policyChanges: [] }) as unknown as EventOf<'loaded'>['scenario'];

function setup(hash = '') {
  const sent: Command[] = [];
  const port: WorkerPort = { postMessage: (m) => sent.push(m), onmessage: null, onerror: null, terminate: () => undefined };
  const sim = new SimClient(port);
  const store = createAppStore();
  const actions = store.getState().actions;
  actions.connect(sim, { preset: 'race', notices: [], hash });
  const emit = (e: Event) => port.onmessage!({ data: e } as MessageEvent<Event>);
  const lastSent = <K extends Command['op']>(op: K) => sent.filter((c): c is Extract<Command, { op: K }> => c.op === op).at(-1);
  const frameAt = (nowUs: number, eventCount = 10) => emit({ op: 'frame', nowUs, eventCount, playing: false, finished: false, bugcheck: null, events: { length: 0 } } as unknown as Event);
  return { sent, store, actions, emit, lastSent, frameAt };
}

describe('share restores the moment', () => {
  it('a link sets speed and theme, loads its scenario, then restores branches, the current one, the time and the selection', async () => {
    const main = scenario('main');
    const forked = scenario('forked');
    const frag = await encodeShareFragment({
      scenario: forked,
      preset: 'race',
      timeUs: 5800,
      events: 412,
      speed: 0.01,
      theme: 'light',
      branches: [
        { label: 'main', scenario: main, forkUs: null },
        { label: 'branch 2: x', scenario: forked, forkUs: 900 },
      ],
      branch: 1,
      selection: { kind: 'connection', id: 'B1' },
    });
    const t = setup('#' + frag);
    t.emit({ op: 'ready', version: PROTOCOL_VERSION });
    await expect.poll(() => t.lastSent('load')).toEqual({ op: 'load', source: { kind: 'json', scenario: forked }, api: 'tdi' });
    expect(t.lastSent('setSpeed')).toEqual({ op: 'setSpeed', speed: 0.01 });
    expect(t.store.getState().theme).toBe('light');
    t.emit({ op: 'loaded', scenario: forked, topology, reason: 'load', api: 'tdi' });
    expect(t.lastSent('seek')).toEqual({ op: 'seek', timeUs: 5800, events: 412 });
    expect(t.store.getState()).toMatchObject({
      branch: 1,
      branches: [{ label: 'main', forkUs: null }, { label: 'branch 2: x', forkUs: 900 }],
      selection: { kind: 'connection', index: 1 },
      presetName: 'race',
      speed: 0.01,
    });
    // And what the page would share now is that moment again.
    t.frameAt(5800, 412);
    expect(t.actions.shareMoment()).toMatchObject({ timeUs: 5800, events: 412, speed: 0.01, theme: 'light', branch: 1, selection: { kind: 'connection', id: 'B1' }, preset: 'race' });
  });

  it('#8: projector mode is shared only when on, and a link with it turns it on', async () => {
    const t = setup();
    t.emit({ op: 'ready', version: PROTOCOL_VERSION });
    t.emit({ op: 'loaded', scenario: scenario('s'), topology, reason: 'load', api: 'tdi' });
    t.frameAt(100);
    expect(t.actions.shareMoment()).not.toHaveProperty('projector');
    t.actions.setProjector();
    expect(t.actions.shareMoment()).toMatchObject({ projector: true });

    const u = setup('#' + (await encodeShareFragment({ scenario: scenario('s'), projector: true })));
    u.emit({ op: 'ready', version: PROTOCOL_VERSION });
    await expect.poll(() => u.store.getState().projector).toBe(true);
  });

  it("a link whose scenario the engine rejects is named, and the preset is shown instead (never 'Loading…' forever)", async () => {
    const t = setup('#' + (await encodeShareFragment({ scenario: { format: 'nope' } })));
    t.emit({ op: 'ready', version: PROTOCOL_VERSION });
    await expect.poll(() => t.lastSent('load')?.source.kind).toBe('json');
    t.emit({ op: 'invalid', problems: ['format: must be "tdi-flow-lab/scenario@1"'] });
    expect(t.lastSent('load')).toEqual({ op: 'load', source: { kind: 'preset', name: 'race' }, api: 'tdi' });
    expect(t.store.getState().notice).toBe('The link\'s scenario was not loaded: format: must be "tdi-flow-lab/scenario@1". Showing race instead.');
    expect(t.store.getState().problems).toEqual([]);
  });

  it('a broken link is named and the preset loads', async () => {
    const t = setup('#v=2&s=AAAA');
    t.emit({ op: 'ready', version: PROTOCOL_VERSION });
    await expect.poll(() => t.lastSent('load')).toEqual({ op: 'load', source: { kind: 'preset', name: 'race' }, api: 'tdi' });
    expect(t.store.getState().notice).toMatch(/^The link's s= part does not unpack .* Showing race instead\.$/);
  });
});

describe('export through the worker', () => {
  it('export(format) asks the worker for the run up to now and assembles its pieces into a Blob, with progress', async () => {
    const t = setup();
    t.emit({ op: 'loaded', scenario: scenario('race'), topology, reason: 'load', api: 'tdi' });
    t.frameAt(5800);
    const progress: number[] = [];
    const done = t.actions.export('jsonl', { onProgress: (p) => progress.push(p) });
    const req = t.lastSent('export')!;
    expect(req).toEqual({ op: 'export', id: req.id, format: 'jsonl', untilUs: 5800 });
    t.emit({ op: 'exportPart', id: req.id, text: '{"seq":0}\n', progress: 0.5 });
    expect(t.store.getState().exporting).toEqual({ format: 'jsonl', progress: 0.5 });
    t.emit({ op: 'exportPart', id: req.id, text: '{"seq":1}\n', progress: 1 });
    t.emit({ op: 'exported', id: req.id, format: 'jsonl', untilUs: 5800, parts: 2, chars: 20 });
    const blob = await done;
    expect(await blob.text()).toBe('{"seq":0}\n{"seq":1}\n');
    expect(blob.type).toBe('application/x-ndjson');
    expect(progress).toEqual([0.5, 1]);
    expect(t.store.getState().exporting).toBeNull();
    expect(t.actions.exportFileName('chrome-trace')).toBe('race-5800us.trace.json');
    expect(t.actions.exportFileName('csv', { until: 'end' })).toBe('race-20000us.csv');
  });

  it("until 'end' leaves the time to the worker; cancelExport tells the worker to stop and rejects with AbortError", async () => {
    const t = setup();
    t.emit({ op: 'loaded', scenario: scenario('race'), topology, reason: 'load', api: 'tdi' });
    const done = t.actions.export('summary', { until: 'end' });
    const req = t.lastSent('export')!;
    expect(req).toEqual({ op: 'export', id: req.id, format: 'summary' });
    t.actions.cancelExport();
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    expect(t.lastSent('cancel')).toEqual({ op: 'cancel', id: req.id });
    expect(t.store.getState().exporting).toBeNull();
  });

  it('a worker failure rejects the export with its message; a bad format is named', async () => {
    const t = setup();
    t.emit({ op: 'loaded', scenario: scenario('race'), topology, reason: 'load', api: 'tdi' });
    const done = t.actions.export('csv');
    t.emit({ op: 'failure', id: t.lastSent('export')!.id, message: 'The export failed: boom' });
    await expect(done).rejects.toThrow('The export failed: boom');
    await expect(t.actions.export('pdf' as 'csv')).rejects.toThrow('There is no export format "pdf"');
  });

  it('an export larger than the cap stops the worker and says what to do instead', async () => {
    const t = setup();
    t.emit({ op: 'loaded', scenario: scenario('stress'), topology, reason: 'load', api: 'tdi' });
    const done = t.actions.export('jsonl', { until: 'end', maxChars: 2 ** 20 });
    const id = t.lastSent('export')!.id;
    t.emit({ op: 'exportPart', id, text: 'x'.repeat(2 ** 20 - 10), progress: 0.1 });
    t.emit({ op: 'exportPart', id, text: 'x'.repeat(20), progress: 0.2 });
    await expect(done).rejects.toThrow('That jsonl file would be over 1 MB, more than a browser tab should hold: export up to an earlier time, or use the command line');
    expect(t.lastSent('cancel')).toEqual({ op: 'cancel', id });
    expect(t.store.getState().exporting).toBeNull();
  });
});
