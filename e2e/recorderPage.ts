// Page object: the lesson recorder (#15) as a teacher works it — Record, Add step here at the moment on
// screen, each step's form (title, narration, focus, a question picked from what happens next), the
// checker's verdict, Preview, Save and Link. No JSON is typed through it.
import { expect, type Download, type Locator, type Page } from '@playwright/test';

export class LessonRecorder {
  constructor(readonly page: Page) {}

  get region(): Locator {
    return this.page.getByRole('region', { name: 'Lesson recorder' });
  }
  get steps(): Locator {
    return this.region.getByTestId('recorder-step');
  }
  /** The checker's verdict over the whole lesson. */
  get checks(): Locator {
    return this.region.getByTestId('recorder-checks');
  }
  get status(): Locator {
    return this.region.getByRole('status');
  }
  /** The open step's form. */
  form(n: number): Locator {
    return this.region.getByRole('group', { name: `Step ${n}: its fields` });
  }
  button(name: string): Locator {
    return this.region.getByRole('button', { name, exact: true });
  }

  async open(): Promise<void> {
    await this.page.getByRole('button', { name: 'Record', exact: true }).click();
    await expect(this.region).toBeVisible();
  }

  /** Add step here: the step at the moment on screen, its form open; waits until it is listed. */
  async addStepHere(): Promise<number> {
    const before = await this.steps.count();
    await this.button('+ Add step here').click();
    await expect(this.steps).toHaveCount(before + 1);
    await expect(this.form(before + 1)).toBeVisible();
    return before + 1;
  }

  /** Types the step's title and narration. */
  async describe(n: number, title: string, narration: string): Promise<void> {
    await this.form(n).getByLabel('Title', { exact: true }).fill(title);
    await this.form(n).getByLabel('Narration', { exact: true }).fill(narration);
  }

  async setFocus(n: number, ids: string[]): Promise<void> {
    const group = this.form(n).getByRole('group', { name: 'Focus' });
    for (const id of ids) await group.getByLabel(id, { exact: true }).check();
  }

  /** A question: "which" or "how many", its answer from the next record of `kind` (its label starts so), `field` of it. */
  async ask(n: number, q: { kind: 'which' | 'how many'; from: string; field: string; ask: string; choices?: string[] }): Promise<void> {
    const form = this.form(n);
    await form.getByRole('radio', { name: q.kind === 'which' ? 'who / which' : 'how many' }).check();
    const kinds = form.getByLabel('Answer from the next');
    const label = (await kinds.locator('option').allTextContents()).find((t) => t.startsWith(q.from));
    expect(label, `"${q.from}" is offered as what happens next`).toBeDefined();
    await kinds.selectOption({ label: label! });
    const fields = form.getByLabel(q.kind === 'which' ? 'its' : 'its number', { exact: true });
    const field = (await fields.locator('option').allTextContents()).find((t) => t.startsWith(`${q.field} `));
    await fields.selectOption({ label: field! });
    await form.getByLabel('Ask', { exact: true }).fill(q.ask);
    if (q.choices) {
      const group = form.getByRole('group', { name: 'Choices' });
      for (const box of await group.getByRole('checkbox').all()) {
        const id = (await box.evaluate((el) => el.parentElement!.textContent!.trim()));
        await (q.choices.includes(id) ? box.check() : box.uncheck());
      }
    }
  }

  async expectClean(steps: number): Promise<void> {
    await expect(this.checks).toHaveText(`✓ The lesson checker finds nothing in ${steps} step${steps === 1 ? '' : 's'}.`, { timeout: 30_000 });
  }

  async save(): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.button('Save').click()]);
    return download;
  }

  /** Link: the lesson's link, as the recorder shows it. */
  async link(): Promise<string> {
    await this.button('Link').click();
    const box = this.region.getByTestId('recorder-link');
    await expect(box).toHaveValue(/#lesson=/);
    return box.inputValue();
  }
}
