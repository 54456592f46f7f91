// Takes the pictures of docs/editor.md (#15): the editor on race with a connection's form open, and
// basics after its NIC was deleted (three problems, one followed to its field). Run with the preview
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
await browser.close();
