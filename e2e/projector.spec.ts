// Projector mode on the sizes classroom projectors run at (#8): the stage and its narration line
// dominate and are whole, the class's text is large, and a lesson's Back / Next never leave the screen.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { Lab } from './lab.ts';
import { LessonPlayer } from './lessonPlayer.ts';

const SIZES = [
  // The text a class reads: 16 px at 1024 px wide, 20 px at 1920; the stage drawn this much larger.
  { width: 1024, height: 768, minTextPx: 16, minScale: 1.4 },
  { width: 1280, height: 720, minTextPx: 16, minScale: 1.4 },
  { width: 1920, height: 1080, minTextPx: 20, minScale: 1.8 },
];

/** Where a box is cut: by the viewport, by the stage (it hides what overflows) or by its own line clamp. */
async function cuts(page: Page, el: Locator): Promise<string[]> {
  return el.evaluate((node) => {
    const out: string[] = [];
    const b = node.getBoundingClientRect();
    if (b.top < 0 || b.bottom > innerHeight + 0.5 || b.left < 0 || b.right > innerWidth + 0.5) out.push(`outside the viewport: ${JSON.stringify(b)}`);
    const stage = node.closest('.stage')?.getBoundingClientRect();
    if (stage && (b.top < stage.top - 0.5 || b.bottom > stage.bottom + 0.5)) out.push(`cut by the stage: ${b.top}–${b.bottom} in ${stage.top}–${stage.bottom}`);
    if (node.scrollHeight > node.clientHeight + 1) out.push(`text clamped: ${node.scrollHeight} px of text in ${node.clientHeight} px: "${node.textContent}"`);
    const line = parseFloat(getComputedStyle(node).lineHeight);
    if (node.clientHeight < 2 * line) out.push(`squashed to ${node.clientHeight} px (a line is ${line} px)`);
    return out;
  });
}

/** The smallest font size of the text (own text nodes) inside these elements, with the element that has it. */
async function smallestText(root: Locator, exclude = 'code, kbd'): Promise<{ px: number; what: string }> {
  return root.evaluate(
    (node, ex) => {
      let min = { px: Infinity, what: '' };
      for (const el of [node, ...node.querySelectorAll('*')]) {
        if (el.closest(ex) || !(el as HTMLElement).offsetParent) continue;
        const own = [...el.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent!.trim() !== '');
        const px = parseFloat(getComputedStyle(el).fontSize);
        if (own && px < min.px) min = { px, what: `${el.tagName.toLowerCase()}.${el.className}: "${el.textContent!.trim().slice(0, 40)}"` };
      }
      return min;
    },
    exclude,
  );
}

/** Visible to the class: inside the viewport and not covered by anything (what is at its centre is it). */
async function onScreen(button: Locator): Promise<boolean> {
  await expect(button).toBeVisible();
  return button.evaluate((el) => {
    const b = el.getBoundingClientRect();
    if (b.top < 0 || b.left < 0 || b.bottom > innerHeight || b.right > innerWidth) return false;
    const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
    return hit !== null && el.contains(hit);
  });
}

for (const size of SIZES) {
  test(`#8: projector mode at ${size.width}×${size.height}: the stage dominates, its narration line is whole at every moment`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize(size);
    const lab = new Lab(page);
    for (const preset of ['cascade', 'herd', 'race']) {
      await lab.open(preset, { projector: '1' });
      const stage = await page.getByRole('region', { name: 'Driver stack' }).boundingBox();
      // On a short screen the stage has the width to itself; at 1920 the side column takes at most a quarter.
      expect(stage!.width, 'stage width').toBeGreaterThan(size.width * (size.width < 1600 ? 0.95 : 0.72));
      await expect.poll(async () => Number(await lab.stack.locator('svg.stack').getAttribute('data-text-scale'))).toBeGreaterThanOrEqual(size.minScale);
      const durationUs = await page.evaluate(() => (window as unknown as { tdiFlowLab: { lastFrame: () => { durationUs: number } } }).tdiFlowLab.lastFrame().durationUs);
      for (let k = 1; k <= 6; k++) {
        const t = Math.round((durationUs * k) / 7 / 10) * 10;
        await lab.seek(t);
        await expect(lab.caption).not.toHaveText(/Press Play/);
        expect(await cuts(page, lab.caption), `${preset} at ${t} µs`).toEqual([]);
      }
      expect(parseFloat(await lab.caption.evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(18);
    }
  });

  test(`#8: projector mode at ${size.width}×${size.height}: the inspector, the why? list and Help are large`, async ({ page }) => {
    await page.setViewportSize(size);
    const lab = new Lab(page);
    await lab.open('race', { projector: '1' });
    await lab.runToEnd();
    await lab.connection('B1').click();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await expect(page.getByTestId('inspector-title')).toHaveText('Connection B1');
    const small = await smallestText(inspector);
    expect(small.px, small.what).toBeGreaterThanOrEqual(size.minTextPx * 0.85); // its small caps headings
    expect(parseFloat(await inspector.locator('.kv').evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(size.minTextPx);
    // The why? list, from the log (the Panels button brings the log on a short screen).
    const panels = page.getByRole('button', { name: 'Panels & log' });
    if (size.width < 1600) await panels.click();
    else await expect(panels).toBeHidden();
    await lab.filterLog({ chip: 'sends', status: 'STATUS_DEVICE_NOT_READY' });
    // Any refused send has a why? chain (which one does not matter here: its size does).
    const why = page.getByTestId('why');
    await expect(async () => {
      await lab.logRows.first().click();
      await expect(why.locator('.why-links li').first()).toBeVisible({ timeout: 3_000 });
    }).toPass({ timeout: 30_000 });
    expect(parseFloat(await why.locator('.why-links').evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(size.minTextPx);
    await page.getByRole('button', { name: 'Help' }).click();
    const help = page.locator('.help-cols');
    await expect(help).toBeVisible();
    const helpSmall = await smallestText(help);
    expect(helpSmall.px, helpSmall.what).toBeGreaterThanOrEqual(size.minTextPx);
  });
}

test('#8: projector mode on a short screen folds the side column and the log away, and the Panels button brings them back', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const lab = new Lab(page);
  await lab.open('cascade', { projector: '1' });
  const side = page.getByRole('complementary', { name: 'Inspector and legend' });
  const log = page.getByRole('region', { name: 'Event log' });
  await expect(side).toBeHidden();
  await expect(log).toBeHidden();
  const panels = page.getByRole('button', { name: 'Panels & log' });
  await expect(panels).toHaveAttribute('aria-expanded', 'false');
  await panels.click();
  await expect(side).toBeVisible();
  await expect(log).toBeVisible();
  await expect(page.getByRole('button', { name: 'Hide panels' })).toHaveAttribute('aria-expanded', 'true');
  // With both back, the narration line is still whole.
  await lab.seek(5660);
  expect(await cuts(page, lab.caption)).toEqual([]);
  await page.getByRole('button', { name: 'Hide panels' }).click();
  await expect(log).toBeHidden();
  // A selection brings the side column (its inspector) back by itself.
  await lab.connection('B1').click();
  await expect(page.getByTestId('inspector-title')).toHaveText('Connection B1');
});

/**
 * Every step of the lesson, answering nothing (the reveal is then longest): Back and Next on screen
 * throughout. Next is pressed as a teacher who never scrolls would (a click that does not scroll it into view first).
 */
async function walkLesson(page: Page, title: RegExp, check: (where: string) => Promise<void>): Promise<void> {
  const lesson = new LessonPlayer(page);
  const next = () => lesson.panel.getByRole('button', { name: /^(Next|Finish|Skip|Run without predicting) ›$/ }).evaluate((b: HTMLButtonElement) => b.click());
  await lesson.openFromMenu(title);
  await lesson.atStep(1);
  const n = Number((await lesson.count.textContent())!.match(/of (\d+)/)![1]);
  for (let k = 1; k <= n; k++) {
    if (await lesson.settle(k)) {
      await check(`step ${k}, asking`);
      await next();
      await lesson.atStep(k);
    }
    await check(`step ${k}`);
    await next();
  }
  await expect(lesson.panel).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
  await check('the end');
  expect(await onScreen(page.getByTestId('lesson-done')), 'the end notice').toBe(true);
}

for (const projector of [false, true]) {
  test(`#8: a lesson's Back and Next stay on screen at 1280×720 on every step${projector ? ', projector mode' : ''}`, async ({ page }) => {
    test.setTimeout(180_000);
    const lab = new Lab(page);
    const lesson = new LessonPlayer(page);
    await lab.open('race', projector ? { projector: '1' } : {});
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    const all = (await page.getByRole('menu', { name: 'Lessons' }).getByRole('menuitem').allTextContents()).filter((t) => !/file/i.test(t));
    await page.keyboard.press('Escape');
    expect(all.length).toBeGreaterThan(2);
    // Out of projector mode the race (the longest reveal, the one that pushed Next off) stands for them all.
    const titles = projector ? all : all.filter((t) => /race for freed space/.test(t));
    for (const title of titles) {
      await walkLesson(page, new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), async (where) => {
        expect(await onScreen(lesson.panel.getByRole('button', { name: '‹ Back' })), `${title}, ${where}: Back`).toBe(true);
        expect(await onScreen(lesson.panel.getByRole('button', { name: /^(Next|Finish|Skip|Run without predicting) ›$/ })), `${title}, ${where}: Next`).toBe(true);
        expect(await onScreen(lesson.stepTitle), `${title}, ${where}: the step's title`).toBe(true);
      });
      await lesson.panel.getByRole('button', { name: 'Exit lesson' }).click();
    }
  });
}

for (const size of [SIZES[0]!, SIZES[2]!]) {
  test(`#8: the lesson panel's text in projector mode is at least ${size.minTextPx} px at ${size.width}×${size.height}`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.setViewportSize(size);
    const lab = new Lab(page);
    const lesson = new LessonPlayer(page);
    await lab.open('race', { projector: '1' });
    await lesson.openFromMenu(/The race for freed space/);
    await lesson.atStep(1);
    await lesson.next();
    await lesson.atStep(2);
    await lesson.next();
    await lesson.atStep(3, 'asking');
    let small = await smallestText(lesson.panel.getByTestId('lesson-body'));
    expect(small.px, `asking: ${small.what}`).toBeGreaterThanOrEqual(size.minTextPx);
    await lesson.predict(0); // race step 3 asks a number (#14)
    await lesson.atStep(3);
    await expect(lesson.reveal).toBeVisible();
    small = await smallestText(lesson.panel.getByTestId('lesson-body'));
    expect(small.px, `reveal: ${small.what}`).toBeGreaterThanOrEqual(size.minTextPx);
    small = await smallestText(lesson.panel.locator('.lesson-nav'));
    expect(small.px, `nav: ${small.what}`).toBeGreaterThanOrEqual(size.minTextPx);
    expect(parseFloat(await lesson.stepTitle.evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThan(size.minTextPx);
  });
}
