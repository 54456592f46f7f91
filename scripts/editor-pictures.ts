// Takes the pictures of docs/editor.md (#15): the editor on race with a connection's form open,
// basics after its NIC was deleted (three problems, one followed to its field), and the lesson
// recorder on race with a "which" question picked from what happens next. Run with the preview
// server up: `npx vite build && npx vite preview --port 4173 & node bin/run-ts.mjs scripts/editor-pictures.ts`.
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:4173';
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme: 'light', deviceScaleFactor: 1 });

async function shot(preset: string, file: string, act: (editor: import('@playwright/test').Locator, page: import('@playwright/test').Page) => Promise<void>): Promise<void> {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error(`[${file}] page error: ${e.message}`));
  await page.goto(`${base}/?preset=${preset}&edit=1`);
  const editor = page.getByRole('region', { name: 'Scenario editor' });
  await editor.waitFor();
  await page.getByTestId('event-count').waitFor();
  await act(editor, page);
  await page.screenshot({ path: `docs/${file}` });
  await page.close();
  console.log(`docs/${file}`);
}

await shot('race', 'editor-race.png', async (editor) => {
  await editor.getByRole('button', { name: /^Connection A1: / }).click();
});
await shot('basics', 'editor-problems.png', async (editor, page) => {
  await editor.getByRole('button', { name: /^NIC nic0: / }).focus();
  await page.keyboard.press('Delete');
  await editor.getByRole('button', { name: /^connections\[0\]\.nic/ }).click();
});
// The lesson recorder: a step at 1,096 µs, then one at 1,200 µs (B1 refused), its question picked from what comes next.
{
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error(`[recorder] page error: ${e.message}`));
  await page.goto(`${base}/?preset=race&record=1`);
  const recorder = page.getByRole('region', { name: 'Lesson recorder' });
  await recorder.waitFor();
  await page.getByTestId('event-count').waitFor();
  const seek = async (t: number): Promise<void> => {
    await page.evaluate((at) => (window as unknown as { tdiFlowLab: { actions: { seek(t: number): void } } }).tdiFlowLab.actions.seek(at), t);
    await page.getByTestId('scrubber').locator(`svg.scrubber[data-now-us="${t}"]`).waitFor();
  };
  await recorder.getByLabel('Lesson title').fill('Who gets the space?');
  await recorder.getByLabel('Summary').fill('Two clients, one pool: who is told first, and how much the resubmission gets.');
  await seek(1096);
  await recorder.getByRole('button', { name: '+ Add step here' }).click();
  const first = recorder.getByRole('group', { name: 'Step 1: its fields' });
  await first.getByLabel('Title', { exact: true }).fill('A1 is told');
  await first.getByLabel('Narration', { exact: true }).fill('**A1** is told how much is free.');
  await seek(1200);
  await recorder.getByRole('button', { name: '+ Add step here' }).click();
  const form = recorder.getByRole('group', { name: 'Step 2: its fields' });
  await form.getByLabel('Title', { exact: true }).fill('Both owed');
  await form.getByLabel('Narration', { exact: true }).fill('B1 is refused too. Now **both** are owed a `SendPossible`.');
  await form.getByRole('group', { name: 'Focus' }).getByLabel('A1', { exact: true }).check();
  await form.getByRole('group', { name: 'Focus' }).getByLabel('B1', { exact: true }).check();
  await form.getByRole('radio', { name: 'who / which' }).check();
  await form.getByLabel('Ask', { exact: true }).fill('nic0 frees 1,460 bytes. Which connection is called first?');
  await recorder.getByTestId('recorder-checks').getByText('✓ The lesson checker finds nothing in 2 steps.').waitFor();
  // The checker's verdict at the top, then the steps.
  await recorder.getByTestId('recorder-checks').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: 'docs/recorder-race.png' });
  await page.close();
  console.log('docs/recorder-race.png');
}
await browser.close();
