import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';

// The store's actions are the page's public surface (the embed API and lessons build on them): a
// script calling them sees the same page a user clicking does, and requests get their answers.
test('a script drives the page through window.tdiFlowLab.actions: run, travel, select, ask', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('race', { speed: '0.001' });
  await lab.act('runToEnd');
  await expect(page.getByTestId('play-state')).toHaveText('finished');

  await lab.act('seek', 5000);
  await expect(page.getByTestId('sim-time')).toHaveText(/^5000 µs \//);

  await lab.act('select', { kind: 'connection', index: 1 });
  await expect(page.getByTestId('inspector-title')).toHaveText('Connection B1');

  // Requests answer through their promise (request ids, protocol 2), from the real worker.
  const summary = (await lab.act('summary')) as { total: { lostRaces: number } };
  expect(summary.total.lostRaces).toBeGreaterThan(0);
  const detail = (await lab.act('inspect', 1)) as { held: unknown[] };
  expect(Array.isArray(detail.held)).toBe(true);

  await lab.act('loadPreset', 'cascade');
  await expect(lab.title).toContainText('NIC');
  await expect(page.getByLabel('Preset')).toHaveValue('cascade'); // the toolbar follows a script's load
});
