// The embed's postMessage bridge with a fake window and simulation: who may command, who may only
// read, where replies go (the sender's origin, never '*'), and that nonsense is ignored once, quietly.
import { describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../store/store.ts';
import { createEmbedBridge, GUEST_MESSAGES_BURST, MAX_SUBSCRIPTIONS, STATE_EVENTS_PER_SECOND, type BridgeHost, type BridgeSim, type Peer } from './bridge.ts';
import { EMBED_PROTOCOL, EMBED_PROTOCOL_VERSION, type EmbedEvent } from '../../src/protocol/embed.ts';
import type { Command, Frame } from '../../src/protocol/messages.ts';
import type { LessonStepUi, LessonUi } from '../lesson/types.ts';

const HOST = 'https://docs.example.org';
const LAB = 'https://lab.example.org';
const STRANGER = 'https://evil.example.net';

function setup(allowOrigins: string[], parentOrigin: string | null = HOST) {
  const store = createAppStore();
  const actions = store.getState().actions;
  // The worker's side, faked: commands are numbered as SimClient numbers them; a frame shows those handled.
  let sent = 0;
  const sendListeners = new Set<(c: Command, n: number) => void>();
  const deadListeners = new Set<(reason: string) => void>();
  const toWorker = (c: Command) => {
    sent++;
    for (const l of sendListeners) l(c, sent);
  };
  const play = vi.spyOn(actions, 'play').mockImplementation(() => toWorker({ op: 'play' }));
  const seek = vi.spyOn(actions, 'seek').mockImplementation((timeUs) => toWorker({ op: 'seek', timeUs }));
  vi.spyOn(actions, 'pause').mockImplementation(() => toWorker({ op: 'pause' }));
  vi.spyOn(actions, 'step').mockImplementation(() => toWorker({ op: 'step' }));
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
    get commandsSent() {
      return sent;
    },
    onSend(l) {
      sendListeners.add(l);
      return () => sendListeners.delete(l);
    },
    onDead(l) {
      deadListeners.add(l);
      return () => deadListeners.delete(l);
    },
  };
  let ids = 0;
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
    randomId: () => 1000 + 7919 * ++ids, // not 1, 2, 3: a page cannot count them up
  };
  const bridge = createEmbedBridge(store, sim, host, allowOrigins);
  // One window per origin (a browser gives the same event.source for the same window).
  const windows = new Map<string, Peer>();
  const windowOf = (origin: string) => windows.get(origin) ?? windows.set(origin, peer(origin)).get(origin)!;
  const send = (data: unknown, origin: string, source: Peer = windowOf(origin)) => listener({ data, origin, source });
  /** A frame drawn: it shows every command sent so far unless `handled` says fewer. */
  const frame = (nowUs: number, opts: { playing?: boolean; handled?: number; seeking?: boolean; events?: Partial<Frame['events']> } = {}) => {
    const f = { nowUs, playing: opts.playing ?? true, finished: false, eventCount: 3, lostRaces: new Int32Array(2), events: { length: 0, ...opts.events }, rewound: false, commandsHandled: opts.handled ?? sent, seeking: opts.seeking ?? false } as unknown as Frame;
    for (const l of frameListeners) l(f);
  };
  const die = (reason: string) => {
    for (const l of deadListeners) l(reason);
  };
  return { store, bridge, send, peer, posted, warnings, play, seek, timers, frame, die, advance: (ms: number) => (now += ms), sentCount: () => sent };
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

  it('carries commands out through the store actions, and replies once a frame shows the effect', async () => {
    const t = setup([HOST]);
    t.send(cmd({ op: 'play', id: 'p' }), HOST);
    await flush();
    expect(t.play).toHaveBeenCalledTimes(1);
    expect(t.posted).toEqual([]);
    t.frame(10);
    await flush();
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

// ---- #17: every request answered, no guest can disturb the host ----

const GUEST = 'https://guest.example.net';
const replies = (t: ReturnType<typeof setup>) => t.posted.filter((p) => p.msg.op === 'reply').map((p) => p.msg as unknown as { id: number; ok: boolean; error?: string; superseded?: boolean; result?: Record<string, unknown> });

describe('embed bridge: hardening (#17)', () => {
  it('#17 hole 1: seek then step in one tick — each gets exactly one reply: the seek superseded, the step done', async () => {
    const t = setup([HOST]);
    t.send(cmd({ op: 'seek', timeUs: 3000, id: 1 }), HOST);
    t.send(cmd({ op: 'step', id: 2 }), HOST);
    await flush();
    // The worker built one frame after both (its frames coalesce): the seek's own moment never showed.
    t.frame(3001, { playing: false });
    await flush();
    await flush();
    const r = replies(t).sort((a, b) => a.id - b.id);
    expect(r.map((x) => [x.id, x.ok, x.superseded ?? false])).toEqual([
      [1, false, true],
      [2, true, false],
    ]);
    expect(r[0]!.error).toBe('seek was superseded: a step that followed it moved the time before its moment was shown');
  });

  it('#17 hole 1: a long seek replies only when it arrives, not at a frame on the way; a frame of earlier commands is not its answer', async () => {
    const t = setup([HOST]);
    t.send(cmd({ op: 'seek', timeUs: 9000, id: 1 }), HOST);
    await flush();
    t.frame(100, { playing: false, handled: t.sentCount() - 1 }); // built before the worker took the seek
    t.frame(4000, { playing: false, seeking: true }); // on the way
    await flush();
    expect(replies(t)).toEqual([]);
    t.frame(9000, { playing: false });
    await flush();
    expect(replies(t)).toMatchObject([{ id: 1, ok: true, result: { timeUs: 9000, playing: false } }]);
  });

  it('#16: pause resolves once a frame shows it paused — getState then says playing: false at a time that no longer moves', async () => {
    const t = setup([HOST]);
    t.frame(500, { playing: true });
    t.send(cmd({ op: 'pause', id: 1 }), HOST);
    await flush();
    t.frame(550, { playing: true, handled: t.sentCount() - 1 }); // in flight before the pause
    await flush();
    expect(replies(t)).toEqual([]);
    t.frame(560, { playing: false });
    await flush();
    expect(replies(t)).toMatchObject([{ id: 1, ok: true }]);
    t.send(cmd({ op: 'getState', id: 2 }), HOST);
    await flush();
    expect(replies(t)[1]).toMatchObject({ id: 2, ok: true, result: { playing: false, timeUs: 560 } });
  });

  it('#17: a request waiting for a frame fails with the reason when the worker dies (never hangs)', async () => {
    const t = setup([HOST]);
    t.send(cmd({ op: 'step', id: 1 }), HOST);
    await flush();
    t.die('it stopped answering');
    await flush();
    expect(replies(t)).toMatchObject([{ id: 1, ok: false, error: 'the simulation worker stopped: it stopped answering' }]);
  });

  it('#17 hole 2: a read-only origin cannot end the host\'s subscription; ids are not counted up from 1', async () => {
    const t = setup([HOST, '*']);
    t.send(cmd({ op: 'subscribe', records: { type: 'send.complete' }, id: 1 }), HOST);
    await flush();
    const subscription = replies(t)[0]!.result!.subscription as number;
    expect(subscription).not.toBe(1);
    t.send(cmd({ op: 'unsubscribe', subscription, id: 2 }), GUEST);
    t.send(cmd({ op: 'unsubscribe', subscription: 1, id: 3 }), GUEST);
    await flush();
    expect(replies(t).slice(1).map((r) => [r.id, r.ok, r.error])).toEqual([
      [2, false, `unsubscribe: there is no subscription ${subscription} of yours`],
      [3, false, 'unsubscribe: there is no subscription 1 of yours'],
    ]);
    // Another window of the host's own origin cannot end it either; the window that made it can.
    t.send(cmd({ op: 'unsubscribe', subscription, id: 4 }), HOST, t.peer('another window'));
    t.send(cmd({ op: 'unsubscribe', subscription, id: 5 }), HOST);
    await flush();
    expect(replies(t).slice(3).map((r) => [r.id, r.ok])).toEqual([
      [4, false],
      [5, true],
    ]);
  });

  it('#17 hole 3: a read-only origin\'s flood is bounded — subscriptions capped, messages over the budget refused, the host still answered', async () => {
    const t = setup([HOST, '*']);
    for (let i = 0; i < 5000; i++) t.send(cmd({ op: 'subscribe', records: { type: 'send.complete' }, id: i }), GUEST);
    t.send(cmd({ op: 'getState', id: 'host' }), HOST);
    await flush();
    const guest = replies(t).filter((r) => r.id !== ('host' as unknown as number));
    expect(guest).toHaveLength(5000); // every message answered, once
    expect(guest.filter((r) => r.ok)).toHaveLength(MAX_SUBSCRIPTIONS);
    expect(guest.filter((r) => !r.ok && r.error!.startsWith('subscribe:'))).toHaveLength(GUEST_MESSAGES_BURST - MAX_SUBSCRIPTIONS);
    expect(guest.filter((r) => !r.ok && r.error!.startsWith('too many messages'))).toHaveLength(5000 - GUEST_MESSAGES_BURST);
    expect(replies(t).find((r) => r.id === ('host' as unknown as number))).toMatchObject({ ok: true });
    // The budget refills over time.
    t.advance(1000);
    t.send(cmd({ op: 'getState', id: 'later' }), GUEST);
    await flush();
    expect(replies(t).at(-1)).toMatchObject({ id: 'later', ok: true });
  });
});
