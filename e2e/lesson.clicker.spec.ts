// #14 "clicker-complete", predict before you see: every built-in lesson played to its end at 1024×768
// in projector mode with only a presentation clicker's keys (PageDown, PageUp), Space and a pointer
// that clicks choices (numbers typed). At every question, nothing on the page shows the record its
// answer comes from before Check: the event count (and so the log) stops just before it, the caption
// does not tell it, the stage does not draw it; Space does not run past it. After Check the stage
// shows exactly that record. One question answered right, one wrong; the end screen counts them.
// The expected moments are the lesson played in Node from the model's own trace (src/lesson/play.ts).
import { expect, test, type Page } from '@playwright/test';
import { Lab } from './lab.ts';
import { LessonPlayer } from './lessonPlayer.ts';
import { LESSON_NAMES, loadBuiltinLesson } from '../src/lesson/builtins.ts';
import { validateLesson } from '../src/lesson/validate.ts';
import { playLesson } from '../src/lesson/play.ts';
import type { Lesson } from '../src/lesson/schema.ts';
import type { StepRun } from '../src/lesson/step.ts';
import type { TraceEvent } from '../src/trace/names.ts';
import { Engine } from '../src/model/engine.ts';
import { TraceRecorder, type TraceChunk } from '../src/trace/records.ts';
import { decodeRecord } from '../src/trace/names.ts';
import { recordSentence } from '../src/trace/recordTable.ts';

/** The run's records up to `count`, decoded, and each one's sentence as the caption would tell it. */
function trace(lesson: Lesson, count: number): { records: TraceEvent[]; sentence(e: TraceEvent): string } {
  const chunks: TraceChunk[] = [];
  const recorder = new TraceRecorder((k) => chunks.push(k), 4096);
  const engine = new Engine(lesson.scenario, { trace: recorder });
  while (engine.eventCount < count && engine.step());
  recorder.flush();
  const records = chunks.flatMap((k) => Array.from({ length: k.length }, (_, i) => decodeRecord(k, i, engine.topo)));
  const submits = new Map(records.filter((r) => r.type === 'send.submit').map((r) => [r.sendId as number, { bytes: r.bytes as number, flags: r.flags as string[], resubmit: r.resubmit === true }]));
  return { records, sentence: (e) => recordSentence(e, { topo: engine.topo, submitOf: (id: number) => submits.get(id) } as Parameters<typeof recordSentence>[1]) };
}

/** What the stage draws of one record, read from its DOM: a broken connection, an address's error calls, a SendPossible label. */
async function stageShows(page: Page, lab: Lab, e: TraceEvent): Promise<boolean> {
  switch (e.type) {
    case 'connection.broken':
      return (await lab.connection(String(e.connection)).getAttribute('data-state')) === 'broken';
    case 'callback.sendPossible':
      return (await page.locator('[data-testid="stack"] svg.stack text').allTextContents()).some((t) => t.startsWith(`SendPossible ${e.bytesAvailable}`));
    case 'send.complete':
      return e.lostRace === true && (await page.locator('[data-testid="stack"] svg.stack text').allTextContents()).some((t) => /^lost( race)?!$/.test(t));
    default:
      return false;
  }
}

const answerOf = (sr: StepRun, choices: readonly string[] | undefined, right: boolean): string | string[] | number => {
  const a = sr.answer!;
  if (a.kind === 'number') return right ? a.value : a.value + 1;
  if (a.kind === 'choice') return right ? a.value : choices!.find((c) => c !== a.value)!;
  if (right) return a.values;
  // A set that is not the model's: one short, or another single choice.
  return a.values.length > 1 ? a.values.slice(1) : [choices!.find((c) => !a.values.includes(c))!];
};

test.describe.configure({ mode: 'parallel' });

for (const name of LESSON_NAMES) {
  test(`#14: the ${name} lesson plays to its end at 1024×768 in projector mode with PageDown, PageUp, Space and clicks on choices; no question shows its answer before Check`, async ({ page }) => {
    test.setTimeout(240_000);
    const v = await validateLesson(await loadBuiltinLesson(name));
    if (!v.ok) throw new Error(v.problems.join('\n'));
    const played = await playLesson(v.lesson);
    const { records, sentence } = trace(v.lesson, Math.max(...played.map((p) => p.end.events)) + 1);
    await page.setViewportSize({ width: 1024, height: 768 });
    const lab = new Lab(page);
    const lesson = new LessonPlayer(page);
    await page.goto(`/?preset=basics&projector=1#lesson=${name}`);
    await lesson.atStep(1);
    const clicker = async (key: 'PageDown' | 'PageUp' | ' ') => page.keyboard.press(key === ' ' ? 'Space' : key);

    const questions = v.lesson.steps.filter((s) => s.question).length;
    let asked = 0;
    let wentBack = false;
    for (let i = 0; i < v.lesson.steps.length; i++) {
      const step = v.lesson.steps[i]!;
      const sr = played[i]!;
      if (i > 0) await clicker('PageDown');
      if (!step.question) {
        await lesson.atStep(i + 1);
        // A step that runs the model stops at its moment ("next" stays where the stage is).
        if (step.until.kind !== 'next') await expect(lab.eventCount).toHaveText(sr.end.events.toLocaleString('en-US'));
        continue;
      }
      // Asked just before the first record the answer comes from: not in the count, the log, the caption or the stage.
      await lesson.atStep(i + 1, 'asking');
      const d = sr.decider!;
      expect(sr.pause.events).toBeLessThanOrEqual(d.seq);
      await expect(lab.eventCount).toHaveText(sr.pause.events.toLocaleString('en-US'));
      await expect(lab.caption).not.toContainText(sentence(records[d.seq]!));
      expect(await stageShows(page, lab, d), `step ${i + 1}: the stage draws ${d.type} #${d.seq} before Check`).toBe(false);
      // Pictures to look at, on demand (SHOTS=dir).
      if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/${name}-step${i + 1}-ask.png` });
      // Space holds at the question: the model does not run on.
      await page.locator('body').click({ position: { x: 2, y: 2 } });
      await clicker(' ');
      await expect(lab.notice).toContainText('The model waits at the question');
      await expect(lesson.panel).toHaveAttribute('data-phase', 'asking');
      await expect(lab.eventCount).toHaveText(sr.pause.events.toLocaleString('en-US'));
      await page.getByTestId('notice').getByRole('button').first().click();

      // Chosen with the pointer (a number typed), checked with PageDown: the first right, the second wrong.
      asked++;
      const right = asked !== 2;
      const pick = answerOf(sr, step.question.choices, right);
      await lesson.choose(pick);
      await clicker('PageDown');
      await lesson.atStep(i + 1);
      await expect(lesson.reveal).toHaveAttribute('data-right', String(right));
      // Check holds just after the deciding record: now the stage shows it.
      await expect(lab.eventCount).toHaveText((d.seq + 1).toLocaleString('en-US'));
      if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/${name}-step${i + 1}-reveal.png` });
      if (d.type === 'connection.broken' || d.type === 'callback.error') {
        // The stage's own state shows the record (a broken connection; an address told).
        if (d.type === 'connection.broken') await expect(lab.connection(String(d.connection))).toHaveAttribute('data-state', 'broken');
        else await expect(lab.address(String(d.address))).not.toHaveAttribute('data-error-calls', '0');
      }
      if (!wentBack) {
        // PageUp goes back a step, PageDown comes back to the reveal, held at the same moment.
        wentBack = true;
        await page.locator('body').click({ position: { x: 2, y: 2 } });
        await clicker('PageUp');
        await lesson.atStep(i);
        await clicker('PageDown');
        await lesson.atStep(i + 1);
        await expect(lesson.reveal).toHaveAttribute('data-right', String(right));
        await expect(lab.eventCount).toHaveText((d.seq + 1).toLocaleString('en-US'));
      }
    }
    await clicker('PageDown');
    await expect(lesson.panel).toHaveAttribute('data-phase', 'done');
    await expect(lesson.done).toHaveAttribute('data-questions', String(questions));
    await expect(lesson.done).toHaveAttribute('data-predicted', String(questions));
    await expect(lesson.done).toHaveAttribute('data-right', String(questions - 1));
    await expect(lesson.done).toContainText(`${questions - 1} of ${questions} predictions matched the model`);
    await expect(lesson.end.getByTestId('lesson-end-item')).toHaveCount(questions);
    await expect(lesson.end.locator('[data-testid="lesson-end-item"][data-right="false"]')).toHaveCount(1);
    if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/${name}-end.png` });
  });
}
