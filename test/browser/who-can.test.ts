/**
 * IAM's "Who can?" page in Chromium, on the seed tutorial's account (set up through invoke() as the root user):
 * `aws-portal:ModifyBilling` names the root user and FinanceManager (through BillingFullAccessGroup →
 * BillingFullAccess), not FinanceUser; with the Billing console's IAM-access switch off the console column
 * says FinanceManager is refused by the switch, and once it is on, that the console lets FinanceManager through.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Caller, RequestFacts } from '../../src/core/operation.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { browserUnavailable, buildConsole, launchBrowser, openConsolePage, screenshotOnFailure } from './browser.js';
import { expect } from './pages/expect.js';
import { SignUpPage } from './pages/sign-up-page.js';
import { WhoCanPage } from './pages/who-can-pages.js';
import { startServer } from './server.js';
import { testNow } from '../test-clock.js';

const skip = browserUnavailable();
const BILLING_FULL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'aws-portal:*', Resource: '*' }] };
const BILLING_VIEW = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['aws-portal:ViewBilling', 'aws-portal:ViewUsage'], Resource: '*' }],
};

describe('the IAM console: who can?', { skip }, () => {
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

  const step = screenshotOnFailure('who-can-failed', () => page);
  const asRoot = (service: string, operation: string, input: Record<string, unknown>) => {
    const root: Caller = { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
    const facts: RequestFacts = {
      requestId: `who-can-${operation}`,
      sourceIp: '127.0.0.1',
      userAgent: 'who-can-test',
      now: testNow(),
      via: 'json',
    };
    return server.world().invoke(root, facts, service, operation, input);
  };

  step('signs up and sets up the seed tutorial: two groups, FinanceManager and FinanceUser', async () => {
    accountId = await new SignUpPage(page).createAccount(
      server.url,
      'owner@who-can.example',
      'Who can',
      'Who-Can-Pass1!',
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
  });

  step('suggests the catalog actions of the service typed so far', async () => {
    const whoCan = new WhoCanPage(page);
    await whoCan.open();
    const suggestions = await whoCan.suggestionsFor('aws-portal:Mod');
    assert.ok(
      suggestions.some((s) => s.includes('aws-portal:ModifyBilling')),
      `suggestions: ${suggestions.join(' | ')}`,
    );
  });

  step('who can aws-portal:ModifyBilling: root and FinanceManager; the console refuses FinanceManager', async () => {
    const whoCan = new WhoCanPage(page);
    await whoCan.ask('aws-portal:ModifyBilling');
    assert.deepEqual(await whoCan.principals(), ['root', 'FinanceManager', 'FinanceUser']);
    const [, , rootDecision, , , rootConsole] = await whoCan.cells('root');
    assert.equal(rootDecision, 'allowed');
    assert.match(rootConsole!, /^allowed/);
    const [, , decision, granted, , consoleGate] = await whoCan.cells('FinanceManager');
    assert.equal(decision, 'allowed');
    assert.equal(granted, 'BillingFullAccess via group/BillingFullAccessGroup');
    assert.match(consoleGate!, /^refused IAM user and role access to Billing information is off/);
    const [, , userDecision, userGranted] = await whoCan.cells('FinanceUser');
    assert.equal(userDecision, 'denied');
    assert.equal(userGranted, '-');
  });

  step('with IAM access to billing switched on, the console lets FinanceManager through', async () => {
    await asRoot('billing', 'UpdateIAMAccessPreference', { IamUserAccessToBilling: 'ALLOW' });
    const whoCan = new WhoCanPage(page);
    await whoCan.ask('aws-portal:ModifyBilling');
    // The heading stays the same across a second answer: wait for the row to change.
    await expect(whoCan.row('FinanceManager'), "FinanceManager's console verdict").toContainText(
      'The console asks the policies',
    );
    const [, , decision, , , consoleGate] = await whoCan.cells('FinanceManager');
    assert.equal(decision, 'allowed');
    assert.match(consoleGate!, /^allowed /);
    await whoCan.screenshot('who-can');
  });
});
