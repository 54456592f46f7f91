// #8 in the embed: a course page puts a guided lesson in its own page with <tdi-flow-lab lesson="…">,
// a student plays it inside the frame (predicts, sees the reveal, goes Back, reaches the end) and the
// page hears where the student is (lessonStep, lessonAnswer) through the postMessage API.
import { expect, test, type Frame, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { EmbedHost, startHost, type HostServer } from './embedHost.ts';
import { Lab } from './lab.ts';
import { LessonPlayer } from './lessonPlayer.ts';

let host: HostServer;
test.beforeAll(async () => {
  host = await startHost();
});
test.afterAll(async () => {
  await host.close();
});

interface Rec {
  seq: number;
  t: number;
  connection?: string;
  information?: number;
}
interface LessonEvent {
  op: string;
  index: number;
  total?: number;
  phase?: string;
  right?: boolean;
  predicted?: boolean;
  model?: string;
}

/** A course page: the element, and a script that keeps every lesson event the page hears. */
function coursePage(appOrigin: string, attrs: string, size = { width: 800, height: 450 }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Course</title>
<style>body{margin:0} tdi-flow-lab{width:${size.width}px;height:${size.height}px;min-width:0;min-height:0}</style>
<script src="${appOrigin}/embed.js" defer></script></head>
<body><tdi-flow-lab id="lab" ${attrs}></tdi-flow-lab>
<script>
  window.heard = [];
  const lab = document.getElementById('lab');
  for (const op of ['lessonStep', 'lessonAnswer']) lab.addEventListener('tdi-' + op, (e) => window.heard.push({ op, ...e.detail }));
</script></body></html>`;
}

/** The hosted race lesson, walked to its first question (step 3, a number) as a student would. */
async function atRaceQuestion(page: Page): Promise<{ lab: EmbedHost; frame: Frame; lesson: LessonPlayer }> {
  const lab = new EmbedHost(page);
  await lab.ready();
  const frame = await lab.frame();
  const lesson = new LessonPlayer(frame);
  await lesson.atStep(1);
  await lesson.next();
  await lesson.atStep(2);
  await lesson.next();
  await lesson.atStep(3, 'asking');
  return { lab, frame, lesson };
}

const heard = (page: Page) => page.evaluate(() => (window as unknown as { heard: LessonEvent[] }).heard);


test('#8: a course page hosts <tdi-flow-lab lesson="race">; the student plays it to the end inside the embed and the page hears each step and answer', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.page('/course.html', coursePage(baseURL!, 'lesson="race" theme="light"')));
  const lab = new EmbedHost(page);
  expect((await lab.ready()).version).toBe(2);
  const frame = await lab.frame();
  const lesson = new LessonPlayer(frame);
  await lesson.atStep(1);
  await expect(frame.getByTestId('lesson-count')).toHaveText('Step 1 of 6');
  // The lesson's scenario is on the stage, with the step's focus outlined.
  await expect(frame.locator('svg.stack g.conn.focus').first()).toBeVisible();
  await expect.poll(() => heard(page)).toContainEqual(expect.objectContaining({ op: 'lessonStep', index: 0, total: 6, phase: 'paused' }));
  const events = async () => (await lab.call<{ events: number }>('getState')).events;

  // Next runs the model to B1's refusal and pauses there.
  await lesson.next();
  await lesson.atStep(2);
  const refusal = await lab.call<{ record: Rec }>('find', { type: 'send.complete', where: { connection: 'B1', status: 'STATUS_DEVICE_NOT_READY' } });
  expect(await events()).toBe(refusal.record.seq + 1);

  // Step 3 asks just before B1's SendPossible (#14: not yet on the stage). A wrong prediction is called wrong.
  await lesson.next();
  await lesson.atStep(3, 'asking');
  const { record: call } = await lab.call<{ record: Rec & { bytesAvailable: number } }>('find', { type: 'callback.sendPossible', where: { connection: 'B1' } });
  expect(await events()).toBe(call.seq);
  await lesson.predict(call.bytesAvailable + 1);
  await lesson.atStep(3);
  const told = `${call.bytesAvailable.toLocaleString('en-US')} bytes`;
  await expect(frame.getByTestId('lesson-reveal')).toHaveAttribute('data-right', 'false');
  await expect(frame.getByTestId('lesson-model-answer')).toHaveText(told);
  await expect.poll(() => heard(page)).toContainEqual({ op: 'lessonAnswer', index: 2, predicted: true, right: false, model: told });
  const step3Events = await events();
  expect(step3Events).toBe(call.seq + 1);

  // The clicker's PageDown inside the frame (focus on the stage, where nothing is focusable): step 4, then step 5 asks.
  await frame.locator('.stack-fit').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('PageDown');
  await lesson.atStep(4);
  await page.keyboard.press('PageDown');
  await lesson.atStep(5, 'asking');
  // The page answers for the student through the API (a course page with its own quiz form).
  const first = await lab.call<{ right: boolean; index: number; model: string }>('lessonAnswer', 'A1');
  expect(first).toMatchObject({ index: 4, predicted: true, right: first.model === 'A1' });
  await lesson.atStep(5);
  const step5Events = await events();

  // Step 6 (R24): the bytes B1's resubmission gets, answered through the API: right.
  await frame.locator('.stack-fit').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('PageDown');
  await lesson.atStep(6, 'asking');
  const { record: lost } = await lab.call<{ record: Rec }>('find', { type: 'send.complete', where: { connection: 'B1', lostRace: true } });
  expect(await events()).toBeLessThan(lost.seq);
  const answered = await lab.call<{ right: boolean; index: number }>('lessonAnswer', Number(lost.information));
  expect(answered).toMatchObject({ index: 5, right: true, predicted: true });
  await lesson.atStep(6);
  await expect(frame.getByTestId('lesson-reveal')).toHaveAttribute('data-right', 'true');

  // Back with ←: time travels back to step 5's moment, its reveal still there.
  await frame.locator('.stack-fit').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('ArrowLeft');
  await lesson.atStep(5);
  await expect.poll(events).toBe(step5Events);
  await expect(frame.getByTestId('lesson-reveal')).toHaveAttribute('data-right', String(first.right));

  // On to the end: Next (step 6's moment again, answered), Finish: the end screen counts the predictions.
  await lesson.next();
  await lesson.atStep(6);
  await lesson.next();
  await lesson.atStep(6, 'done');
  await expect(frame.getByTestId('lesson-done')).toContainText(`${first.right ? 2 : 1} of 3 predictions matched the model`);
  const all = await heard(page);
  expect(all.filter((e) => e.op === 'lessonStep').map((e) => `${e.index}:${e.phase}`)).toEqual(['0:paused', '1:paused', '2:asking', '2:paused', '3:paused', '4:asking', '4:paused', '5:asking', '5:paused', '4:paused', '5:paused', '5:done']);
  expect(all.filter((e) => e.op === 'lessonAnswer').map((e) => [e.index, e.right])).toEqual([
    [2, false],
    [4, first.right],
    [5, true],
  ]);
  expect(errors).toEqual([]);
});

test('#8: a bad lesson sent by the page is refused naming the JSON path, and the lesson on screen stays where it was', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await page.goto(host.page('/bad.html', coursePage(baseURL!, 'lesson="race"')));
  const { lab, frame, lesson } = await atRaceQuestion(page);
  const title = await frame.getByTestId('lesson-step-title').textContent();

  const refused = await page.evaluate(async () => {
    const el = document.querySelector('tdi-flow-lab') as unknown as { lesson(d: unknown): Promise<unknown> };
    try {
      await el.lesson({ format: 'tdi-flow-lab/lesson@1', title: 'Broken', summary: 's', scenario: 'race', steps: [{ title: 'One', narration: 'n', until: { record: { type: 'send.lost' } } }] });
      return null;
    } catch (e) {
      return { message: (e as Error).message, problems: (e as Error & { problems?: string[] }).problems ?? [] };
    }
  });
  expect(refused).not.toBeNull();
  expect(refused!.message).toContain('That lesson was not opened');
  expect(refused!.problems.join('\n')).toMatch(/steps\[0\]\.until\.record\.type/);
  // The embed says so too, and nothing was lost: same lesson, same step, still asking.
  await expect(frame.getByTestId('notice')).toContainText('steps[0].until.record.type');
  await lesson.atStep(3, 'asking');
  await expect(frame.getByTestId('lesson-step-title')).toHaveText(title!);

  // A name that is no built-in lesson is refused by the protocol's own check.
  expect(await lab.callError('lesson', 'racing')).toContain('lesson: name is not a built-in lesson (send-flow-control, partial-copy, race');
  // Another lesson opened through the API: a page can switch lessons.
  const opened = await lab.call<{ name: string; index: number; total: number; phase: string }>('lesson', 'herd');
  expect(opened).toMatchObject({ name: 'herd', index: 0 });
  await expect(frame.getByTestId('lesson')).toHaveAttribute('aria-label', /thundering herd/i);
});

test('#8: a plain embed never fetches the lesson code; lesson= on embed.html opens one in a bare iframe', async ({ page }) => {
  test.setTimeout(120_000);
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.setViewportSize({ width: 800, height: 450 });
  await page.goto('/embed.html?preset=race');
  await expect(page.locator('.app.embed')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('svg.stack')).toBeVisible();
  expect(fetched.filter((p) => /lessonKit|react/i.test(p))).toEqual([]);
  await expect(page.getByTestId('lesson')).toHaveCount(0);

  await page.goto('/embed.html?lesson=blocking&theme=dark');
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', '1', { timeout: 60_000 });
  expect(fetched.some((p) => /lessonKit/.test(p))).toBe(true);
  // An unknown name: the embed says so and shows the preset, as for any bad parameter.
  await page.goto('/embed.html?lesson=nope');
  await expect(page.getByTestId('notice')).toContainText('there is no built-in lesson "nope"');
  await expect(page.locator('svg.stack')).toBeVisible();
  await expect(page.getByTestId('lesson')).toHaveCount(0);
});

for (const theme of ['light', 'dark'] as const) {
  test(`#8: the embed with a lesson fits its frame — beside the stage when wide, under it when narrow — with axe clean (${theme})`, async ({ page, baseURL }) => {
    test.setTimeout(180_000);
    for (const size of [
      { width: 800, height: 450 },
      { width: 1280, height: 720 },
      { width: 390, height: 844 },
      { width: 320, height: 200 },
    ]) {
      await page.setViewportSize(size);
      await page.goto(host.page(`/fit-${theme}-${size.width}.html`, coursePage(baseURL!, `lesson="race" theme="${theme}"`, size)));
      const { frame, lesson } = await atRaceQuestion(page);
      const stage = (await frame.locator('.stack-fit').boundingBox())!;
      const panel = (await frame.locator('.embed-lesson').boundingBox())!;
      if (size.width >= 600) expect(panel.x).toBeGreaterThanOrEqual(stage.x + stage.width - 1); // beside
      else expect(panel.y).toBeGreaterThanOrEqual(stage.y + stage.height - 1); // below
      // Usable at every size: the question's answers and the step buttons can be reached and pressed.
      await expect(frame.getByRole('button', { name: 'Run without predicting ›' })).toBeInViewport();
      await page.screenshot({ path: test.info().outputPath(`embed-lesson-${size.width}x${size.height}-${theme}.png`) });
      if (size.width === 800) {
        await frame.getByTestId('lesson-question').getByRole('spinbutton').fill('1');
        await frame.getByRole('button', { name: 'Check against the model ›' }).click();
        await lesson.atStep(3);
        await page.screenshot({ path: test.info().outputPath(`embed-lesson-reveal-${theme}.png`) });
        const axe = await new AxeBuilder({ page }).include('tdi-flow-lab').analyze();
        const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      }
    }
  });
}

test('#8: with a lesson open in the app, Embed… writes a snippet that opens that lesson, and it plays in a host page', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new Lab(page);
  await lab.open('basics');
  const player = new LessonPlayer(page);
  await player.openFromMenu(/Blocking sends/);
  await player.atStep(1);
  await lab.button('Embed…').click();
  const dialog = page.getByRole('dialog', { name: 'Embed' });
  await expect(dialog.getByLabel(/the lesson “Blocking sends/)).toBeChecked();
  const html = await dialog.getByTestId('embed-snippet-html').inputValue();
  expect(html).toMatch(/<tdi-flow-lab lesson="blocking" speed="[\d.]+"/);
  expect(html).not.toMatch(/preset=|\bt="/); // the lesson brings its own scenario and moments
  await expect(dialog.getByTestId('embed-snippet-iframe')).toHaveValue(/embed\.html\?lesson=blocking/);
  // Unticked, the snippet is the scenario on screen, as before.
  await dialog.getByLabel(/the lesson “Blocking sends/).uncheck();
  await expect(dialog.getByTestId('embed-snippet-html')).not.toHaveValue(/lesson=/);
  await dialog.getByLabel(/the lesson “Blocking sends/).check();
  await page.keyboard.press('Escape');

  await page.goto(host.page('/pasted-lesson.html', `<!doctype html><html lang="en"><title>Pasted</title><body>${html}</body></html>`));
  const embed = new EmbedHost(page);
  await embed.ready();
  await expect((await embed.frame()).getByTestId('lesson')).toHaveAttribute('aria-label', /Blocking sends/);
  expect(await embed.call<{ lesson: { name: string; index: number } }>('getState')).toMatchObject({ lesson: { name: 'blocking', index: 0 } });
});

test('#8: a lesson opened from a file travels packed in the snippet (fragment="lesson=…") and opens in the host page', async ({ page }) => {
  test.setTimeout(120_000);
  const lab = new Lab(page);
  await lab.open('basics');
  const player = new LessonPlayer(page);
  const doc = {
    format: 'tdi-flow-lab/lesson@1',
    title: 'My own race lesson',
    summary: 'A teacher’s lesson, not a built-in.',
    scenario: 'race',
    steps: [
      { title: 'Look', narration: 'Two clients share a pool.', until: 'next' },
      { title: 'Refused', narration: 'B1 is refused.', until: { record: { type: 'send.complete', where: { connection: 'B1', status: 'STATUS_DEVICE_NOT_READY' } } } },
    ],
  };
  await player.openFile('mine.lesson.json', JSON.stringify(doc));
  await player.atStep(1);
  await lab.button('Embed…').click();
  const dialog = page.getByRole('dialog', { name: 'Embed' });
  await expect(dialog.getByTestId('embed-snippet-html')).toHaveValue(/fragment="lesson=[\w.-]+"/);
  const html = await dialog.getByTestId('embed-snippet-html').inputValue();
  expect(html).not.toMatch(/\blesson="/);

  await page.goto(host.page('/packed.html', `<!doctype html><html lang="en"><title>Packed</title><body>${html}</body></html>`));
  const embed = new EmbedHost(page);
  await embed.ready();
  const lesson = new LessonPlayer(await embed.frame());
  await expect(lesson.panel).toHaveAttribute('aria-label', 'Lesson: My own race lesson');
  await lesson.atStep(1);
  await lesson.next();
  await lesson.atStep(2);
  expect(await embed.call('getState')).toMatchObject({ lesson: { name: null, title: 'My own race lesson', index: 1, total: 2 } });
});
