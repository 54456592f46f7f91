// The lesson player: validation, each step's moments (src/lesson/step.ts over the worker's
// lessonRun), running to them and pausing there — a question just before the first record its
// answer comes from, Check just after the record that decides it — Back through the moments reached,
// the end's tally. Loaded when a lesson is opened; the store's actions (app/store/actions.ts) are thin
// calls into it, and it changes the store only through the actions it is handed (app/store/lessonPort.ts).
import type { Frame } from '../../src/protocol/messages.ts';
import type { PresetName } from '../../src/scenario/presets.ts';
import type { LessonPort } from '../store/lessonPort.ts';
import { isLessonName, loadBuiltinLesson, LESSON_NAMES } from '../../src/lesson/builtins.ts';
import { answerKind, answerText, isRight, type StudentAnswer } from '../../src/lesson/query.ts';
import type { Lesson } from '../../src/lesson/schema.ts';
import { runStep, START, stepApis, stepStart, type Moment, type Runner, type StepRun } from '../../src/lesson/step.ts';
import { describeMatch } from '../../src/trace/match.ts';
import { recordSentence } from '../../src/trace/recordTable.ts';
import { packLesson, unpackLesson } from '../share.ts';
import type { LessonReveal, LessonUi } from './types.ts';

export type LessonSource = { name: string } | { json: unknown; label: string } | { text: string; label: string } | { fragment: string };

const DEFAULT_LESSON_SPEED = 0.0005;
/** Running to a moment further than this (simulated µs) jumps there instead of playing the way. */
const MAX_PLAYED_US = 20_000;
/**
 * Playing toward a moment stops this long (real ms, at the lesson's speed) before it and seeks the
 * rest: a frame that overshot would show what lies past it — at a question, the answer.
 */
const STOP_SHORT_MS = 250;

/** `store`: the page store's actions for lessons (app/store/lessonPort.ts); the player writes no state itself. */
export function createLessonController(store: LessonPort) {
  const { send } = store;
  let lesson: Lesson | null = null;
  /** The document as opened (a link carries it). */
  let doc: unknown = null;
  /** Bumped on every open, step change and exit: an answer that arrives late for an old one is dropped. */
  let epoch = 0;
  let offFrame: (() => void) | null = null;
  /** The step being shown, as computed when it was entered (its pause, reveal, answer). */
  let current: { index: number; run: StepRun } | null = null;

  const ui = (): LessonUi | null => store.lesson();
  const patch = (p: Partial<LessonUi>): void => store.patchLesson(p);
  const stopWatching = (): void => {
    offFrame?.();
    offFrame = null;
  };

  /** Waits for the frame that shows the state at `events` records (a seek's or a play's). */
  function arrive(target: Moment, my: number, afterSeek: () => void): void {
    stopWatching();
    const sim = store.sim();
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
      } else if (f.eventCount >= target.events || f.nowUs >= target.timeUs - stopShortUs() || f.finished) {
        // Near (or across) the moment: the rest by a seek, to exactly it — a frame played past it
        // would show what comes next (at a question, its answer).
        send({ op: 'pause' });
        send({ op: 'seek', timeUs: target.timeUs, events: target.events });
      }
    });
  }

  const stopShortUs = (): number => (lesson?.speed ?? DEFAULT_LESSON_SPEED) * STOP_SHORT_MS * 1000;

  /** Step `index`'s kernel interface (#20): its own `api`, else the previous step's, else TDI. */
  const apiOf = (index: number): 'tdi' | 'wsk' => (lesson ? stepApis(lesson.steps)[index] ?? 'tdi' : 'tdi');

  function goTo(target: Moment, my: number, done: () => void, play: boolean, index = ui()?.index ?? 0): void {
    const want = apiOf(index);
    if (lesson && store.api() !== want) {
      // The step runs through the other API (#20): the lesson's scenario loads again under it, as the
      // lesson's own load ('loading': the page does not close the lesson for it), then the moment.
      const phase = ui()?.phase;
      const serial = store.loadSerial();
      const sim = store.sim();
      if (!sim) return;
      stopWatching();
      patch({ phase: 'loading' });
      const off = sim.onFrame(() => {
        if (my !== epoch) return off();
        if (store.loadSerial() === serial) return;
        off();
        if (phase) patch({ phase });
        goTo(target, my, done, false, index);
      });
      send({ op: 'load', source: { kind: 'json', scenario: lesson.scenario }, api: want });
      return;
    }
    const now = store.sim()?.lastFrame;
    arrive(target, my, done);
    if (play && now && !now.finished && now.eventCount < target.events && now.nowUs < target.timeUs - stopShortUs() && target.timeUs - now.nowUs <= MAX_PLAYED_US) {
      store.actions().setSpeed(lesson?.speed ?? DEFAULT_LESSON_SPEED);
      send({ op: 'play' });
    } else send({ op: 'seek', timeUs: target.timeUs, events: target.events });
  }

  /** The worker replays the run on screen for each trigger (src/lesson/run.ts). */
  const runnerFor =
    (api: 'tdi' | 'wsk'): Runner =>
    async (trigger, fromSeq, collect) => {
      const sim = store.sim();
      if (!sim) throw new Error('the simulation is not running');
      return (await sim.request('lessonRun', { trigger, fromSeq, api, ...(collect ? { collect } : {}) }, { channel: 'lesson' })).moment;
    };

  /** Where step `index` starts: the previous step's moment, or 0 µs when it runs through another API (#20). */
  const prevEnd = (index: number): Moment =>
    index === 0 ? START : lesson ? stepStart(stepApis(lesson.steps), index, ui()?.moments[index - 1] ?? START) : START;

  /**
   * Enters a step: computes its moments, then goes to its pause — asking there, if it has a question
   * not yet answered — or, for a question already answered, to its reveal.
   */
  function enter(index: number): void {
    const l = ui();
    if (!lesson || !l) return;
    const my = ++epoch;
    stopWatching();
    current = null;
    const step = lesson.steps[index]!;
    const prev = prevEnd(index);
    store.clearWhy(true);
    if (step.until.kind === 'next') {
      const moments = l.moments.slice();
      moments[index] = prev;
      current = { index, run: { pause: prev, reveal: null, answer: null, decider: null, collected: [], missed: null, autoPause: false, end: prev } };
      patch({ index, phase: 'paused', moments, missed: null, draft: null });
      return;
    }
    // 'running' in the same patch: the new step is never seen 'paused' before its run starts.
    patch({ index, phase: 'running', missed: null, draft: null });
    void (async () => {
      let sr: StepRun;
      try {
        sr = await runStep(step, prev, runnerFor(apiOf(index)));
      } catch (e) {
        if (my === epoch) store.notice(`The lesson could not run this step: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      if (my !== epoch || !ui()) return;
      current = { index, run: sr };
      const moments = ui()!.moments.slice();
      moments[index] = sr.end;
      const u = step.until;
      const missed =
        sr.missed === 'pause' && u.kind === 'record'
          ? `The run ended without ${describeMatch(u.record)}${u.nth > 1 ? ` (the ${u.nth}th)` : ''}: the stage shows where it stopped.`
          : sr.missed === 'answer' && step.question
            ? 'Nothing this question asks about happens after this moment: the model has no answer.'
            : null;
      const answered = ui()!.reveals[index];
      if (step.question && answered) {
        // Back here after the reveal: the reveal again, from this run (a change made by hand counts).
        const reveals = ui()!.reveals.slice();
        reveals[index] = revealOf(sr, answered.student);
        patch({ moments, reveals, missed });
        goTo(sr.end, my, () => patch({ phase: 'paused' }), true);
      } else if (step.question && !sr.missed) {
        patch({ moments, missed });
        goTo(sr.pause, my, () => patch({ phase: 'asking' }), true);
      } else {
        patch({ moments, missed });
        goTo(sr.end, my, () => patch({ phase: 'paused' }), true);
      }
    })();
  }

  function revealOf(sr: StepRun, student: StudentAnswer | null): LessonReveal {
    const step = lesson!.steps[current?.index ?? ui()!.index]!;
    const d = sr.decider;
    const topo = store.layout();
    return {
      student,
      model: sr.answer,
      right: student !== null && isRight(student, sr.answer),
      modelText: answerText(sr.answer, step.question?.unit),
      at: sr.end,
      ...(d && topo ? { decidedBy: { sentence: recordSentence(d, { topo }), seq: d.seq, t: d.t } } : {}),
    };
  }

  /** Check (or run without a prediction): from the pause to the record that decides the answer, held there. */
  function check(student: StudentAnswer | null): void {
    const l = ui();
    if (!lesson || !l || l.phase !== 'asking' || !current || current.index !== l.index) return;
    const sr = current.run;
    const my = ++epoch;
    const reveals = l.reveals.slice();
    reveals[l.index] = revealOf(sr, student);
    patch({ reveals, phase: 'running', draft: null });
    goTo(sr.end, my, () => {
      patch({ phase: 'paused' });
      // The why-chain of the record that decided the answer, when it has one.
      if (sr.decider && isExplainable(sr.decider)) void store.actions().why(sr.decider.seq);
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
        store.lessonRefused(label, [`(root): there is no built-in lesson "${source.name.slice(0, 60)}" (try ${LESSON_NAMES.join(', ')})`]);
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
        store.lessonRefused(label, [`(root): ${u.problem}`]);
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
      store.lessonRefused(label, v.problems);
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
    store.lessonOpened({ name, title: lesson.title, summary: lesson.summary, steps, index: 0, phase: 'loading', moments: steps.map(() => null), reveals: steps.map(() => null), missed: null, draft: null, checks: null });
    // The lesson's scenario loads as any scenario does; the first step starts once it has.
    const serial = store.loadSerial();
    const my = epoch;
    const sim = store.sim();
    if (!sim) return false;
    const off = sim.onFrame(() => {
      if (my !== epoch) return off();
      if (store.loadSerial() === serial) return;
      off();
      void setFragment(name);
      enter(0);
    });
    // A lesson from a file or a link is checked as `tdi-flow lesson check` checks it (the built-in
    // ones pass in the tests): what it finds is shown beside each step, and nothing is refused.
    if (name === null) void runChecks(lesson, label);
    store.setPresetName(null);
    // Under the first step's API (#20: TDI unless it says), whatever the page had chosen.
    send({ op: 'load', source: { kind: 'json', scenario: lesson.scenario }, api: apiOf(0) });
    if (lesson.preset) store.setPresetName(lesson.preset as PresetName);
    return true;
  }

  async function runChecks(checked: Lesson, label: string): Promise<void> {
    const { checkLesson, problemLine } = await import('../../src/lesson/check.ts');
    let problems;
    try {
      problems = await checkLesson(checked);
    } catch (e) {
      store.notice(`The lesson checker could not run: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (lesson !== checked || !ui()) return;
    const checks = checked.steps.map((_, i) => problems.filter((p) => p.step === i + 1).map((p) => problemLine(p).replace(/^step \d+: /, '')));
    patch({ checks });
    if (problems.length > 0) {
      const steps = [...new Set(problems.map((p) => p.step))];
      store.notice(`The lesson checker found ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${label} (step${steps.length === 1 ? '' : 's'} ${steps.join(', ')}): each is shown beside its step. The lesson plays as it is.`);
    }
  }

  /** While running to a moment: go there at once. */
  function skip(): void {
    const l = ui();
    if (!l || !current || current.index !== l.index) return; // still being computed: it plays on its own
    const asking = l.steps[l.index]!.question && !l.reveals[l.index];
    const target = asking ? current.run.pause : current.run.end;
    goTo(target, epoch, () => patch({ phase: asking ? 'asking' : 'paused' }), false);
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
      // Asking: check the answer chosen (a clicker's PageDown), or run without a prediction.
      if (l.phase === 'asking') return check(l.draft ?? null);
      if (l.phase === 'running') return skip();
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
      store.clearWhy(false);
      current = null;
      patch({ index, phase: 'running', missed: null, draft: null });
      // Time travels back to the previous step's moment.
      goTo(m, my, () => patch({ phase: 'paused' }), false);
    },
    answer(student: StudentAnswer): void {
      check(student);
    },
    /** The answer being chosen (before Check): PageDown checks it. */
    draft(answer: StudentAnswer | null): void {
      const l = ui();
      if (l && l.phase === 'asking') patch({ draft: answer });
    },
    /**
     * Space while a lesson is open. Asking: never past the question's pause (back to it if the stage
     * left it); running to a moment: go there at once. Otherwise false: Space plays as ever.
     */
    play(): boolean {
      const l = ui();
      if (!l) return false;
      if (l.phase === 'running') {
        skip();
        return true;
      }
      if (l.phase === 'asking' && current && current.index === l.index) {
        const at = store.sim()?.lastFrame;
        const pause = current.run.pause;
        if (at && at.eventCount !== pause.events) goTo(pause, epoch, () => undefined, true);
        else store.notice('The model waits at the question: predict, then Check (PageDown) runs it to the answer.');
        return true;
      }
      return false;
    },
    /** The end screen's link: the stage to a question's reveal, the lesson staying at its end. */
    showMoment(index: number): void {
      const at = ui()?.reveals[index]?.at;
      if (!at) return;
      stopWatching();
      // The step's own API first (#20), then its moment; the lesson stays at its end.
      goTo(at, epoch, () => undefined, false, index);
    },
    restart(): void {
      const l = ui();
      if (!l) return;
      current = null;
      patch({ index: 0, moments: l.steps.map(() => null), reveals: l.steps.map(() => null), phase: 'running', draft: null });
      const my = ++epoch;
      goTo({ timeUs: 0, events: 0 }, my, () => enter(0), false);
    },
    exit(): void {
      epoch++;
      stopWatching();
      lesson = null;
      store.lessonClosed();
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

function isExplainable(e: { type: string; status?: unknown; lostRace?: unknown } | null | undefined): boolean {
  if (!e) return false;
  return (e.type === 'send.complete' && (e.status === 'STATUS_DEVICE_NOT_READY' || e.lostRace === true)) || e.type === 'callback.error' || e.type === 'connection.broken';
}
