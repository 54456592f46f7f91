import { expect, test } from '@playwright/test';
import { Lab } from './lab.ts';
import { ScenarioEditor } from './editorPage.ts';
import { seriousViolations } from './axe.ts';
import { execFileSync } from 'node:child_process';

// #15: a scenario built, scaled and repaired in the app, without writing JSON.

test('#15 R24: race built from a blank page (two clients, one pool, one NIC, the workloads) plays and B loses the race', async ({
  page,
}) => {
  const lab = new Lab(page);
  await lab.open('basics', { speed: '0.01' });
  const ed = new ScenarioEditor(page);
  await ed.open();
  await ed.add('Blank');
  await expect(ed.problemLinks).toHaveText(['transports: needs at least one transport']);
  await expect(ed.play).toBeDisabled();

  await ed.select('Scenario settings');
  await ed.type('Title', 'Race, built by hand');
  await ed.type('Seed', '7');

  await ed.add('Add a NIC');
  await ed.type('Link rate (B/ms)', '2000');
  await ed.add('Add a transport'); // on nic0, an 8192 B pool: race's
  await expect(ed.form.getByLabel('Send pool (B)', { exact: true })).toHaveValue('8192');

  await ed.add('Add a client');
  await ed.choose('Resubmit from', 'dpc');
  await ed.type('Resubmit delay (µs)', '10');
  await ed.add('Add a client');
  await ed.choose('Resubmit from', 'workItem');
  await ed.type('Resubmit delay (µs)', '60');
  await ed.choose('Resubmit size', 'available');

  await ed.add('Add an address to client A');
  await ed.add('Add an address to client B');
  await ed.add('Add a connection to address A-0');
  await ed.add('+ Add a send');
  await ed.type('Send 1 bytes', '6000');
  await ed.tick('sends generated at a steady rate');
  await ed.type('Start (µs)', '1000');
  await ed.type('Bytes (B)', '3000');
  await ed.type('Count', '15');
  await ed.add('Add a connection to address B-0');
  await ed.tick('sends generated at a steady rate');
  await ed.type('Every (µs)', '400');
  await ed.type('Count', '40');
  await expect(ed.form.getByText(/Offers 3650 B\/ms against nic0’s 2000 B\/ms/)).toBeVisible(); // B alone offers more than the link

  await ed.expectValid();
  // Save: the file passes `tdi-flow validate` and the command line runs it as it is.
  const [download] = await Promise.all([page.waitForEvent('download'), ed.button('Save').click()]);
  expect(download.suggestedFilename()).toBe('race-built-by-hand.json');
  const file = await download.path();
  expect(execFileSync('node', ['bin/tdi-flow.mjs', 'validate', file], { encoding: 'utf8' })).toContain(
    'valid — "Race, built by hand", 1 drivers, 1 transports, 2 clients',
  );
  const summary = JSON.parse(
    execFileSync('node', ['bin/tdi-flow.mjs', 'run', file, '--format', 'summary'], { encoding: 'utf8' }),
  ) as { clients: Record<string, { lostRaces: number }> };
  expect(summary.clients.B!.lostRaces).toBeGreaterThan(0);

  await ed.play.click();
  await expect(lab.title).toHaveText('Race, built by hand');
  await expect(lab.connection('B1')).not.toHaveAttribute('data-lost-races', '0', { timeout: 20_000 });
  await expect(lab.connection('A1')).toHaveAttribute('data-lost-races', '0');
});

test('#15: basics scaled to 4 clients × 2 addresses × 8 connections plays as 64 connections', async ({
  page,
}) => {
  const lab = new Lab(page);
  await lab.open('basics');
  const ed = new ScenarioEditor(page);
  await ed.open();
  await ed.tab('Scale');
  await ed.region.getByLabel('Clients', { exact: true }).fill('4');
  await ed.region.getByLabel('Addresses per client', { exact: true }).fill('2');
  await ed.region.getByLabel('Connections per address', { exact: true }).fill('8');
  await ed.region
    .getByLabel('Workload like', { exact: true })
    .selectOption({ label: 'connection A1 (6×2048 B)' });
  await ed.button('Make 64 connections').click();
  // Many at once: every NIC's link rate.
  await ed.region.getByLabel('Every NIC’s link rate (B/ms)', { exact: true }).fill('4096');
  await ed.button('Set for 1: Every NIC’s link rate (B/ms)').click();
  await ed.expectValid();
  await ed.tab('Parts');
  // An address lists its first 12 connections, then "and N more"; here each has 8.
  await expect(ed.outline.getByRole('button', { name: /^Connection / })).toHaveCount(64);
  await expect(ed.outline.getByRole('button', { name: /^Client / })).toHaveText([/^A /, /^B /, /^C /, /^D /]);
  await expect(ed.item('NIC nic0')).toContainText('4096 B/ms');
  await ed.play.click();
  await expect(lab.connection('D-1.7')).toBeAttached();
  await expect(lab.stack.locator('g.conn')).toHaveCount(64);
  // A click on the stage opens that part's form.
  await lab.connection('A-0.0').click();
  await expect(ed.form.getByRole('heading', { name: 'Connection A-0.0' })).toBeVisible();
});

test('#15: an invalid edit names every problem, each a link to its field; Play waits; undo repairs it', async ({
  page,
}) => {
  const lab = new Lab(page);
  await lab.open('basics');
  const ed = new ScenarioEditor(page);
  await ed.open();
  await ed.expectValid();

  // What is typed stays, marked: "12a" is not replaced by the old value.
  await ed.select('Transport tcp');
  await ed.type('Send pool (B)', '12a');
  await expect(ed.form.getByLabel('Send pool (B)', { exact: true })).toHaveValue('12a');
  await expect(ed.form.getByLabel('Send pool (B)', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(ed.problemLinks).toHaveText([
    'transports[0].sendBufferBytes: must be a whole number of bytes, not "12a"',
  ]);
  await page.keyboard.press('Control+z');
  await ed.expectValid();

  // Deleting the only NIC, by keyboard, breaks three things: every one is named at once.
  await ed.item('NIC nic0').focus();
  await page.keyboard.press('Delete');
  await expect(ed.problemLinks).toHaveText([
    'transports[0].lower: a transport needs at least one lower driver',
    'addresses[0].nics: an address is bound to at least one NIC',
    'connections[0].nic: "nic0" is not a NIC of address "A-445"',
  ]);
  await expect(ed.play).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeEnabled(); // the stage still plays what it has

  // A problem's link opens its part's form at the field.
  await ed.problemLinks.nth(2).click();
  await expect(ed.form.getByLabel('NIC (route)', { exact: true })).toBeFocused();
  await ed.problemLinks.nth(1).click();
  await expect(ed.form.locator('fieldset#ed-addresses-0-nics')).toBeFocused();

  expect(await seriousViolations(page, '#scenario-editor')).toEqual([]);

  await ed.button('Undo').click();
  await ed.expectValid();
  await expect(ed.item('NIC nic0')).toBeVisible();
  await ed.button('Redo').click();
  await expect(ed.problemLinks).toHaveCount(3);
  await page.keyboard.press('Control+z');
  await ed.expectValid();
});

test('#15: editing by keyboard alone: open, add, select, type, delete, switch views, undo', async ({
  page,
}) => {
  const lab = new Lab(page);
  await lab.open('basics');
  const ed = new ScenarioEditor(page);
  await page.getByRole('button', { name: 'Edit', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(ed.region).toBeVisible();
  await ed.button('Add a client').focus();
  await page.keyboard.press('Enter');
  await expect(ed.form.getByRole('heading', { name: 'Client B' })).toBeVisible();
  await page.keyboard.press('Tab'); // Remove
  await page.keyboard.press('Tab'); // Id
  await expect(ed.form.getByLabel('Id', { exact: true })).toBeFocused();
  await page.keyboard.press('End');
  await page.keyboard.type('x');
  await expect(ed.item('Client Bx')).toBeVisible();
  await page.keyboard.press(' '); // typed into the field, not the page's play/pause
  await expect(ed.form.getByLabel('Id', { exact: true })).toHaveValue('Bx ');
  await expect(ed.problemLinks).toHaveText([
    'clients[1].id: may only contain letters, digits, "_", ".", ":" and "-"',
  ]);
  await page.keyboard.press('Control+z');
  await expect(ed.item('Client B')).toBeVisible();
  await ed.item('Client B').focus();
  await page.keyboard.press('Delete');
  await expect(ed.outline.getByRole('button', { name: /^Client / })).toHaveCount(1);
  await ed.region.getByRole('tab', { name: 'Parts' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(ed.region.getByRole('tab', { name: 'Scale' })).toBeFocused();
  await expect(ed.region.getByRole('tab', { name: 'Scale' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(ed.region.getByRole('tab', { name: 'JSON' })).toHaveAttribute('aria-selected', 'true');
  await expect(ed.region.getByLabel(/^The scenario file/)).toHaveValue(/"id": "A"/);
  await page.keyboard.press('Control+z');
  await expect(ed.region.getByLabel(/^The scenario file/)).toHaveValue(/"id": "B"/);
  await expect(page.getByTestId('play-state')).not.toHaveText('playing'); // no key reached the page's player
});

test('#15: the JSON view follows the forms both ways; JSON that does not parse keeps what was typed, named with its place', async ({
  page,
}) => {
  const lab = new Lab(page);
  await lab.open('basics');
  const ed = new ScenarioEditor(page);
  await ed.open();
  await ed.select('Scenario settings');
  await ed.type('Seed', '42');
  await ed.tab('JSON');
  const json = ed.region.getByLabel(/^The scenario file/);
  await expect(json).toHaveValue(/"seed": 42,/);
  const text = await json.inputValue();
  const broken = text.replace('"seed": 42,', '"seed": 43,,');
  await json.fill(broken);
  await expect(ed.region.locator('#editor-problems li')).toHaveText([
    'JSON: not valid JSON at line 5, column 14: expected a property name in double quotes, found "," discard that text',
  ]);
  await expect(ed.play).toBeDisabled();
  await ed.tab('Parts');
  await ed.tab('JSON'); // the text is kept while it does not parse, even across views
  await expect(json).toHaveValue(broken);
  await json.fill(broken.replace('43,,', '43,'));
  await ed.expectValid();
  await ed.tab('Parts');
  await ed.select('Scenario settings');
  await expect(ed.form.getByLabel('Seed', { exact: true })).toHaveValue('43');
});
