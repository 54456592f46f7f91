import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { Lab } from './lab.ts';
import { LessonRecorder } from './recorderPage.ts';
import { LessonPlayer } from './lessonPlayer.ts';
import { seriousViolations } from './axe.ts';
import { overlappingLabels } from './stageLabels.ts';

// #15: a lesson recorded in the app while the race plays — no JSON typed — opened from its link in a
// fresh browser and played as a student would; the checker finds nothing in it.

test('#15 R22, R12: a three-step lesson recorded on race (one "which", one "how many") plays from its link in a fresh browser', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const lab = new Lab(page);
  const rec = new LessonRecorder(page);
  await lab.open('race');
  await rec.open();

  // Step 1 at 1,096 µs: A1 has just been told 732 bytes are free.
  await lab.seek(1096);
  const s1 = await rec.addStepHere();
  await rec.describe(s1, 'A1 is told', '**A1** is told how much is free. It resubmits from a DPC.');
  await rec.setFocus(s1, ['A1']);

  // Step 2 at 1,200 µs: both are owed a SendPossible (R21); which is called first (R22)?
  await lab.seek(1200);
  const s2 = await rec.addStepHere();
  await rec.describe(s2, 'Both owed', 'B1 is refused too. Now **both** are owed a SendPossible.');
  await rec.setFocus(s2, ['A1', 'B1']);
  await rec.ask(s2, { kind: 'which', from: 'ClientEventSendPossible', field: 'connection', ask: 'nic0 frees 1,460 bytes. Which connection is called first?', choices: ['A1', 'B1'] });

  // Step 3 at 1,460 µs: both were told 1,460 bytes; how much does A1's resubmission get (R12)?
  await lab.seek(1460);
  const s3 = await rec.addStepHere();
  await rec.describe(s3, 'The resubmission', 'Both were told **1,460** bytes. A1 resubmits first.');
  await rec.ask(s3, { kind: 'how many', from: 'a send completes', field: 'information', ask: 'How many bytes does the next send get?' });
  await page.getByLabel('Lesson title').fill('Recorded: who gets the space');
  await page.getByLabel('Summary').fill('Recorded in the app on the race scenario.');
  await rec.expectClean(3);
  await expect(rec.region.getByTestId('recorder-step-problems')).toHaveCount(0);

  // axe passes with the recorder open (a step's form showing), over the whole page; the stage laid out
  // beside the recorder has no two labels overlapping.
  expect(await seriousViolations(page)).toEqual([]);
  expect(await overlappingLabels(page)).toEqual([]);

  // Save: the file passes `tdi-flow lesson check` as it is.
  const download = await rec.save();
  expect(download.suggestedFilename()).toBe('recorded-who-gets-the-space.lesson.json');
  const out = execFileSync('node', ['bin/tdi-flow.mjs', 'lesson', 'check', await download.path()], { encoding: 'utf8' });
  expect(out).not.toMatch(/step \d+:/);

  const link = await rec.link();
  // A fresh browser (no storage shared) opens the link and plays the lesson as a student.
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const student = await ctx.newPage();
  await student.goto(link);
  const player = new LessonPlayer(student);
  await expect(player.panel).toBeVisible();
  await expect(player.count).toHaveText('Step 1 of 3');
  await player.atStep(1);
  await expect(player.stepTitle).toHaveText('A1 is told');
  await player.next();
  await player.atStep(2, 'asking');
  await expect(player.question).toContainText('Which connection is called first?');
  await player.predict('A1');
  await player.atStep(2);
  await expect(player.modelAnswer).toHaveText('A1');
  await expect(player.reveal).toHaveAttribute('data-right', 'true');
  await player.next();
  await player.atStep(3, 'asking');
  await player.predict(1460);
  await player.atStep(3);
  await expect(player.modelAnswer).toHaveText('1,460 bytes');
  await player.next();
  await expect(player.end).toContainText('2 of 2 predictions matched the model');
  // The link's lesson is checked when it opens: nothing found.
  await expect(student.getByTestId('lesson-checks')).toHaveCount(0);
  await ctx.close();
});

test('#15: by keyboard alone steps are added, reordered and deleted, Undo brings each back; a bad title is named beside its step and kept; a built-in lesson opens as a template and Preview plays it', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new Lab(page);
  const rec = new LessonRecorder(page);
  await lab.open('race');
  await page.getByRole('button', { name: 'Record', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(rec.region).toBeVisible();

  await lab.seek(1096);
  await rec.button('+ Add step here').focus();
  await page.keyboard.press('Enter');
  // The new step's title has the focus: the author types at once.
  await expect(rec.form(1).getByLabel('Title', { exact: true })).toBeFocused();
  await page.keyboard.type('First');
  await lab.seek(1200);
  await rec.button('+ Add step here').focus();
  await page.keyboard.press('Enter');
  await expect(rec.form(2).getByLabel('Title', { exact: true })).toBeFocused();
  const long = 'Second '.repeat(20);
  await page.keyboard.type(long);
  // Too long a title: named beside step 2, and what was typed stays in the box.
  // (Both lack narration yet: that too is named beside each.)
  await expect(rec.steps.nth(1).getByTestId('recorder-step-problems')).toContainText(/title: .*120/);
  await expect(rec.steps.nth(1).getByTestId('recorder-step-problems')).toContainText('narration');
  await expect(rec.steps.nth(0).getByTestId('recorder-step-problems')).toContainText('narration');
  await expect(rec.steps.nth(0).getByTestId('recorder-step-problems')).not.toContainText('title');
  await expect(rec.form(2).getByLabel('Title', { exact: true })).toHaveValue(long);

  // Reorder: step 2 up.
  await rec.region.getByRole('button', { name: 'Move step 2 up' }).focus();
  await page.keyboard.press('Enter');
  await expect(rec.steps.nth(0)).toContainText('1. Second');
  await expect(rec.steps.nth(1)).toContainText('2. First');
  // Delete the first, then Ctrl+Z brings it back; the Undo button undoes the move.
  await rec.region.getByRole('button', { name: 'Delete step 1' }).focus();
  await page.keyboard.press('Enter');
  await expect(rec.steps).toHaveCount(1);
  await expect(rec.steps.nth(0)).toContainText('1. First');
  await page.keyboard.press('Control+z');
  await expect(rec.steps).toHaveCount(2);
  await expect(rec.steps.nth(0)).toContainText('1. Second');
  await rec.button('Undo').focus();
  await page.keyboard.press('Enter');
  await expect(rec.steps.nth(0)).toContainText('1. First');
  await page.keyboard.press('Control+Shift+z');
  await expect(rec.steps.nth(0)).toContainText('1. Second');

  // A built-in lesson as a template: its six steps, the checker finding nothing; Preview plays it as a student sees it.
  await rec.region.getByLabel('Template').selectOption({ label: 'The race for freed space (R23–R24)' });
  await rec.button('Open as template').focus();
  await page.keyboard.press('Enter');
  await expect(rec.steps).toHaveCount(6);
  await rec.expectClean(6);
  await rec.button('Preview').focus();
  await page.keyboard.press('Enter');
  const player = new LessonPlayer(page);
  await expect(player.count).toHaveText('Step 1 of 6');
  await player.atStep(1);
  await expect(player.stepTitle).toHaveText('Two clients, one pool');
  await page.getByRole('button', { name: 'Back to the recorder' }).click();
  await expect(rec.steps).toHaveCount(6);
  // Undo goes back past the template to the recording before it.
  await rec.button('Undo').click();
  await expect(rec.steps).toHaveCount(2);
  // axe in the dark theme too, a step's problems showing.
  await page.emulateMedia({ colorScheme: 'dark' });
  await rec.steps.nth(0).getByRole('button', { expanded: false }).click();
  await expect(rec.form(1)).toBeVisible();
  expect(await seriousViolations(page, '#lesson-recorder')).toEqual([]);
});
