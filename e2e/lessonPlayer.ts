// Page object: the lesson panel as a student uses it (#8). Specs say what the student does through
// this — open a lesson from the menu, predict, check, Next, Back — not through selectors.
import { expect, type Locator, type Page } from '@playwright/test';

export class LessonPlayer {
  constructor(readonly page: Page) {}

  get panel(): Locator {
    return this.page.getByTestId('lesson');
  }
  get count(): Locator {
    return this.page.getByTestId('lesson-count');
  }
  get stepTitle(): Locator {
    return this.page.getByTestId('lesson-step-title');
  }
  get question(): Locator {
    return this.page.getByTestId('lesson-question');
  }
  get reveal(): Locator {
    return this.page.getByTestId('lesson-reveal');
  }
  get modelAnswer(): Locator {
    return this.page.getByTestId('lesson-model-answer');
  }
  get problems(): Locator {
    return this.page.getByTestId('lesson-problems');
  }

  /** Lessons → a built-in lesson by its menu title. */
  async openFromMenu(title: string | RegExp): Promise<void> {
    await this.page.getByRole('button', { name: 'Lessons', exact: true }).click();
    await this.page.getByRole('menu', { name: 'Lessons' }).getByRole('menuitem', { name: title }).click();
    await expect(this.panel).toBeVisible();
  }

  /** Lessons → Open lesson file… with this content. */
  async openFile(name: string, text: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Lessons', exact: true }).click();
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByRole('menuitem', { name: 'Open lesson file…' }).click();
    await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  }

  /** Waits until step n (1-based) of the lesson shows its moment, paused (or asks its question). */
  async atStep(n: number, phase: 'paused' | 'asking' = 'paused'): Promise<void> {
    await expect(this.panel).toHaveAttribute('data-step', String(n), { timeout: 30_000 });
    await expect(this.panel).toHaveAttribute('data-phase', phase, { timeout: 30_000 });
  }

  async next(): Promise<void> {
    await this.panel.getByRole('button', { name: /^(Next|Finish|Skip|Run without predicting) ›$/ }).click();
  }

  async back(): Promise<void> {
    await this.panel.getByRole('button', { name: '‹ Back' }).click();
  }

  /** Predicts: picks these choices (or types a number) and checks it against the model. */
  async predict(answer: string | string[] | number): Promise<void> {
    if (typeof answer === 'number') await this.question.getByRole('spinbutton').fill(String(answer));
    else for (const c of Array.isArray(answer) ? answer : [answer]) await this.question.getByLabel(c, { exact: true }).check();
    await this.question.getByRole('button', { name: 'Check against the model ›' }).click();
  }
}
