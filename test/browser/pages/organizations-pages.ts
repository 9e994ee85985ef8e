/** Page objects of the AWS Organizations console (AWS accounts, Policies) and the Billing pages added with it. */
import type { Locator } from 'playwright-core';
import { ConsolePage } from './console-page.js';
import { expect } from './expect.js';

export class OrganizationAccountsPage extends ConsolePage {
  async open() {
    // The top navigation's link (Console Home's Services card has one too).
    await this.page.locator('#top-nav').getByRole('link', { name: 'AWS Organizations' }).click();
    await expect(this.heading('AWS accounts'), 'AWS accounts heading').toBeVisible();
  }

  /** Create an organization → the confirmation → Create organization. */
  async createOrganization() {
    await this.page.getByRole('button', { name: 'Create an organization' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Create an organization?' });
    await expect(dialog, 'the confirmation').toContainText('becomes the management account');
    await dialog.getByRole('button', { name: 'Create organization' }).click();
  }

  tree(): Locator {
    // A table with expandable rows is a treegrid.
    return this.page.getByRole('treegrid', { name: 'Organizational structure' });
  }

  /** The tree's row of a root, OU or account, by the name it shows. */
  row(name: string): Locator {
    return this.tree()
      .getByRole('row')
      .filter({ has: this.page.getByText(name, { exact: true }) });
  }

  /** The row at a depth of the tree (the root is level 1), as the treegrid tells assistive technology. */
  rowAtLevel(name: string, level: number): Locator {
    return this.tree()
      .locator(`[aria-level="${level}"]`)
      .filter({ has: this.page.getByText(name, { exact: true }) });
  }

  async select(name: string) {
    await this.tree()
      .getByRole('radio', { name: `Select ${name}` })
      .check();
  }

  async addAccount(name: string, email: string) {
    await this.page.getByRole('button', { name: 'Add an AWS account' }).click();
    await this.page.getByLabel('AWS account name').fill(name);
    await this.page.getByLabel("Email address of the account's owner").fill(email);
    await this.page.getByRole('button', { name: 'Create AWS account' }).click();
  }

  private async action(item: string) {
    await this.page.getByRole('button', { name: 'Actions' }).click();
    await this.page.getByRole('menuitem', { name: item }).click();
  }

  async createOrganizationalUnit(parent: string, name: string) {
    await this.select(parent);
    await this.action('Create new organizational unit');
    await this.page.getByLabel('Organizational unit name').fill(name);
    await this.page.getByRole('dialog').getByRole('button', { name: 'Create organizational unit' }).click();
  }

  async moveAccount(account: string, destination: string) {
    await this.select(account);
    await this.action('Move AWS account');
    const dialog = this.page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Destination' }).click();
    await dialog.getByRole('option', { name: new RegExp(`^${destination}\\b`) }).click();
    await dialog.getByRole('button', { name: 'Move AWS account' }).click();
  }

  /** A load the server refused, shown in place of the tree (AWS's error code as the header). */
  refusal(code: string): Locator {
    return this.page.getByText(code, { exact: true });
  }
}

export class OrganizationPoliciesPage extends ConsolePage {
  async open() {
    await this.openSideLink('Policies');
    await expect(this.heading('Policies'), 'Policies heading').toBeVisible();
  }

  async enableScps() {
    await this.page.getByRole('button', { name: 'Enable service control policies' }).click();
  }

  async startCreatePolicy() {
    await this.page.getByRole('button', { name: 'Create policy' }).click();
    await expect(this.heading('Create new service control policy'), 'create SCP heading').toBeVisible();
  }

  async fill(name: string, description: string, document: string) {
    await this.page.getByLabel('Policy name').fill(name);
    await this.page.getByLabel('Policy description').fill(description);
    await this.fillJson('Policy document JSON', document);
  }

  findings(): Locator {
    return this.page.getByText(/No findings: the policy is valid\.|ERROR/).first();
  }

  createButton(): Locator {
    return this.page.getByRole('button', { name: 'Create policy' });
  }

  policies(): Locator {
    return this.page.getByRole('table', { name: 'Service control policies' });
  }

  async selectPolicy(name: string) {
    await this.policies().getByRole('row', { name }).getByRole('radio').check();
  }

  targets(name: string): Locator {
    return this.page.getByRole('table', { name: `Targets of ${name}` });
  }

  async attachTo(target: string) {
    await this.page.getByRole('button', { name: 'Target to attach to' }).click();
    await this.page.getByRole('option', { name: new RegExp(`^${target}\\b`) }).click();
    await this.page.getByRole('button', { name: 'Attach', exact: true }).click();
  }

  async detachFrom(policy: string, target: string) {
    await this.targets(policy)
      .getByRole('radio', { name: `Select ${target}` })
      .check();
    await this.page.getByRole('button', { name: 'Detach', exact: true }).click();
  }
}

export class CreditsPage extends ConsolePage {
  async open() {
    await this.openSideLink('Credits');
    await expect(this.heading('Credits'), 'Credits heading').toBeVisible();
  }

  byPeriod(): Locator {
    return this.page.getByRole('table', { name: 'Credits by billing period' });
  }

  byService(): Locator {
    return this.page.getByRole('table', { name: 'Credits by service' });
  }
}

export class UploadCostDataPage extends ConsolePage {
  async open() {
    await this.openSideLink('Upload cost data');
    await expect(this.heading('Upload cost data'), 'Upload heading').toBeVisible();
  }

  async upload(path: string) {
    await this.page.locator('input[type="file"]').setInputFiles(path);
    await this.page.getByRole('button', { name: 'Import', exact: true }).click();
  }

  report(): Locator {
    return this.page.getByTestId('import-report');
  }

  lineItems(): Locator {
    return this.page.getByTestId('import-line-items');
  }

  periods(): Locator {
    return this.page.getByRole('table', { name: 'Billing periods imported' });
  }
}

export class BillsPage extends ConsolePage {
  async open() {
    await this.openSideLink('Bills');
    await expect(this.heading('Bills'), 'Bills heading').toBeVisible();
  }

  async choosePeriod(label: string) {
    await this.page.getByRole('button', { name: /Billing period/ }).click();
    await this.page.getByRole('option', { name: label }).click();
  }

  /** The bill summary's Total, as the page formats it. */
  total(): Locator {
    return this.page.getByText('Total', { exact: true }).locator('xpath=following-sibling::*[1]');
  }
}
