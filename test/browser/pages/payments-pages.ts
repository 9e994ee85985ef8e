/** Page objects of the Billing console's Payments, Credits and Cost allocation tags pages. */
import type { Locator } from 'playwright-core';
import { ConsolePage } from './console-page.js';

/** What the three pages share: the page-level blocker, and a table found by its label. */
class BillingLedgerPage extends ConsolePage {
  youNeedPermissions(): Locator {
    return this.page.getByTestId('you-need-permissions');
  }

  table(label: string): Locator {
    return this.page.getByRole('table', { name: label });
  }

  /** A body row of the table that contains `text`. */
  row(tableLabel: string, text: string): Locator {
    return this.table(tableLabel).getByRole('row').filter({ hasText: text });
  }

  bodyRows(tableLabel: string): Locator {
    return this.table(tableLabel).locator('tbody tr');
  }
}

export class PaymentsPage extends BillingLedgerPage {
  async open() {
    await this.openSideLink('Payments');
    await this.heading('Payments').waitFor();
  }

  totalDue(): Locator {
    return this.page.getByTestId('total-due');
  }

  dueRow(invoiceId: string): Locator {
    return this.row('Payments due', invoiceId);
  }

  /** The invoice id of the first bill that is still due. */
  async firstUnpaidInvoice(): Promise<string> {
    const row = this.bodyRows('Payments due').filter({ hasText: 'Due' }).first();
    await row.waitFor();
    const id = /BRS-\d{12}-\d{6}/.exec(await row.innerText());
    if (id === null) throw new Error(`no invoice id in the row: ${await row.innerText()}`);
    return id[0];
  }

  /** Select the bill → Complete payment: the review dialog opens. */
  async review(invoiceId: string) {
    await this.page.getByRole('radio', { name: `Select ${invoiceId}` }).check();
    await this.page.getByRole('button', { name: 'Complete payment' }).click();
    await this.reviewDialog().waitFor();
  }

  reviewDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Review payment' });
  }

  reviewField(label: 'Invoice ID' | 'Billing period' | 'Due date' | 'Amount' | 'Payment method'): Locator {
    return this.page.getByTestId(`review-${label.toLowerCase().replace(/ /g, '-')}`);
  }

  payButton(): Locator {
    return this.reviewDialog().getByRole('button', { name: /^Pay / });
  }

  /** Select the bill → Complete payment → the review shows the card → Pay. */
  async pay(invoiceId: string, card = 'VISA ending in 4242') {
    await this.review(invoiceId);
    await this.reviewField('Payment method').getByText(card).waitFor();
    await this.payButton().click();
  }

  transactions(): Locator {
    return this.bodyRows('Transactions');
  }
}

export class CreditsPage extends BillingLedgerPage {
  async open() {
    await this.openSideLink('Credits');
    await this.heading('Credits').waitFor();
  }

  periods(): Locator {
    return this.bodyRows('Credits by billing period');
  }

  byService(): Locator {
    return this.table('Credits by service');
  }
}

export class CostAllocationTagsPage extends BillingLedgerPage {
  async open() {
    await this.openSideLink('Cost allocation tags');
    await this.heading('Cost allocation tags').waitFor();
  }

  tagRow(key: string): Locator {
    return this.bodyRows('Cost allocation tags').filter({ has: this.page.getByText(key, { exact: true }) });
  }

  /** Select the tag keys → Activate or Deactivate. */
  async setStatus(keys: string[], action: 'Activate' | 'Deactivate') {
    for (const key of keys) await this.page.getByRole('checkbox', { name: `Select ${key}` }).check();
    await this.page.getByRole('button', { name: action, exact: true }).click();
  }
}
