/** Page object of IAM's "Who can?" page: ask about one action, read each principal's row. */
import type { Locator } from 'playwright-core';
import { ConsolePage } from './console-page.js';

export class WhoCanPage extends ConsolePage {
  /** Through the IAM navigation, as an administrator finds it. */
  async open() {
    await this.goto('/iam');
    await this.openSideLink('Who can?');
    await this.heading('Who can?').waitFor();
  }

  async ask(action: string, resource = '') {
    const input = this.page.getByLabel('Action', { exact: true });
    await input.fill(action);
    await this.page.keyboard.press('Escape');
    await this.page.getByLabel('Resource', { exact: true }).fill(resource);
    await this.page.getByRole('button', { name: 'Ask', exact: true }).click();
    await this.page.getByRole('heading', { name: `Who can ${action}` }).waitFor();
  }

  /** The suggestions the action input offers for what has been typed so far. */
  async suggestionsFor(typed: string): Promise<string[]> {
    const input = this.page.getByLabel('Action', { exact: true });
    await input.fill(typed);
    await this.page.getByRole('option').first().waitFor();
    const options = await this.page.getByRole('option').allInnerTexts();
    await this.page.keyboard.press('Escape');
    return options;
  }

  row(principalName: string): Locator {
    return this.page
      .getByRole('table', { name: 'Principals' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name: principalName, exact: true }) });
  }

  /** The row's cells as text: type, principal, decision, granted by, limited by, Billing console. */
  async cells(principalName: string): Promise<string[]> {
    return (await this.row(principalName).getByRole('cell').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  async principals(): Promise<string[]> {
    const rows = this.page.getByRole('table', { name: 'Principals' }).getByRole('row');
    const names: string[] = [];
    for (const row of await rows.all()) {
      const cells = await row.getByRole('cell').allInnerTexts();
      if (cells.length > 1) names.push(cells[1]!.trim());
    }
    return names;
  }
}
