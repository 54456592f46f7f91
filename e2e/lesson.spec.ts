// Guided lessons (#8, Done when): a student plays a built-in lesson from start to end through what
// the page shows — predicts, sees the prediction checked against the model's own trace, steps back
// in time, reaches the end — and lessons open from a link and a file, with axe on the panel.
import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';
import { LessonPlayer } from './lessonPlayer.ts';
import { overlappingLabels } from './stageLabels.ts';
import { seriousViolations } from './axe.ts';

type Rec = Record<string, unknown> & { seq: number; t: number };

/** The model's own record, found by the worker replaying the run (window.tdiFlowLab). */
const firstRecord = (lab: Lab, match: { type: string; where?: Record<string, unknown> }) => lab.act('findFirst', match) as Promise<Rec | null>;

test('#8, #14: a student plays the race lesson start to end: each question asked just before its answer, checked against the model, back, the end screen', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new Lab(page);
  const lesson = new LessonPlayer(page);
  await lab.open('basics');
  await lesson.openFromMenu(/The race for freed space/);
  await expect(lab.title).toHaveText(/Two clients race for freed space/);
  await lesson.atStep(1);
  await expect(lesson.count).toHaveText('Step 1 of 6');
  // The step's focus is outlined on the stage.
  await expect(lab.connection('B1')).toHaveClass(/\bfocus\b/);

  // Step 2 runs the model to B1's refusal and pauses there: the stage shows that very record.
  await lesson.next();
  await lesson.atStep(2);
  const refusal = (await firstRecord(lab, { type: 'send.complete', where: { connection: 'B1', status: 'STATUS_DEVICE_NOT_READY' } }))!;
  await expect.poll(() => lab.events()).toBe(refusal.seq + 1);

  // Step 3 (R20, R23) asks just before B1's SendPossible: every record before it is shown, not it.
  await lesson.next();
  await lesson.atStep(3, 'asking');
  const call = (await firstRecord(lab, { type: 'callback.sendPossible', where: { connection: 'B1' } }))!;
  await expect.poll(() => lab.events()).toBe(call.seq);
  // A wrong prediction is called wrong; Check holds just after the call.
  await lesson.predict(Number(call.bytesAvailable) + 1);
  await lesson.atStep(3);
  await expect(lesson.reveal).toHaveAttribute('data-right', 'false');
  await expect(lesson.modelAnswer).toHaveText(`${Number(call.bytesAvailable).toLocaleString('en-US')} bytes`);
  await expect.poll(() => lab.events()).toBe(call.seq + 1);
  const step3Events = call.seq + 1;

  await lesson.next();
  await lesson.atStep(4);
  // Step 5 (R22): which of the two owed connections is called first — picked, then PageDown checks it.
  await lesson.next();
  await lesson.atStep(5, 'asking');
  const asked5 = await lab.events();
  await lesson.choose('A1');
  await expect(lesson.panel.getByRole('button', { name: 'Check ›' })).toBeVisible();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('PageDown');
  await lesson.atStep(5);
  await expect(lesson.panel.getByTestId('lesson-yours')).toHaveText('A1');
  const model5 = (await lesson.modelAnswer.textContent())!;
  await expect(lesson.reveal).toHaveAttribute('data-right', String(model5 === 'A1'));
  // The deciding call is the very next record after the question's moment.
  await expect.poll(() => lab.events()).toBe(asked5 + 1);

  // Step 6 (R24): how many bytes B1's resubmission gets, asked before it is even submitted: right.
  await lesson.next();
  await lesson.atStep(6, 'asking');
  const lost = (await firstRecord(lab, { type: 'send.complete', where: { connection: 'B1', lostRace: true } }))!;
  expect(await lab.events()).toBeLessThan(lost.seq);
  await lesson.predict(Number(lost.information));
  await lesson.atStep(6);
  await expect(lesson.reveal).toHaveAttribute('data-right', 'true');
  await expect(lesson.modelAnswer).toHaveText(`${Number(lost.information).toLocaleString('en-US')} bytes`);
  await expect.poll(() => lab.events()).toBe(lost.seq + 1);
  await expect(page.getByTestId('why')).toContainText('lost the race');
  expect(await overlappingLabels(page)).toEqual([]);

  // Back (PageUp, the clicker's key) three times: time goes back to step 3's moment, its reveal kept.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  for (const n of [5, 4, 3]) {
    await page.keyboard.press('PageUp');
    await lesson.atStep(n);
  }
  await expect.poll(() => lab.events()).toBe(step3Events);
  await expect(lesson.modelAnswer).toHaveText(`${Number(call.bytesAvailable).toLocaleString('en-US')} bytes`);

  // Forward again with → (a lesson takes it), then Finish: the end screen counts the predictions.
  for (const n of [4, 5, 6]) {
    await page.keyboard.press('ArrowRight');
    await lesson.atStep(n);
  }
  await expect.poll(() => lab.events()).toBe(lost.seq + 1);
  await lesson.next();
  await expect(lesson.panel).toHaveAttribute('data-phase', 'done');
  await expect(lesson.done).toContainText('End of the lesson');
  const rightCount = 1 + (model5 === 'A1' ? 1 : 0);
  await expect(lesson.done).toContainText(`${rightCount} of 3 predictions matched the model`);
  await expect(lesson.end.getByTestId('lesson-end-item')).toHaveCount(3);
  // Each prediction links to its moment: step 3's is B1's SendPossible, just after it.
  await lesson.end.getByRole('button', { name: 'Show that moment: step 3' }).click();
  await expect.poll(() => lab.events()).toBe(step3Events);
  await expect(lesson.panel).toHaveAttribute('data-phase', 'done');
});

test('#8: #lesson=<name> opens a built-in lesson; the Link button makes a link that opens the same lesson', async ({ page }) => {
  const lab = new Lab(page);
  const lesson = new LessonPlayer(page);
  await page.goto('/?preset=basics#lesson=cascade');
  await lesson.atStep(1);
  await expect(lesson.panel).toHaveAccessibleName(/The error cascade/);
  await expect(lab.title).toHaveText(/A NIC fails/);
  await expect(lesson.count).toHaveText('Step 1 of 5');
  await lesson.panel.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(page.getByLabel('Lesson link')).toHaveValue(/#lesson=cascade$/);

  // A lesson file's link carries the document itself, packed.
  const own = JSON.stringify({
    format: 'tdi-flow-lab/lesson@1',
    title: 'My own lesson',
    summary: 'One step on herd.',
    scenario: 'herd',
    steps: [{ title: 'Who is called?', narration: 'Watch **tcp-all**.', until: { atUs: 2000 }, question: { ask: 'How many calls?', answerFrom: { count: { type: 'callback.sendPossible' } } } }],
  });
  await lesson.openFile('own.json', own);
  await lesson.atStep(1, 'asking');
  await lesson.panel.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(page.getByLabel('Lesson link')).toHaveValue(/#lesson=[A-Za-z0-9_-]{20,}$/);
  const link = await page.getByLabel('Lesson link').inputValue();
  await page.goto('about:blank');
  await page.goto(link);
  await lesson.atStep(1, 'asking');
  await expect(lesson.panel).toHaveAccessibleName(/My own lesson/);
  await expect(lesson.panel.locator('.lesson-narration strong')).toHaveText('tcp-all');
  // Another scenario ends the lesson: its steps were about its own.
  await page.getByLabel('Preset').selectOption('blocking');
  await expect(lab.title).toHaveText(/Blocking sends/);
  await expect(lesson.panel).toHaveCount(0);
});

test('#8: a malformed lesson file is named with what and where, and nothing the user had is lost', async ({ page }) => {
  const lab = new Lab(page);
  const lesson = new LessonPlayer(page);
  await lab.open('race');
  await lab.stepOnce();
  const before = await lab.events();
  await lesson.openFile('broken.json', '{\n  "format": "tdi-flow-lab/lesson@1",\n  "title": oops\n}');
  await expect(lesson.problems).toContainText('broken.json was not opened');
  await expect(lesson.problems).toContainText('line 3, column 12');
  await lesson.openFile(
    'typo.json',
    JSON.stringify({ format: 'tdi-flow-lab/lesson@1', title: 'T', summary: 'S', scenario: 'race', steps: [{ title: 'a', narration: 'n', focus: ['Z9'], until: { record: { type: 'send.complete', where: { lostRaec: true } } } }] }),
  );
  await expect(lesson.problems).toContainText('steps[0].focus[0]: unknown entity "Z9"');
  await expect(lesson.problems).toContainText('steps[0].until.record.where.lostRaec: send.complete has no field "lostRaec"');
  // The race run on screen is untouched: same scenario, same moment, no lesson.
  await expect(lab.title).toHaveText(/Two clients race/);
  expect(await lab.events()).toBe(before);
  await expect(lesson.panel).toHaveCount(0);
});

for (const scheme of ['dark', 'light'] as const) {
  test(`a11y: 0 serious axe violations on the lesson panel (question and reveal), ${scheme}`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme: scheme });
    const lab = new Lab(page);
    const lesson = new LessonPlayer(page);
    await lab.open('basics');
    await lesson.openFromMenu(/Send flow control/);
    await lesson.next();
    await lesson.atStep(2);
    await lesson.next();
    await lesson.atStep(3, 'asking');
    expect(await seriousViolations(page, '[data-testid="lesson"]')).toEqual([]);
    await lesson.predict(0);
    await lesson.atStep(3);
    await expect(lesson.reveal).toBeVisible();
    expect(await seriousViolations(page, '[data-testid="lesson"]')).toEqual([]);
    // #14: the end screen too.
    await lesson.next();
    await lesson.atStep(4, 'asking');
    await lesson.next();
    await lesson.atStep(4);
    await lesson.next();
    await expect(lesson.end).toBeVisible();
    expect(await seriousViolations(page, '[data-testid="lesson"]')).toEqual([]);
  });
}

test('#14: a lesson file is checked as `tdi-flow lesson check` checks it: each problem beside its step, the lesson still plays', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new Lab(page);
  const lesson = new LessonPlayer(page);
  await lab.open('race');
  const refused = { record: { type: 'send.complete', where: { connection: 'B1', status: 'STATUS_DEVICE_NOT_READY' } } };
  const whoFirst = { ask: 'Which connection is called first?', choices: ['A1', 'B1'], answerFrom: { first: { type: 'callback.sendPossible' }, field: 'connection' } };
  await lesson.openFile(
    'who-first.json',
    JSON.stringify({
      format: 'tdi-flow-lab/lesson@1',
      title: 'Who is told first?',
      summary: 'S',
      scenario: 'race',
      steps: [
        { title: 'Refused', narration: 'B1 is refused.', until: refused },
        { title: 'Told', narration: 'Space frees.', until: { record: { type: 'callback.sendPossible' } }, question: whoFirst },
      ],
    }),
  );
  // R21: at 730 µs only B1 is owed a SendPossible — the checker calls the question trivial.
  await expect(lab.notice).toContainText('The lesson checker found 1 problem in who-first.json (step 2)');
  await lesson.atStep(1);
  await expect(page.getByTestId('lesson-checks')).toHaveCount(0);
  await lesson.next();
  await lesson.atStep(2, 'asking');
  await expect(page.getByTestId('lesson-checks')).toContainText('only "B1" can be the answer at the pause');
  await expect(page.getByTestId('lesson-checks')).toContainText('at 730 µs: callback.sendPossible');
  await lesson.predict('B1');
  await lesson.atStep(2);
  await expect(lesson.reveal).toHaveAttribute('data-right', 'true');
});

test('#8, R40/R41: the irql lesson played with the clicker keys ends at the bug check; leaving the lesson shows the stop screen', async ({ page }) => {
  test.setTimeout(90_000);
  const lab = new Lab(page);
  const lesson = new LessonPlayer(page);
  await page.goto('/?preset=basics#lesson=irql');
  await lesson.atStep(1);
  await page.keyboard.press('PageDown');
  await lesson.atStep(2);
  await page.keyboard.press('PageDown');
  await lesson.atStep(3, 'asking');
  await lesson.predict('DISPATCH_LEVEL');
  await lesson.atStep(3);
  const call = (await firstRecord(lab, { type: 'callback.sendPossible' }))!;
  await expect(lesson.modelAnswer).toHaveText(String(call.irql));
  await expect(lesson.reveal).toHaveAttribute('data-right', String(call.irql === 'DISPATCH_LEVEL'));
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('PageDown');
  await lesson.atStep(4, 'asking');
  await lesson.predict('DRIVER_IRQL_NOT_LESS_OR_EQUAL');
  await lesson.atStep(4);
  const bug = (await firstRecord(lab, { type: 'bugcheck' }))!;
  await expect(lesson.modelAnswer).toHaveText(String(bug.name));
  await expect(lesson.reveal).toHaveAttribute('data-right', String(bug.name === 'DRIVER_IRQL_NOT_LESS_OR_EQUAL'));
  await expect.poll(() => lab.events()).toBe(bug.seq + 1);
  // The lesson tells of the bug check; the stop screen waits until the lesson is left.
  await expect(page.getByTestId('bugcheck')).toHaveCount(0);
  await lesson.panel.getByRole('button', { name: 'Exit lesson' }).click();
  await expect(page.getByTestId('bugcheck')).toBeVisible();
});
