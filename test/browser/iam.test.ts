/**
 * The IAM console's administration pages in Chromium: the account password policy; a user assigns a virtual
 * MFA device and signs in with password + code (a wrong code refused); the Create role wizard and Edit trust
 * policy; deletes with AWS's confirmation dialog — a cascade refused at one step, a policy refused while
 * attached (DeleteConflict) then detached and deleted, multi-select delete of users, a group from its page.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { HOTP, Secret } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import type { BursarServer } from '../../src/server/create-server.js';
import { browserUnavailable, buildConsole, launchBrowser, openConsolePage, screenshotOnFailure } from './browser.js';
import { ConsolePage } from './pages/console-page.js';
import { expect } from './pages/expect.js';
import {
  AccountSettingsPage,
  CreateRoleWizard,
  DeleteDialog,
  IamListPage,
  selectRow,
  MfaSignInPage,
  PolicyDetailPage,
  RoleDetailPage,
  SecurityCredentialsPage,
  UserCredentialsTab,
} from './pages/iam-admin-pages.js';
import { CreatePolicyPage, GroupsPage, PoliciesPage, UsersPage } from './pages/iam-pages.js';
import { SignInPage } from './pages/sign-in-page.js';
import { SignUpPage } from './pages/sign-up-page.js';
import { startServer } from './server.js';
import { testNow } from '../test-clock.js';

const skip = browserUnavailable();
const ROOT_EMAIL = 'owner@iam-console.example';
const ROOT_PASSWORD = 'Root-Password-123!';
const USER_PASSWORD = 'Admin-Password-1!';
const DENY_REMOVE =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:RemoveUserFromGroup","Resource":"*"}]}';

/** The 6-digit code of a TOTP secret for the 30-second step `offset` steps from the server's now. */
function totp(seed: string, offset = 0): string {
  const counter = Math.floor(testNow().getTime() / 1000 / 30) + offset;
  return HOTP.generate({ secret: Secret.fromBase32(seed), counter });
}

describe('the IAM console: account settings, MFA sign-in, roles and deletes', { skip }, () => {
  let server: BursarServer;
  let browser: Browser;
  let page: Page;
  let accountId = '';
  let seed = '';
  let pageErrors: string[] = [];

  before(async () => {
    buildConsole();
    server = await startServer();
    browser = await launchBrowser();
    // Refusals (400 password policy, 401, 403, 404, 409) are answers this test expects, not page errors.
    ({ page, pageErrors } = await openConsolePage(browser, [400, 401, 403, 404, 409]));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const shell = () => new ConsolePage(page);
  /** A step of one story: after a failure the later steps are skipped, not timed out one by one. */
  const step = screenshotOnFailure('iam-failed', () => page);
  const signOut = async () => {
    await shell().chooseFromAccountMenu('Sign out');
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  };

  step('signs up, and the root user sets a custom password policy, then goes back to the IAM default', async () => {
    const signUp = new SignUpPage(page);
    await signUp.open(server.url);
    await signUp.signUp(ROOT_EMAIL, 'IAM console account', ROOT_PASSWORD);
    await expect(page.getByRole('heading', { name: 'Console Home' }), 'console home').toBeVisible();
    accountId = (await shell().accountMenuLabel()).trim();
    await shell().goto('/iam');
    const settings = new AccountSettingsPage(page);
    await settings.open();
    await expect(settings.kind(), 'policy kind').toContainText('default password policy');
    await expect(settings.rules(), 'default rules').toContainText('Minimum password length is 8 characters');
    await settings.edit();
    await settings.choose('Custom');
    await settings.minimumLength(12);
    await settings.check('Require at least one number');
    await settings.check('Turn on password expiration');
    await settings.field('Expire passwords in day(s)', '60');
    await settings.check('Allow users to change their own password');
    await settings.check('Prevent password reuse');
    await settings.save();
    await settings.expectFlash('success', 'Password policy updated.');
    await expect(settings.kind(), 'policy kind').toContainText('custom password policy');
    await expect(settings.rules(), 'custom rules').toContainText('Minimum password length is 12 characters');
    await expect(settings.rules(), 'custom rules').toContainText('Password expires in 60 day(s)');
    await expect(settings.rules(), 'custom rules').toContainText('Remember last 5 password(s)');
    await settings.screenshot('iam-01-password-policy');

    // The policy is the server's: a password it refuses is refused when a user is created.
    const users = new UsersPage(page);
    await users.open();
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByLabel('User name', { exact: true }).fill('ShortPassword');
    await page.getByRole('radio', { name: /^Custom password/ }).check();
    await page.getByRole('textbox', { name: 'Custom password', exact: true }).fill('Short-1!');
    await page.getByRole('button', { name: 'Create user', exact: true }).last().click();
    await shell().expectFlash('error', 'minimum length of 12');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByText('No users', { exact: true }), 'no half-created user').toBeVisible();

    await settings.open();
    await settings.edit();
    await settings.choose('IAM default');
    await settings.save();
    await expect(settings.kind(), 'policy kind').toContainText('default password policy');
  });

  step('creates the Admins group (IAMFullAccess and a Deny on RemoveUserFromGroup) and AdminUser', async () => {
    const policies = new PoliciesPage(page);
    await shell().goto('/iam/policies');
    await policies.startCreatePolicy();
    const editor = new CreatePolicyPage(page);
    await editor.typeJson(DENY_REMOVE);
    await expect(page.getByText('No findings: the policy is valid.').first(), 'validator verdict').toBeVisible();
    await editor.nextTags();
    await editor.nextReview();
    await editor.name('DenyRemoveFromGroup');
    await editor.create('DenyRemoveFromGroup');

    const groups = new GroupsPage(page);
    await groups.open();
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByLabel('User group name').fill('Admins');
    for (const policy of ['IAMFullAccess', 'DenyRemoveFromGroup']) {
      await page.getByLabel('Filter policies by property or policy name').fill(policy);
      await selectRow(page, policy);
    }
    await page.getByRole('button', { name: 'Create user group' }).click();
    await groups.expectFlash('success', 'Admins user group created.');
    const users = new UsersPage(page);
    await users.open();
    await users.createUser('AdminUser', USER_PASSWORD, ['Admins']);
  });

  step('AdminUser assigns a virtual MFA device in Security credentials', async () => {
    await signOut();
    await new SignInPage(page).signInAsIamUser(accountId, 'AdminUser', USER_PASSWORD);
    await expect(page.getByRole('heading', { name: 'Console Home' }), 'console home').toBeVisible();
    await shell().chooseFromAccountMenu('Security credentials');
    const credentials = new SecurityCredentialsPage(page);
    seed = await credentials.assignVirtualMfa('AdminUser-phone');
    // Two consecutive codes, as an authenticator app shows them one after the other (the last two steps).
    await credentials.enterCodes(totp(seed, -2), totp(seed, -1));
    await credentials.expectFlash('success', 'MFA device assigned.');
    await expect(page.getByText(/AdminUser-phone \(assigned/), 'the assigned device').toBeVisible();
    await credentials.screenshot('iam-02-mfa-assigned');
  });

  step('AdminUser signs in with password and MFA code; a wrong code is refused', async () => {
    await signOut();
    await new SignInPage(page).signInAsIamUser(accountId, 'AdminUser', USER_PASSWORD);
    const mfa = new MfaSignInPage(page);
    await expect(page.getByLabel('MFA code'), 'the MFA step').toBeVisible();
    const valid = new Set([-1, 0, 1].map((offset) => totp(seed, offset)));
    const wrong = ['000000', '111111', '222222'].find((code) => !valid.has(code))!;
    await mfa.submit(wrong);
    await expect(mfa.error(), 'the refusal').toContainText('authentication information is incorrect');
    await mfa.screenshot('iam-03-mfa-wrong-code');
    await mfa.submit(totp(seed));
    await expect(page.getByRole('heading', { name: 'Console Home' }), 'console home').toBeVisible();
    assert.equal(await shell().accountMenuLabel(), `AdminUser@${accountId}`);
  });

  step('AdminUser deletes a user: the cascade stops at the step its Deny refuses, and says which', async () => {
    const users = new UsersPage(page);
    await users.open();
    await users.createUser('TempUser', USER_PASSWORD, ['Admins']);
    const list = new IamListPage(page);
    await list.select('TempUser');
    const dialog = await list.deleteSelected();
    await expect(dialog.dialog(), 'dialog').toContainText('To confirm deletion, enter TempUser');
    await dialog.confirm('TempUser');
    await expect(dialog.steps(), 'steps').toContainText('Remove from user groups — refused (Access Denied)');
    await dialog.expectFlash('error', 'iam:RemoveUserFromGroup');
    assert.equal(await shell().flashHeader().innerText(), 'Access Denied');
    await dialog.screenshot('iam-04-delete-refused-step');
    await dialog.cancel();
    await expect(list.link('TempUser'), 'TempUser still listed').toBeVisible();
  });

  step('the root user creates a role with the wizard (another account, external ID, MFA)', async () => {
    await signOut();
    await new SignInPage(page).signInAsRoot(ROOT_EMAIL, ROOT_PASSWORD);
    await expect(page.getByRole('heading', { name: 'Console Home' }), 'console home').toBeVisible();
    const wizard = new CreateRoleWizard(page);
    await wizard.open();
    await wizard.trustedEntity('AWS account');
    await wizard.anotherAccount('12345');
    await wizard.next();
    await expect(wizard.stepError(), 'step error').toContainText('Enter a valid 12-digit AWS account ID.');
    await wizard.anotherAccount('210987654321');
    await wizard.requireExternalId('partner-42');
    await wizard.requireMfa();
    await wizard.next();
    await wizard.addPolicy('IAMReadOnlyAccess');
    await wizard.next();
    await wizard.nameRole('PartnerAuditRole', 'Read-only access for the partner');
    await wizard.addTag('team', 'audit');
    const trust = JSON.parse(await wizard.reviewTrustPolicy().innerText()) as {
      Statement: { Principal: unknown; Condition: unknown }[];
    };
    assert.deepEqual(trust.Statement[0]!.Principal, { AWS: 'arn:aws:iam::210987654321:root' });
    assert.deepEqual(trust.Statement[0]!.Condition, {
      StringEquals: { 'sts:ExternalId': 'partner-42' },
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
    });
    await wizard.screenshot('iam-05-create-role-review');
    await wizard.create('PartnerAuditRole');
    await expect(page.getByRole('link', { name: 'PartnerAuditRole' }), 'the new role').toBeVisible();
  });

  step('a service role from the wizard; Edit trust policy validates the JSON and saves it', async () => {
    const wizard = new CreateRoleWizard(page);
    await wizard.open();
    await wizard.next();
    await expect(wizard.stepError(), 'step error').toContainText('Choose a service or use case.');
    await wizard.service('Lambda');
    await wizard.next();
    await wizard.next();
    await wizard.nameRole('LambdaWorker', 'Runs the worker function');
    await wizard.create('LambdaWorker');

    const role = new RoleDetailPage(page);
    await role.open('LambdaWorker');
    await role.attachPolicy('ReadOnlyAccess');
    await role.expectFlash('success', 'Policies attached to LambdaWorker.');
    await expect(role.permissions(), 'permissions').toContainText('ReadOnlyAccess');
    await role.removePolicy('ReadOnlyAccess');
    await role.expectFlash('success', 'Policies detached from LambdaWorker.');
    await expect(role.permissions(), 'permissions without ReadOnlyAccess').toContainText(/^(?![\s\S]*ReadOnlyAccess)/);
    await role.trustTab();
    await expect(role.trustPolicy(), 'trust policy').toContainText('lambda.amazonaws.com');
    await role.editTrustPolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}');
    await expect(role.findings(), 'findings').toContainText('ERROR');
    assert.equal(await role.updateButton().isDisabled(), true, 'a trust policy without a principal is not saved');
    await role.screenshot('iam-06-trust-policy-findings');
    // The trust policy is edited in the code editor Create policy uses: line numbers, live findings.
    assert.deepEqual((await role.jsonLineNumbers('Trust policy JSON')).slice(0, 1), ['1'], 'line numbers');
    await role.fillJson(
      'Trust policy JSON',
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com","states.amazonaws.com"]},"Action":"sts:AssumeRole"}]}',
    );
    await expect(page.getByText('No findings: the policy is valid.').first(), 'validator verdict').toBeVisible();
    await role.updateButton().click();
    await role.expectFlash('success', 'Trust policy updated for LambdaWorker.');
    await expect(role.trustPolicy(), 'trust policy').toContainText('states.amazonaws.com');
  });

  step('a custom trust policy in the wizard is validated before the next step', async () => {
    const wizard = new CreateRoleWizard(page);
    await wizard.open();
    await wizard.trustedEntity('Custom trust policy');
    await wizard.customTrustPolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}');
    await expect(wizard.findings(), 'findings').toContainText('ERROR');
    await wizard.next();
    await expect(wizard.stepError(), 'step error').toContainText('Fix the errors in the trust policy.');
    await wizard.customTrustPolicy(
      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${accountId}:root"},"Action":"sts:AssumeRole"}]}`,
    );
    await expect(page.getByText('No findings: the policy is valid.').first(), 'validator verdict').toBeVisible();
    await wizard.next();
    await wizard.next();
    await wizard.nameRole('CustomTrustRole', 'Assumed from this account');
    await wizard.create('CustomTrustRole');
    const roles = new IamListPage(page);
    await roles.select('CustomTrustRole');
    const dialog = await roles.deleteSelected();
    await dialog.confirm('CustomTrustRole');
    await dialog.expectFlash('success', 'Role CustomTrustRole deleted.');
  });

  step('Edit policy saves a new default version; the versions tab lists both', async () => {
    const policies = new IamListPage(page);
    await policies.open('/iam/policies');
    await policies.filter('Filter policies by property or policy name and press enter', 'DenyRemoveFromGroup');
    await policies.link('DenyRemoveFromGroup').click();
    const detail = new PolicyDetailPage(page);
    await detail.edit(
      DENY_REMOVE.replace('"iam:RemoveUserFromGroup"', '["iam:RemoveUserFromGroup","iam:DeleteGroup"]'),
    );
    await detail.expectFlash('success', 'Policy DenyRemoveFromGroup updated.');
    await expect(detail.document(), 'the new default document').toContainText('iam:DeleteGroup');
    await detail.versionsTab();
    await expect(detail.versions(), 'versions').toContainText('v2 (Default)');
    await expect(detail.versions(), 'versions').toContainText('v1');
  });

  step('a policy in use is refused with DeleteConflict, then detached and deleted', async () => {
    // Deleting it also deletes its older version (v1), as DeletePolicy requires.
    const list = new IamListPage(page);
    await list.open('/iam/policies');
    await list.filter('Filter policies by property or policy name and press enter', 'DenyRemoveFromGroup');
    await list.select('DenyRemoveFromGroup');
    let dialog = await list.deleteSelected();
    await dialog.confirm('DenyRemoveFromGroup');
    await dialog.expectFlash('error', 'Cannot delete a policy attached to entities.');
    assert.equal(await shell().flashHeader().innerText(), 'DeleteConflict');
    await expect(dialog.steps(), 'steps').toContainText('Delete policy — refused (DeleteConflict)');
    await dialog.screenshot('iam-07-policy-delete-conflict');
    await dialog.checkDetachFirst();
    await dialog.dialog().getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.expectFlash('success', 'Policy DenyRemoveFromGroup deleted.');
    await list.filter('Filter policies by property or policy name and press enter', 'DenyRemoveFromGroup');
    await expect(page.getByText('No matches'), 'the policy is gone').toBeVisible();
    dialog = new DeleteDialog(page);
    assert.equal(await dialog.dialog().isVisible(), false);
  });

  step("the root user sees and changes a user's credentials on the user's page", async () => {
    const tab = new UserCredentialsTab(page);
    await tab.open('TempUser');
    // The refused delete above had already deleted TempUser's console password, its first step.
    await expect(tab.consoleAccess(), 'console access').toContainText('Disabled');
    await tab.enableConsoleAccess(USER_PASSWORD);
    await tab.expectFlash('success', 'Console access for TempUser updated.');
    await expect(tab.consoleAccess(), 'console access').toContainText('Enabled');
    const keyId = await tab.createAccessKey();
    await expect(tab.accessKeys(), 'access keys').toContainText(keyId);
    await tab.open('AdminUser');
    await expect(tab.consoleAccess(), 'console access').toContainText('Enabled');
    await expect(tab.mfaDevices(), 'MFA devices').toContainText('mfa/AdminUser-phone');
    await tab.screenshot('iam-08-user-security-credentials');
  });

  step('the root user deletes two users at once (typing "delete"), with their MFA, password and groups', async () => {
    const list = new IamListPage(page);
    await list.open('/iam/users');
    await list.select('AdminUser');
    await list.select('TempUser');
    const dialog = await list.deleteSelected();
    await expect(dialog.dialog(), 'dialog').toContainText('Delete 2 users?');
    await dialog.confirm('delete');
    await dialog.expectFlash('success', 'Users AdminUser, TempUser deleted.');
    await expect(page.getByText('No users', { exact: true }), 'no users left').toBeVisible();
  });

  step('the root user deletes a user group and a role from their own pages', async () => {
    await shell().goto('/iam/group?name=Admins');
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await new DeleteDialog(page).confirm('Admins');
    await shell().expectFlash('success', 'User group Admins deleted.');
    await expect(page.getByText('No user groups', { exact: true }), 'no groups left').toBeVisible();

    const role = new RoleDetailPage(page);
    await role.open('PartnerAuditRole');
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await new DeleteDialog(page).confirm('PartnerAuditRole');
    await shell().expectFlash('success', 'Role PartnerAuditRole deleted.');
    await expect(page.getByRole('link', { name: 'LambdaWorker' }), 'the other role').toBeVisible();
    assert.equal(await page.getByRole('link', { name: 'PartnerAuditRole' }).count(), 0);
  });

  step('no page errors', async () => {
    assert.deepEqual(pageErrors, []);
  });
});
