// Pictures of projector mode to look at, with the figures they show printed (not assertions): the
// sizes a classroom projector runs at, both themes — the stage at a busy moment, a lesson's last
// step, Help. Run on demand: SCREENS=1 PORT=… npx playwright test e2e/projector.screens.spec.ts
import { expect, test, type Page } from '@playwright/test';
import { Lab } from './lab.ts';
import { LessonPlayer } from './lessonPlayer.ts';

const SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];
const OUT = process.env.SCREENS_DIR ?? 'test-results/pj';

test.skip(!process.env.SCREENS, 'pictures on demand (SCREENS=1)');

async function figures(page: Page) {
  return page.evaluate(() => {
    const r = (sel: string) => document.querySelector(sel)?.getBoundingClientRect();
    const cap = document.querySelector<HTMLElement>('[data-testid="caption"]')!;
    const c = cap.getBoundingClientRect();
    const st = r('.stage')!;
    const fs = (sel: string) => {
      const el = document.querySelector(sel);
      return el ? getComputedStyle(el).fontSize : null;
    };
    return {
      captionVisiblePx: Math.round(Math.max(0, Math.min(c.bottom, st.bottom, innerHeight) - Math.max(c.top, st.top))),
      captionPx: Math.round(c.height),
      captionClamped: cap.scrollHeight > cap.clientHeight + 1,
      stageW: Math.round(st.width),
      stageH: Math.round(st.height),
      scale: document.querySelector('svg.stack')?.getAttribute('data-text-scale'),
      sideW: Math.round(r('.side')?.width ?? 0),
      caption: fs('[data-testid="caption"]'),
      lesson: fs('.lesson-narration'),
      inspector: fs('.inspector p, .inspector .kv'),
      help: fs('.help-cols'),
    };
  });
}

for (const size of SIZES) {
  for (const scheme of ['dark', 'light'] as const) {
    const tag = `${size.width}-${scheme}`;
    test(`projector pictures ${tag}`, async ({ page }) => {
      test.setTimeout(120_000);
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: scheme });
      const lab = new Lab(page);
      await lab.open('cascade', { projector: '1' });
      await lab.seek(5656);
      await page.screenshot({ path: `${OUT}/cascade-${tag}.png` });
      console.log(`cascade ${tag}`, JSON.stringify(await figures(page)));
      await lab.connection('B1').click();
      await page.screenshot({ path: `${OUT}/cascade-${tag}-inspect.png` });
      await page.keyboard.press('Escape');
      await lab.open('race', { projector: '1' });
      const lesson = new LessonPlayer(page);
      await lesson.openFromMenu(/The race for freed space/);
      await lesson.atStep(1);
      await page.screenshot({ path: `${OUT}/lesson-${tag}-1.png` });
      const steps = Number((await lesson.count.textContent())!.match(/of (\d+)/)![1]);
      for (let k = 2; k <= steps; k++) {
        await lesson.next();
        await lesson.settle(k, true);
      }
      await lesson.next();
      await expect(lesson.panel).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
      await page.screenshot({ path: `${OUT}/lesson-${tag}-done.png` });
      console.log(`lesson ${tag}`, JSON.stringify(await figures(page)));
      await page.getByRole('button', { name: 'Help' }).click();
      await page.screenshot({ path: `${OUT}/help-${tag}.png` });
      console.log(`help ${tag}`, JSON.stringify(await figures(page)));
    });
  }
}

// Out of projector mode: the legend above the charts at 1280 × 720, a lesson's end at 1280 × 720 and on a phone.
for (const scheme of ['dark', 'light'] as const) {
  test(`desktop and phone pictures ${scheme}`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    const lab = new Lab(page);
    await page.setViewportSize({ width: 1280, height: 720 });
    await lab.open('basics');
    await page.screenshot({ path: `${OUT}/basics-1280-${scheme}.png` });
    await lab.open('cascade', { projector: '1' });
    await lab.seek(5656);
    await page.getByRole('button', { name: 'Panels & log' }).click();
    await page.screenshot({ path: `${OUT}/cascade-1280-${scheme}-panels.png` });
    for (const size of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(size);
      await lab.open('race');
      const lesson = new LessonPlayer(page);
      await lesson.openFromMenu(/The race for freed space/);
      await lesson.atStep(1);
      const steps = Number((await lesson.count.textContent())!.match(/of (\d+)/)![1]);
      for (let k = 1; k <= steps; k++) {
        await lesson.settle(k, true);
        await lesson.next();
      }
      await expect(lesson.panel).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
      await page.screenshot({ path: `${OUT}/lesson-${size.width}-${scheme}-plain-done.png` });
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
    await lab.open('race', { projector: '1' });
    await page.getByRole('button', { name: 'Compare…' }).click();
    await page.screenshot({ path: `${OUT}/compare-1920-${scheme}.png` });
  });
}

// #14: every preset at a refusal, lost race or cascade moment, and a lesson's pause with the panels
// open, at the classroom projectors' sizes in both themes, plus 1920 × 1080 and a phone: the moment
// held on the stage, the toolbar on one row, the panels over the stage, no label over a name.
const MOMENTS: [string, number][] = [
  ['basics', 200],
  ['partial-copy', 2000],
  ['race', 1520],
  ['herd', 1020],
  ['blocking', 500],
  ['cascade', 5000],
  ['irql', 600],
  ['stress', 4232],
];
const MOMENT_SIZES = [
  { width: 1024, height: 768, projector: true },
  { width: 1280, height: 720, projector: true },
  { width: 1920, height: 1080, projector: true },
  { width: 390, height: 844, projector: false },
];
for (const size of MOMENT_SIZES) {
  for (const scheme of ['dark', 'light'] as const) {
    const tag = `${size.width}x${size.height}-${scheme}${size.projector ? '-pj' : ''}`;
    test(`#14 moments ${tag}`, async ({ page }) => {
      test.setTimeout(240_000);
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: scheme });
      const lab = new Lab(page);
      for (const [preset, t] of MOMENTS) {
        await lab.open(preset, size.projector ? { projector: '1' } : {});
        await lab.seek(t);
        await page.screenshot({ path: `${OUT}/moment-${preset}-${tag}.png` });
      }
      await lab.open('cascade', size.projector ? { projector: '1' } : {});
      await lab.seek(5000);
      const panels = page.getByRole('button', { name: 'Panels & log' });
      if (await panels.isVisible()) await panels.click();
      await page.screenshot({ path: `${OUT}/panels-cascade-${tag}.png` });
      const hide = page.getByRole('button', { name: 'Hide panels' });
      if (await hide.isVisible()) await hide.click();
      for (const [lessonTitle, name] of [[/The race for freed space/, 'race'], [/The error cascade/, 'cascade']] as const) {
        await lab.open(name, size.projector ? { projector: '1' } : {});
        const lesson = new LessonPlayer(page);
        await lesson.openFromMenu(lessonTitle);
        if (await panels.isVisible()) await panels.click();
        for (let k = 1; k <= 4; k++) {
          const asked = await lesson.settle(k);
          await page.screenshot({ path: `${OUT}/lesson-${name}-${k}${asked ? 'q' : ''}-${tag}.png` });
          if (asked) {
            await lesson.next();
            await lesson.atStep(k);
            await page.screenshot({ path: `${OUT}/lesson-${name}-${k}-${tag}.png` });
          }
          await lesson.next();
        }
      }
    });
  }
}
