// Projector mode on the sizes classroom projectors run at (#8): the stage and its narration line
// dominate and are whole, the class's text is large, and a lesson's Back / Next never leave the screen.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { Lab } from './lab.ts';
import { LessonPlayer } from './lessonPlayer.ts';
import { seriousViolations } from './axe.ts';

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

// #14: a classroom projector's screen — one toolbar row, the less-used tools in a More menu that
// works from the keyboard, the stage at a legible scale with the panels open, badges and legend large.
const CLASSROOM = [SIZES[0]!, SIZES[1]!];

/** The toolbar's visible items: how many, and how many rows they take (items whose vertical middles differ by more than half a button). */
async function toolbarRows(page: Page): Promise<{ items: number; rows: number; overflowing: string[] }> {
  return page.locator('header.topbar').evaluate((bar) => {
    // The controls themselves (buttons, menus, fields) and the logo, as far as they are shown.
    const items = [...bar.querySelectorAll<HTMLElement>('.brand, button, select, input')].filter((el) => el.offsetParent !== null && el.getBoundingClientRect().width > 0 && !el.closest('.tb-more-items, .lessons-popup'));
    const middles: number[] = [];
    const overflowing: string[] = [];
    for (const el of items) {
      const r = el.getBoundingClientRect();
      const mid = r.top + r.height / 2;
      if (!middles.some((m) => Math.abs(m - mid) < 12)) middles.push(mid);
      if (r.right > innerWidth + 0.5 || r.left < -0.5) overflowing.push(el.textContent ?? el.className);
    }
    return { items: items.length, rows: middles.length, overflowing };
  });
}

for (const size of CLASSROOM) {
  test(`#14: projector mode at ${size.width}×${size.height}: the toolbar keeps to one row; the rest is in More`, async ({ page }) => {
    await page.setViewportSize(size);
    const lab = new Lab(page);
    await lab.open('cascade', { projector: '1' });
    const row = await toolbarRows(page);
    // The logo, Preset, Play, Back, Step, End, Reset, Speed, Lessons, More, Projector, theme, Help: all there, on one line.
    expect(row.items).toBeGreaterThanOrEqual(13);
    expect(row.rows).toBe(1);
    expect(row.overflowing).toEqual([]);
    // A lesson open and the panels out: still one row.
    await new LessonPlayer(page).openFromMenu(/error cascade/);
    await page.getByRole('button', { name: 'Panels & log' }).click();
    expect((await toolbarRows(page)).rows).toBe(1);
    // The folded tools are in the menu, not lost.
    const more = page.getByRole('button', { name: 'More' });
    await more.click();
    const menu = page.getByRole('group', { name: 'More tools' });
    for (const name of ['Share', 'Export…', 'Embed…', 'Compare…', 'Open…']) await expect(menu.getByRole('button', { name })).toBeVisible();
    await expect(menu.getByRole('spinbutton', { name: 'Seed' })).toBeVisible();
  });
}

test('#14: the More menu works from the keyboard: it opens on Enter, arrows move between its tools, Esc closes it and gives the focus back, a tool chosen runs', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const lab = new Lab(page);
  await lab.open('race', { projector: '1' });
  const more = page.getByRole('button', { name: 'More' });
  const menu = page.getByRole('group', { name: 'More tools' });
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await expect(menu.getByRole('button', { name: 'Compare…' })).toBeHidden();
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  // The first tool has the focus; ↓ and ↑ move through them, wrapping at the ends.
  await expect(menu.getByRole('spinbutton', { name: 'Seed' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(menu.getByRole('combobox', { name: 'Kernel API' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(menu.getByRole('button', { name: 'Share' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('button', { name: 'Export…' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(menu.getByRole('button', { name: 'Open…' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('spinbutton', { name: 'Seed' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(menu.getByRole('button', { name: 'Open…' })).toBeFocused();
  // Esc: closed, the focus back on More, and nothing else of Esc happened (the model still paused where it was).
  await page.keyboard.press('Escape');
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await expect(menu.getByRole('button', { name: 'Open…' })).toBeHidden();
  await expect(more).toBeFocused();
  // Enter opens it again (Space plays wherever the focus is outside a field, a menu or a dialog, #16);
  // a tool chosen with Enter runs and the menu closes.
  await page.keyboard.press('Enter');
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowUp'); // Open…
  await page.keyboard.press('ArrowUp'); // Compare…
  await expect(menu.getByRole('button', { name: 'Compare…' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Compare two policies' })).toBeVisible();
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Compare two policies' })).toBeHidden();
  // Tab out of the open menu closes it.
  await more.click();
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('End');
  await page.keyboard.press('Tab');
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  expect(await seriousViolations(page)).toEqual([]);
});

/** Screen pixels of the stage's handler badges (their font size in the picture's units × the viewBox's scale): the smallest, and how many. */
async function badgePx(page: Page): Promise<{ min: number; count: number }> {
  return page.getByTestId('stack').evaluate((host) => {
    const svg = host.querySelector<SVGSVGElement>('svg.stack')!;
    const k = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    let min = Infinity;
    let count = 0;
    for (const b of svg.querySelectorAll<SVGTextElement>('g.badges text.badge')) {
      if (b.getBoundingClientRect().width === 0) continue;
      count++;
      min = Math.min(min, parseFloat(getComputedStyle(b).fontSize) * k);
    }
    return { min, count };
  });
}

for (const size of CLASSROOM) {
  test(`#14: projector mode at ${size.width}×${size.height}: with a lesson and the panels open the stage keeps its height and a legible scale; badges and the legend are at least 16 px`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.setViewportSize(size);
    const lab = new Lab(page);
    const lesson = new LessonPlayer(page);
    await lab.open('cascade', { projector: '1' });
    const alone = await lab.stack.boundingBox();
    await lesson.openFromMenu(/error cascade/);
    await lesson.atStep(1);
    await page.getByRole('button', { name: 'Panels & log' }).click();
    await expect(page.getByRole('region', { name: 'Event log' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Legend' }).or(page.locator('details.legend'))).toBeVisible();
    // The panels are a sheet beside the stage: its drawing keeps the height it had alone (the log went under it before: ~200 px).
    const beside = await lab.stack.boundingBox();
    // (A little less: beside the sheet the title and the narration take a line more.)
    expect(beside!.height, 'drawing height with the panels open').toBeGreaterThanOrEqual(alone!.height * 0.8);
    expect(beside!.width, 'drawing width with the panels open').toBeGreaterThan(size.width * 0.55);
    const scale = Number(await lab.stack.locator('svg.stack').getAttribute('data-text-scale'));
    expect(scale, 'stage scale with the panels open').toBeGreaterThanOrEqual(1.2);
    // The handler badges (S E X D) of every address: 16 px or more on screen.
    const badges = await badgePx(page);
    expect(badges.count).toBeGreaterThanOrEqual(12); // 3 addresses × 4 badges
    expect(badges.min).toBeGreaterThanOrEqual(16);
    // The legend: every text in it, its keys too, at least 16 px.
    const legend = page.locator('details.legend');
    const small = await smallestText(legend, 'never-excluded');
    expect(small.px, small.what).toBeGreaterThanOrEqual(16);
    // Every kind of stage label is in it, the bare ✕ of a narrow stage (the herd's) among them.
    const keys = legend.locator('.fx-key');
    expect(await keys.count()).toBeGreaterThanOrEqual(9);
    for (const kind of ['NOT_READY', 'lost race!', 'SendPossible', 'ClientEventError', 'not told', 'FAILED', '✕ failed', 'PENDING', 'EXPEDITED']) {
      await expect(legend.locator('.fx-key', { hasText: kind }).first()).toBeVisible();
    }
    await expect(legend.locator('.fx-key.bad', { hasText: '✕' }).first()).toBeVisible();
    // The sheet, the lesson and the stage as the class sees them: no serious axe violation.
    expect(await seriousViolations(page)).toEqual([]);
  });

  test(`#14: projector mode at ${size.width}×${size.height}: a why? chain opened during a lesson is in view below the lesson panel`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.setViewportSize(size);
    const lab = new Lab(page);
    const lesson = new LessonPlayer(page);
    await lab.open('race', { projector: '1' });
    await lesson.openFromMenu(/The race for freed space/);
    await lesson.atStep(1);
    await lab.seek(2000);
    await page.getByRole('button', { name: 'Panels & log' }).click();
    await lab.filterLog({ chip: 'sends', status: 'STATUS_DEVICE_NOT_READY' });
    const why = page.getByTestId('why');
    await expect(async () => {
      await lab.logRows.first().click();
      await expect(why.locator('.why-links li').first()).toBeVisible({ timeout: 3_000 });
    }).toPass({ timeout: 30_000 });
    expect(await onScreen(why.getByRole('heading').first()), 'the why? heading').toBe(true);
    expect(await onScreen(why.locator('.why-links li button.link').first()), 'its first link').toBe(true);
    expect(await onScreen(lesson.panel.getByRole('button', { name: /^(Next|Finish|Skip|Run without predicting) ›$/ })), 'the lesson still has its Next').toBe(true);
  });
}
