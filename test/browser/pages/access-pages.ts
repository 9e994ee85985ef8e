/** Page objects of IAM's Access page (the billing access matrix) and of the "what changes" preview. */
import type { Locator, Page } from 'playwright-core';
import { ConsolePage } from './console-page.js';
import { selectRow } from './iam-admin-pages.js';

export class AccessPage extends ConsolePage {
  /** Through the IAM navigation, as an administrator finds it. */
  async open() {
    await this.goto('/iam');
    await this.openSideLink('Access');
    await this.heading('Access').waitFor();
    await this.row('root').waitFor();
  }

  table(): Locator {
    return this.page.getByRole('table', { name: 'Billing console access' });
  }

  row(principalName: string): Locator {
    return this.table()
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name: principalName, exact: true }) });
  }

  /** The principals listed, in order. */
  async principals(): Promise<string[]> {
    const names: string[] = [];
    for (const row of await this.table().getByRole('row').all()) {
      const cells = await row.getByRole('cell').allInnerTexts();
      if (cells.length > 1) names.push(cells[0]!.trim());
    }
    return names;
  }

  /** The decision a cell shows, by its button's accessible name. */
  cell(principalName: string, column: string): Locator {
    return this.table().getByRole('button', { name: new RegExp(`^${principalName}, ${column}: `) });
  }

  async decision(principalName: string, column: string): Promise<string> {
    const name = (await this.cell(principalName, column).getAttribute('aria-label')) ?? '';
    return name.slice(name.lastIndexOf(': ') + 2);
  }

  async showButtons() {
    await this.page.getByText('Show buttons', { exact: true }).click();
  }

  async filter(option: string) {
    await this.page.getByRole('button', { name: /Filter principals/ }).click();
    await this.page.getByRole('option', { name: option }).click();
  }

  /** Chooses a cell and waits for its explanation. */
  async explain(principalName: string, column: string): Promise<Locator> {
    await this.cell(principalName, column).click();
    const actions = this.page.getByRole('table', { name: 'Actions the cell asks for' });
    await actions.getByRole('row').nth(1).waitFor();
    return actions;
  }
}

/** A group's page, Permissions tab, Attach policies: the dialog and its "What changes" preview. */
export class GroupAttachDialog extends ConsolePage {
  async open(groupName: string) {
    await this.goto(`/iam/group?name=${encodeURIComponent(groupName)}`);
    await this.heading(groupName).waitFor();
    await this.page.getByRole('tab', { name: 'Permissions' }).click();
    await this.page.getByRole('button', { name: 'Attach policies' }).click();
  }

  async pick(policyName: string) {
    await this.page.getByRole('dialog').getByLabel('Filter policies by property or policy name').fill(policyName);
    await selectRow(this.page, policyName);
  }

  async changes(): Promise<string[]> {
    return previewedChanges(this.page);
  }
}

/** The lines of the "What changes" preview on the page (in whichever dialog or form shows it), once evaluated. */
export async function previewedChanges(page: Page): Promise<string[]> {
  const list = page.getByRole('list', { name: 'Access changes' });
  await list.waitFor();
  return (await list.getByRole('listitem').allInnerTexts()).map((t) => t.trim());
}
