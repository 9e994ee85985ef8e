/**
 * Page objects of the IAM console's administration pages: the delete dialog, the Create role wizard, a role's
 * trust relationships, Account settings (password policy), and assigning a virtual MFA device.
 */
import type { Locator, Page } from 'playwright-core';
import { ConsolePage } from './console-page.js';

/** A table row's selection checkbox, labelled `Select <name>` (or `Select <policy ARN>`). */
export async function selectRow(page: Page, name: string) {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page.getByRole('checkbox', { name: new RegExp(`^Select (.*[:/])?${escaped}$`) }).check();
}

/** AWS's delete dialog: type the name (or "delete"), Delete; each cascade step is listed with its status. */
export class DeleteDialog extends ConsolePage {
  dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  async confirm(text: string) {
    await this.dialog().getByLabel('Confirm deletion').fill(text);
    await this.dialog().getByRole('button', { name: 'Delete', exact: true }).click();
  }

  steps(): Locator {
    return this.dialog().getByRole('list', { name: 'Delete steps' });
  }

  async checkDetachFirst() {
    await this.dialog().getByRole('checkbox', { name: 'Detach from all users, user groups and roles first' }).check();
  }

  async cancel() {
    await this.dialog().getByRole('button', { name: 'Cancel' }).click();
  }
}

/** A list page (Users, User groups, Roles, Policies): select rows, Delete. */
export class IamListPage extends ConsolePage {
  async open(path: '/iam/users' | '/iam/groups' | '/iam/roles' | '/iam/policies') {
    await this.goto(path);
    await this.page.getByRole('button', { name: 'Delete', exact: true }).waitFor();
  }

  async filter(placeholder: string, text: string) {
    await this.page.getByLabel(placeholder).fill(text);
  }

  async select(name: string) {
    await selectRow(this.page, name);
  }

  async deleteSelected() {
    await this.page.getByRole('button', { name: 'Delete', exact: true }).click();
    return new DeleteDialog(this.page);
  }

  link(name: string): Locator {
    return this.page.getByRole('link', { name, exact: true });
  }
}

export class CreateRoleWizard extends ConsolePage {
  async open() {
    await this.goto('/iam/roles');
    await this.page.getByRole('button', { name: 'Create role' }).click();
  }

  async trustedEntity(type: 'AWS service' | 'AWS account' | 'Custom trust policy') {
    await this.page.getByRole('radio', { name: new RegExp(`^${type}`) }).check();
  }

  async service(name: string) {
    await this.page.getByRole('button', { name: /Service or use case/ }).click();
    await this.page.getByRole('option', { name: new RegExp(`^${name}`) }).click();
  }

  async anotherAccount(accountId: string) {
    await this.page.getByRole('radio', { name: 'Another AWS account' }).check();
    await this.page.getByLabel('Account ID').fill(accountId);
  }

  async requireExternalId(externalId: string) {
    await this.page.getByRole('checkbox', { name: /Require external ID/ }).check();
    await this.page.getByLabel('External ID', { exact: true }).fill(externalId);
  }

  async requireMfa() {
    await this.page.getByRole('checkbox', { name: /Require MFA/ }).check();
  }

  async customTrustPolicy(json: string) {
    await this.fillJson('Trust policy JSON', json);
  }

  findings(): Locator {
    return this.page.getByRole('list', { name: 'Policy validation findings' });
  }

  async next() {
    await this.page.getByRole('button', { name: 'Next', exact: true }).click();
  }

  stepError(): Locator {
    return this.page.getByText(
      /^(Choose a service or use case|Enter a valid 12-digit AWS account ID|Enter an external ID|Fix the errors in the trust policy)\.$/,
    );
  }

  async addPolicy(policyName: string) {
    await this.page.getByLabel('Filter policies by property or policy name').fill(policyName);
    await selectRow(this.page, policyName);
  }

  async nameRole(roleName: string, description: string) {
    await this.page.getByLabel('Role name').fill(roleName);
    await this.page.getByLabel('Description', { exact: true }).fill(description);
  }

  async addTag(key: string, value: string) {
    await this.page.getByRole('button', { name: 'Add new tag' }).click();
    await this.page.getByLabel('Tag key 1').fill(key);
    await this.page.getByLabel('Tag value 1').fill(value);
  }

  reviewTrustPolicy(): Locator {
    return this.page.getByLabel('Trust policy', { exact: true });
  }

  async create(roleName: string) {
    await this.page.getByRole('button', { name: 'Create role' }).click();
    await this.expectFlash('success', `Role ${roleName} created.`);
  }
}

/** A role's page: Trust relationships → Edit trust policy. */
export class RoleDetailPage extends ConsolePage {
  async open(roleName: string) {
    await this.goto(`/iam/role?name=${encodeURIComponent(roleName)}`);
    await this.heading(roleName).waitFor();
  }

  permissions(): Locator {
    return this.page.getByRole('table', { name: 'Permissions policies' });
  }

  /** Permissions → Attach policies → filter, select, Attach policies. */
  async attachPolicy(policyName: string) {
    await this.page.getByRole('button', { name: 'Attach policies' }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('Filter policies by property or policy name').fill(policyName);
    await selectRow(this.page, policyName);
    await dialog.getByRole('button', { name: 'Attach policies' }).click();
  }

  /** Select, Remove, then Remove in the confirmation (which previews the access it takes away). */
  async removePolicy(policyName: string) {
    await selectRow(this.page, policyName);
    await this.page.getByRole('button', { name: 'Remove', exact: true }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click();
  }

  async trustTab() {
    await this.page.getByRole('tab', { name: 'Trust relationships' }).click();
  }

  trustPolicy(): Locator {
    return this.page.getByLabel('Trust policy', { exact: true });
  }

  async editTrustPolicy(json: string) {
    await this.page.getByRole('button', { name: 'Edit trust policy' }).click();
    await this.fillJson('Trust policy JSON', json);
  }

  findings(): Locator {
    return this.page.getByRole('list', { name: 'Policy validation findings' });
  }

  updateButton(): Locator {
    return this.page.getByRole('button', { name: 'Update policy' });
  }
}

/** A policy's page: Edit (a new default version), the document, the versions. */
export class PolicyDetailPage extends ConsolePage {
  async edit(json: string) {
    await this.page.getByRole('button', { name: 'Edit', exact: true }).click();
    await this.fillJson('Policy document JSON', json);
    await this.page.getByText('No findings: the policy is valid.').first().waitFor();
    await this.page.getByRole('button', { name: 'Save changes' }).click();
  }

  document(): Locator {
    return this.page.getByLabel('Policy document', { exact: true });
  }

  async versionsTab() {
    await this.page.getByRole('tab', { name: 'Policy versions' }).click();
  }

  versions(): Locator {
    return this.page.getByRole('table', { name: /Policy versions/ });
  }
}

export class AccountSettingsPage extends ConsolePage {
  async open() {
    await this.openSideLink('Account settings');
    await this.heading('Account settings').waitFor();
  }

  rules(): Locator {
    return this.page.getByRole('list', { name: 'Password policy rules' });
  }

  kind(): Locator {
    return this.page.getByTestId('password-policy-kind');
  }

  async edit() {
    await this.page.getByRole('button', { name: 'Edit', exact: true }).click();
  }

  async choose(mode: 'IAM default' | 'Custom') {
    await this.page.getByRole('radio', { name: new RegExp(`^${mode}`) }).check();
  }

  async minimumLength(n: number) {
    await this.page.getByLabel('Password minimum length').fill(String(n));
  }

  async check(label: string | RegExp) {
    await this.page.getByRole('checkbox', { name: label }).check();
  }

  async field(label: string, value: string) {
    await this.page.getByLabel(label, { exact: true }).fill(value);
  }

  async save() {
    await this.page.getByRole('button', { name: 'Save changes' }).click();
  }
}

/** My security credentials → Multi-factor authentication: assign a virtual device with two codes. */
export class SecurityCredentialsPage extends ConsolePage {
  async assignVirtualMfa(deviceName: string): Promise<string> {
    await this.page.getByLabel('Device name').fill(deviceName);
    await this.page.getByRole('button', { name: 'Assign MFA device' }).click();
    const seed = this.page.getByText(/^[A-Z2-7]{16,}=*$/).first();
    await seed.waitFor();
    // The QR code beside the key is an image that loads (CreateVirtualMFADevice's QRCodePNG).
    await this.page.getByRole('img', { name: "QR code of the MFA device's secret key" }).waitFor();
    await this.page.waitForFunction(
      `(() => { const img = document.querySelector('img[alt^="QR code"]'); return img !== null && img.complete && img.naturalWidth > 0; })()`,
    );
    return (await seed.innerText()).trim();
  }

  async enterCodes(code1: string, code2: string) {
    await this.page.getByLabel('MFA code 1').fill(code1);
    await this.page.getByLabel('MFA code 2').fill(code2);
    await this.page.getByRole('button', { name: 'Add MFA' }).click();
  }
}

/** The sign-in MFA step. */
export class MfaSignInPage extends ConsolePage {
  async submit(code: string) {
    await this.page.getByLabel('MFA code').fill(code);
    await this.page.getByRole('button', { name: 'Submit' }).click();
  }

  /** AWS's sign-in answer for a wrong code is the same as for a wrong password. */
  error(): Locator {
    return this.page.getByText(/authentication information is incorrect/);
  }
}

/** A user's page → Security credentials: console access, MFA devices, access keys, as an administrator. */
export class UserCredentialsTab extends ConsolePage {
  async open(userName: string) {
    await this.goto(`/iam/user?name=${encodeURIComponent(userName)}`);
    await this.page.getByRole('tab', { name: 'Security credentials' }).click();
  }

  consoleAccess(): Locator {
    return this.page.getByTestId('console-access');
  }

  async enableConsoleAccess(password: string) {
    await this.page.getByRole('button', { name: 'Manage console access' }).click();
    await this.page.getByLabel('Custom password').fill(password);
    await this.page.getByRole('button', { name: 'Apply' }).click();
  }

  mfaDevices(): Locator {
    return this.page.getByRole('table', { name: /Multi-factor authentication/ });
  }

  accessKeys(): Locator {
    return this.page.getByRole('table', { name: /Access keys/ });
  }

  /** Create access key → the one-time secret dialog; returns the key ID shown and closes the dialog. */
  async createAccessKey(): Promise<string> {
    await this.page.getByRole('button', { name: 'Create access key' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Retrieve access key' });
    const id = (await dialog.getByText(/^AKIA[A-Z0-9]{16}$/).innerText()).trim();
    await this.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    return id;
  }
}
