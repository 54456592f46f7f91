// The lesson player: validation, each step's moment (the worker's lessonRun), running to it and
// pausing there, predict-then-run reveals, Back through the moments reached. Loaded when a lesson is
// opened; the store's actions (app/store/actions.ts) are thin calls into it.
import type { SimClient } from '../simClient.ts';
import type { AppData, AppState } from '../store/store.ts';
import type { AppActions } from '../store/actions.ts';
import type { Command, Frame } from '../../src/protocol/messages.ts';
import { isLessonName, loadBuiltinLesson, LESSON_NAMES } from '../../src/lesson/builtins.ts';
import { answerKind, answerText, evaluateQuery, isRight, queryMatch, type StudentAnswer } from '../../src/lesson/query.ts';
import type { Lesson } from '../../src/lesson/schema.ts';
import type { RunTrigger } from '../../src/lesson/run.ts';
import { describeMatch } from '../../src/trace/match.ts';
import { recordSentence } from '../../src/trace/recordTable.ts';
import { packLesson, unpackLesson } from '../share.ts';
import type { LessonUi } from './types.ts';

export interface LessonContext {
  set(partial: Partial<AppData>): void;
  get(): AppState;
  send(cmd: Command): void;
  sim(): SimClient | null;
  actions(): AppActions;
}

export type LessonSource = { name: string } | { json: unknown; label: string } | { text: string; label: string } | { fragment: string };

const DEFAULT_LESSON_SPEED = 0.0005;
/** Running to a moment further than this (simulated µs) jumps there instead of playing the way. */
const MAX_PLAYED_US = 20_000;

export function createLessonController(ctx: LessonContext) {
  const { set, get, send } = ctx;
  let lesson: Lesson | null = null;
  /** The document as opened (a link carries it). */
  let doc: unknown = null;
  /** Bumped on every open, step change and exit: an answer that arrives late for an old one is dropped. */
  let epoch = 0;
  let offFrame: (() => void) | null = null;

  const ui = (): LessonUi | null => get().lesson;
  const patch = (p: Partial<LessonUi>): void => {
    const l = ui();
    if (l) set({ lesson: { ...l, ...p } });
  };
  const stopWatching = (): void => {
    offFrame?.();
    offFrame = null;
  };

  /** Waits for the frame that shows the state at `events` records (a seek's or a play's). */
  function arrive(target: { timeUs: number; events: number }, my: number, afterSeek: () => void): void {
    stopWatching();
    const sim = ctx.sim();
    if (!sim) return;
    offFrame = sim.onFrame((f: Frame) => {
      if (my !== epoch) return stopWatching();
      // A seek lands on the first state with at least that many records: one kernel event may write
      // several (a SendPossible call and the bug check its handler causes).
      if (f.rewound ? f.eventCount >= target.events && f.nowUs === target.timeUs : !f.playing && f.eventCount === target.events) {
        stopWatching();
        afterSeek();
      } else if (f.rewound) {
        return; // an older seek's frame
      } else if (f.eventCount >= target.events || f.nowUs >= target.timeUs || f.finished) {
        // Played across the moment: back to exactly it (the state just after the trigger), paused.
        send({ op: 'pause' });
        send({ op: 'seek', timeUs: target.timeUs, events: target.events });
      }
    });
  }

  function goTo(target: { timeUs: number; events: number }, my: number, done: () => void, play: boolean): void {
    const now = ctx.sim()?.lastFrame;
    arrive(target, my, done);
    if (play && now && !now.finished && now.eventCount < target.events && target.timeUs - now.nowUs <= MAX_PLAYED_US) {
      ctx.actions().setSpeed(lesson?.speed ?? DEFAULT_LESSON_SPEED);
      send({ op: 'play' });
    } else send({ op: 'seek', timeUs: target.timeUs, events: target.events });
  }

  function enter(index: number): void {
    const l = ui();
    if (!lesson || !l) return;
    epoch++;
    stopWatching();
    const step = lesson.steps[index]!;
    const prev = index === 0 ? { timeUs: 0, events: 0 } : l.moments[index - 1] ?? { timeUs: 0, events: 0 };
    set({ why: null, selection: null });
    if (step.until.kind === 'next') {
      const moments = l.moments.slice();
      moments[index] = prev;
      patch({ index, phase: 'paused', moments, missed: null });
      return;
    }
    if (step.question && !l.reveals[index]) {
      patch({ index, phase: 'asking', missed: null });
      return;
    }
    // 'running' in the same patch: the new step is never seen 'paused' before its run starts.
    patch({ index, phase: 'running', missed: null });
    void run(index, l.reveals[index]?.student ?? null);
  }

  async function run(index: number, student: StudentAnswer | null): Promise<void> {
    const l = ui();
    const sim = ctx.sim();
    if (!lesson || !l || !sim) return;
    const my = ++epoch;
    const step = lesson.steps[index]!;
    const prev = index === 0 ? { timeUs: 0, events: 0 } : l.moments[index - 1] ?? { timeUs: 0, events: 0 };
    const u = step.until;
    if (u.kind === 'next') return;
    patch({ phase: 'running' });
    const trigger: RunTrigger = u.kind === 'time' ? { atUs: u.atUs } : { record: u.record.where ? { type: u.record.type, where: u.record.where } : { type: u.record.type }, nth: u.nth, from: u.from };
    let reply;
    try {
      reply = await sim.request('lessonRun', { trigger, fromSeq: prev.events, ...(step.question ? { collect: queryMatch(step.question.answerFrom) } : {}) }, { channel: 'lesson' });
    } catch (e) {
      if (my === epoch) set({ notice: `The lesson could not run this step: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    if (my !== epoch || !ui()) return;
    const m = reply.moment;
    const moments = ui()!.moments.slice();
    moments[index] = { timeUs: m.timeUs, events: m.events };
    const reveals = ui()!.reveals.slice();
    if (step.question) {
      const model = evaluateQuery(step.question.answerFrom, m.collected);
      const decider = model && model.seq !== null ? m.collected.find((e) => e.seq === model.seq) : undefined;
      const topo = get().layout;
      reveals[index] = {
        student,
        model,
        right: student !== null && isRight(student, model),
        modelText: answerText(model, step.question.unit),
        ...(decider && topo ? { decidedBy: { sentence: recordSentence(decider, { topo }), seq: decider.seq, t: decider.t } } : {}),
      };
    }
    patch({ moments, reveals, missed: m.missed && u.kind === 'record' ? `The run ended without ${describeMatch(u.record)}${u.nth > 1 ? ` (the ${u.nth}th)` : ''}: the stage shows where it stopped.` : null });
    goTo({ timeUs: m.timeUs, events: m.events }, my, () => {
      patch({ phase: 'paused' });
      const r = reveals[index];
      // The why-chain of the record that decided the answer, when it has one.
      if (r?.decidedBy && r.model && isExplainable(m.collected.find((e) => e.seq === r.decidedBy!.seq))) void ctx.actions().why(r.decidedBy.seq);
    }, true);
  }

  async function open(source: LessonSource): Promise<boolean> {
    // The validator (zod, the scenario checks) is its own chunk: shared with the embed API's, it
    // would otherwise be hoisted into the first load.
    const { parseLessonText, validateLesson } = await import('../../src/lesson/validate.ts');
    let v;
    let label: string;
    let name: string | null = null;
    // The document becomes the lesson's (what Link packs) only once it is valid.
    let candidate: unknown = null;
    if ('name' in source) {
      label = `lesson "${source.name}"`;
      if (!isLessonName(source.name)) {
        set({ lessonProblems: { source: label, problems: [`(root): there is no built-in lesson "${source.name.slice(0, 60)}" (try ${LESSON_NAMES.join(', ')})`] } });
        return false;
      }
      name = source.name;
      candidate = await loadBuiltinLesson(source.name);
      v = await validateLesson(candidate);
    } else if ('fragment' in source) {
      label = 'the link\'s lesson';
      const value = source.fragment;
      if (isLessonName(value)) return open({ name: value });
      if (/^[a-z-]{1,40}$/.test(value)) return open({ name: value });
      const u = await unpackLesson(value);
      if (!u.ok) {
        set({ lessonProblems: { source: label, problems: [`(root): ${u.problem}`] } });
        return false;
      }
      candidate = u.json;
      v = await validateLesson(candidate);
    } else if ('text' in source) {
      label = source.label;
      v = await parseLessonText(source.text);
      if (v.ok) candidate = JSON.parse(source.text.replace(/^\uFEFF/, ''));
    } else {
      label = source.label;
      candidate = source.json;
      v = await validateLesson(candidate);
    }
    if (!v.ok) {
      // Whatever was on screen stays: nothing was loaded.
      set({ lessonProblems: { source: label, problems: v.problems } });
      return false;
    }
    lesson = v.lesson;
    doc = candidate;
    epoch++;
    stopWatching();
    const steps = lesson.steps.map((s) => ({
      title: s.title,
      narration: s.narration,
      focus: s.focus ?? [],
      runs: s.until.kind !== 'next',
      ...(s.explain !== undefined ? { explain: s.explain } : {}),
      ...(s.question ? { question: { ask: s.question.ask, kind: answerKind(s.question.answerFrom), ...(s.question.choices ? { choices: s.question.choices } : {}), ...(s.question.unit !== undefined ? { unit: s.question.unit } : {}) } } : {}),
    }));
    set({
      lessonProblems: null,
      lessonMenuOpen: false,
      lesson: { name, title: lesson.title, summary: lesson.summary, steps, index: 0, phase: 'loading', moments: steps.map(() => null), reveals: steps.map(() => null), missed: null },
    });
    // The lesson's scenario loads as any scenario does; the first step starts once it has.
    const serial = get().loadSerial;
    const my = epoch;
    const sim = ctx.sim();
    if (!sim) return false;
    const off = sim.onFrame(() => {
      if (my !== epoch) return off();
      if (get().loadSerial === serial) return;
      off();
      void setFragment(name);
      enter(0);
    });
    set({ presetName: null });
    send({ op: 'load', source: { kind: 'json', scenario: lesson.scenario } });
    if (lesson.preset) set({ presetName: lesson.preset as AppState['presetName'] });
    return true;
  }

  async function setFragment(name: string | null): Promise<void> {
    if (typeof location === 'undefined' || typeof history === 'undefined') return;
    const url = new URL(location.href);
    url.hash = `lesson=${name ?? (await packLesson(doc))}`;
    history.replaceState(null, '', url);
  }

  return {
    open,
    next(): void {
      const l = ui();
      if (!l || l.phase === 'loading') return;
      if (l.phase === 'asking') return void run(l.index, null); // run without a prediction
      if (l.phase === 'running') {
        // Skip the way there: jump to the moment once it is known.
        const m = l.moments[l.index];
        if (m) goTo(m, epoch, () => patch({ phase: 'paused' }), false);
        return;
      }
      if (l.index + 1 < l.steps.length) enter(l.index + 1);
      else {
        // The end is a step change too: a run or a skip still arriving must not take it back to "paused"
        // (the end notice vanished when a late arrival landed after Finish).
        ++epoch;
        stopWatching();
        patch({ phase: 'done' });
      }
    },
    back(): void {
      const l = ui();
      if (!l || !lesson) return;
      if (l.phase === 'done') return patch({ phase: 'paused' });
      if (l.index === 0) return;
      const index = l.index - 1;
      const m = l.moments[index] ?? { timeUs: 0, events: 0 };
      const my = ++epoch;
      set({ why: null });
      patch({ index, phase: 'running', missed: null });
      // Time travels back to the previous step's moment.
      goTo(m, my, () => patch({ phase: 'paused' }), false);
    },
    answer(student: StudentAnswer): void {
      const l = ui();
      if (!l || l.phase !== 'asking') return;
      void run(l.index, student);
    },
    restart(): void {
      const l = ui();
      if (!l) return;
      patch({ index: 0, moments: l.steps.map(() => null), reveals: l.steps.map(() => null), phase: 'running' });
      const my = ++epoch;
      goTo({ timeUs: 0, events: 0 }, my, () => enter(0), false);
    },
    exit(): void {
      epoch++;
      stopWatching();
      lesson = null;
      set({ lesson: null, why: null });
      if (typeof location !== 'undefined' && location.hash.startsWith('#lesson=')) {
        const url = new URL(location.href);
        url.hash = '';
        history.replaceState(null, '', url);
      }
    },
    async link(): Promise<string | null> {
      const l = ui();
      if (!l || typeof location === 'undefined') return null;
      const url = new URL(location.href);
      url.hash = `lesson=${l.name ?? (await packLesson(doc))}`;
      return url.toString();
    },
  };
}

export type LessonController = ReturnType<typeof createLessonController>;

function isExplainable(e: { type: string; status?: unknown; lostRace?: unknown } | undefined): boolean {
  if (!e) return false;
  return (e.type === 'send.complete' && (e.status === 'STATUS_DEVICE_NOT_READY' || e.lostRace === true)) || e.type === 'callback.error' || e.type === 'connection.broken';
}
