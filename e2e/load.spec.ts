// Issue 18: a big scenario's load says what it is doing (a bar with the stage it is at) and can be
// cancelled, keeping what was on screen. Driven through window.tdiFlowLab.command (the Cancel
// button and Esc call the same action); no timing assertions.
import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';
import stress from '../src/scenario/presets/stress.json' with { type: 'json' };

test.setTimeout(120_000);

/** The stress preset with 4× the connections (8,192: a big load, BIG_LOAD_CONNECTIONS). */
const big = {
  ...stress,
  title: 'Stress: 8192 connections',
  connections: stress.connections.flatMap((c) => [0, 1, 2, 3].map((k) => ({ ...c, id: k === 0 ? c.id : `${c.id}x${k}` }))),
};
type LabWindow = Window & { tdiFlowLab: { command(cmd: unknown): void }; __stages: string[] };

/** Records every stage the bar shows from now on (it may come and go between two polls). */
async function watchStages(page: import('@playwright/test').Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as LabWindow;
    w.__stages = [];
    const seen = () => {
      const stage = document.querySelector('[data-testid="load-progress"]')?.getAttribute('data-stage');
      if (stage && w.__stages.at(-1) !== stage) w.__stages.push(stage);
    };
    new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-stage'] });
  });
}

test('#18: a big load shows the stage it is at until its first frame, then the new scenario', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race');
  await watchStages(page);
  await page.evaluate((s) => (window as unknown as LabWindow).tdiFlowLab.command({ op: 'load', source: { kind: 'json', scenario: s } }), big);
  await expect(lab.title).toHaveText('Stress: 8192 connections', { timeout: 60_000 });
  await expect(page.getByTestId('load-progress')).toBeHidden();
  await expect(lab.stack.locator('canvas.dense-grid')).toHaveAttribute('data-connections', '8192');
  // The bar was there, and its stages came in order, ending with the drawing of the new run.
  const stages = await page.evaluate(() => (window as unknown as LabWindow).__stages);
  const order = ['posting', 'validating', 'building', 'sending', 'drawing'];
  expect(stages.length).toBeGreaterThan(0);
  expect(stages.map((s) => order.indexOf(s))).toEqual([...stages.map((s) => order.indexOf(s))].sort((a, b) => a - b));
  expect(stages.every((s) => order.includes(s))).toBe(true);
});

test('#18: Cancel stops a big load and keeps the scenario that was on screen', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race');
  const title = await lab.title.textContent();
  const connections = await lab.stack.locator('g.conn').count();
  expect(connections).toBeGreaterThan(0);
  // Cancel right after the command: the worker stops at its first stage.
  await page.evaluate((s) => {
    const api = (window as unknown as LabWindow).tdiFlowLab;
    api.command({ op: 'load', source: { kind: 'json', scenario: s } });
    api.command({ op: 'cancelLoad' });
  }, big);
  await expect(lab.notice).toContainText('Loading 8,192 connections was cancelled');
  await expect(page.getByTestId('load-progress')).toBeHidden();
  await expect(lab.title).toHaveText(title!);
  await expect(lab.stack.locator('g.conn')).toHaveCount(connections);
  // The run on screen still runs.
  const before = await lab.events();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => lab.events()).toBeGreaterThan(before);
});
