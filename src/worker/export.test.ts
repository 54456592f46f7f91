// Export from the app (issue 9): the worker session re-runs the current scenario headless and streams
// a command-line format in pieces. What it sends must be exactly what `tdi-flow run` writes.
import { spawnSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { SimSession, type SessionHost } from './session.ts';
import { Engine } from '../model/engine.ts';
import type { Command, Event, EventOf } from '../protocol/messages.ts';
import type { ExportFormat } from '../trace/exportRun.ts';

const bin = new URL('../../bin/tdi-flow.mjs', import.meta.url).pathname;
const cli = (...args: string[]): string => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
};

/** A session with a timer queue that the test drains by hand (the export yields through it). */
function harness(msPerRead = 1) {
  const posted: Event[] = [];
  let timers: { fn: () => void; id: number }[] = [];
  let nextId = 1;
  let now = 0;
  const host: SessionHost = {
    post: (m) => posted.push(m),
    // Each reading moves the clock: a slice ends after a few pieces, as a busy real one would.
    nowMs: () => (now += msPerRead),
    setTimer: (fn) => {
      const id = nextId++;
      timers.push({ fn, id });
      return id;
    },
    clearTimer: (h) => {
      timers = timers.filter((t) => t.id !== h);
    },
  };
  const session = new SimSession(host);
  return {
    session,
    posted,
    /** Runs the pending timers until none is left (the live session is paused, so only exports run). */
    drain() {
      for (let guard = 0; timers.length > 0 && guard < 1_000_000; guard++) timers.shift()!.fn();
    },
    /**
     * Waits (in real time) until the session has loaded what request `id` needs on first use and
     * started on it (a slice is scheduled) or answered it.
     */
    async settle(id: number) {
      const started = () => timers.length > 0 || posted.some((m) => 'id' in m && m.id === id);
      for (let i = 0; i < 500 && !started(); i++) await new Promise((r) => setTimeout(r, 5));
    },
    async load(cmd: Command) {
      session.handle(cmd);
      for (let i = 0; i < 500 && !posted.some((m) => m.op === 'loaded'); i++) await new Promise((r) => setTimeout(r, 5));
    },
  };
}

/**
 * Steps until a step leaves the run part-way through an instant, with more records to come at that
 * time (a seek to the time alone lands later), and returns that moment; each step's moment is
 * travelled back to by its record count before the next.
 */
function stepIntoAnInstant(h: ReturnType<typeof harness>): { nowUs: number; eventCount: number } | null {
  const lastFrame = () => h.posted.filter((m): m is EventOf<'frame'> => m.op === 'frame').at(-1)!;
  for (let i = 0; i < 400; i++) {
    h.session.handle({ op: 'frameDone' });
    h.session.handle({ op: 'step' });
    h.session.handle({ op: 'frameDone' });
    const f = lastFrame();
    h.session.handle({ op: 'seek', timeUs: f.nowUs });
    h.drain();
    h.session.handle({ op: 'frameDone' });
    const byTime = lastFrame();
    h.session.handle({ op: 'seek', timeUs: f.nowUs, events: f.eventCount });
    h.drain();
    if (byTime.eventCount !== f.eventCount) return { nowUs: f.nowUs, eventCount: f.eventCount };
  }
  return null;
}

async function exportText(h: ReturnType<typeof harness>, id: number, format: ExportFormat, untilUs?: number): Promise<{ text: string; parts: EventOf<'exportPart'>[]; reply: EventOf<'exported'> }> {
  h.session.handle({ op: 'export', id, format, ...(untilUs !== undefined ? { untilUs } : {}) });
  await h.settle(id);
  h.drain();
  const parts = h.posted.filter((m): m is EventOf<'exportPart'> => m.op === 'exportPart' && m.id === id);
  const reply = h.posted.find((m): m is EventOf<'exported'> => m.op === 'exported' && m.id === id)!;
  return { text: parts.map((p) => p.text).join(''), parts, reply };
}

describe('export in the worker', () => {
  it('each format of preset race equals the command line output, to the end and to 5800 µs', async () => {
    const h = harness();
    await h.load({ op: 'load', source: { kind: 'preset', name: 'race' } });
    let id = 1;
    for (const format of ['jsonl', 'chrome-trace', 'csv', 'summary'] as const) {
      for (const until of [undefined, 5800]) {
        const got = await exportText(h, id++, format, until);
        const want = cli('run', 'preset:race', '--format', format, ...(until !== undefined ? ['--until-us', String(until)] : []));
        expect(got.text, `${format} until ${until ?? 'end'}`).toBe(want);
        expect(got.reply).toMatchObject({ format, parts: got.parts.length, chars: want.length });
        // Progress only rises, and the last piece says it is done.
        const progress = got.parts.map((p) => p.progress);
        expect(progress).toEqual([...progress].sort((a, b) => a - b));
        expect(progress.at(-1)).toBe(1);
      }
    }
  });

  it('a fault injected by hand is in the exported trace (the current scenario, not the preset)', async () => {
    const h = harness();
    await h.load({ op: 'load', source: { kind: 'preset', name: 'basics' } });
    h.session.handle({ op: 'frameDone' });
    h.session.handle({ op: 'step' });
    h.session.handle({ op: 'injectFault', driver: 'nic0', status: 'STATUS_LINK_FAILED', fatal: true });
    const { text } = await exportText(h, 7, 'jsonl');
    const faults = text.split('\n').filter((l) => l.includes('"driver.fault"'));
    expect(faults.length).toBe(1);
    expect(faults[0]).toContain('STATUS_LINK_FAILED');
  });

  it('a long export comes in many pieces with a slice of work each, and cancel stops it', async () => {
    const h = harness();
    await h.load({ op: 'load', source: { kind: 'preset', name: 'race' } });
    // The CSV is 201 samples: with the clock moving, it cannot all come in one slice.
    const { parts } = await exportText(h, 3, 'csv');
    expect(parts.length).toBeGreaterThan(10);
    h.session.handle({ op: 'export', id: 4, format: 'jsonl' });
    h.session.handle({ op: 'cancel', id: 4 }); // before it has even started
    // An export asked for after it: once that one runs, the cancelled one would have started first.
    const after = await exportText(h, 5, 'summary');
    expect(after.reply.id).toBe(5);
    expect(h.posted.some((m) => (m.op === 'exportPart' || m.op === 'exported') && m.id === 4)).toBe(false);
  });

  it('a summary, which has no text until the end, still reports progress as the run moves on', async () => {
    // A clock that says each piece took 10 ms: one piece per turn. 60 ms of stress is several slices.
    const h = harness(10);
    await h.load({ op: 'load', source: { kind: 'preset', name: 'stress' } });
    const { parts } = await exportText(h, 5, 'summary', 60_000);
    expect(parts.filter((p) => p.text === '').length).toBeGreaterThan(0);
    expect(parts.filter((p) => p.text !== '')).toHaveLength(1);
    expect(parts.at(-1)!.progress).toBe(1);
  });

  it('before any scenario, or with an unknown format, the request fails by its id', async () => {
    const h = harness();
    h.session.handle({ op: 'export', id: 9, format: 'jsonl' });
    expect(h.posted.at(-1)).toEqual({ op: 'failure', id: 9, message: 'no scenario is loaded yet' });
    await h.load({ op: 'load', source: { kind: 'preset', name: 'race' } });
    h.session.handle({ op: 'export', id: 10, format: 'pdf' as ExportFormat });
    await h.settle(10);
    expect(h.posted.at(-1)).toEqual({ op: 'failure', id: 10, message: 'there is no export format "pdf"' });
  });

  it('seek with a record count restores a moment a step left inside an instant', async () => {
    const h = harness();
    await h.load({ op: 'load', source: { kind: 'preset', name: 'race' } });
    const frames = () => h.posted.filter((m): m is EventOf<'frame'> => m.op === 'frame');
    const moment = stepIntoAnInstant(h);
    expect(moment).not.toBeNull();
    h.session.handle({ op: 'frameDone' });
    h.session.handle({ op: 'seek', timeUs: moment!.nowUs + 3000 });
    h.session.handle({ op: 'frameDone' });
    h.session.handle({ op: 'seek', timeUs: moment!.nowUs, events: moment!.eventCount });
    h.session.handle({ op: 'frameDone' });
    expect(frames().at(-1)).toMatchObject(moment!);
  });

  it('#10: a seek to a record count replays the way there once: no more kernel events than a seek to its time', async () => {
    const h = harness();
    await h.load({ op: 'load', source: { kind: 'preset', name: 'herd' } });
    h.session.handle({ op: 'runToEnd' }); // checkpoints over the whole run
    h.drain();
    const frames = () => h.posted.filter((m): m is EventOf<'frame'> => m.op === 'frame');
    // A moment a step leaves part-way through an instant, well into the run (checkpoints behind it).
    h.session.handle({ op: 'frameDone' });
    h.session.handle({ op: 'seek', timeUs: 12_000 });
    h.drain();
    const moment = stepIntoAnInstant(h);
    expect(moment).not.toBeNull();
    // Kernel events dispatched by every engine of the session (the replays).
    const dispatched = vi.spyOn(Engine.prototype as unknown as { dispatchOne(): void }, 'dispatchOne');
    const replay = (seek: { timeUs: number; events?: number }): number => {
      h.session.handle({ op: 'seek', timeUs: 0 });
      h.session.handle({ op: 'frameDone' });
      h.drain();
      dispatched.mockClear();
      h.session.handle({ op: 'seek', ...seek });
      h.drain();
      h.session.handle({ op: 'frameDone' });
      return dispatched.mock.calls.length;
    };
    const toTime = replay({ timeUs: moment!.nowUs });
    const toCount = replay({ timeUs: moment!.nowUs, events: moment!.eventCount });
    dispatched.mockRestore();
    expect(frames().at(-1)).toMatchObject(moment!);
    expect(toTime).toBeGreaterThan(0);
    expect(toCount).toBeLessThanOrEqual(toTime);
  });
});
