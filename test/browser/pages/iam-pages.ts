/** Page objects of the IAM console: users, user groups, policies (list, create, attach). */
import type { Locator, Page } from 'playwright-core';
import { ConsolePage } from './console-page.js';

export class UsersPage extends ConsolePage {
  async open() {
    await this.goto('/iam/users');
    await this.page.getByRole('button', { name: 'Create user' }).waitFor();
  }

  /** Create user: name, console password, groups. */
  async createUser(userName: string, password: string, groups: string[], resetRequired = false) {
    await this.page.getByRole('button', { name: 'Create user' }).click();
    await this.page.getByLabel('User name', { exact: true }).fill(userName);
    await this.page.getByLabel('Console password').fill(password);
    if (resetRequired) {
      await this.page.getByRole('checkbox', { name: 'Users must create a new password at next sign-in' }).check();
    }
    if (groups.length > 0) {
      await this.page.getByRole('button', { name: /User groups|Choose user groups/ }).click();
      for (const group of groups) await this.page.getByRole('option', { name: group }).click();
      await this.page.keyboard.press('Escape');
    }
    await this.page.getByRole('button', { name: 'Create user', exact: true }).last().click();
    await this.expectFlash('success', `User ${userName} created successfully.`);
  }
}

/** A user's page: its summary and its Permissions tab. */
export class UserPage extends ConsolePage {
  async open(userName: string) {
    await this.goto(`/iam/user?name=${encodeURIComponent(userName)}`);
    await this.heading(userName).waitFor();
  }

  /** A summary field as shown ("ARN", "Console access", "Last console sign-in", "MFA", "Created"). */
  summary(label: string): Locator {
    return this.page.getByTestId(`user-summary-${label.toLowerCase().replace(/ /g, '-')}`);
  }

  /** The Permissions policies table's rows: policy name → how it is attached ("Directly", "Group …"). */
  async policies(): Promise<Map<string, string>> {
    const table = this.page.getByRole('table', { name: 'Permissions policies' });
    await table.getByRole('row').nth(1).waitFor();
    const rows = await table.locator('tbody').getByRole('row').allInnerTexts();
    return new Map(
      rows.map((row) => {
        const cells = row
          .split('\t')
          .map((cell) => cell.trim())
          .filter((cell) => cell !== '');
        return [cells[0]!, cells.at(-1)!] as const;
      }),
    );
  }

  permissionsCounter(): Locator {
    return this.page.getByRole('heading', { name: /^Permissions policies/ });
  }
}

export class GroupsPage extends ConsolePage {
  async open() {
    await this.goto('/iam/groups');
    await this.page.getByRole('button', { name: 'Create group' }).waitFor();
  }

  async createGroup(groupName: string) {
    await this.page.getByRole('button', { name: 'Create group' }).click();
    await this.page.getByLabel('User group name').fill(groupName);
    await this.page.getByRole('button', { name: 'Create user group' }).click();
    await this.expectFlash('success', `${groupName} user group created.`);
  }
}

export class PoliciesPage extends ConsolePage {
  async open() {
    await this.openSideLink('Policies');
    await this.page.getByRole('button', { name: 'Create policy' }).waitFor();
  }

  /** "In the policy search box, type the name, and then select the check box next to the policy name." */
  async search(text: string) {
    const box = this.page.getByLabel('Filter policies by property or policy name and press enter');
    await box.fill(text);
    await box.press('Enter');
  }

  async select(policyName: string) {
    await this.page.getByRole('row', { name: policyName }).getByRole('checkbox').check();
  }

  async actions(item: 'Attach' | 'View policy details') {
    await this.page.getByRole('button', { name: 'Actions' }).click();
    await this.page.getByRole('menuitem', { name: item }).click();
  }

  async startCreatePolicy() {
    await this.page.getByRole('button', { name: 'Create policy' }).click();
  }
}

/** An Ace editor's element: Ace keeps the editor on it. */
interface AceElement {
  env: { editor: { getValue(): string; setValue(value: string, cursor: number): void } };
}

export class CreatePolicyPage extends ConsolePage {
  constructor(page: Page) {
    super(page);
  }

  /** Visual editor → Choose a service → search → the service. */
  async chooseService(search: string, service: string) {
    await this.page.getByRole('tab', { name: 'Visual editor' }).click();
    const change = this.page.getByText('Change service', { exact: true });
    if (await change.isVisible()) await change.click();
    await this.page.getByLabel('Find a service').fill(search);
    await this.page.getByRole('list', { name: 'Services' }).getByText(service, { exact: true }).click();
  }

  async checkAllActions(label: string) {
    await this.page.getByRole('checkbox', { name: label }).check();
  }

  async checkAccessLevel(level: 'List' | 'Read' | 'Write') {
    await this.page.getByRole('checkbox', { name: `${level} (` }).check();
  }

  /** The JSON tab's code editor (Ace; it keeps its editor on the element). */
  async codeEditor(): Promise<Locator> {
    await this.page.getByRole('tab', { name: /^JSON/ }).click();
    const editor = this.page.locator('.ace_editor').first();
    await editor.waitFor();
    return editor;
  }

  /** The line numbers the code editor shows. */
  async lineNumbers(): Promise<string[]> {
    return (await this.codeEditor()).locator('.ace_gutter-cell').allInnerTexts();
  }

  async jsonDocument(): Promise<string> {
    return (await this.codeEditor()).evaluate((element) => (element as unknown as AceElement).env.editor.getValue());
  }

  /** Replaces the document, as a paste into the editor does. */
  async typeJson(text: string) {
    await (
      await this.codeEditor()
    ).evaluate((element, value) => (element as unknown as AceElement).env.editor.setValue(value, 1), text);
  }

  findings() {
    return this.page.getByRole('list', { name: 'Policy validation findings' });
  }

  async nextTags() {
    await this.page.getByRole('button', { name: 'Next: Tags' }).click();
  }

  async nextReview() {
    await this.page.getByRole('button', { name: 'Next: Review' }).click();
  }

  async name(policyName: string) {
    await this.page.getByLabel('Name', { exact: true }).fill(policyName);
  }

  async create(policyName: string) {
    await this.page.getByRole('button', { name: 'Create policy' }).click();
    await this.expectFlash('success', `${policyName} has been created.`);
  }
}

export class AttachPolicyPage extends ConsolePage {
  /** "In the identity search box, type the group, select the check box next to it, choose Attach policy." */
  async attachTo(identity: string) {
    await this.page.getByLabel('Filter entities by name').fill(identity);
    await this.page.getByRole('row', { name: identity }).getByRole('checkbox').check();
    await this.page.getByRole('button', { name: 'Attach policy' }).click();
  }
}

export class IamDashboardPage extends ConsolePage {
  async open() {
    await this.openSideLink('Dashboard');
  }

  async createAlias(alias: string) {
    await this.page.getByRole('button', { name: 'Create', exact: true }).click();
    await this.page.getByLabel('Preferred alias').fill(alias);
    await this.page.getByRole('button', { name: 'Create alias' }).click();
    await this.expectFlash('success', `Account alias ${alias} created.`);
  }
}

export class PolicySimulatorPage extends ConsolePage {
  async open() {
    await this.openSideLink('Policy simulator');
  }

  async simulate(principal: string, actions: string) {
    await this.page.getByRole('button', { name: /Principal|Choose a user, group or role/ }).click();
    await this.page.getByRole('option', { name: principal, exact: true }).click();
    await this.page.getByLabel('Actions', { exact: true }).fill(actions);
    await this.page.getByRole('button', { name: 'Run simulation' }).click();
  }

  decisionOf(action: string) {
    return this.page.getByRole('row', { name: new RegExp(action) }).first();
  }
}
