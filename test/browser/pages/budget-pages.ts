/** Page objects of Budgets (list, Create budget wizard) and Cost Explorer's filters and report library. */
import type { Locator } from 'playwright-core';
import { ConsolePage } from './console-page.js';

export interface BudgetDraft {
  name: string;
  amount: string;
  threshold: string;
  trigger: 'Actual' | 'Forecasted';
  email: string;
}

export class BudgetsPage extends ConsolePage {
  async open() {
    await this.openSideLink('Budgets');
  }

  budgets(): Locator {
    return this.page
      .getByRole('table')
      .filter({ has: this.page.getByRole('columnheader', { name: 'Budgeted amount' }) });
  }

  row(name: string): Locator {
    return this.budgets().getByRole('row').filter({ hasText: name });
  }

  /** Create budget → Cost budget → details → alert → review → Create budget. */
  async createBudget(draft: BudgetDraft) {
    await this.page.getByRole('button', { name: 'Create budget' }).first().click();
    await this.page.getByRole('radio', { name: /Cost budget/ }).waitFor();
    await this.next();
    await this.page.getByLabel('Budget name').fill(draft.name);
    await this.page.getByLabel('Budgeted amount ($)').fill(draft.amount);
    await this.next();
    await this.page.getByLabel('Threshold (% of budgeted amount)').fill(draft.threshold);
    await this.page.getByRole('radio', { name: new RegExp(`^${draft.trigger}`) }).check();
    await this.page.getByLabel('Email recipient').fill(draft.email);
    await this.next();
    await this.page.getByRole('heading', { name: 'Review and create' }).first().waitFor();
    await this.page.getByRole('button', { name: 'Create budget' }).click();
  }

  async deleteBudget(name: string) {
    await this.page.getByRole('radio', { name: `Select budget ${name}` }).check();
    await this.page.getByRole('button', { name: 'Delete', exact: true }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  }

  private async next() {
    await this.page.getByRole('button', { name: 'Next', exact: true }).click();
  }
}

export class CostExplorerPage extends ConsolePage {
  async open() {
    await this.openSideLink('Cost Explorer');
  }

  breakdown(): Locator {
    return this.page.getByRole('table').filter({ has: this.page.getByRole('columnheader', { name: 'Total cost' }) });
  }

  /** The breakdown's rows, without the header. */
  breakdownRows(): Locator {
    return this.breakdown().locator('tbody');
  }

  /** Opens a filter's multiselect, picks its first value and closes it; answers the value picked. */
  async filterByFirst(dimension: 'service' | 'linked account' | 'region'): Promise<string> {
    await this.page.getByRole('button', { name: `Filter by ${dimension}` }).click();
    const option = this.page.getByRole('option').first();
    const value = (await option.innerText()).split('\n')[0]!.trim();
    await option.click();
    await this.page.keyboard.press('Escape');
    return value;
  }

  async clearFilters() {
    await this.page.getByRole('button', { name: 'Clear all filters' }).click();
  }

  async saveReport(name: string) {
    await this.page.getByRole('button', { name: 'Save to report library' }).click();
    await this.page.getByRole('dialog').getByLabel('Report name').fill(name);
    await this.page.getByRole('button', { name: 'Save report' }).click();
  }

  async openReport(name: string) {
    await this.page.getByRole('button', { name: `Open report ${name}` }).click();
  }
}
