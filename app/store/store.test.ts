// The store's actions are the page's public surface: worker events, the UI, the keyboard and the
// script handle all land here. These tests drive them with a fake worker, as a script would.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAppStore } from './store.ts';
import { SimClient, type WorkerPort } from '../simClient.ts';
import type { Command, Event, EventOf } from '../../src/protocol/messages.ts';

beforeAll(() => {
  // Frames are drawn from requestAnimationFrame: run it at once so lastFrame is the frame just sent.
  globalThis.requestAnimationFrame ??= ((cb: FrameRequestCallback) => (cb(0), 1)) as typeof requestAnimationFrame;
  globalThis.cancelAnimationFrame ??= () => undefined;
});

function setup() {
  const sent: Command[] = [];
  const port: WorkerPort = { postMessage: (m) => sent.push(m), onmessage: null, onerror: null, terminate: () => undefined };
  const sim = new SimClient(port);
  const store = createAppStore();
  const actions = store.getState().actions;
  actions.connect(sim, { preset: 'race', speed: 0.01, notices: [] });
  const emit = (e: Event) => port.onmessage!({ data: e } as MessageEvent<Event>);
  const scenario = (title: string) => ({ title, faults: [], policyChanges: [] }) as unknown as EventOf<'loaded'>['scenario'];
  const frameAt = (nowUs: number) => ({ op: 'frame', nowUs, playing: false, finished: false, bugcheck: null, events: { length: 0 } }) as unknown as Event;
  const lastSent = <K extends Command['op']>(op: K) => sent.filter((c): c is Extract<Command, { op: K }> => c.op === op).at(-1);
  return { sent, sim, store, actions, emit, scenario, frameAt, lastSent };
}

describe('app store actions', () => {
  it('no component sets store state directly: only app/store/ calls setState', () => {
    const appDir = join(__dirname, '..');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        // Unit tests may set up a state as a fixture (the embed bridge's lesson events need one).
        else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !relative(appDir, p).startsWith('store')) {
          if (/\bappStore\.setState\b|\.setState\s*\(/.test(readFileSync(p, 'utf8'))) offenders.push(relative(appDir, p));
        }
      }
    };
    walk(appDir);
    expect(offenders).toEqual([]);
  });

  it('ready: sets the speed from the address bar, then loads its preset', async () => {
    const t = setup();
    t.emit({ op: 'ready', version: 2 });
    expect(t.lastSent('setSpeed')).toEqual({ op: 'setSpeed', speed: 0.01 });
    await expect.poll(() => t.lastSent('load')).toEqual({ op: 'load', source: { kind: 'preset', name: 'race' }, api: 'tdi' });
    expect(t.store.getState()).toMatchObject({ ready: true, presetName: 'race' });
  });

  it('a fault injected in the past forks a branch; switching back reloads it and returns to the same moment', () => {
    const t = setup();
    t.emit({ op: 'loaded', scenario: t.scenario('main'), topology: {} as never, reason: 'load', api: 'tdi' });
    t.emit({ op: 'faultInjected', fault: { atUs: 500, driver: 'nic0', status: 'STATUS_LINK_FAILED', fatal: true }, forked: true, scenario: t.scenario('forked') });
    expect(t.store.getState().branches.map((b) => b.label)).toEqual(['main', 'branch 2: LINK_FAILED on nic0 at 500 µs']);
    expect(t.store.getState().branch).toBe(1);

    t.emit(t.frameAt(700));
    t.actions.switchBranch(0);
    expect(t.lastSent('load')).toMatchObject({ source: { kind: 'json', scenario: { title: 'main' } } });
    t.emit({ op: 'loaded', scenario: t.scenario('main'), topology: {} as never, reason: 'load', api: 'tdi' });
    expect(t.lastSent('seek')).toEqual({ op: 'seek', timeUs: 700 });
    expect(t.store.getState().branches).toHaveLength(2); // a switch keeps the branches
    // Any other load starts a new run with one branch.
    t.emit({ op: 'loaded', scenario: t.scenario('other'), topology: {} as never, reason: 'load', api: 'tdi' });
    expect(t.store.getState().branches.map((b) => b.label)).toEqual(['main']);
  });

  it('#20: TDI/WSK reloads the scenario on screen under the other API; every later load keeps it; the worker says which', () => {
    const t = setup();
    t.emit({ op: 'loaded', scenario: t.scenario('main'), topology: {} as never, reason: 'load', api: 'tdi' });
    t.actions.setApi('wsk');
    expect(t.lastSent('load')).toMatchObject({ source: { kind: 'json', scenario: { title: 'main' } }, api: 'wsk' });
    t.emit({ op: 'loaded', scenario: t.scenario('main'), topology: {} as never, reason: 'load', api: 'wsk' });
    expect(t.store.getState().api).toBe('wsk');
    t.actions.setSeed(9);
    expect(t.lastSent('load')).toMatchObject({ source: { kind: 'json', scenario: { seed: 9 } }, api: 'wsk' });
    // A load that names its API (a link, a script) wins; the store follows the worker's answer.
    t.emit({ op: 'loaded', scenario: t.scenario('other'), topology: {} as never, reason: 'load', api: 'tdi' });
    expect(t.store.getState().api).toBe('tdi');
    t.actions.setApi('nope' as never);
    expect(t.store.getState().notice).toBe('There is no kernel interface "nope" (try tdi or wsk): the run stays on TDI.');
  });

  it('#10: a seed change that leaves branches behind says so; a bad seed is named and loads nothing', () => {
    const t = setup();
    t.emit({ op: 'loaded', scenario: { ...t.scenario('main'), seed: 1 }, topology: {} as never, reason: 'load', api: 'tdi' });
    t.actions.setSeed(2);
    expect(t.store.getState().notice).toBeNull(); // one branch: nothing is lost, nothing to say
    t.emit({ op: 'faultInjected', fault: { atUs: 500, driver: 'nic0', status: 'STATUS_LINK_FAILED', fatal: true }, forked: true, scenario: t.scenario('forked') });
    t.actions.setSeed(7);
    expect(t.lastSent('load')).toMatchObject({ source: { kind: 'json', scenario: { title: 'forked', seed: 7 } } });
    expect(t.store.getState().notice).toMatch(/Seed 7: a new run with the changes of branch "branch 2.*the other branch was left behind/);
    const loads = t.sent.filter((c) => c.op === 'load').length;
    t.actions.setSeed(-1);
    expect(t.sent.filter((c) => c.op === 'load')).toHaveLength(loads);
    expect(t.store.getState().notice).toMatch(/Seed -1 is not a whole number/);
  });

  it('#10: a script\'s malformed command is named in the problems, sends nothing and throws nothing', () => {
    const t = setup();
    const before = t.sent.length;
    for (const bad of [{ op: 'load', source: null }, { op: 'load', source: { kind: 'preset', name: 'nope' } }, { op: 'seek', timeUs: 'soon' }, { op: 'inspect' }, 'play', null]) {
      expect(() => t.actions.command(bad as never)).not.toThrow();
    }
    expect(t.sent).toHaveLength(before);
    expect(t.store.getState().problems[0]).toBe('a command must be an object with an op');
    t.actions.command({ op: 'seek', timeUs: 'soon' } as never);
    expect(t.store.getState().problems).toEqual(['seek.timeUs: must be a time in µs, 0 or more']);
    t.actions.command({ op: 'load', source: { kind: 'preset', name: 'nope' } } as never);
    expect(t.store.getState().problems[0]).toMatch(/^load\.source: must be/);
  });

  it('why: the newest question wins even when an older answer arrives last', async () => {
    const t = setup();
    const first = t.actions.why(10);
    const firstId = t.lastSent('why')!.id;
    const second = t.actions.why(20);
    const secondId = t.lastSent('why')!.id;
    expect(t.store.getState().why).toEqual({ seq: 20, pending: true, chain: null });
    t.emit({ op: 'why', id: secondId, seq: 20, chain: null, reason: 'the newer answer' });
    t.emit({ op: 'why', id: firstId, seq: 10, chain: null, reason: 'a stale answer' });
    await Promise.all([first, second]);
    expect(t.store.getState().why).toEqual({ seq: 20, pending: false, chain: null, reason: 'the newer answer' });
  });

  it("why: a worker failure is shown in the panel, not swallowed", async () => {
    const t = setup();
    const asked = t.actions.why(5);
    t.emit({ op: 'failure', id: t.lastSent('why')!.id, message: 'no scenario is loaded yet' });
    await asked;
    expect(t.store.getState().why).toMatchObject({ seq: 5, pending: false, reason: 'No answer: no scenario is loaded yet' });
  });

  it('the script handle runs protocol commands through the same actions as the UI', () => {
    const t = setup();
    t.actions.command({ op: 'load', source: { kind: 'preset', name: 'cascade' }, seed: 3 });
    expect(t.store.getState().presetName).toBe('cascade');
    expect(t.lastSent('load')).toEqual({ op: 'load', source: { kind: 'preset', name: 'cascade' }, seed: 3, api: 'tdi' });
    t.actions.command({ op: 'setSpeed', speed: 10 });
    expect(t.store.getState().speed).toBe(10); // the Speed menu follows a script's change
    t.actions.command({ op: 'injectFault', driver: 'nic0', status: 'STATUS_LINK_FAILED', fatal: true });
    expect(t.lastSent('injectFault')).toEqual({ op: 'injectFault', driver: 'nic0', status: 'STATUS_LINK_FAILED', fatal: true });
    const before = t.sent.length;
    t.actions.command({ op: 'hello', version: 1 }); // the client's own handshake is not a script's to send
    expect(t.sent.length).toBe(before);
  });

  it('faster/slower walk the speed ladder and stop at its ends', () => {
    const t = setup();
    t.actions.setSpeed(1000);
    t.actions.faster();
    expect(t.store.getState().speed).toBe(1000);
    t.actions.slower();
    expect(t.lastSent('setSpeed')).toEqual({ op: 'setSpeed', speed: 100 });
  });

  it('escape closes every overlay and clears the selection; select closes the fault menu', () => {
    const t = setup();
    t.actions.openFaultMenu(2, 10, 20);
    t.actions.select({ kind: 'node', index: 2 });
    expect(t.store.getState()).toMatchObject({ selection: { kind: 'node', index: 2 }, faultMenu: null });
    t.actions.openFaultMenu(2, 10, 20);
    t.actions.setHelpOpen(true);
    t.actions.openCompare();
    t.actions.escape();
    expect(t.store.getState()).toMatchObject({ helpOpen: false, faultMenu: null, selection: null, compareOpen: false });
  });

  it('a file that is not JSON reports where, and does not load', async () => {
    const t = setup();
    await t.actions.loadScenarioText('my.json', '{ "format": ');
    expect(t.store.getState().problems[0]).toMatch(/^my\.json: /);
    expect(t.lastSent('load')).toBeUndefined();
  });
});
