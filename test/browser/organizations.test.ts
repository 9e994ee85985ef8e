/**
 * AWS Organizations and the Billing pages that came with it, clicked through in Chromium: a management account
 * creates its organization, adds a member account, an OU, moves the account, turns on SCPs and attaches one it
 * wrote; the member account's administrator is refused the organization and, by that SCP, the cost upload.
 * The root user reads its credits and uploads real CUR exports, whose totals then show on the bill.
 * Screenshots go to test-artifacts/screenshots/ with the rest.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Caller, RequestFacts } from '../../src/core/operation.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { browserUnavailable, buildConsole, launchBrowser, openConsolePage, screenshotOnFailure } from './browser.js';
import { ConsolePage } from './pages/console-page.js';
import { expect } from './pages/expect.js';
import {
  BillsPage,
  CreditsPage,
  OrganizationAccountsPage,
  OrganizationPoliciesPage,
  UploadCostDataPage,
} from './pages/organizations-pages.js';
import { SignInPage } from './pages/sign-in-page.js';
import { SignUpPage } from './pages/sign-up-page.js';
import { seedCosts, startServer } from './server.js';
import { testNow } from '../test-clock.js';

const skip = browserUnavailable();
const ROOT_EMAIL = 'owner@org.example';
const ROOT_PASSWORD = 'Root-Password-123!';
const ADMIN_PASSWORD = 'Member-Admin-Pass-1!';
const CUR_CSV = '/work/shared/data/cur-sample/aws_legacy_cur_anonymized_2023-11.csv';
const FOCUS_CSV = '/work/shared/data/focus-sample/focus_sample_1000.csv';
const CUR_PARQUET = '/work/shared/data/cur-sample/aws_workshop_cur_2018-10_slice.snappy.parquet';
const DENY_UPLOAD = JSON.stringify(
  { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'bursar:ImportCostData', Resource: '*' }] },
  null,
  2,
);

describe('AWS Organizations, Credits and Upload cost data in the browser', { skip }, () => {
  let server: BursarServer;
  let browser: Browser;
  let page: Page;
  let sandboxId = '';
  const scratch = mkdtempSync(join(tmpdir(), 'bursar-upload-'));
  let pageErrors: string[] = [];

  before(async () => {
    buildConsole();
    server = await startServer();
    browser = await launchBrowser();
    // Refusals this test provokes come back as 400 (AWS's exceptions) and 403; they are answers, not errors.
    ({ page, pageErrors } = await openConsolePage(browser, [400, 401, 403, 404]));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const shell = () => new ConsolePage(page);
  const step = screenshotOnFailure('failed-org', () => page);
  const signOut = async () => {
    await shell().chooseFromAccountMenu('Sign out');
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  };

  step('signs up the account that will manage the organization', async () => {
    const signUp = new SignUpPage(page);
    await signUp.open(server.url);
    await signUp.signUp(ROOT_EMAIL, 'Org owner', ROOT_PASSWORD);
    await expect(page.getByRole('heading', { name: 'Console Home' }), 'console home').toBeVisible();
    const accountId = (await shell().accountMenuLabel()).trim();
    assert.match(accountId, /^\d{12}$/);
    await seedCosts(server, accountId);
  });

  step('creates the organization: the tree shows the root and the management account', async () => {
    const accounts = new OrganizationAccountsPage(page);
    await accounts.open();
    await accounts.createOrganization();
    await accounts.expectFlash('success', /You created organization o-[a-z0-9]+/);
    await expect(accounts.row('Root'), 'root row').toBeVisible();
    assert.ok(!(await accounts.tree().innerText()).includes('Root: Root'), 'the root is named once');
    await expect(accounts.row('Org owner'), 'management account row').toContainText('(management account)');
    await expect(accounts.row('Org owner'), 'management account row').toContainText(ROOT_EMAIL);
    await expect(accounts.row('Org owner'), 'management account row').toContainText('Active');
  });

  step('adds an AWS account (CreateAccount); the same email again is refused with the reason', async () => {
    const accounts = new OrganizationAccountsPage(page);
    await accounts.addAccount('Sandbox', 'sandbox@org.example');
    await accounts.expectFlash('success', /AWS account Sandbox \(\d{12}\) was created\./);
    await expect(accounts.row('Sandbox'), 'new account row').toContainText('sandbox@org.example');
    await expect(accounts.row('Sandbox'), 'new account row').toContainText('Active');
    sandboxId = /\b(\d{12})\b/.exec(await accounts.row('Sandbox').innerText())?.[1] ?? '';
    assert.match(sandboxId, /^\d{12}$/, 'the row shows the account id');

    await accounts.addAccount('Sandbox again', 'sandbox@org.example');
    await expect(shell().flashHeader(), 'refusal header').toContainText('EMAIL_ALREADY_EXISTS');
    await accounts.expectFlash('error', 'An account with this email address already exists.');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  step('creates an OU under the root and moves the account into it; a duplicate OU name is refused', async () => {
    const accounts = new OrganizationAccountsPage(page);
    await expect(accounts.row('Sandbox'), 'account row').toBeVisible();
    await accounts.createOrganizationalUnit('Root', 'Workloads');
    await accounts.expectFlash('success', 'Organizational unit Workloads was created in Root.');
    await expect(accounts.row('Workloads'), 'OU row').toContainText(/ou-[a-z0-9]+-[a-z0-9]+/);
    await expect(accounts.row('Workloads').getByRole('img', { name: 'Organizational unit' }), 'OU icon').toBeVisible();
    await accounts.moveAccount('Sandbox', 'Workloads');
    await accounts.expectFlash('success', 'Sandbox was moved to Workloads.');
    // In the tree: Root (level 1) → Workloads (2) → Sandbox (3).
    await expect(accounts.rowAtLevel('Sandbox', 3), 'Sandbox under Workloads').toBeVisible();
    await accounts.screenshot('org-01-aws-accounts-tree');

    await accounts.createOrganizationalUnit('Root', 'Workloads');
    await expect(shell().flashHeader(), 'refusal header').toContainText('DuplicateOrganizationalUnitException');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  });

  step('enables SCPs, writes one in the JSON editor with the validator, attaches and detaches it', async () => {
    const policies = new OrganizationPoliciesPage(page);
    await policies.open();
    await policies.enableScps();
    await policies.expectFlash('success', 'Service control policies are enabled.');
    await expect(policies.policies(), 'SCP list').toContainText('FullAWSAccess');

    await policies.startCreatePolicy();
    await policies.fill('DenyCostUpload', 'No cost uploads in workloads', '{"Version": "2012-10-17", "Statement": [');
    await expect(policies.findings(), 'validator finding').toContainText('ERROR');
    assert.equal(await policies.createButton().isDisabled(), true, 'an invalid policy cannot be created');
    await policies.fill('DenyCostUpload', 'No cost uploads in workloads', DENY_UPLOAD);
    await expect(policies.findings(), 'validator finding').toContainText('No findings');
    await policies.screenshot('org-02-create-scp');
    await policies.createButton().click();
    await policies.expectFlash('success', 'Policy DenyCostUpload was created.');

    await policies.selectPolicy('DenyCostUpload');
    await policies.attachTo('Workloads');
    await policies.expectFlash('success', 'DenyCostUpload was attached to Workloads.');
    await policies.attachTo('Sandbox');
    await expect(policies.targets('DenyCostUpload'), 'targets').toContainText('Sandbox');
    await policies.detachFrom('DenyCostUpload', 'Sandbox');
    await policies.expectFlash('success', 'DenyCostUpload was detached from Sandbox.');
    await expect(policies.targets('DenyCostUpload'), 'targets').toContainText('Workloads');
    assert.equal(await policies.targets('DenyCostUpload').getByText('Sandbox').count(), 0, 'detached');
    await policies.screenshot('org-03-scp-targets');
  });

  step('Credits: the credits applied, by billing period and by service', async () => {
    await shell().chooseFromAccountMenu('Billing Dashboard');
    const credits = new CreditsPage(page);
    await credits.open();
    await expect(credits.byPeriod(), 'credits by period').toContainText(/-\$[\d,]+\.\d\d/);
    await expect(credits.byService(), 'credits by service').toContainText(/-\$[\d,]+\.\d\d/);
    await credits.screenshot('billing-credits');
  });

  step(
    'Upload cost data: real CUR CSV (gzipped in the browser) and Parquet, FOCUS CSV; the bill shows the import',
    async () => {
      const upload = new UploadCostDataPage(page);
      await upload.open();
      await upload.upload(CUR_CSV);
      await expect(upload.report(), 'import report').toContainText('1281 rows read');
      await expect(upload.periods(), 'imported periods').toContainText('2023-11');
      await upload.screenshot('billing-upload-report');
      const periodRow = (
        await upload
          .periods()
          .getByRole('row', { name: /2023-11/ })
          .innerText()
      ).split(/\t|\n/);
      const imported = periodRow.find((cell) => cell.trim().startsWith('$'))?.trim() ?? '';
      assert.match(imported, /^\$\d/, 'the report states the period total');

      await upload.upload(CUR_PARQUET);
      await expect(upload.periods(), 'imported periods').toContainText('2018-10');
      await upload.upload(FOCUS_CSV);
      await expect(upload.report(), 'import report').toContainText('1000 rows read');
      await expect(upload.periods(), 'imported periods').toContainText('2024-09');

      // A file over the console's limit (random bytes do not compress) is refused before it is sent.
      const big = join(scratch, 'too-big.csv.gz');
      writeFileSync(big, Buffer.concat([Buffer.from([0x1f, 0x8b]), randomBytes(8 * 1024 * 1024)]));
      await upload.upload(big);
      await expect(shell().flashHeader(), 'refusal header').toContainText('FileTooLarge');
      await upload.expectFlash('error', 'Import larger exports with the bursar import command.');

      const bills = new BillsPage(page);
      await bills.open();
      await bills.choosePeriod('November 2023');
      await expect(bills.total(), 'the bill total of the imported period').toContainText(imported);
    },
  );

  step("the member account's administrator: the organization is refused, the SCP blocks the upload", async () => {
    // The member's administrator is made as its owner would (the root user of a created account has no password).
    const root: Caller = {
      kind: 'root',
      accountId: sandboxId,
      arn: `arn:aws:iam::${sandboxId}:root`,
      userId: sandboxId,
    };
    const facts: RequestFacts = {
      requestId: 'setup',
      sourceIp: '127.0.0.1',
      userAgent: 'test',
      now: testNow(),
      via: 'json',
    };
    const invoke = (operation: string, input: Record<string, unknown>) =>
      server.world().invoke(root, facts, 'iam', operation, input);
    await invoke('CreateUser', { UserName: 'Admin' });
    await invoke('CreateLoginProfile', { UserName: 'Admin', Password: ADMIN_PASSWORD, PasswordResetRequired: false });
    await invoke('AttachUserPolicy', { UserName: 'Admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });

    await signOut();
    await new SignInPage(page).signInAsIamUser(sandboxId, 'Admin', ADMIN_PASSWORD);
    await expect(page.getByRole('heading', { name: 'Console Home' }), 'console home').toBeVisible();
    const accounts = new OrganizationAccountsPage(page);
    await accounts.open();
    await expect(accounts.refusal('AccessDeniedException'), 'the refusal').toBeVisible();
    await expect(page.getByText("You don't have permissions to access this resource."), 'its message').toBeVisible();
    await expect(
      page.getByText(/^Organization o-[a-z0-9]+, managed by account \d{12} \(owner@org\.example\)\.$/),
      'the organization it is a member of',
    ).toBeVisible();
    await accounts.screenshot('org-04-member-refused');

    await shell().chooseFromAccountMenu('Billing Dashboard');
    const upload = new UploadCostDataPage(page);
    await upload.open();
    const blocker = page.getByTestId('you-need-permissions');
    await expect(blocker, 'the page blocker').toContainText('You Need Permissions');
    await expect(blocker, 'the page blocker').toContainText('bursar:ImportCostData');
  });

  it('raised no errors in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
