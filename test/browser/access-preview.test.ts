/**
 * The "what changes" preview in each flow that can alter billing access, in Chromium, on the seed tutorial's
 * account (set up through invoke() as the root user): detaching a policy, adding a user to a group (from the
 * group's page and from the user's), saving a new policy version, the console action set and the IAM-access switch
 * each say, before anything is saved, whose access it adds or removes. Cancelling saves nothing; saving does what
 * was previewed. Each dialog is checked with axe-core, as the accessibility suite does.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Caller, RequestFacts } from '../../src/core/operation.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { browserUnavailable, buildConsole, launchBrowser, openConsolePage, screenshotOnFailure } from './browser.js';
import { previewedChanges } from './pages/access-pages.js';
import { seriousViolations } from './pages/accessibility-pages.js';
import { ConsolePage } from './pages/console-page.js';
import { expect } from './pages/expect.js';
import { selectRow } from './pages/iam-admin-pages.js';
import { SignUpPage } from './pages/sign-up-page.js';
import { startServer } from './server.js';
import { testNow } from '../test-clock.js';

const skip = browserUnavailable();
const BILLING_FULL = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'VisualEditor0', Effect: 'Allow', Action: 'aws-portal:*', Resource: '*' }],
};
const BILLING_VIEW = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'VisualEditor0', Effect: 'Allow', Action: 'aws-portal:View*', Resource: '*' }],
};

describe('the IAM and Billing consoles: what a change gains and loses, before it is saved', { skip }, () => {
  let server: BursarServer;
  let browser: Browser;
  let page: Page;
  let at: ConsolePage;
  let accountId = '';
  const arns: Record<string, string> = {};

  before(async () => {
    buildConsole();
    server = await startServer();
    browser = await launchBrowser();
    ({ page } = await openConsolePage(browser, []));
    at = new ConsolePage(page);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const step = screenshotOnFailure('access-preview-failed', () => page);
  const asRoot = async <T>(service: string, operation: string, input: Record<string, unknown>) => {
    const root: Caller = { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
    const facts: RequestFacts = {
      requestId: `preview-${operation}`,
      sourceIp: '127.0.0.1',
      userAgent: 'access-preview-test',
      now: testNow(),
      via: 'json',
    };
    return (await server.world().invoke(root, facts, service, operation, input)) as T;
  };
  const noViolations = async (where: string) => {
    assert.deepEqual(await seriousViolations(page), [], `axe on ${where}`);
  };
  const dialog = () => page.getByRole('dialog');
  const groupPolicies = async (GroupName: string) =>
    (
      await asRoot<{ AttachedPolicies: { PolicyName: string }[] }>('iam', 'ListAttachedGroupPolicies', { GroupName })
    ).AttachedPolicies.map((p) => p.PolicyName);
  const groupsOf = async (UserName: string) =>
    (await asRoot<{ Groups: { GroupName: string }[] }>('iam', 'ListGroupsForUser', { UserName })).Groups.map(
      (g) => g.GroupName,
    );

  step('signs up and sets up the seed tutorial, with IAM access to billing on', async () => {
    accountId = await new SignUpPage(page).createAccount(
      server.url,
      'owner@preview.example',
      'Preview',
      'Access-Preview-Pass1!',
    );
    for (const [group, name, document] of [
      ['BillingFullAccessGroup', 'BillingFullAccess', BILLING_FULL],
      ['BillingViewAccessGroup', 'BillingViewAccess', BILLING_VIEW],
    ] as const) {
      const created = await asRoot<{ Policy: { Arn: string } }>('iam', 'CreatePolicy', {
        PolicyName: name,
        PolicyDocument: JSON.stringify(document),
      });
      arns[name] = created.Policy.Arn;
      await asRoot('iam', 'CreateGroup', { GroupName: group });
      await asRoot('iam', 'AttachGroupPolicy', { GroupName: group, PolicyArn: created.Policy.Arn });
    }
    for (const [user, group] of [
      ['FinanceManager', 'BillingFullAccessGroup'],
      ['FinanceUser', 'BillingViewAccessGroup'],
    ] as const) {
      await asRoot('iam', 'CreateUser', { UserName: user });
      await asRoot('iam', 'AddUserToGroup', { GroupName: group, UserName: user });
    }
    await asRoot('billing', 'UpdateIAMAccessPreference', { IamUserAccessToBilling: 'ALLOW' });
  });

  step('Remove BillingFullAccess from BillingFullAccessGroup: FinanceManager loses billing', async () => {
    await at.goto('/iam/group?name=BillingFullAccessGroup');
    await at.heading('BillingFullAccessGroup').waitFor();
    await page.getByRole('tab', { name: 'Permissions' }).click();
    await selectRow(page, 'BillingFullAccess');
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    const changes = await previewedChanges(page);
    assert.equal(changes.length, 1, changes.join('\n'));
    assert.match(changes[0]!, /^FinanceManager will no longer be able to: .*aws-portal:ModifyBilling/);
    assert.match(changes[0]!, /aws-portal:ViewBilling/);
    await noViolations('the remove dialog with its preview');
    await at.screenshot('access-preview-detach');
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    assert.deepEqual(await groupPolicies('BillingFullAccessGroup'), ['BillingFullAccess']);
  });

  step('Add users to BillingFullAccessGroup: FinanceUser gains ModifyBilling, not what it has', async () => {
    await page.getByRole('tab', { name: /^Users/ }).click();
    await page.getByRole('button', { name: 'Add users', exact: true }).click();
    await selectRow(page, 'FinanceUser');
    const changes = await previewedChanges(page);
    assert.equal(changes.length, 1, changes.join('\n'));
    assert.match(changes[0]!, /^FinanceUser will be able to: .*aws-portal:ModifyBilling/);
    assert.doesNotMatch(changes[0]!, /View/);
    await noViolations('the add users dialog with its preview');
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    assert.deepEqual(await groupsOf('FinanceUser'), ['BillingViewAccessGroup']);
  });

  step('Edit BillingViewAccess to aws-portal:*: FinanceUser gains ModifyBilling before Save', async () => {
    await at.goto(`/iam/policy?arn=${encodeURIComponent(arns.BillingViewAccess!)}`);
    await at.heading('BillingViewAccess').waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await at.fillJson('Policy document JSON', JSON.stringify(BILLING_FULL, null, 2));
    await page.getByText('No findings: the policy is valid.').first().waitFor();
    const changes = await previewedChanges(page);
    assert.equal(changes.length, 1, changes.join('\n'));
    assert.match(changes[0]!, /^FinanceUser will be able to: .*aws-portal:ModifyBilling/);
    await noViolations('the policy editor with its preview');
    await page.getByRole('button', { name: 'Cancel' }).click();
    const versions = await asRoot<{ Versions: unknown[] }>('iam', 'ListPolicyVersions', {
      PolicyArn: arns.BillingViewAccess,
    });
    assert.equal(versions.Versions.length, 1);
  });

  step("the user's page, Add to groups: the same preview, then the user is added", async () => {
    await at.goto('/iam/user?name=FinanceUser');
    await at.heading('FinanceUser').waitFor();
    await page.getByRole('tab', { name: 'Groups' }).click();
    await page.getByRole('button', { name: 'Add to groups', exact: true }).click();
    await selectRow(page, 'BillingFullAccessGroup');
    const changes = await previewedChanges(page);
    assert.equal(changes.length, 1, changes.join('\n'));
    assert.match(changes[0]!, /^FinanceUser will be able to: .*aws-portal:ModifyBilling/);
    await noViolations('the add to groups dialog with its preview');
    await at.screenshot('access-preview-add-to-group');
    await dialog().getByRole('button', { name: 'Add to groups', exact: true }).click();
    await at.expectFlash('success', 'FinanceUser added to BillingFullAccessGroup.');
    assert.deepEqual((await groupsOf('FinanceUser')).sort(), ['BillingFullAccessGroup', 'BillingViewAccessGroup']);
  });

  step('the fine-grained action set: users granted only aws-portal actions lose the Billing console', async () => {
    await at.goto('/billing/account');
    await page.getByRole('button', { name: 'Edit IAM actions for Billing console access' }).click();
    await page.getByRole('radio', { name: /^Fine-grained actions/ }).check();
    const changes = await previewedChanges(page);
    assert.deepEqual(
      changes.map((c) => c.slice(0, c.indexOf(':'))).sort(),
      ['FinanceManager will no longer be able to', 'FinanceUser will no longer be able to'],
      changes.join('\n'),
    );
    await noViolations('the action set setting with its preview');
    await page.getByRole('button', { name: 'Cancel' }).click();
    const saved = await asRoot<{ ConsoleActionSet: string }>('aws-portal', 'GetConsoleActionSetEnforced', {});
    assert.equal(saved.ConsoleActionSet, 'EXISTING');
  });

  step('turning the IAM-access switch off: the IAM users lose the pages behind it, root keeps them', async () => {
    await at.goto('/billing/account');
    await page.getByRole('button', { name: 'Edit IAM User and Role Access to Billing Information' }).click();
    await page.getByRole('checkbox', { name: 'Activate IAM Access' }).uncheck();
    const changes = await previewedChanges(page);
    assert.deepEqual(
      changes.map((c) => c.slice(0, c.indexOf(':'))).sort(),
      ['FinanceManager will no longer be able to', 'FinanceUser will no longer be able to'],
      changes.join('\n'),
    );
    for (const line of changes) assert.match(line, /: .*Billing preferences/);
    await noViolations('the IAM-access switch with its preview');
    await at.screenshot('access-preview-iam-access');
    await page.getByRole('button', { name: 'Update', exact: true }).click();
    await at.expectFlash('success', 'IAM user/role access to billing information is deactivated.');
    const saved = await asRoot<{ IamUserAccessToBilling: string }>('billing', 'GetIAMAccessPreference', {});
    assert.equal(saved.IamUserAccessToBilling, 'DENY');
    // The Account page's "Who has access" is evaluated again: only the root user can open Billing preferences.
    const who = page.getByRole('table', { name: 'Who has access' }).getByRole('row');
    await expect(who.filter({ hasText: 'Billing preferences' }), 'who can open Billing preferences').toHaveCount(1);
    await expect(who.filter({ hasText: 'Billing preferences' }), 'the root user').toContainText('root');
  });
});
