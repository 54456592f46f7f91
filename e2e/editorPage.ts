// Page object: the scenario editor (#15) as a user works it — the Edit button, the outline of parts,
// each part's form, the problems list and the editor's own buttons. No JSON is typed through it.
import { expect, type Locator, type Page } from '@playwright/test';

export class ScenarioEditor {
  constructor(readonly page: Page) {}

  get region(): Locator {
    return this.page.getByRole('region', { name: 'Scenario editor' });
  }
  get outline(): Locator {
    return this.region.getByRole('navigation', { name: 'Scenario parts' });
  }
  /** The form of the part selected in the outline. */
  get form(): Locator {
    return this.region.getByRole('group', { name: /: its fields$/ });
  }
  /** The problems list: one link per problem (empty when the scenario is valid). */
  get problemLinks(): Locator {
    return this.region.locator('#editor-problems').getByRole('button');
  }
  get status(): Locator {
    return this.region.locator('#editor-problems > p');
  }
  get play(): Locator {
    return this.region.getByRole('button', { name: 'Play the edited scenario' });
  }

  async open(): Promise<void> {
    await this.page.getByRole('button', { name: 'Edit', exact: true }).click();
    await expect(this.region).toBeVisible();
  }

  /** An editor button: Blank, Undo, Redo, Save, "Add a NIC", "Add an address to client A" … */
  button(name: string): Locator {
    return this.region.getByRole('button', { name, exact: true });
  }

  /**
   * A part in the outline by what it is ("Client A", "NIC nic0"): its accessible name starts so, and
   * goes on with the row's visible text (WCAG 2.5.3, label in name).
   */
  item(name: string): Locator {
    return this.outline.getByRole('button', { name: partName(name) });
  }

  async add(name: string): Promise<void> {
    await this.button(name).click();
  }

  /** Selects a part in the outline by its name ("Client A", "NIC nic0", "Scenario settings"). */
  async select(name: string): Promise<void> {
    const item = this.item(name);
    await item.click();
    await expect(item).toHaveAttribute('aria-current', 'true');
  }

  /** Types a number (or anything) into a field of the form, replacing what is there. */
  async type(label: string, text: string): Promise<void> {
    await this.form.getByLabel(label, { exact: true }).fill(text);
  }

  async choose(label: string, option: string): Promise<void> {
    await this.form.getByLabel(label, { exact: true }).selectOption(option);
  }

  async tick(label: string, on = true): Promise<void> {
    await this.form.getByLabel(label, { exact: true }).setChecked(on);
  }

  async tab(name: 'Parts' | 'Scale' | 'JSON'): Promise<void> {
    await this.region.getByRole('tab', { name }).click();
  }

  async expectValid(): Promise<void> {
    await expect(this.status).toHaveText('Valid: ready to play.');
    await expect(this.play).toBeEnabled();
  }
}

/** "Transport tcp", then " (has problems)" if it has, then ": " and the row's visible text. */
function partName(name: string): RegExp {
  return new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(has problems\\))?: `);
}
