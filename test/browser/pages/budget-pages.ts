/** Page objects of Budgets (list, Create budget wizard) and Cost Explorer's filters and report library. */
import { readFile } from 'node:fs/promises';
import type { Locator } from 'playwright-core';
import { ConsolePage } from './console-page.js';
import { expect } from './expect.js';

export interface BudgetDraft {
  name: string;
  amount: string;
  threshold: string;
  trigger: 'Actual' | 'Forecasted';
  email: string;
}

export interface AlertDraft {
  threshold: string;
  thresholdType?: '% of budgeted amount' | 'Absolute value';
  trigger: 'Actual' | 'Forecasted';
  emails: string;
}

/** Every choice of the Create budget wizard; what is left out keeps the wizard's default. */
export interface FullBudgetDraft {
  type?: 'Cost budget' | 'Usage budget';
  name: string;
  period?: 'Daily' | 'Monthly' | 'Quarterly' | 'Annually' | 'Custom';
  renewal?: 'Recurring budget' | 'Expiring budget';
  start?: string;
  end?: string;
  amount: string;
  unit?: string;
  /** Filter by the first value each named dimension offers. */
  filterByFirst?: ('Service' | 'Linked account' | 'Region' | 'Usage type')[];
  tag?: { key: string; values: string };
  alerts: AlertDraft[];
}

/** The few DOM members the layout checks read (the tests are compiled without the DOM's types). */
interface Box {
  parentElement: Box | null;
  scrollWidth: number;
  clientWidth: number;
  getBoundingClientRect(): { right: number };
}

export class BudgetsPage extends ConsolePage {
  async open() {
    await this.openSideLink('Budgets');
  }

  budgets(): Locator {
    return this.page.getByRole('table').filter({ has: this.page.getByRole('columnheader', { name: 'Forecasted' }) });
  }

  /**
   * How far the list reaches past its container (0 when it fits) and whether its Status cells lie within the
   * window, as a reader at this viewport sees them.
   */
  async overflow(): Promise<{ sideways: number; statusCut: boolean }> {
    const table = this.budgets();
    await table.getByRole('row').nth(1).waitFor();
    // The table's own scrolling wrapper: the nearest ancestor that scrolls sideways.
    // (No named function inside: the page runs the callback's source, without the compiler's helpers.)
    const sideways = await table.evaluate((element) => {
      const window = globalThis as unknown as { getComputedStyle(e: Box): { overflowX: string } };
      let scroller = (element as unknown as Box).parentElement;
      while (scroller !== null && !['auto', 'scroll'].includes(window.getComputedStyle(scroller).overflowX)) {
        scroller = scroller.parentElement;
      }
      return scroller === null ? 0 : scroller.scrollWidth - scroller.clientWidth;
    });
    const width = this.page.viewportSize()!.width;
    const boxes = await table
      .locator('tbody tr td:last-child')
      .evaluateAll((cells) => cells.map((cell) => (cell as unknown as Box).getBoundingClientRect().right));
    return { sideways, statusCut: boxes.some((right) => right > width) };
  }

  row(name: string): Locator {
    return this.budgets().getByRole('row').filter({ hasText: name });
  }

  /** Create budget → Cost budget → details → one alert → review → Create budget. */
  async createBudget(draft: BudgetDraft) {
    await this.createFullBudget({
      name: draft.name,
      amount: draft.amount,
      alerts: [{ threshold: draft.threshold, trigger: draft.trigger, emails: draft.email }],
    });
  }

  /** The wizard from the list's Create budget button to its review step (not submitted). */
  async fillWizard(draft: FullBudgetDraft) {
    await this.page.getByRole('button', { name: 'Create budget' }).first().click();
    await this.page.getByRole('radio', { name: /Cost budget/ }).waitFor();
    const wizard = new BudgetWizard(this.page);
    await wizard.chooseType(draft.type ?? 'Cost budget');
    await wizard.next();
    await wizard.setBudget(draft);
    await wizard.next();
    await wizard.setAlerts(draft.alerts);
    await wizard.next();
    await this.page
      .getByRole('heading', { name: /^Review and (create|save)$/ })
      .first()
      .waitFor();
  }

  async createFullBudget(draft: FullBudgetDraft) {
    await this.fillWizard(draft);
    await this.page.getByRole('button', { name: 'Create budget' }).click();
  }

  async openBudget(name: string) {
    await this.budgets().getByRole('link', { name, exact: true }).click();
  }

  async deleteBudget(name: string) {
    await this.page.getByRole('radio', { name: `Select budget ${name}` }).check();
    await this.page.getByRole('button', { name: 'Delete', exact: true }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  }
}

/** The Create (and Edit) budget wizard's steps. */
export class BudgetWizard extends ConsolePage {
  async next() {
    await this.page.getByRole('button', { name: 'Next', exact: true }).click();
  }

  async chooseType(type: 'Cost budget' | 'Usage budget') {
    await this.page.getByRole('radio', { name: new RegExp(`^${type}`) }).check();
  }

  /** Opens a Cloudscape select by its form field's label and picks an option. */
  async select(label: string | RegExp, option: string) {
    await this.page.getByRole('button', { name: label }).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  async setBudget(draft: Partial<FullBudgetDraft>) {
    if (draft.name !== undefined) await this.page.getByLabel('Budget name').fill(draft.name);
    if (draft.period !== undefined) await this.select(/^Period/, draft.period);
    if (draft.renewal !== undefined)
      await this.page.getByRole('radio', { name: new RegExp(`^${draft.renewal}`) }).check();
    if (draft.start !== undefined) await this.page.getByLabel('Start date').fill(draft.start);
    if (draft.end !== undefined) await this.page.getByLabel('End date').fill(draft.end);
    if (draft.amount !== undefined)
      await this.page.getByLabel(/^(Budgeted amount \(\$\)|Budgeted usage)/).fill(draft.amount);
    if (draft.unit !== undefined) await this.page.getByLabel('Usage unit').fill(draft.unit);
    if (draft.filterByFirst !== undefined || draft.tag !== undefined) {
      await this.page.getByRole('radio', { name: /^Filter specific AWS cost dimensions/ }).check();
      for (const dimension of draft.filterByFirst ?? []) {
        await this.page.getByRole('button', { name: new RegExp(`Filter by ${dimension.toLowerCase()}`) }).click();
        await this.page.getByRole('option').first().click();
        await this.page.keyboard.press('Escape');
      }
      if (draft.tag !== undefined) {
        await this.page.getByLabel('Tag key').fill(draft.tag.key);
        await this.page.getByLabel('Tag values').fill(draft.tag.values);
      }
    }
  }

  alert(index: number): Locator {
    return this.page.getByRole('region', { name: `Alert ${index + 1}`, exact: true });
  }

  /** Replaces the wizard's alerts with these. */
  async setAlerts(alerts: AlertDraft[]) {
    while ((await this.page.getByRole('button', { name: /^Remove alert / }).count()) > 0) {
      await this.page
        .getByRole('button', { name: /^Remove alert / })
        .first()
        .click();
    }
    for (const [index, alert] of alerts.entries()) {
      await this.page.getByRole('button', { name: 'Add an alert threshold' }).click();
      const region = this.alert(index);
      await region.getByLabel('Threshold', { exact: true }).fill(alert.threshold);
      if (alert.thresholdType !== undefined) {
        await region.getByRole('button', { name: /^Threshold type/ }).click();
        await this.page
          .getByRole('option', { name: new RegExp(`^${alert.thresholdType.replace('%', '\\%')}`) })
          .click();
      }
      await region.getByRole('radio', { name: new RegExp(`^${alert.trigger}`) }).check();
      await region.getByLabel('Email recipients').fill(alert.emails);
    }
  }
}

/** A budget's page: spend against budget, details, alerts with their state, history. */
export class BudgetDetailPage extends ConsolePage {
  spend(): Locator {
    return this.page.getByTestId('budget-spend');
  }

  alerts(): Locator {
    return this.page.getByRole('table').filter({ has: this.page.getByRole('columnheader', { name: 'State' }) });
  }

  history(): Locator {
    return this.page.getByRole('table').filter({ has: this.page.getByRole('columnheader', { name: 'Period' }) });
  }

  /** The history chart: actual and forecasted bars against the budgeted line. */
  historyChart(): Locator {
    return this.page.getByTestId('budget-history-chart');
  }

  async edit() {
    await this.page.getByRole('button', { name: 'Edit', exact: true }).click();
  }

  async save() {
    await this.page.getByRole('button', { name: 'Save budget' }).click();
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
    await this.page.getByRole('button', { name: 'Clear filters' }).click();
  }

  async saveReport(name: string) {
    await this.page.getByRole('button', { name: 'Save to report library' }).click();
    await this.page.getByRole('dialog').getByLabel('Report name').fill(name);
    await this.page.getByRole('button', { name: 'Save report' }).click();
  }

  async openReport(name: string) {
    await this.page.getByRole('button', { name: `Open report ${name}` }).click();
  }

  /** The date range picker's button, whose text is the range shown. */
  dateRange(): Locator {
    return this.page.getByRole('button', { name: 'Date range' }).first();
  }

  /** Date range → Absolute range → start and end day (YYYY-MM-DD, both included) → Apply. */
  async chooseRange(start: string, end: string) {
    await this.dateRange().click();
    await this.page.getByRole('button', { name: 'Absolute range' }).click();
    await this.page.getByLabel('Start date').fill(start.replaceAll('-', '/'));
    await this.page.getByLabel('End date').fill(end.replaceAll('-', '/'));
    await this.page.getByRole('button', { name: 'Apply' }).click();
  }

  /** Date range → Relative range → an option such as "Last 3 months" → Apply. */
  async chooseRelativeRange(label: string) {
    await this.dateRange().click();
    await this.page.getByRole('button', { name: 'Relative range' }).click();
    await this.page.getByRole('radio', { name: label }).check();
    await this.page.getByRole('button', { name: 'Apply' }).click();
  }

  async groupBy(label: 'Service' | 'Linked account' | 'Region' | 'Usage type' | 'Tag') {
    // (A select is named by its form field's label or by its own aria-label: either is accepted.)
    await this.page
      .getByRole('button', { name: /^Group by/ })
      .first()
      .click();
    await this.page.getByRole('option', { name: label, exact: true }).click();
  }

  /** Group by → Tag, then the tag key. */
  async groupByTag(key: string) {
    await this.groupBy('Tag');
    await this.page.getByRole('button', { name: /^(Tag key|Group by tag key)/ }).click();
    await this.page.getByRole('option', { name: key, exact: true }).click();
  }

  /** The Tag filter: a tag key, then these of its values. */
  async filterByTag(key: string, values: string[]) {
    await this.page.getByRole('button', { name: /^(Tag (?!key|values)|Filter by tag key)/ }).click();
    await this.page.getByRole('option', { name: key, exact: true }).click();
    await this.page.getByRole('button', { name: /^(Tag values|Filter by tag value)/ }).click();
    for (const value of values) await this.page.getByRole('option', { name: value, exact: true }).click();
    await this.page.keyboard.press('Escape');
  }

  /** Clicks a download button and answers the file's name and its rows (RFC 4180, every field quoted). */
  async downloadCsv(button: string): Promise<{ name: string; rows: string[][] }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('button', { name: button }).click(),
    ]);
    const text = await readFile(await download.path(), 'utf8');
    const rows = text
      .trimEnd()
      .split('\n')
      .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"')));
    return { name: download.suggestedFilename(), rows };
  }

  /**
   * The breakdown as shown once it answers `shown` (its description, e.g. "2026-08-01 — 2026-08-31, by
   * service"): group name → its total cost as shown (e.g. "$1,234.56"), the Total row included.
   */
  async breakdownAmounts(shown: string): Promise<Map<string, string>> {
    await expect(this.page.getByText(shown, { exact: true }), `the breakdown of ${shown}`).toBeVisible();
    await this.breakdown().getByText('Loading costs').waitFor({ state: 'hidden' });
    const rows = await this.breakdownRows().getByRole('row').allInnerTexts();
    return new Map(
      rows.map((row) => {
        const cells = row.split('\t').map((cell) => cell.trim());
        return [cells[0]!, cells.at(-1)!];
      }),
    );
  }

  /** The breakdown's column headers: the group, one per period (e.g. "Nov 2026"), "Total cost". */
  breakdownColumns(): Promise<string[]> {
    return this.breakdown().getByRole('columnheader').allInnerTexts();
  }

  /** The chart's legend entries, in order. */
  async chartLegend(): Promise<string[]> {
    const legend = this.page.getByRole('toolbar', { name: 'Costs: legend' });
    return (await legend.getByRole('button').allInnerTexts()).map((text) => text.trim());
  }

  /** The chart's y-axis tick labels. */
  async chartAxisTicks(): Promise<string[]> {
    const texts = await this.page.locator('svg text').allTextContents();
    return texts.map((text) => text.trim()).filter((text) => text !== '');
  }
}
