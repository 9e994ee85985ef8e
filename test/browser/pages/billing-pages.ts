/** Page objects of the Billing and Cost Management console. */
import type { Locator } from 'playwright-core';
import { ConsolePage } from './console-page.js';

export class AccountPage extends ConsolePage {
  iamAccessStatus() {
    return this.page.getByText(/IAM user\/role access to billing information is (activated|deactivated)\./).first();
  }

  async editContactInformation(values: Record<string, string>) {
    await this.page.getByRole('button', { name: 'Edit contact information' }).click();
    for (const [label, value] of Object.entries(values)) await this.page.getByLabel(label, { exact: true }).fill(value);
    await this.page.getByRole('button', { name: 'Update' }).click();
  }

  /** Step 1: Edit → Activate IAM Access → Update. */
  async activateIamAccess() {
    await this.page.getByRole('button', { name: 'Edit IAM User and Role Access to Billing Information' }).click();
    await this.page.getByRole('checkbox', { name: 'Activate IAM Access' }).check();
    await this.page.getByRole('button', { name: 'Update' }).click();
  }
}

export class BillingPreferencesPage extends ConsolePage {
  async open() {
    await this.openSideLink('Billing preferences');
  }

  async tick(label: 'Receive PDF Invoice By Email' | 'Receive Free Tier Usage Alerts' | 'Receive Billing Alerts') {
    await this.page.getByRole('checkbox', { name: label }).click();
  }

  async save() {
    await this.page.getByRole('button', { name: 'Save preferences' }).click();
  }
}

export class BillingHomePage extends ConsolePage {
  youNeedPermissions() {
    return this.page.getByTestId('you-need-permissions');
  }

  costSummary() {
    return this.page.getByRole('heading', { name: 'Cost summary' });
  }

  /** The value under a key label of the cost summary ("Month-to-date cost", "Period"). */
  summaryValue(label: 'Month-to-date cost' | 'Period'): Locator {
    return this.page.getByText(label, { exact: true }).locator('xpath=following-sibling::*[1]');
  }
}

export class BillsPage extends ConsolePage {
  async open() {
    await this.openSideLink('Bills');
  }

  /** Billing period → a month, by its label ("August 2026"). */
  async chooseMonth(label: string) {
    await this.page.getByRole('button', { name: /^Billing period/ }).click();
    await this.page.getByRole('option', { name: label, exact: true }).click();
    await this.page.getByRole('heading', { name: `Bill summary — ${label}` }).waitFor();
  }

  total(): Locator {
    return this.page.getByText('Total', { exact: true }).locator('xpath=following-sibling::*[1]');
  }

  /** A part of the total in the bill summary, as shown (e.g. "-$100.00"). */
  async summaryAmount(part: 'Charges' | 'Credits' | 'Refunds' | 'Tax'): Promise<string> {
    const text = await this.page.getByTestId(`bill-${part.toLowerCase()}`).innerText();
    return text.replace(part, '').trim();
  }

  status(): Locator {
    return this.page.getByText('Status', { exact: true }).locator('xpath=following-sibling::*[1]');
  }

  /** Charges by service as shown: service → amount text. */
  chargesByService(): Promise<Map<string, string>> {
    return this.lines('Service');
  }

  /** Expands a line of the charges by service (a service or one of its Regions) into its parts. */
  async expand(line: string) {
    await this.page
      .getByRole('button', { name: `Show ${line} in detail`, exact: true })
      .first()
      .click();
    await this.page
      .getByRole('button', { name: `Hide ${line} details`, exact: true })
      .first()
      .waitFor();
  }

  /**
   * The rows of the charges by service as shown, services and the lines they expand into, in order, each
   * with its nesting level (1 for a service, 2 for its Regions, 3 for their usage types).
   */
  async chargeRows(): Promise<{ level: number; name: string; amount: string }[]> {
    const table = this.chargesTable('Service');
    const rows = table.locator('tbody').getByRole('row');
    const out: { level: number; name: string; amount: string }[] = [];
    for (const row of await rows.all()) {
      const [name, amount] = (await row.innerText()).split('\t').map((cell) => cell.trim()) as [string, string];
      out.push({ level: Number(await row.getAttribute('aria-level')), name, amount });
    }
    return out;
  }

  /** Charges by Region as shown: Region name → amount text. */
  chargesByRegion(): Promise<Map<string, string>> {
    return this.lines('Region');
  }

  /** The charges table with this first column; the services' one is a tree grid (its rows expand). */
  private chargesTable(column: 'Service' | 'Region'): Locator {
    return this.page.locator('table').filter({ has: this.page.getByRole('columnheader', { name: column }) });
  }

  private async lines(column: 'Service' | 'Region'): Promise<Map<string, string>> {
    const table = this.chargesTable(column);
    const rows = await table.locator('tbody').getByRole('row').allInnerTexts();
    return new Map(rows.map((row) => row.split('\t').map((cell) => cell.trim()) as [string, string]));
  }
}

export interface CardDisplay {
  brand: string;
  lastFour: string;
  month: string;
  year: string;
  name: string;
}

export class PaymentPreferencesPage extends ConsolePage {
  async open() {
    await this.openSideLink('Payment preferences');
  }

  paymentMethods() {
    return this.page.getByRole('table', { name: 'Payment methods' });
  }

  /** Add payment method: brand, last four digits, expiry and name, never a card number. */
  async addPaymentMethod(card: CardDisplay) {
    await this.page.getByRole('button', { name: 'Add payment method' }).first().click();
    await this.page.getByRole('button', { name: /^Card brand/ }).click();
    await this.page.getByRole('option', { name: card.brand, exact: true }).click();
    await this.page.getByLabel('Last four digits', { exact: true }).fill(card.lastFour);
    await this.page.getByRole('button', { name: /^Expiry month/ }).click();
    await this.page.getByRole('option', { name: new RegExp(`^${card.month} - `) }).click();
    await this.page.getByLabel('Expiry year', { exact: true }).fill(card.year);
    await this.page.getByLabel('Name on card', { exact: true }).fill(card.name);
    await this.page.getByRole('button', { name: 'Add payment method' }).last().click();
  }

  async select(lastFour: string) {
    await this.paymentMethods()
      .getByRole('row')
      .filter({ hasText: `•••• ${lastFour}` })
      .getByRole('radio')
      .check();
  }

  async makeDefault(lastFour: string) {
    await this.select(lastFour);
    await this.page.getByRole('button', { name: 'Make default' }).click();
  }

  /** Remove, then confirm in the dialog. */
  async remove(lastFour: string) {
    await this.select(lastFour);
    await this.page.getByRole('button', { name: 'Remove', exact: true }).first().click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click();
  }
}

export class TaxSettingsPage extends ConsolePage {
  async open() {
    await this.openSideLink('Tax settings');
  }

  registrations() {
    return this.page.getByRole('table', { name: 'Tax registrations' });
  }

  async addRegistration(values: Record<string, string>) {
    await this.page.getByRole('button', { name: 'Add tax registration' }).click();
    for (const [label, value] of Object.entries(values)) await this.page.getByLabel(label, { exact: true }).fill(value);
    await this.page.getByRole('button', { name: 'Add', exact: true }).click();
  }
}
