/** Page objects of the Data exports page: the Cost and usage reports table, its Create report form and Delete. */
import type { Locator } from 'playwright-core';
import { ConsolePage } from './console-page.js';

export interface ReportDraft {
  name: string;
  granularity?: 'Hourly' | 'Daily' | 'Monthly';
  format?: 'CSV (GZIP)' | 'CSV (ZIP)' | 'Parquet';
  bucket: string;
  prefix?: string;
}

export class DataExportsPage extends ConsolePage {
  /** Billing and Cost Management home, then Data exports in its side navigation. */
  async open() {
    await this.goto('/billing');
    await this.openSideLink('Data exports');
  }

  reports(): Locator {
    return this.page.getByRole('table', { name: 'Cost and usage reports' });
  }

  row(name: string): Locator {
    return this.reports().getByRole('row').filter({ hasText: name });
  }

  blocker(): Locator {
    return this.page.getByTestId('you-need-permissions');
  }

  private async choose(label: string, option: string) {
    await this.page.getByRole('button', { name: label }).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  /** Create report → the form → Create report; what the draft leaves out keeps the form's default. */
  async createReport(draft: ReportDraft) {
    await this.page.getByRole('button', { name: 'Create report' }).first().click();
    await this.page.getByLabel('Report name').fill(draft.name);
    if (draft.granularity !== undefined) await this.choose('Time granularity', draft.granularity);
    if (draft.format !== undefined) await this.choose('Report format', draft.format);
    await this.page.getByLabel('S3 bucket', { exact: true }).fill(draft.bucket);
    if (draft.prefix !== undefined) await this.page.getByLabel('S3 path prefix').fill(draft.prefix);
    // The form's own submit button, below the table's (disabled while the form is open).
    await this.page.getByRole('button', { name: 'Create report' }).last().click();
  }

  /** Selects the report's row, Delete, and confirms in the dialog. */
  async deleteReport(name: string) {
    await this.row(name).getByRole('radio').check();
    await this.page.getByRole('button', { name: 'Delete', exact: true }).first().click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  }
}
