// Pictures of the lesson panel to look at (not assertions): desktop, projector-size and phone, both
// themes, at a question and at a reveal. Run on demand: SCREENS=1 PORT=… npx playwright test e2e/lesson.screens.spec.ts
import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';
import { LessonPlayer } from './lessonPlayer.ts';

const SIZES = [
  { name: '1280x720', width: 1280, height: 720 },
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '390x844', width: 390, height: 844 },
];

test.skip(!process.env.SCREENS, 'pictures on demand (SCREENS=1)');

for (const size of SIZES) {
  for (const scheme of ['dark', 'light'] as const) {
    test(`lesson panel pictures ${size.name} ${scheme}`, async ({ page }) => {
      test.setTimeout(90_000);
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.emulateMedia({ colorScheme: scheme });
      const lab = new Lab(page);
      const lesson = new LessonPlayer(page);
      await lab.open('race');
      await lesson.openFromMenu(/The race for freed space/);
      await lesson.atStep(1);
      await page.screenshot({ path: `test-results/lesson-${size.name}-${scheme}-start.png` });
      await lesson.next();
      await lesson.atStep(2);
      await lesson.next();
      await lesson.atStep(3, 'asking');
      await page.screenshot({ path: `test-results/lesson-${size.name}-${scheme}-ask.png` });
      await lesson.predict(0);
      await lesson.atStep(3);
      await expect(lesson.reveal).toBeVisible();
      await lesson.panel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/lesson-${size.name}-${scheme}-reveal.png` });
    });
  }
}

test('lessons menu and a refused lesson file, pictures', async ({ page }) => {
  const lab = new Lab(page);
  const lesson = new LessonPlayer(page);
  await lab.open('race');
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.screenshot({ path: 'test-results/lesson-menu.png' });
  await page.keyboard.press('Escape');
  await lesson.openFile('typo.json', JSON.stringify({ format: 'tdi-flow-lab/lesson@1', title: 'T', summary: 'S', scenario: 'race', steps: [{ title: 'a', narration: 'n', focus: ['Z9'], until: 'soon' }] }));
  await expect(lesson.problems).toBeVisible();
  await page.screenshot({ path: 'test-results/lesson-problems.png' });
});
