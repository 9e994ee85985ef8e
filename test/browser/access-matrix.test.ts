/**
 * IAM's Access page and the "what changes" preview in Chromium, on the seed tutorial's account (set up through
 * invoke() as the root user): the billing matrix says FinanceManager may save billing preferences and FinanceUser
 * may only open the page, a cell explains itself with the deciding statements (linked to their policy), the
 * filters narrow the principals, the Account page lists who has access, and attaching BillingFullAccess to
 * BillingViewAccessGroup previews "FinanceUser will be able to: aws-portal:ModifyBilling …" before it is saved.
 * Each page is checked with axe-core, as the accessibility suite does.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Caller, RequestFacts } from '../../src/core/operation.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { browserUnavailable, buildConsole, launchBrowser, openConsolePage, screenshotOnFailure } from './browser.js';
import { AccessPage, GroupAttachDialog } from './pages/access-pages.js';
import { seriousViolations } from './pages/accessibility-pages.js';
import { expect } from './pages/expect.js';
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

describe('the IAM console: the access matrix and what changes', { skip }, () => {
  let server: BursarServer;
  let browser: Browser;
  let page: Page;
  let accountId = '';

  before(async () => {
    buildConsole();
    server = await startServer();
    browser = await launchBrowser();
    ({ page } = await openConsolePage(browser, []));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const step = screenshotOnFailure('access-matrix-failed', () => page);
  const asRoot = (service: string, operation: string, input: Record<string, unknown>) => {
    const root: Caller = { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
    const facts: RequestFacts = {
      requestId: `access-${operation}`,
      sourceIp: '127.0.0.1',
      userAgent: 'access-matrix-test',
      now: testNow(),
      via: 'json',
    };
    return server.world().invoke(root, facts, service, operation, input);
  };
  const noViolations = async (where: string) => {
    assert.deepEqual(await seriousViolations(page), [], `axe on ${where}`);
  };

  step('signs up and sets up the seed tutorial, with IAM access to billing on', async () => {
    accountId = await new SignUpPage(page).createAccount(
      server.url,
      'owner@access.example',
      'Access',
      'Access-Matrix-Pass1!',
    );
    for (const [group, name, document] of [
      ['BillingFullAccessGroup', 'BillingFullAccess', BILLING_FULL],
      ['BillingViewAccessGroup', 'BillingViewAccess', BILLING_VIEW],
    ] as const) {
      const created = await asRoot('iam', 'CreatePolicy', {
        PolicyName: name,
        PolicyDocument: JSON.stringify(document),
      });
      await asRoot('iam', 'CreateGroup', { GroupName: group });
      await asRoot('iam', 'AttachGroupPolicy', {
        GroupName: group,
        PolicyArn: (created.Policy as { Arn: string }).Arn,
      });
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

  step('the Access page: every principal × every billing page, and the buttons on request', async () => {
    const access = new AccessPage(page);
    await access.open();
    assert.deepEqual(await access.principals(), ['root', 'FinanceManager', 'FinanceUser']);
    assert.equal(await access.decision('FinanceUser', 'Billing preferences'), 'allowed');
    assert.equal(await access.decision('FinanceUser', 'Bills'), 'allowed');
    await access.showButtons();
    assert.equal(await access.decision('FinanceUser', 'Billing preferences › Save preferences'), 'denied');
    assert.equal(await access.decision('FinanceManager', 'Billing preferences › Save preferences'), 'allowed');
    assert.equal(await access.decision('root', 'Billing preferences › Save preferences'), 'allowed');
    await noViolations('the Access page');
    await access.screenshot('access-matrix');
  });

  step("a cell explains itself: FinanceUser's Save preferences needs ModifyBilling", async () => {
    const access = new AccessPage(page);
    const actions = await access.explain('FinanceUser', 'Billing preferences › Save preferences');
    await expect(page.getByText('Missing: aws-portal:ModifyBilling'), 'the missing action').toBeVisible();
    const row = (action: string) => actions.getByRole('row').filter({ hasText: action });
    await expect(row('aws-portal:ViewBilling'), 'ViewBilling granted').toContainText(
      'BillingViewAccess (VisualEditor0) via group/BillingViewAccessGroup',
    );
    await expect(row('aws-portal:ModifyBilling'), 'ModifyBilling refused').toContainText('denied');
    await noViolations('the cell explanation');
    await access.screenshot('access-matrix-explained');
    // Each statement links to its policy.
    await row('aws-portal:ViewBilling').getByRole('link', { name: 'BillingViewAccess' }).click();
    await page.getByRole('heading', { name: 'BillingViewAccess', exact: true }).first().waitFor();
  });

  step('filters by type and by group', async () => {
    const access = new AccessPage(page);
    await access.open();
    await access.filter('Members of BillingFullAccessGroup');
    assert.deepEqual(await access.principals(), ['FinanceManager']);
    await access.filter('Root user');
    assert.deepEqual(await access.principals(), ['root']);
  });

  step('the Account page lists who has access to billing', async () => {
    await new AccessPage(page).goto('/billing/account');
    const table = page.getByRole('table', { name: 'Who has access' });
    await table.getByRole('row').nth(1).waitFor();
    await expect(table.getByRole('row').filter({ hasText: 'FinanceUser' }), 'FinanceUser').toContainText('FinanceUser');
    await expect(table.getByRole('row').filter({ hasText: 'FinanceManager' }), 'FinanceManager').toContainText('user');
    await noViolations('the Account page');
  });

  step('attaching BillingFullAccess to BillingViewAccessGroup previews what FinanceUser gains', async () => {
    const dialog = new GroupAttachDialog(page);
    await dialog.open('BillingViewAccessGroup');
    await dialog.pick('BillingFullAccess');
    const changes = await dialog.changes();
    assert.equal(changes.length, 1, changes.join('\n'));
    assert.match(changes[0]!, /^FinanceUser will be able to: .*aws-portal:ModifyBilling/);
    assert.doesNotMatch(changes[0]!, /View/);
    await noViolations('the attach dialog with its preview');
    await dialog.screenshot('access-change-preview');
    // Nothing is attached until the dialog's button is pressed.
    const attached = (await asRoot('iam', 'ListAttachedGroupPolicies', { GroupName: 'BillingViewAccessGroup' })) as {
      AttachedPolicies: { PolicyName: string }[];
    };
    assert.deepEqual(
      attached.AttachedPolicies.map((p) => p.PolicyName),
      ['BillingViewAccess'],
    );
  });
});
