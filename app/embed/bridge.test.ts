// The embed's postMessage bridge with a fake window and simulation: who may command, who may only
// read, where replies go (the sender's origin, never '*'), and that nonsense is ignored once, quietly.
import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../store/store.ts';
import { createEmbedBridge, STATE_EVENTS_PER_SECOND, type BridgeHost, type BridgeSim, type Peer } from './bridge.ts';
import { EMBED_PROTOCOL, EMBED_PROTOCOL_VERSION, type EmbedEvent } from '../../src/protocol/embed.ts';
import type { Frame } from '../../src/protocol/messages.ts';
import type { LessonStepUi, LessonUi } from '../lesson/types.ts';

const HOST = 'https://docs.example.org';
const LAB = 'https://lab.example.org';
const STRANGER = 'https://evil.example.net';

function setup(allowOrigins: string[], parentOrigin: string | null = HOST) {
  const store = createAppStore();
  const actions = store.getState().actions;
  const play = vi.spyOn(actions, 'play').mockImplementation(() => undefined);
  const seek = vi.spyOn(actions, 'seek').mockImplementation(() => undefined);
  const posted: { via: string; to: string; msg: EmbedEvent }[] = [];
  const peer = (via: string): Peer => ({ postMessage: (msg, to) => posted.push({ via, to, msg }) });
  const warnings: string[] = [];
  const timers: (() => void)[] = [];
  let now = 1000;
  let listener: Parameters<BridgeHost['listen']>[0] = () => undefined;
  const frameListeners = new Set<(f: Frame) => void>();
  const sim: BridgeSim = {
    onFrame(l) {
      frameListeners.add(l);
      return () => frameListeners.delete(l);
    },
    lastFrame: null,
  };
  const host: BridgeHost = {
    listen(fn) {
      listener = fn;
      return () => undefined;
    },
    parent: peer('parent'),
    parentOrigin,
    ownOrigin: LAB,
    warn: (m) => warnings.push(m),
    theme: () => 'dark',
    nowMs: () => now,
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => undefined,
  };
  const bridge = createEmbedBridge(store, sim, host, allowOrigins);
  const send = (data: unknown, origin: string) => listener({ data, origin, source: peer(origin) });
  const frame = (nowUs: number) => {
    for (const l of frameListeners) l({ nowUs, playing: true, finished: false, eventCount: 3, lostRaces: new Int32Array(2), events: { length: 0 }, rewound: false } as unknown as Frame);
  };
  return { store, bridge, send, posted, warnings, play, seek, timers, frame, advance: (ms: number) => (now += ms) };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const cmd = (m: Record<string, unknown>) => ({ protocol: EMBED_PROTOCOL, ...m });

describe('embed bridge', () => {
  it('announces ready to the parent at its own origin, with the protocol version', () => {
    const t = setup([HOST]);
    t.bridge.announce(['speed=fast is not a speed']);
    expect(t.posted).toEqual([{ via: 'parent', to: HOST, msg: { protocol: EMBED_PROTOCOL, op: 'ready', version: EMBED_PROTOCOL_VERSION, notices: ['speed=fast is not a speed'] } }]);
  });

  it('does not announce to a parent whose origin is not allowed', () => {
    const t = setup([HOST], STRANGER);
    t.bridge.announce([]);
    expect(t.posted).toEqual([]);
  });

  it('answers an allowed origin at that origin (never "*"), with the request id', async () => {
    const t = setup([HOST]);
    t.send(cmd({ op: 'getState', id: 4 }), HOST);
    await flush();
    expect(t.posted).toHaveLength(1);
    expect(t.posted[0]).toMatchObject({ via: HOST, to: HOST, msg: { op: 'reply', id: 4, ok: true, result: { timeUs: 0, theme: 'dark' } } });
  });

  it('a command from an origin not in allowOrigins is ignored: no action, no answer, one warning', async () => {
    const t = setup([HOST]);
    t.send(cmd({ op: 'play', id: 1 }), STRANGER);
    t.send(cmd({ op: 'seek', timeUs: 5, id: 2 }), STRANGER);
    await flush();
    expect(t.play).not.toHaveBeenCalled();
    expect(t.seek).not.toHaveBeenCalled();
    expect(t.posted).toEqual([]);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toContain(`${STRANGER}: that origin is not in allowOrigins`);
  });

  it('"*" lets any origin read but not act', async () => {
    const t = setup(['*']);
    t.send(cmd({ op: 'getState', id: 1 }), STRANGER);
    t.send(cmd({ op: 'play', id: 2 }), STRANGER);
    await flush();
    expect(t.play).not.toHaveBeenCalled();
    const replies = t.posted.map((p) => ({ to: p.to, ...(p.msg as { id: number; ok: boolean }) })).sort((a, b) => a.id - b.id);
    expect(replies.map((r) => [r.to, r.id, r.ok])).toEqual([
      [STRANGER, 1, true],
      [STRANGER, 2, false],
    ]);
  });

  it('with no allowOrigins, only the embed\'s own origin may command', async () => {
    const t = setup([]);
    t.send(cmd({ op: 'play' }), HOST);
    t.send(cmd({ op: 'play' }), LAB);
    await flush();
    expect(t.play).toHaveBeenCalledTimes(1);
  });

  it('carries commands out through the store actions', async () => {
    const t = setup([HOST]);
    t.send(cmd({ op: 'play', id: 'p' }), HOST);
    await flush();
    expect(t.play).toHaveBeenCalledTimes(1);
    expect(t.posted[0]!.msg).toMatchObject({ op: 'reply', id: 'p', ok: true });
  });

  it('garbage changes nothing and never throws; malformed requests with an id get the problem', async () => {
    const t = setup([HOST]);
    for (const g of [null, undefined, 0, 'play', [], { op: 'play' }, cmd({}), cmd({ op: 'play', extra: true }), cmd({ op: 'seek', timeUs: -1, id: 3 })]) expect(() => t.send(g, HOST)).not.toThrow();
    await flush();
    expect(t.play).not.toHaveBeenCalled();
    expect(t.seek).not.toHaveBeenCalled();
    expect(t.posted).toHaveLength(1);
    expect(t.posted[0]!.msg).toMatchObject({ op: 'reply', id: 3, ok: false });
    expect((t.posted[0]!.msg as { error: string }).error).toContain('seek: timeUs');
    expect(t.warnings.length).toBeLessThanOrEqual(4); // one per kind, not one per message
  });

  it(`sends state events at most ${STATE_EVENTS_PER_SECOND} a second, the latest always arriving`, async () => {
    const t = setup([HOST]);
    t.send(cmd({ op: 'subscribe', state: true, id: 1 }), HOST);
    await flush();
    const states = () => t.posted.filter((p) => p.msg.op === 'state').length;
    expect(states()).toBe(1); // at once on subscribing
    t.frame(100);
    t.frame(200);
    t.frame(300);
    expect(states()).toBe(1);
    expect(t.timers).toHaveLength(1); // one trailing event scheduled
    t.advance(1000 / STATE_EVENTS_PER_SECOND);
    t.timers[0]!();
    expect(states()).toBe(2);
    expect(t.posted.at(-1)!.msg).toMatchObject({ op: 'state', playing: true, events: 3 });
  });

  it('unsubscribe stops record and state events of that subscription', async () => {
    const t = setup([HOST]);
    t.send(cmd({ op: 'subscribe', state: true, id: 1 }), HOST);
    await flush();
    const { subscription } = (t.posted.find((p) => p.msg.op === 'reply')!.msg as unknown as { result: { subscription: number } }).result;
    t.send(cmd({ op: 'unsubscribe', subscription, id: 2 }), HOST);
    await flush();
    const before = t.posted.length;
    t.advance(10_000);
    t.frame(500);
    expect(t.posted.length).toBe(before);
  });
});

// ---- #8: lessons in the embed ----

const STEPS: LessonStepUi[] = [
  { title: 'Two clients', narration: 'n', focus: [], runs: false },
  { title: 'Who is told first?', narration: 'n', focus: [], runs: true, question: { ask: 'Which?', kind: 'choice', choices: ['A1', 'B1'] } },
];
const lessonUi = (p: Partial<LessonUi>): LessonUi => ({ name: 'race', title: 'The race', summary: '', steps: STEPS, index: 0, phase: 'paused', moments: [null, null], reveals: [null, null], missed: null, ...p });
const events = (t: ReturnType<typeof setup>, op: string) => t.posted.filter((p) => p.msg.op === op).map((p) => p.msg as unknown as Record<string, unknown>);
const reply = (t: ReturnType<typeof setup>, id: number | string) => t.posted.find((p) => p.msg.op === 'reply' && (p.msg as { id: unknown }).id === id)?.msg as unknown as Record<string, unknown> | undefined;

describe('embed bridge: lessons (#8)', () => {
  it('#8: lessonStep is heard at each step and phase that waits for the student (not while running), lessonAnswer once per reveal', async () => {
    const t = setup([HOST]);
    t.send(cmd({ op: 'getState' }), HOST); // the host becomes a peer
    await flush();
    const set = (p: Partial<LessonUi>) => t.store.setState({ lesson: lessonUi({ ...t.store.getState().lesson, ...p }) });
    t.store.setState({ lesson: lessonUi({ phase: 'loading' }) });
    set({ phase: 'paused' });
    set({ index: 1, phase: 'asking' });
    set({ phase: 'running' });
    set({ reveals: [null, { student: { kind: 'choice', value: 'B1' }, model: null, right: false, modelText: 'A1' }] });
    set({ phase: 'paused' });
    set({ phase: 'paused', missed: null }); // a change that is no step: no event
    set({ phase: 'done' });
    expect(events(t, 'lessonStep').map((e) => [e.index, e.phase, e.total])).toEqual([
      [0, 'paused', 2],
      [1, 'asking', 2],
      [1, 'paused', 2],
      [1, 'done', 2],
    ]);
    expect(events(t, 'lessonAnswer')).toEqual([{ protocol: EMBED_PROTOCOL, op: 'lessonAnswer', index: 1, predicted: true, right: false, model: 'A1' }]);
  });

  it('#8: a lesson that fails validation is refused with its problems (JSON paths) in the reply and an error event; nothing else changes', async () => {
    const t = setup([HOST]);
    const open = vi.spyOn(t.store.getState().actions, 'openLesson').mockImplementation(async () => {
      t.store.setState({ lessonProblems: { source: 'the lesson sent', problems: ['steps[1].until.record.type: "send.lost" is not a record type'] } });
      return false;
    });
    t.store.setState({ lesson: lessonUi({ index: 1, phase: 'paused' }) });
    t.send(cmd({ op: 'lesson', lesson: { steps: 'no' }, id: 7 }), HOST);
    await flush();
    expect(open).toHaveBeenCalledWith({ json: { steps: 'no' }, label: 'the lesson sent' });
    const r = reply(t, 7)!;
    expect(r.ok).toBe(false);
    expect(r.error).toContain('steps[1].until.record.type');
    expect(r.problems).toEqual(['steps[1].until.record.type: "send.lost" is not a record type']);
    expect(events(t, 'error')[0]).toMatchObject({ problems: ['steps[1].until.record.type: "send.lost" is not a record type'] });
    expect(t.store.getState().lesson).toMatchObject({ index: 1, phase: 'paused' }); // the open lesson stays
  });

  it('#8: lesson commands without an open lesson, or an answer the question cannot take, are refused naming why', async () => {
    const t = setup([HOST]);
    t.send(cmd({ op: 'lessonNext', id: 1 }), HOST);
    await flush();
    expect(reply(t, 1)).toMatchObject({ ok: false, error: 'lessonNext: no lesson is open (open one with the lesson command)' });

    const answer = vi.spyOn(t.store.getState().actions, 'lessonAnswer').mockImplementation(() => undefined);
    t.store.setState({ lesson: lessonUi({ index: 0, phase: 'paused' }) });
    t.send(cmd({ op: 'lessonAnswer', answer: 'A1', id: 2 }), HOST);
    t.store.setState({ lesson: lessonUi({ index: 1, phase: 'asking' }) });
    await flush();
    t.send(cmd({ op: 'lessonAnswer', answer: 'C9', id: 3 }), HOST);
    t.send(cmd({ op: 'lessonAnswer', answer: 1460, id: 4 }), HOST);
    await flush();
    expect(reply(t, 2)).toMatchObject({ ok: false, error: 'lessonAnswer: the step at index 0 is not asking a question now (it is paused)' });
    expect(reply(t, 3)).toMatchObject({ ok: false, error: 'lessonAnswer: "C9" is not one of the choices (A1, B1)' });
    expect(reply(t, 4)).toMatchObject({ ok: false, error: 'lessonAnswer: answer must be one choice (text) for this question' });
    expect(answer).not.toHaveBeenCalled();
  });

  it('#8: lessonAnswer replies with the reveal once the model has run; getState says where the lesson is', async () => {
    const t = setup([HOST]);
    t.store.setState({ lesson: lessonUi({ index: 1, phase: 'asking' }) });
    vi.spyOn(t.store.getState().actions, 'lessonAnswer').mockImplementation((a) => {
      // The player: running, then the reveal, then paused at the moment.
      const l = t.store.getState().lesson!;
      t.store.setState({ lesson: { ...l, phase: 'running' } });
      setImmediate(() => t.store.setState({ lesson: { ...l, phase: 'paused', reveals: [null, { student: a, model: null, right: true, modelText: 'B1' }] } }));
    });
    t.send(cmd({ op: 'lessonAnswer', answer: 'B1', id: 5 }), HOST);
    await flush();
    await flush();
    expect(reply(t, 5)).toMatchObject({ ok: true, result: { index: 1, predicted: true, right: true, model: 'B1' } });
    t.send(cmd({ op: 'getState', id: 6 }), HOST);
    await flush();
    expect(reply(t, 6)).toMatchObject({ ok: true, result: { lesson: { name: 'race', index: 1, total: 2, stepTitle: 'Who is told first?', phase: 'paused' } } });
  });
});
