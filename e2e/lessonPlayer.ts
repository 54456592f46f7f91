// Page object: the lesson panel as a student uses it (#8). Specs say what the student does through
// this — open a lesson from the menu, predict, check, Next, Back — not through selectors. The same
// player works in the app (a Page) and inside an embed's frame (a Frame).
import { expect, type Frame, type Locator, type Page } from '@playwright/test';

export class LessonPlayer {
  constructor(readonly root: Page | Frame) {}

  private get page(): Page {
    return 'mainFrame' in this.root ? this.root : this.root.page();
  }
  get panel(): Locator {
    return this.root.getByTestId('lesson');
  }
  get count(): Locator {
    return this.root.getByTestId('lesson-count');
  }
  get stepTitle(): Locator {
    return this.root.getByTestId('lesson-step-title');
  }
  get question(): Locator {
    return this.root.getByTestId('lesson-question');
  }
  get reveal(): Locator {
    return this.root.getByTestId('lesson-reveal');
  }
  get modelAnswer(): Locator {
    return this.root.getByTestId('lesson-model-answer');
  }
  get problems(): Locator {
    return this.root.getByTestId('lesson-problems');
  }
  /** The end screen (how many predictions matched, each with its moment). */
  get end(): Locator {
    return this.root.getByTestId('lesson-end');
  }
  get done(): Locator {
    return this.root.getByTestId('lesson-done');
  }

  /** Lessons → a built-in lesson by its menu title. */
  async openFromMenu(title: string | RegExp): Promise<void> {
    await this.root.getByRole('button', { name: 'Lessons', exact: true }).click();
    await this.root.getByRole('menu', { name: 'Lessons' }).getByRole('menuitem', { name: title }).click();
    await expect(this.panel).toBeVisible();
  }

  /** Lessons → Open lesson file… with this content. */
  async openFile(name: string, text: string): Promise<void> {
    await this.root.getByRole('button', { name: 'Lessons', exact: true }).click();
    const chooser = this.page.waitForEvent('filechooser');
    await this.root.getByRole('menuitem', { name: 'Open lesson file…' }).click();
    await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  }

  /** Waits until step n (1-based) of the lesson shows its moment, paused (or asks its question, or the lesson is done). */
  async atStep(n: number, phase: 'paused' | 'asking' | 'done' = 'paused'): Promise<void> {
    await expect(this.panel).toHaveAttribute('data-step', String(n), { timeout: 60_000 });
    await expect(this.panel).toHaveAttribute('data-phase', phase, { timeout: 60_000 });
  }

  /**
   * Waits until step n has stopped (at its moment, or asking its question) and returns whether it
   * asked; `runIfAsked`: a question is then run without a prediction, to its moment.
   */
  async settle(n: number, runIfAsked = false): Promise<boolean> {
    await expect(this.panel).toHaveAttribute('data-step', String(n), { timeout: 60_000 });
    await expect.poll(() => this.panel.getAttribute('data-phase'), { timeout: 60_000 }).toMatch(/^(asking|paused)$/);
    const asked = (await this.panel.getAttribute('data-phase')) === 'asking';
    if (asked && runIfAsked) {
      await this.next();
      await this.atStep(n);
    }
    return asked;
  }

  async next(): Promise<void> {
    await this.panel.getByRole('button', { name: /^(Next|Finish|Skip|Run without predicting|Check) ›$/ }).click();
  }

  async back(): Promise<void> {
    await this.panel.getByRole('button', { name: '‹ Back' }).click();
  }

  /** Picks these choices (or types a number), without checking yet. */
  async choose(answer: string | string[] | number): Promise<void> {
    if (typeof answer === 'number') await this.question.getByRole('spinbutton').fill(String(answer));
    else for (const c of Array.isArray(answer) ? answer : [answer]) await this.question.getByLabel(c, { exact: true }).check();
  }

  /** Predicts: picks these choices (or types a number) and checks it against the model. */
  async predict(answer: string | string[] | number): Promise<void> {
    await this.choose(answer);
    await this.question.getByRole('button', { name: 'Check against the model ›' }).click();
  }
}
