/**
 * The IAM lists as AWS's console shows them: users with their groups, last activity, MFA, password and access
 * key ages; groups with their users and permissions counted; AWS managed policies with AWS's descriptions; a
 * .csv of each list holding what the list shows; and Create user's chosen group chips, whose remove buttons
 * are named.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Caller, RequestFacts } from '../../src/core/operation.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { browserUnavailable, buildConsole, launchBrowser, openConsolePage, screenshotOnFailure } from './browser.js';
import { ConsolePage } from './pages/console-page.js';
import { expect } from './pages/expect.js';
import { SignUpPage } from './pages/sign-up-page.js';
import { startServer } from './server.js';
import { testNow } from '../test-clock.js';

const skip = browserUnavailable();

describe('IAM lists in the browser', { skip }, () => {
  let server: BursarServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  before(async () => {
    buildConsole();
    server = await startServer();
    browser = await launchBrowser();
    ({ page, pageErrors } = await openConsolePage(browser, []));
    const accountId = await new SignUpPage(page).createAccount(
      server.url,
      'lists@example.com',
      'Lists account',
      'Lists-Passw0rd!',
    );
    // Set up through the operations the API serves, as root: two groups, Alice in one with a password, Bob
    // with an access key.
    const root: Caller = { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
    const facts: RequestFacts = { requestId: 'l', sourceIp: '127.0.0.1', userAgent: 'l', now: testNow(), via: 'json' };
    const call = (operation: string, input: Record<string, unknown>) =>
      server.world().invoke(root, facts, 'iam', operation, input);
    await call('CreateGroup', { GroupName: 'Finance' });
    await call('CreateGroup', { GroupName: 'Auditors' });
    await call('AttachGroupPolicy', {
      GroupName: 'Finance',
      PolicyArn: 'arn:aws:iam::aws:policy/job-function/Billing',
    });
    await call('PutGroupPolicy', {
      GroupName: 'Finance',
      PolicyName: 'ReadBudgets',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'budgets:ViewBudget', Resource: '*' }],
      }),
    });
    await call('CreateUser', { UserName: 'Alice' });
    await call('AddUserToGroup', { GroupName: 'Finance', UserName: 'Alice' });
    await call('CreateLoginProfile', { UserName: 'Alice', Password: 'Alice-Passw0rd!' });
    await call('CreateUser', { UserName: 'Bob' });
    await call('CreateAccessKey', { UserName: 'Bob' });
    await call('CreateRole', {
      RoleName: 'Auditor',
      Description: 'Reads the books',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const at = () => new ConsolePage(page);
  const step = screenshotOnFailure('failed-iam-lists', () => page);
  const row = (table: string, name: string) =>
    page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: name });
  const download = async (): Promise<{ name: string; lines: string[] }> => {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download .csv' }).click(),
    ]);
    const text = await readFile(await file.path(), 'utf8');
    return { name: file.suggestedFilename(), lines: text.trimEnd().split('\n') };
  };

  step('the users list shows groups, last activity, MFA, password and access key ages', async () => {
    await at().goto('/iam/users');
    const columns = await page.getByRole('table', { name: 'Users' }).getByRole('columnheader').allInnerTexts();
    for (const header of ['Groups', 'Last activity', 'MFA', 'Password age', 'Active key age']) {
      assert.ok(
        columns.some((c) => c.trim() === header),
        `column ${header}: ${columns.join(' | ')}`,
      );
    }
    const alice = row('Users', 'Alice');
    await expect(alice, 'her group').toContainText('Finance');
    await expect(alice, 'never signed in').toContainText('Never');
    await expect(alice, 'a password set today').toContainText('Today');
    const aliceCells = (await alice.getByRole('cell').allInnerTexts()).map((c) => c.trim());
    assert.deepEqual(aliceCells.slice(3, 8), ['Finance', 'Never', 'None', 'Today', 'None'], aliceCells.join(' | '));
    const bobCells = (await row('Users', 'Bob').getByRole('cell').allInnerTexts()).map((c) => c.trim());
    assert.deepEqual(bobCells.slice(3, 8), ['None', 'Never', 'None', 'None', 'Today'], bobCells.join(' | '));
    await at().screenshot('iam-users-list-columns');
  });

  step('the users .csv holds the rows and columns the list shows', async () => {
    const { name, lines } = await download();
    assert.equal(name, 'users.csv');
    assert.equal(
      lines[0],
      '"User name","Path","Groups","Last activity","MFA","Password age","Active key age","ARN","Creation time"',
    );
    const alice = lines.find((l) => l.startsWith('"Alice"'));
    assert.match(
      alice ?? '',
      /^"Alice","\/","Finance","Never","None","Today","None","arn:aws:iam::\d{12}:user\/Alice",/,
    );
    assert.equal(lines.length, 3, 'a header and two users');
  });

  step("the groups list counts each group's users and permissions (managed and inline)", async () => {
    await at().goto('/iam/groups');
    const cells = async (name: string) =>
      (await row('User groups', name).getByRole('cell').allInnerTexts()).map((c) => c.trim());
    await expect(row('User groups', 'Finance'), 'Finance').toContainText('Finance');
    const finance = await cells('Finance');
    assert.deepEqual(finance.slice(2, 4), ['1', '2'], finance.join(' | '));
    const auditors = await cells('Auditors');
    assert.deepEqual(auditors.slice(2, 4), ['0', '0'], auditors.join(' | '));
    const { name, lines } = await download();
    assert.equal(name, 'user-groups.csv');
    assert.equal(lines[0], '"Group name","Users","Permissions","ARN","Creation time"');
    assert.match(
      lines.find((l) => l.startsWith('"Finance"')) ?? '',
      /^"Finance","1","2","arn:aws:iam::\d{12}:group\/Finance",/,
    );
  });

  step("AWS managed policies carry AWS's descriptions; the policies and roles lists download as .csv", async () => {
    await at().goto('/iam/policies');
    const search = page.getByLabel('Filter policies by property or policy name and press enter');
    await search.fill('AWSBudgetsReadOnlyAccess');
    await search.press('Enter');
    await expect(row('Policies', 'AWSBudgetsReadOnlyAccess'), "AWS's description").toContainText(
      'Provides read only access to AWS Budgets Console via the AWS Management Console.',
    );
    const { name, lines } = await download();
    assert.equal(name, 'policies.csv');
    assert.equal(lines[0], '"Policy name","Type","Used as","Description","ARN"');
    assert.equal(
      lines.find((l) => l.startsWith('"Billing",')),
      '"Billing","AWS managed","Permissions policy","Grants permissions for billing and cost management. This includes viewing account usage and viewing and modifying budgets and payment methods.","arn:aws:iam::aws:policy/job-function/Billing"',
      'the Billing policy, attached to Finance',
    );
    await at().goto('/iam/roles');
    await page.getByRole('button', { name: 'Create role' }).waitFor();
    const roles = await download();
    assert.equal(roles.name, 'roles.csv');
    assert.equal(roles.lines[0], '"Role name","Description","ARN","Creation time"');
    assert.match(roles.lines[1] ?? '', /^"Auditor","Reads the books","arn:aws:iam::\d{12}:role\/Auditor",/);
  });

  step("Create user: a chosen group's remove button is named, and removes it", async () => {
    await at().goto('/iam/users/create');
    await page.getByRole('button', { name: /User groups|Choose user groups/ }).click();
    await page.getByRole('option', { name: 'Finance' }).click();
    await page.keyboard.press('Escape');
    const remove = page.getByRole('button', { name: 'Remove user group Finance' });
    await expect(remove, 'the named remove button').toBeVisible();
    await remove.click();
    await expect(remove, 'the chip is gone').toHaveCount(0);
  });

  it('logged no errors in the browser console', () => {
    assert.deepEqual(pageErrors, []);
  });
});
