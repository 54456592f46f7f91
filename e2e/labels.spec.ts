// No two labels in the stage may overlap at any moment: checked while each preset plays, at several
// moments, on a desktop, on a phone and in projector mode at 1920×1080, 1280×720 and 1024×768 (#8: the text there is about
// twice as large, and the callouts are measured and placed at that size). A label counts while it is visible (display, and opacity
// along its ancestors above 0.2).
import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';
import { LessonPlayer } from './lessonPlayer.ts';
import { overlappingLabels, visibleLabelCount } from './stageLabels.ts';

const PRESETS: [string, string][] = [
  ['basics', '0.002'],
  ['partial-copy', '0.002'],
  ['race', '0.002'],
  ['herd', '0.002'],
  ['blocking', '0.005'],
  ['cascade', '0.002'],
  ['irql', '0.005'],
  ['stress', '0.1'],
];
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 720, projector: false },
  { name: 'phone', width: 390, height: 844, projector: false },
  { name: 'classroom projector 1024×768', width: 1024, height: 768, projector: false },
  { name: 'projector 1920×1080', width: 1920, height: 1080, projector: true, minScale: 1.6 },
  // #8: the classroom projectors' sizes — the stage alone, and beside the side column (a selection
  // brings it back), where the picture is laid out at its narrowest virtual width.
  { name: 'projector 1280×720', width: 1280, height: 720, projector: true, minScale: 1.4 },
  { name: 'projector 1024×768', width: 1024, height: 768, projector: true, minScale: 1.4 },
  { name: 'projector 1024×768 beside the inspector', width: 1024, height: 768, projector: true, minScale: 1.2, select: true },
];
const MOMENTS = 5;

for (const vp of VIEWPORTS) {
  for (const [preset, speed] of PRESETS) {
    test(`labels: no two stage labels overlap while ${preset} plays (${vp.name})`, async ({ page }) => {
      await page.setViewportSize({ width: vp.width, height: vp.height });
      const lab = new Lab(page);
      await lab.open(preset, { speed, ...(vp.projector ? { projector: '1' } : {}) });
      if (vp.select) {
        await lab.act('select', { kind: 'client', index: 0 });
        await expect(page.getByRole('region', { name: 'Inspector' })).toBeVisible();
      }
      if (vp.minScale !== undefined) {
        // #8: projector mode really draws the stage larger (not the 1× picture the other runs check).
        await expect.poll(async () => Number(await lab.stack.locator('svg.stack').getAttribute('data-text-scale'))).toBeGreaterThanOrEqual(vp.minScale);
      }
      expect(await overlappingLabels(page)).toEqual([]);
      await page.keyboard.press('Space');
      let last = await lab.events();
      for (let k = 0; k < MOMENTS; k++) {
        // The next moment: the model has moved on (or stopped: finished, or a bug check), whatever the machine's speed.
        await expect
          .poll(async () => (await lab.events()) > last || (await page.getByTestId('play-state').textContent()) !== '')
          .toBe(true);
        last = await lab.events();
        expect(await overlappingLabels(page), `moment ${k + 1} at ${last} events`).toEqual([]);
      }
    });
  }
}

// #14: a lesson's pauses in projector mode with "Panels & log" open — the side sheet beside the
// stage, the moment's callouts pinned on it: still no two labels overlap, and none lies over an
// entity's name or a pool's title (those are labels too). Every pause is counted, and the labels
// and callouts checked there: a walk that checked nothing would fail.
const LESSON_SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 720 },
];
const LESSON_TITLES = [/send flow control|flow control/i, /partial/i, /race for freed space/i, /thundering herd/i, /Blocking sends/i, /error cascade/i, /IRQL/];
for (const size of LESSON_SIZES) {
  for (const title of LESSON_TITLES) {
    test(`labels: no two stage labels overlap at the pauses of the lesson ${title.source} with the panels open (projector ${size.width}×${size.height})`, async ({ page }) => {
      test.setTimeout(120_000);
      await page.setViewportSize(size);
      const lab = new Lab(page);
      const lesson = new LessonPlayer(page);
      await lab.open('basics', { projector: '1' });
      await lesson.openFromMenu(title);
      await page.getByRole('button', { name: 'Panels & log' }).click();
      await expect(page.getByRole('region', { name: 'Event log' })).toBeVisible();
      const steps = Number((await lesson.count.textContent())!.match(/of (\d+)/)![1]);
      let pauses = 0;
      let marks = 0;
      for (let k = 1; k <= steps; k++) {
        if (await lesson.settle(k)) {
          expect(await overlappingLabels(page), `step ${k}, asking`).toEqual([]);
          await lesson.next(); // runs the question without a prediction, to its moment
          await lesson.atStep(k);
        }
        const seen = await visibleLabelCount(page);
        // The picture's own names are there at every pause: the check below looked at something.
        expect(seen.labels, `step ${k}: visible labels`).toBeGreaterThan(3);
        expect(await overlappingLabels(page), `step ${k}`).toEqual([]);
        pauses++;
        marks += seen.callouts + seen.pinned;
        if (k < steps) await lesson.next();
      }
      expect(pauses).toBe(steps);
      // A lesson pauses on refusals, calls and failures: the moment's callouts and beams stay on the
      // stage (#14), so some were there to check (a callout with no room is left out; its beam is not).
      expect(marks, 'callouts and pinned effects seen at the pauses').toBeGreaterThan(0);
    });
  }
}
