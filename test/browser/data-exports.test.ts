/**
 * The Data exports page in the browser: the root user creates a Cost and Usage Report definition, is
 * refused a duplicate name with the service's own error, and deletes it; IAM users meet the page's gate in
 * the existing action set — FinanceUser (aws-portal:View*) lacks cur:DescribeReportDefinitions, and a user
 * who may list reports but not create them sees Create report refused. Also the Bills page's invoice
 * download, which follows GetInvoicePDF's pre-signed link.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Caller, RequestFacts } from '../../src/core/operation.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { browserUnavailable, buildConsole, launchBrowser, newConsoleContext, screenshotOnFailure } from './browser.js';
import { DataExportsPage } from './pages/data-exports-pages.js';
import { expect } from './pages/expect.js';
import { SignInPage } from './pages/sign-in-page.js';
import { BillsPage } from './pages/organizations-pages.js';
import { SignUpPage } from './pages/sign-up-page.js';
import { seedCosts, startServer } from './server.js';
import { testNow } from '../test-clock.js';

const skip = browserUnavailable();
const PASSWORD = 'Exports-Passw0rd!';

describe('Data exports in the browser', { skip }, () => {
  let server: BursarServer;
  let browser: Browser;
  let page: Page;
  let accountId: string;

  before(async () => {
    buildConsole();
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 }, reducedMotion: 'reduce' });
    const signUp = new SignUpPage(page);
    accountId = await signUp.createAccount(server.url, 'exports@example.com', 'Exports account', PASSWORD);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const exportsPage = () => new DataExportsPage(page);

  /** A step; when it fails, the page as it was is kept beside the other screenshots. */
  const step = screenshotOnFailure('failed-data-exports', () => page);

  step('the root user creates a report, is refused a duplicate name, and deletes it', async () => {
    await exportsPage().open();
    await expect(exportsPage().reports(), 'the empty table').toContainText('No reports');
    await exportsPage().createReport({ name: 'daily-costs', bucket: 'example-reports', prefix: 'cur' });
    await exportsPage().expectFlash('success', 'Report daily-costs was created.');
    const row = exportsPage().row('daily-costs');
    await expect(row, 'the granularity').toContainText('Daily');
    await expect(row, 'the format').toContainText('CSV (GZIP)');
    await expect(row, 'the destination').toContainText('s3://example-reports/cur/ (us-east-1)');
    // Creating the report delivered it (in the background): opened again, the page says when.
    await server.world().exportDeliveries.idle();
    await exportsPage().open();
    await expect(exportsPage().row('daily-costs'), 'the last delivery').toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    await exportsPage().screenshot('data-exports');

    await exportsPage().createReport({ name: 'daily-costs', bucket: 'other-bucket', format: 'Parquet' });
    await exportsPage().expectFlash('error', 'A report named daily-costs already exists in this account.');
    await expect(exportsPage().flashHeader(), "the service's error code").toContainText('DuplicateReportNameException');

    await exportsPage().deleteReport('daily-costs');
    await exportsPage().expectFlash('success', 'Report daily-costs was deleted.');
    await expect(exportsPage().reports(), 'the table, without the deleted report').toContainText('No reports');
  });

  step("the Bills page downloads last month's invoice through GetInvoicePDF's link", async () => {
    await seedCosts(server, accountId);
    const now = testNow();
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const bills = new BillsPage(page);
    await bills.goto('/billing');
    await bills.open();
    await bills.choosePeriod(last.toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }));
    const invoiceId = `BRS-${accountId}-${last.toISOString().slice(0, 7).replace('-', '')}`;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download invoice' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${invoiceId}.pdf`);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  });

  step('IAM users meet the page gate and the Create report button gate', async () => {
    const world = server.world();
    const root: Caller = { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
    const facts: RequestFacts = {
      requestId: 'setup',
      sourceIp: '127.0.0.1',
      userAgent: 'test',
      now: testNow(),
      via: 'json',
    };
    const asRoot = (service: string, operation: string, input: Record<string, unknown>) =>
      world.invoke(root, facts, service, operation, input);
    await asRoot('billing', 'UpdateIAMAccessPreference', { IamUserAccessToBilling: 'ALLOW' });
    const users: Record<string, string[]> = {
      FinanceUser: ['aws-portal:View*'],
      ReportReader: ['aws-portal:ViewBilling', 'aws-portal:ViewUsage', 'cur:DescribeReportDefinitions'],
    };
    for (const [userName, actions] of Object.entries(users)) {
      await asRoot('iam', 'CreateUser', { UserName: userName });
      await asRoot('iam', 'CreateLoginProfile', { UserName: userName, Password: PASSWORD });
      await asRoot('iam', 'PutUserPolicy', {
        UserName: userName,
        PolicyName: 'Billing',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
        }),
      });
    }

    const signInAs = async (userName: string) => {
      const context = await newConsoleContext(browser);
      const userPage = await context.newPage();
      const signIn = new SignInPage(userPage);
      await signIn.open(server.url);
      await signIn.signInAsIamUser(accountId, userName, PASSWORD);
      await userPage.getByRole('heading', { name: 'Console Home' }).waitFor();
      const view = new DataExportsPage(userPage);
      await view.goto('/billing/data-exports');
      return view;
    };

    const financeUser = await signInAs('FinanceUser');
    await expect(financeUser.blocker(), 'the page blocker').toContainText('You Need Permissions');
    await expect(financeUser.blocker(), 'the missing action').toContainText('cur:DescribeReportDefinitions');

    const reader = await signInAs('ReportReader');
    await expect(reader.reports(), 'the reports table').toBeVisible();
    await reader.createReport({ name: 'not-allowed', bucket: 'example-reports' });
    await reader.expectFlash('error', 'You need cur:PutReportDefinition permissions to make changes to this page.');
  });
});
