// Page object: the app as a user sees it. Specs say what they do through this, not through selectors.
import { expect, type Locator, type Page } from '@playwright/test';

export class Lab {
  constructor(readonly page: Page) {}

  async open(preset: string, params: Record<string, string> = {}): Promise<void> {
    const q = new URLSearchParams({ preset, ...params });
    await this.page.goto(`/?${q}`);
    await expect(this.page.getByTestId('title')).not.toHaveText('Loading…');
    await expect(this.stack.locator('svg.stack')).toBeVisible();
    // The first frame has arrived (every scenario emits its address opens at load): counts read
    // from here on are real, not the placeholder.
    await expect.poll(() => this.events()).toBeGreaterThan(0);
  }

  get stack(): Locator {
    return this.page.getByTestId('stack');
  }
  get title(): Locator {
    return this.page.getByTestId('title');
  }
  get eventCount(): Locator {
    return this.page.getByTestId('event-count');
  }
  get notice(): Locator {
    return this.page.getByTestId('notice');
  }
  get problems(): Locator {
    return this.page.getByTestId('problems');
  }

  /** The caption under the stage: what just happened, in plain words. */
  get caption(): Locator {
    return this.page.getByTestId('caption');
  }
  /** The polite live region a screen reader hears (the caption's sentences, less often). */
  get spoken(): Locator {
    return this.page.getByTestId('narration-live');
  }
  /** The event log's list of rows (focusable: arrow keys, Enter). */
  get logList(): Locator {
    return this.page.getByRole('list', { name: /^Event log/ });
  }
  /** The log's "plain words" toggle (sentences instead of C calls). */
  get plainWords(): Locator {
    return this.page.getByRole('button', { name: 'plain words', exact: true });
  }

  /** Travels to simulated time tUs (as a script would) and waits until the page shows that moment. */
  async seek(tUs: number): Promise<void> {
    await this.act('seek', tUs);
    await expect(this.page.getByTestId('scrubber').locator('svg.scrubber')).toHaveAttribute('data-now-us', String(tUs));
  }

  async events(): Promise<number> {
    return Number((await this.eventCount.textContent())!.replace(/,/g, ''));
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** One step, waiting until the page shows its result (the event count moves). */
  async stepOnce(): Promise<void> {
    const before = await this.events();
    await this.page.keyboard.press('ArrowRight');
    await expect.poll(() => this.events()).toBeGreaterThan(before);
  }

  /** Chooses a preset from the toolbar's menu, as a user would. */
  async pickPreset(name: string): Promise<void> {
    await this.page.getByRole('combobox', { name: 'Preset' }).selectOption(name);
  }

  async runToEnd(): Promise<void> {
    await this.button('Run to end').click();
    await expect(this.page.getByTestId('play-state')).toHaveText('finished');
  }

  connection(id: string): Locator {
    return this.stack.locator(`g.conn[data-connection-id="${id}"]`);
  }
  address(id: string): Locator {
    return this.stack.locator(`g.address[data-address-id="${id}"]`);
  }
  driver(id: string): Locator {
    return this.stack.locator(`[data-node-id="${id}"]`).first();
  }

  /** Event-log rows currently rendered (the log is virtualized: filter to bring rows into view). */
  get logRows(): Locator {
    return this.page.getByTestId('log').locator('.log-row:visible');
  }

  async filterLog(opts: { chip?: string; status?: string; client?: string; connection?: string }): Promise<void> {
    if (opts.chip) await this.page.getByRole('button', { name: opts.chip, exact: true }).click();
    if (opts.status) await this.page.getByLabel('Filter by status').selectOption(opts.status);
    if (opts.client) await this.page.getByLabel('Filter by client').selectOption({ label: `client ${opts.client}` });
    if (opts.connection) await this.page.getByLabel('Filter by connection').fill(opts.connection);
  }

  /** Calls one of the page's store actions through the script handle (window.tdiFlowLab.actions), as a host page would. */
  async act(name: string, ...args: unknown[]): Promise<unknown> {
    return this.page.evaluate(
      ([n, a]) => {
        const lab = (window as unknown as { tdiFlowLab: { actions: Record<string, (...x: unknown[]) => unknown> } }).tdiFlowLab;
        return lab.actions[n as string]!(...(a as unknown[]));
      },
      [name, args] as const,
    );
  }

  async failDriver(id: string, status: string): Promise<void> {
    await this.driver(id).click();
    const menu = this.page.getByRole('dialog', { name: `Fail ${id}` });
    await expect(menu).toBeVisible();
    await menu.getByRole('button', { name: status }).click();
  }
}
