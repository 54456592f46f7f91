// The embed's side of the postMessage API (src/protocol/embed.ts): checks each host message, checks
// its origin against allowOrigins, carries the command out through the page's store actions (the same
// ones a click calls), and answers the sender at its own origin — never '*'. A message that is not a
// valid command is ignored with one console warning per kind; nothing a host sends can throw here.
import type { AppState, AppStore } from '../store/store.ts';
import type { StudentAnswer } from '../lesson/types.ts';
import type { Command, Frame } from '../../src/protocol/messages.ts';
import { commandShown, nextFrame } from '../simClient.ts';
import {
  EMBED_PROTOCOL_VERSION,
  embedEvent,
  isReadOnly,
  parseEmbedCommand,
  recordMatches,
  describeMatch,
  type EmbedCommand,
  type EmbedEvent,
  type EmbedLessonAnswer,
  type EmbedLessonStatus,
  type EmbedResults,
  type EmbedState,
  type RecordMatch,
} from '../../src/protocol/embed.ts';
import { decodeRecord } from '../../src/trace/names.ts';
import { RECORD_TABLE } from '../../src/trace/recordTable.ts';

/** What the bridge needs of the simulation client (a fake in unit tests): frames, and what was sent. */
export interface BridgeSim {
  onFrame(listener: (f: Frame) => void): () => void;
  readonly lastFrame: Frame | null;
  /** The serial of the last command sent to the worker (a frame's commandsHandled counts the same). */
  readonly commandsSent: number;
  /** Every command sent to the worker, by anyone (a click, a lesson, this bridge), with its serial. */
  onSend(listener: (cmd: Command, serial: number) => void): () => void;
  /** The worker died: what waits for a frame fails with the reason. */
  onDead(listener: (reason: string) => void): () => void;
}

/** A window that sent us a message (event.source) and can be answered. */
export interface Peer {
  postMessage(message: EmbedEvent, targetOrigin: string): void;
}

export interface BridgeHost {
  /** Registers the message listener (window.addEventListener('message', …)). */
  listen(fn: (e: { data: unknown; origin: string; source: Peer | null }) => void): () => void;
  /** The parent window and, when the browser tells, its origin (location.ancestorOrigins). */
  parent: Peer | null;
  parentOrigin: string | null;
  /** This page's own origin: allowed when allowOrigins is empty. */
  ownOrigin: string;
  warn(message: string): void;
  /** The resolved theme (auto follows the system). */
  theme(): 'light' | 'dark';
  /** Real milliseconds, for rate-limiting `state` events (never part of a reply's content). */
  nowMs(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** A subscription's id: random, so another page cannot guess one (#17). */
  randomId(): number;
}

/** At most this many `state` events per second to each subscriber (the last one always arrives). */
export const STATE_EVENTS_PER_SECOND = 5;

/**
 * What one origin may cost the embed (#17): a page allowed only to read (`*`) must not be able to
 * slow the host's commands down. Each subscription costs work in every frame, so any origin has at
 * most MAX_SUBSCRIPTIONS; a read-only origin's messages are rate-limited (a burst, then a steady rate),
 * it has one `find` (a replay of the run in the worker) at a time, and hears at most
 * GUEST_RECORDS_PER_FRAME record events per frame. The host (an origin in allowOrigins) has no rate limit.
 */
export const MAX_SUBSCRIPTIONS = 32;
export const GUEST_MESSAGES_BURST = 100;
export const GUEST_MESSAGES_PER_SECOND = 50;
export const GUEST_RECORDS_PER_FRAME = 64;

/** Worker commands that move the time or start/stop play: one sent after a request's own supersedes it. */
const TIME_COMMANDS = new Set<Command['op']>(['load', 'play', 'pause', 'step', 'stepBack', 'seek', 'runToEnd', 'reset', 'cancelSeek']);

/** A request whose moment never showed because a later command moved the time first: its reply says so. */
class SupersededRequest extends Error {}

export interface Bridge {
  /** Posts `ready` (call once the first scenario is on screen). */
  announce(notices: string[]): void;
  destroy(): void;
}

export function stateOf(store: AppStore, f: Frame | null, theme: 'light' | 'dark'): EmbedState {
  const s = store.getState();
  let lost = 0;
  if (f) for (let i = 0; i < f.lostRaces.length; i++) lost += f.lostRaces[i]!;
  return {
    timeUs: f?.nowUs ?? 0,
    durationUs: s.scenario?.durationUs ?? 0,
    playing: f?.playing ?? false,
    finished: f?.finished ?? false,
    speed: s.speed,
    events: f?.eventCount ?? 0,
    lostRaces: lost,
    preset: s.presetName,
    title: s.scenario?.title ?? null,
    theme,
    lesson: lessonStatus(s),
  };
}

/** The open lesson as the host hears it (EmbedState.lesson, lessonStep events, lesson… replies). */
export function lessonStatus(s: Pick<AppState, 'lesson'>): EmbedLessonStatus | null {
  const l = s.lesson;
  if (!l) return null;
  return { name: l.name, title: l.title, index: l.index, total: l.steps.length, stepTitle: l.steps[l.index]?.title ?? '', phase: l.phase };
}

/** Phases that wait for the student: a lesson command's reply, and a lessonStep event, come at these. */
const SETTLED = new Set<EmbedLessonStatus['phase']>(['asking', 'paused', 'done']);

/** A host's answer as the question asks it: text for a choice, text[] for a set, a number. */
export function studentAnswer(kind: 'choice' | 'set' | 'number', answer: string | string[] | number, choices: readonly string[] | undefined): StudentAnswer {
  const oneOf = (v: string): string => {
    if (choices && !choices.includes(v)) throw new Error(`lessonAnswer: "${v.slice(0, 60)}" is not one of the choices (${choices.join(', ')})`);
    return v;
  };
  if (kind === 'number') {
    if (typeof answer !== 'number') throw new Error('lessonAnswer: answer must be a number for this question');
    return { kind, value: answer };
  }
  if (kind === 'set') {
    const values = typeof answer === 'string' ? [answer] : Array.isArray(answer) ? answer : null;
    if (!values) throw new Error('lessonAnswer: answer must be a choice or an array of choices for this question');
    return { kind, values: [...new Set(values.map(oneOf))] };
  }
  if (typeof answer !== 'string') throw new Error('lessonAnswer: answer must be one choice (text) for this question');
  return { kind, value: oneOf(answer) };
}

export function createEmbedBridge(store: AppStore, sim: BridgeSim, host: BridgeHost, allowOrigins: readonly string[]): Bridge {
  const actions = store.getState().actions;
  const exact = new Set(allowOrigins.filter((o) => o !== '*'));
  if (allowOrigins.length === 0) exact.add(host.ownOrigin);
  const anyMayRead = allowOrigins.includes('*');
  const warned = new Set<string>();
  const warnOnce = (kind: string, message: string) => {
    if (warned.has(kind)) return;
    warned.add(kind);
    host.warn(`tdi-flow-lab embed: ${message}`);
  };

  /** Who hears events: the windows that sent accepted commands, at their origin. */
  const peers = new Map<string, Peer>();
  /**
   * Subscriptions, by their random id: each belongs to the window (and origin) that made it, hears
   * only there, and only that window can end it (#17: a read-only page cancelled the host's).
   */
  interface Subscription {
    origin: string;
    source: Peer;
    records: { match: RecordMatch; type: number } | null;
    state: { last: number; timer: unknown } | null;
  }
  const subs = new Map<number, Subscription>();
  const subsOf = (origin: string) => {
    let n = 0;
    for (const s of subs.values()) if (s.origin === origin) n++;
    return n;
  };
  /** Per read-only origin: its message budget (tokens, refilled over time) and its find under way. */
  const guests = new Map<string, { tokens: number; at: number; finding: boolean }>();

  const post = (origin: string, e: EmbedEvent) => peers.get(origin)?.postMessage(e, origin);
  const broadcast = (e: EmbedEvent) => {
    for (const origin of peers.keys()) post(origin, e);
  };
  /** The newest frame seen (the client's lastFrame is the same once its listeners ran). */
  let latest: Frame | null = null;
  const state = () => stateOf(store, latest ?? sim.lastFrame, host.theme());

  function access(origin: string): 'full' | 'read' | 'none' {
    if (exact.has(origin)) return 'full';
    return anyMayRead ? 'read' : 'none';
  }



  /** Resolves when the store shows the load's outcome: loaded (a new loadSerial) or problems. */
  function loadOutcome(): Promise<EmbedResults['load']> {
    const serial = store.getState().loadSerial;
    return new Promise((resolve, reject) => {
      const off = store.subscribe((s, prev) => {
        if (s.loadSerial !== serial && s.scenario) {
          off();
          resolve({ title: s.scenario.title, durationUs: s.scenario.durationUs });
        } else if (s.problems.length > 0 && s.problems !== prev.problems) {
          off();
          reject(new Error(`That scenario was not loaded: ${s.problems.slice(0, 5).join('; ')}`));
        }
      });
    });
  }

  /** Waits for a drawn frame that passes `pred`; fails if the worker dies first. */
  function frameWhere(pred: (f: Frame) => boolean): Promise<Frame> {
    let offDead = (): void => undefined;
    return Promise.race([
      nextFrame(sim, pred),
      new Promise<never>((_, reject) => {
        offDead = sim.onDead((reason) => reject(new Error(`the simulation worker stopped: ${reason}`)));
      }),
    ]).finally(() => offDead());
  }

  /**
   * Carries out a command that moves the time or play, and resolves with the state once the page
   * shows its effect — what getState then says (#16: pause() resolved while still playing). The
   * frame is told by the commands the worker had handled, not by its content: a later command's
   * effect may share the frame (#17: a seek followed at once by a step never got its reply). If a
   * later command moved the time before this one's moment showed, the reply says it was superseded.
   */
  async function shown(op: string, act: () => void): Promise<EmbedState> {
    act();
    const serial = sim.commandsSent;
    let later: { op: string; serial: number } | null = null;
    const offSend = sim.onSend((c, n) => {
      if (later === null && n > serial && TIME_COMMANDS.has(c.op)) later = { op: c.op, serial: n };
    });
    try {
      const f = await frameWhere(commandShown(serial));
      const by = later as { op: string; serial: number } | null;
      if (by !== null && by.serial <= f.commandsHandled) throw new SupersededRequest(`${op} was superseded: a ${by.op} that followed it moved the time before its moment was shown`);
      return state();
    } finally {
      offSend();
    }
  }

  /** One search per record match at a time: a guest asking the same as the host shares its answer (never supersedes it). */
  const finding = new Map<string, ReturnType<typeof actions.findFirst>>();
  function findFirst(match: RecordMatch): ReturnType<typeof actions.findFirst> {
    const key = JSON.stringify(match);
    let p = finding.get(key);
    if (!p) {
      p = actions.findFirst(match).finally(() => finding.delete(key));
      finding.set(key, p);
    }
    return p;
  }

  async function run(cmd: EmbedCommand, origin: string, source: Peer): Promise<unknown> {
    switch (cmd.op) {
      case 'load': {
        const outcome = loadOutcome();
        const seed = cmd.seed !== undefined ? { seed: cmd.seed } : {};
        if (cmd.preset !== undefined) actions.loadPreset(cmd.preset, seed);
        else actions.loadScenario(cmd.scenario, seed);
        const r = await outcome;
        await nextFrame(sim);
        return r;
      }
      case 'play':
        await shown(cmd.op, actions.play);
        return {};
      case 'pause':
        await shown(cmd.op, actions.pause);
        return {};
      case 'step':
        return shown(cmd.op, actions.step);
      case 'stepBack':
        return shown(cmd.op, actions.stepBack);
      case 'seek': {
        let t = cmd.timeUs;
        if (cmd.first) {
          const record = await findFirst(cmd.first);
          if (!record) throw new Error(`no ${describeMatch(cmd.first)} in this run`);
          t = record.t;
        }
        return shown(cmd.op, () => actions.seek(t!));
      }
      case 'setSpeed':
        actions.setSpeed(cmd.speed);
        return {};
      case 'injectFault': {
        const layout = store.getState().layout;
        if (layout && !layout.nodeIds.includes(cmd.driver)) throw new Error(`injectFault: there is no driver "${cmd.driver}" (drivers: ${layout.nodeIds.join(', ')})`);
        actions.injectFault({ driver: cmd.driver, status: cmd.status, fatal: cmd.fatal ?? false, ...(cmd.recoverAfterUs !== undefined ? { recoverAfterUs: cmd.recoverAfterUs } : {}) });
        return {};
      }
      case 'getState':
        return state();
      case 'export': {
        // The page's own export (the command line's exporters in the worker; pictures from the stage).
        const format = cmd.format;
        const blob = await actions.export(format, { until: 'now' });
        const text = format === 'png' ? await dataUrl(blob) : await blob.text();
        return { format, fileName: actions.exportFileName(format, { until: 'now' }), mime: blob.type, text } satisfies EmbedResults['export'];
      }
      case 'subscribe': {
        if (subsOf(origin) >= MAX_SUBSCRIPTIONS) throw new Error(`subscribe: ${origin} has ${MAX_SUBSCRIPTIONS} subscriptions, the most one origin may have (unsubscribe one first)`);
        let subscription = host.randomId();
        while (subs.has(subscription)) subscription = host.randomId();
        const sub: Subscription = {
          origin,
          source,
          records: cmd.records ? { match: cmd.records, type: typeNumber(cmd.records.type) } : null,
          state: cmd.state ? { last: -Infinity, timer: null } : null,
        };
        subs.set(subscription, sub);
        if (sub.state) sendState(sub);
        return { subscription };
      }
      case 'unsubscribe': {
        const sub = subs.get(cmd.subscription);
        // Another window's subscription is answered as one that does not exist: ids are not to be probed.
        if (!sub || sub.origin !== origin || sub.source !== source) throw new Error(`unsubscribe: there is no subscription ${cmd.subscription} of yours`);
        if (sub.state && sub.state.timer !== null) host.clearTimer(sub.state.timer);
        subs.delete(cmd.subscription);
        return {};
      }
      case 'find':
        return { record: await findFirst(cmd.first) };
      case 'lesson': {
        const settled = lessonSettles(true);
        const opened = await (cmd.name !== undefined ? actions.openLesson(cmd.name) : actions.openLesson({ json: cmd.lesson, label: 'the lesson sent' }));
        if (!opened) {
          settled.cancel();
          const p = store.getState().lessonProblems;
          throw new LessonRefused(`That lesson was not opened${p ? ` — ${p.problems.length} problem(s): ${p.problems.slice(0, 3).join('; ')}` : ''}`, p?.problems ?? []);
        }
        return settled.promise;
      }
      case 'lessonNext':
      case 'lessonBack':
      case 'lessonRestart': {
        const l = requireLesson(cmd.op);
        // Nothing to do (Next at the end, Back at the first step): the reply says where it is.
        if ((cmd.op === 'lessonNext' && l.phase === 'done') || (cmd.op === 'lessonBack' && l.index === 0 && l.phase !== 'done')) return lessonStatus(store.getState())!;
        const settled = lessonSettles(false);
        if (cmd.op === 'lessonNext') actions.lessonNext();
        else if (cmd.op === 'lessonBack') actions.lessonBack();
        else actions.lessonRestart();
        return settled.promise;
      }
      case 'lessonAnswer': {
        const l = requireLesson(cmd.op);
        const q = l.steps[l.index]?.question;
        // Step numbers in the API count from 0, its messages too (issue 16): the panel alone shows "Step n of N".
        if (l.phase !== 'asking' || !q) throw new Error(`lessonAnswer: the step at index ${l.index} is not asking a question now (it is ${l.phase})`);
        const student = studentAnswer(q.kind, cmd.answer, q.choices);
        const index = l.index;
        const settled = lessonSettles(false);
        actions.lessonAnswer(student);
        await settled.promise;
        const r = store.getState().lesson?.reveals[index];
        if (!r) throw new Error('lessonAnswer: the lesson moved on before the answer was checked');
        return { index, predicted: r.student !== null, right: r.right, model: r.modelText } satisfies EmbedLessonAnswer;
      }
      case 'lessonExit':
        requireLesson(cmd.op);
        actions.exitLesson();
        return {};
      default: {
        const never: never = cmd;
        throw new Error(`unknown op ${(never as { op: string }).op}`);
      }
    }
  }

  function requireLesson(op: string): NonNullable<AppState['lesson']> {
    const l = store.getState().lesson;
    if (!l) throw new Error(`${op}: no lesson is open (open one with the lesson command)`);
    return l;
  }

  /**
   * Resolves with the lesson's status at the next change that leaves it waiting for the student
   * (asking, paused, done). `fresh`: a lesson being opened (any lesson object counts as a change).
   */
  function lessonSettles(fresh: boolean): { promise: Promise<EmbedLessonStatus>; cancel(): void } {
    let off = (): void => undefined;
    const promise = new Promise<EmbedLessonStatus>((resolve, reject) => {
      off = store.subscribe((s, prev) => {
        if (s.lesson === prev.lesson) return;
        if (!s.lesson) {
          off();
          reject(new Error('the lesson was closed'));
        } else if (SETTLED.has(s.lesson.phase) && (!fresh || s.lesson.phase !== 'loading')) {
          off();
          resolve(lessonStatus(s)!);
        }
      });
    });
    promise.catch(() => undefined);
    return { promise, cancel: () => off() };
  }

  function sendState(sub: Subscription): void {
    const st = sub.state;
    if (!st) return;
    const now = host.nowMs();
    const wait = st.last + 1000 / STATE_EVENTS_PER_SECOND - now;
    if (wait <= 0) {
      st.last = now;
      sub.source.postMessage(embedEvent('state', state()), sub.origin);
    } else if (st.timer === null) {
      // Trailing: the latest state always arrives, at most STATE_EVENTS_PER_SECOND times a second.
      st.timer = host.setTimer(() => {
        st.timer = null;
        if ([...subs.values()].includes(sub)) sendState(sub);
      }, wait);
    }
  }

  /** A read-only origin's message, within its budget? (tokens refill at GUEST_MESSAGES_PER_SECOND up to the burst) */
  function guestMayAsk(origin: string): boolean {
    const now = host.nowMs();
    let g = guests.get(origin);
    if (!g) guests.set(origin, (g = { tokens: GUEST_MESSAGES_BURST, at: now, finding: false }));
    g.tokens = Math.min(GUEST_MESSAGES_BURST, g.tokens + ((now - g.at) * GUEST_MESSAGES_PER_SECOND) / 1000);
    g.at = now;
    if (g.tokens < 1) return false;
    g.tokens -= 1;
    return true;
  }

  const offMessages = host.listen((e) => {
    const parsed = parseEmbedCommand(e.data);
    if (!parsed.ok) {
      // Other scripts post to every frame too: warn once per kind, answer only our own protocol's requests.
      warnOnce(parsed.problem.split(' ')[0]!.replace(/:$/, ''), `ignored a message from ${e.origin}: ${parsed.problem}`);
      if (parsed.id !== undefined && e.source && access(e.origin) !== 'none') {
        e.source.postMessage(embedEvent('reply', { id: parsed.id, ok: false, error: parsed.problem }), e.origin);
      }
      return;
    }
    const cmd = parsed.command;
    const level = access(e.origin);
    if (level === 'none' || !e.source) {
      warnOnce(`origin ${e.origin}`, `ignored ${cmd.op} from ${e.origin}: that origin is not in allowOrigins.`);
      return;
    }
    const source = e.source;
    const reply = (r: { ok: true; result: unknown } | { ok: false; error: string; problems?: string[]; superseded?: boolean }) => {
      if (cmd.id !== undefined) source.postMessage(embedEvent('reply', { id: cmd.id, ...r }), e.origin);
    };
    if (level === 'read') {
      if (!guestMayAsk(e.origin)) {
        warnOnce(`flood ${e.origin}`, `${e.origin} sends more than ${GUEST_MESSAGES_PER_SECOND} messages a second: the rest are refused.`);
        reply({ ok: false, error: `too many messages from ${e.origin}: a page that may only read sends at most ${GUEST_MESSAGES_PER_SECOND} a second (after a burst of ${GUEST_MESSAGES_BURST})` });
        return;
      }
      if (!isReadOnly(cmd.op)) {
        warnOnce(`readonly ${e.origin}`, `${e.origin} may only read (allowOrigins has "*" but not this origin): ignored ${cmd.op}.`);
        reply({ ok: false, error: `${cmd.op} is not allowed from ${e.origin}: only getState, subscribe, unsubscribe and find are (list the origin in allowOrigins).` });
        return;
      }
      if (cmd.op === 'find') {
        const g = guests.get(e.origin)!;
        if (g.finding) {
          reply({ ok: false, error: `find: ${e.origin} has a find under way; a page that may only read has one at a time` });
          return;
        }
        g.finding = true;
      }
    }
    peers.set(e.origin, source);
    run(cmd, e.origin, source)
      .then(
        (result) => reply({ ok: true, result }),
        (err: unknown) =>
          reply({
            ok: false,
            error: err instanceof Error ? err.message : String(err),
            ...(err instanceof LessonRefused ? { problems: err.problems } : {}),
            ...(err instanceof SupersededRequest ? { superseded: true } : {}),
          }),
      )
      .finally(() => {
        if (level === 'read' && cmd.op === 'find') guests.get(e.origin)!.finding = false;
      });
  });

  // Events: state (rate-limited), records by subscription, finished, loaded, error.
  let wasFinished = false;
  const offFrames = sim.onFrame((f) => {
    latest = f;
    for (const sub of subs.values()) sendState(sub);
    if (subs.size > 0 && !f.rewound && f.events.length > 0) {
      const layout = store.getState().layout;
      if (layout) {
        const ev = f.events;
        // A read-only origin hears a bounded number of records a frame: its subscriptions cannot flood the page.
        const guestBudget = new Map<string, number>();
        for (let i = 0; i < ev.length; i++) {
          for (const [subscription, sub] of subs) {
            if (!sub.records || ev.type[i] !== sub.records.type) continue;
            const guest = access(sub.origin) === 'read';
            if (guest && (guestBudget.get(sub.origin) ?? 0) >= GUEST_RECORDS_PER_FRAME) continue;
            const rec = decodeRecord(ev, i, layout);
            if (!recordMatches(sub.records.match, rec)) continue;
            if (guest) guestBudget.set(sub.origin, (guestBudget.get(sub.origin) ?? 0) + 1);
            sub.source.postMessage(embedEvent('record', { subscription, record: rec }), sub.origin);
          }
        }
      }
    }
    if (f.finished && !wasFinished) broadcast(embedEvent('finished', state()));
    wasFinished = f.finished;
  });
  const offStore = store.subscribe((s, prev) => {
    if (s.loadSerial !== prev.loadSerial && s.scenario) {
      wasFinished = false;
      broadcast(embedEvent('loaded', { title: s.scenario.title, preset: s.presetName, durationUs: s.scenario.durationUs }));
    }
    if (s.problems !== prev.problems && s.problems.length > 0) broadcast(embedEvent('error', { message: `That scenario was not loaded — ${s.problems.length} problem(s).`, problems: s.problems }));
    if (s.fatal !== prev.fatal && s.fatal) broadcast(embedEvent('error', { message: s.fatal }));
    if (s.notice !== prev.notice && s.notice?.startsWith('Something went wrong')) broadcast(embedEvent('error', { message: s.notice }));
    if (s.lessonProblems !== prev.lessonProblems && s.lessonProblems) broadcast(embedEvent('error', { message: `That lesson was not opened — ${s.lessonProblems.problems.length} problem(s).`, problems: s.lessonProblems.problems }));
    // Lesson events: each step or phase that waits for the student, and each reveal as it appears.
    const l = s.lesson;
    const was = prev.lesson;
    if (l && l !== was) {
      if (SETTLED.has(l.phase) && (!was || was.index !== l.index || was.phase !== l.phase || was.title !== l.title)) broadcast(embedEvent('lessonStep', lessonStatus(s)!));
      const r = l.reveals[l.index];
      // A reveal that was not there before (a revisited step's reveal is recomputed, not new).
      const before = was && was.title === l.title ? was.reveals[l.index] : null;
      if (r && !before) {
        broadcast(embedEvent('lessonAnswer', { index: l.index, predicted: r.student !== null, right: r.right, model: r.modelText }));
      }
    }
  });

  return {
    announce(notices) {
      // `ready` goes to the parent only at an origin allowed to talk to us (postMessage drops it at any other).
      const parent = host.parent;
      if (!parent) return;
      const ready = embedEvent('ready', { version: EMBED_PROTOCOL_VERSION, notices });
      const po = host.parentOrigin;
      const targets = po !== null ? (access(po) !== 'none' ? [po] : []) : [...exact];
      for (const origin of targets) {
        peers.set(origin, parent);
        parent.postMessage(ready, origin);
      }
      // A lesson= embed may have reached its first step before the bridge existed: say where it is.
      const l = lessonStatus(store.getState());
      if (l && SETTLED.has(l.phase)) for (const origin of targets) parent.postMessage(embedEvent('lessonStep', l), origin);
    },
    destroy() {
      offMessages();
      offFrames();
      offStore();
      for (const s of subs.values()) if (s.state && s.state.timer !== null) host.clearTimer(s.state.timer);
    },
  };
}

/** A lesson that failed validation: the reply carries its problems (JSON paths) as a list too. */
class LessonRefused extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(message);
  }
}

function typeNumber(name: string): number {
  for (const [k, v] of Object.entries(RECORD_TABLE)) if (v.name === name) return Number(k);
  return -1;
}

/** A PNG travels as a data: URL (postMessage carries text; the host can put it straight in an <img>). */
async function dataUrl(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${blob.type};base64,${btoa(bin)}`;
}
