// #14: the moment stays on the stage. Paused — by a seek, a step, a lesson's pause or Pause — the
// records of the last instant shown keep their callouts and beams in their end state until play goes
// on, a step or a seek brings another moment; a lesson step's focus is ringed. "Kept" is read from
// the page, not timed: a label that is to fade has a transition scheduled (d3 keeps it on the node).
import { expect, test, type Locator, type Page } from '@playwright/test';
import { Lab } from './lab.ts';
import { LessonPlayer } from './lessonPlayer.ts';

/** The stage's callouts now: text, class, opacity, and whether a fade is scheduled on it. */
async function callouts(page: Page): Promise<{ text: string; cls: string; opacity: number; fading: boolean }[]> {
  return page.getByTestId('stack').evaluate((host) =>
    [...host.querySelectorAll<SVGGElement>('g.callout')].map((g) => ({
      text: g.textContent ?? '',
      cls: g.querySelector('text')?.getAttribute('class') ?? '',
      opacity: Number(getComputedStyle(g).opacity),
      fading: Object.keys((g as unknown as { __transition?: object }).__transition ?? {}).length > 0,
    })),
  );
}

function pinned(lab: Lab): Locator {
  return lab.stack.locator('g.fx .pinned');
}

/** B1's SendPossible at 730 µs in the race preset (R21: it was refused at 400 µs). */
const RACE_REFUSED_US = 400;
const RACE_TOLD_US = 730;

// A stage tall enough for a SendPossible's label beside its beam (a short one leaves the label out: callouts.ts).
test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
});

test('#14: a seek shows the moment arrived at — its callout and beam stay while paused, and go when play goes on', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race');
  await lab.seek(RACE_REFUSED_US);
  // R13: B1 refused at 400 µs; the label of that moment is there, fully visible, not fading.
  await expect.poll(async () => (await callouts(page)).filter((c) => /NOT_READY|✕/.test(c.text)).length).toBe(1);
  await lab.seek(RACE_TOLD_US);
  // Only this moment's records: B1's SendPossible (R21), not the refusal of 400 µs.
  await expect.poll(async () => (await callouts(page)).map((c) => c.text).join(' | ')).toMatch(/^(SendPossible )?1,?460 B$/);
  const told = (await callouts(page))[0]!;
  expect(told.cls).toContain('lbl-good');
  expect(told.opacity).toBe(1);
  expect(told.fading, 'a pinned callout has no fade scheduled').toBe(false);
  await expect(pinned(lab).and(page.locator('line.beam'))).toHaveCount(1);
  // Play: the moment is released — its beam loses its pin, its callout fades (or is gone already).
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play-state')).toHaveText('');
  await expect(pinned(lab)).toHaveCount(0);
  await expect.poll(async () => (await callouts(page)).filter((c) => /1,?460 B/.test(c.text) && !c.fading).length).toBe(0);
  await page.keyboard.press('Space');
});

test('#14: a step forward shows its own records\' callouts and keeps them while paused; the earlier moment\'s go', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race');
  await lab.seek(RACE_REFUSED_US);
  await expect.poll(async () => (await callouts(page)).filter((c) => /NOT_READY|✕/.test(c.text)).length).toBe(1);
  // Step until B1's SendPossible (a step is one kernel event, or one record: either way it comes within a few).
  let told: Awaited<ReturnType<typeof callouts>> = [];
  for (let k = 0; k < 8 && told.length === 0; k++) {
    await lab.stepOnce();
    told = (await callouts(page)).filter((c) => c.cls.includes('lbl-good'));
  }
  expect(told, 'B1 told, within 8 steps').toHaveLength(1);
  expect(told[0]!.fading).toBe(false);
  expect(told[0]!.opacity).toBe(1);
  // The refusal of 400 µs is another moment: its label is gone, not left to fade over this one.
  expect((await callouts(page)).filter((c) => /NOT_READY|✕/.test(c.text))).toEqual([]);
  await expect(pinned(lab).and(page.locator('line.beam'))).toHaveCount(1);
});

test('#14: under prefers-reduced-motion the moment is drawn in its end state at once, nothing flies, and it stays while paused', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const lab = new Lab(page);
  await lab.open('cascade');
  await lab.seek(5000);
  await expect(lab.stack.locator('g.fx')).toHaveAttribute('data-motion', 'reduced');
  // R30: the error callbacks of nic0's failure, their arrows held where they end; no packet in flight.
  await expect.poll(() => pinned(lab).and(page.locator('line.error-arrow')).count()).toBeGreaterThanOrEqual(1);
  await expect(lab.stack.locator('g.fx rect.packet')).toHaveCount(0);
  const moving = await lab.stack.evaluate((host) => [...host.querySelectorAll('g.fx > *, g.callout')].filter((el) => Object.keys((el as unknown as { __transition?: object }).__transition ?? {}).length > 0).length);
  expect(moving, 'nothing moving or fading while paused').toBe(0);
  const labels = await callouts(page);
  expect(labels.filter((c) => /ClientEventError/.test(c.text)).length).toBeGreaterThanOrEqual(1);
  expect(labels.every((c) => c.opacity === 1 && !c.fading)).toBe(true);
});

const FOCUS_LESSON = JSON.stringify({
  format: 'tdi-flow-lab/lesson@1',
  title: 'Focus on B1',
  summary: 'B1 is refused.',
  scenario: 'race',
  steps: [
    {
      title: 'B1 is refused',
      narration: 'Run until B1 is refused.',
      focus: ['B1'],
      until: { record: { type: 'send.complete', where: { connection: 'B1', status: 'STATUS_DEVICE_NOT_READY' } } },
    },
  ],
});

for (const projector of [false, true]) {
  test(`#14: at a lesson's pause the entity the step is about is ringed and the moment's callout stays${projector ? ', projector mode' : ''}`, async ({ page }) => {
    await page.setViewportSize(projector ? { width: 1024, height: 768 } : { width: 1280, height: 720 });
    const lab = new Lab(page);
    const lesson = new LessonPlayer(page);
    await lab.open('race', projector ? { projector: '1' } : {});
    await lesson.openFile('focus.json', FOCUS_LESSON);
    await lesson.atStep(1);
    // The ring: around B1 only, drawn (not colour alone: a dashed outline outside the shape).
    await expect(lab.connection('B1').locator('circle.focus-ring')).toHaveCount(1);
    await expect(lab.connection('A1').locator('circle.focus-ring')).toHaveCount(0);
    const ring = await lab.connection('B1').locator('circle.focus-ring').evaluate((c) => {
      const cs = getComputedStyle(c);
      return { dash: cs.strokeDasharray, width: parseFloat(cs.strokeWidth), fill: cs.fill };
    });
    expect(ring.dash).not.toBe('none');
    expect(ring.width).toBeGreaterThanOrEqual(2.5);
    expect(ring.fill).toBe('none');
    // R13: the refusal the step paused on keeps its label.
    await expect.poll(async () => (await callouts(page)).filter((c) => /NOT_READY|✕/.test(c.text) && !c.fading && c.opacity === 1).length).toBe(1);
    // Exit the lesson: no ring is left behind.
    await lesson.panel.getByRole('button', { name: 'Exit lesson' }).click();
    await expect(lab.stack.locator('.focus-ring')).toHaveCount(0);
  });
}
