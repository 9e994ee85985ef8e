/**
 * Accessibility of every console route: axe-core finds no serious or critical WCAG 2.1 A/AA (or best-practice)
 * violation on any page, signed in as the root user and as an IAM user (in light and dark mode), nor on the
 * signed-out pages; the keyboard reaches each page's main action with a visible focus, and the sign-in form
 * works by keyboard alone. The routes are read from web/src/pages/routes.tsx when the test runs, so a new page
 * is covered.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Caller, RequestFacts } from '../../src/core/operation.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { browserUnavailable, buildConsole, launchBrowser, newConsoleContext } from './browser.js';
import { BudgetWizard, CostExplorerPage } from './pages/budget-pages.js';
import { focusIsVisible, focusedLabel, seriousViolations, tabTo } from './pages/accessibility-pages.js';
import { ConsolePage } from './pages/console-page.js';
import { expect } from './pages/expect.js';
import { SignUpPage } from './pages/sign-up-page.js';
import { seedCosts, startServer } from './server.js';
import { testNow } from '../test-clock.js';

const skip = browserUnavailable();
const ROOT_EMAIL = 'a11y@example.com';
const PASSWORD = 'Accessible-Passw0rd!';
const USER = 'Auditor';

/** Every `case '/path':` of the console's route table, with the query parameters its page reads. */
function consoleRoutes(): { path: string; params: string[] }[] {
  const source = readFileSync('web/src/pages/routes.tsx', 'utf8');
  const cases = [...source.matchAll(/case '([^']+)':([\s\S]*?)(?=case '|default:)/g)];
  return cases.map(([, path = '', body = '']) => ({
    path,
    params: [...new Set([...body.matchAll(/q\('([^']+)'\)/g)].map((m) => m[1]!))],
  }));
}

/** Query values for the pages that show one resource, by route; filled in once the resources exist. */
const RESOURCES: Record<string, Record<string, string>> = {};

describe('console accessibility', { skip }, () => {
  let server: BursarServer;
  let browser: Browser;
  let page: Page;
  let accountId = '';
  let signedInAsUser = false;

  before(async () => {
    buildConsole();
    server = await startServer();
    browser = await launchBrowser();
    const context = await newConsoleContext(browser);
    page = await context.newPage();
    // A page that does not render fails its test in seconds, not in Playwright's default half-minute.
    page.setDefaultTimeout(10_000);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const asRoot = (service: string, operation: string, input: Record<string, unknown>) => {
    const root: Caller = { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
    const facts: RequestFacts = {
      requestId: 'a11y',
      sourceIp: '127.0.0.1',
      userAgent: 'a11y',
      now: testNow(),
      via: 'json',
    };
    return server.world().invoke(root, facts, service, operation, input);
  };

  /** Opens a route as the signed-in `who` and waits for its content (not the loading states) before it is judged. */
  async function visit(path: string, params: string[], who: RegExp) {
    const values = RESOURCES[path] ?? {};
    const query =
      params.length > 0
        ? `?${new URLSearchParams(params.map((p): [string, string] => [p, values[p] ?? ''])).toString()}`
        : '';
    await page.goto(`${server.url}/console/#${path}${query}`);
    await page.locator('h1').first().waitFor();
    assert.match(await new ConsolePage(page).accountMenuLabel(), who, `${path}: signed in as the expected user`);
    await page
      .waitForFunction(`!/Loading/.test(document.body.innerText)`, undefined, { timeout: 10_000 })
      .catch(() => undefined);
  }

  async function assertAccessible(path: string) {
    const found = await seriousViolations(page);
    assert.deepEqual(found, [], `${path}: ${JSON.stringify(found, null, 2)}`);
  }

  it('the signed-out pages: sign-in and sign-up', async () => {
    for (const path of ['/signin', '/signup']) {
      await page.goto(`${server.url}/console/#${path}`);
      await page.locator('input').first().waitFor();
      await assertAccessible(path);
    }
  });

  it('signs up, and the root user sets up an IAM user, a group, a role, a policy and a budget', async () => {
    const signUp = new SignUpPage(page);
    accountId = await signUp.createAccount(server.url, ROOT_EMAIL, 'Accessible account', PASSWORD);
    await seedCosts(server, accountId);
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    await asRoot('iam', 'CreateUser', { UserName: USER });
    await asRoot('iam', 'CreateLoginProfile', { UserName: USER, Password: PASSWORD, PasswordResetRequired: false });
    await asRoot('iam', 'AttachUserPolicy', { UserName: USER, PolicyArn: admin });
    await asRoot('iam', 'CreateGroup', { GroupName: 'Auditors' });
    await asRoot('iam', 'AddUserToGroup', { GroupName: 'Auditors', UserName: USER });
    await asRoot('iam', 'CreateRole', {
      RoleName: 'AuditRole',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    await asRoot('billing', 'UpdateIAMAccessPreference', { IamUserAccessToBilling: 'ALLOW' });
    await asRoot('budgets', 'CreateBudget', {
      AccountId: accountId,
      Budget: {
        BudgetName: 'Monthly',
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: '100', Unit: 'USD' },
      },
      NotificationsWithSubscribers: [
        {
          Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 80 },
          Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'finance@example.com' }],
        },
      ],
    });
    Object.assign(RESOURCES, {
      '/iam/user': { name: USER },
      '/iam/group': { name: 'Auditors' },
      '/iam/role': { name: 'AuditRole' },
      '/iam/policy': { arn: admin },
      '/iam/policy/attach': { arn: admin },
      '/billing/budget': { name: 'Monthly' },
      '/billing/budgets/edit': { name: 'Monthly' },
    });
  });

  for (const { path, params } of consoleRoutes()) {
    it(`root user: ${path}`, async () => {
      await visit(path, params, /^\d{12}$/);
      await assertAccessible(path);
    });
  }

  it('the Create budget wizard at each step, with filters and alerts open, and the delete dialog', async () => {
    const path = '/billing/budgets/create';
    await visit(path, [], /^\d{12}$/);
    const wizard = new BudgetWizard(page);
    await wizard.next();
    await wizard.setBudget({
      name: 'Scoped',
      period: 'Custom',
      start: '2026-01-01',
      end: '2026-02-01',
      amount: '10',
      filterByFirst: ['Service'],
    });
    await assertAccessible(`${path} (Set your budget, filtered)`);
    await wizard.next();
    await page.getByRole('button', { name: 'Add an alert threshold' }).click();
    await assertAccessible(`${path} (Configure alerts)`);
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await assertAccessible(`${path} (errors shown)`);
    await visit('/billing/budgets', [], /^\d{12}$/);
    await page.getByRole('radio', { name: 'Select budget Monthly' }).check();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').waitFor();
    await assertAccessible('/billing/budgets (Delete budget dialog)');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  });

  it("Cost Explorer's date range picker, open in both modes", async () => {
    const path = '/billing/cost-explorer';
    await visit(path, [], /^\d{12}$/);
    const explorer = new CostExplorerPage(page);
    await explorer.dateRange().click();
    await page.getByRole('button', { name: 'Absolute range' }).click();
    await assertAccessible(`${path} (date range picker, absolute)`);
    await page.getByRole('button', { name: 'Relative range' }).click();
    await assertAccessible(`${path} (date range picker, relative)`);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  });

  it('the keyboard reaches each page’s main action, with visible focus', async () => {
    for (const [path, action, params] of [
      ['/billing/budgets', 'Create budget', []],
      ['/billing/budgets/create', 'Next', []],
      ['/billing/budget', 'Edit', ['name']],
      ['/billing/cost-explorer', 'Save to report library', []],
      ['/iam/users', 'Create user', []],
      ['/iam/policies', 'Create policy', []],
    ] as const) {
      await visit(path, [...params], /^\d{12}$/);
      await page.locator('body').click({ position: { x: 1, y: 1 } });
      assert.ok(await tabTo(page, action), `${path}: Tab never reached ${action}`);
      assert.ok(await focusIsVisible(page), `${path}: ${action} shows no focus`);
    }
  });

  it('signs out, and an IAM user signs in by keyboard alone', async () => {
    await new ConsolePage(page).chooseFromAccountMenu('Sign out');
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    // Tab stops once on a radio group (at its checked radio); the arrow keys choose within it.
    assert.ok(await tabTo(page, /^(Root user|IAM user)/), 'Tab reaches the sign-in type');
    if (!(await page.getByRole('radio', { name: /^IAM user/ }).isChecked())) await page.keyboard.press('ArrowDown');
    assert.ok(await page.getByRole('radio', { name: /^IAM user/ }).isChecked(), 'the arrow key chooses IAM user');
    assert.ok(await tabTo(page, 'Account ID (12 digits) or account alias', 10), 'Tab reaches the account field');
    await page.keyboard.type(accountId);
    await page.keyboard.press('Tab');
    assert.equal(await focusedLabel(page), 'IAM user name', 'Tab reaches the user name');
    await page.keyboard.type(USER);
    await page.keyboard.press('Tab');
    assert.equal(await focusedLabel(page), 'Password', 'Tab reaches the password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Console Home' }), 'signed in').toBeVisible();
    assert.match(await new ConsolePage(page).accountMenuLabel(), new RegExp(`^${USER}@`));
    signedInAsUser = true;
  });

  for (const { path, params } of consoleRoutes()) {
    it(`IAM user: ${path}`, async (t) => {
      if (!signedInAsUser) return t.skip('the IAM user could not sign in (see above)');
      await visit(path, params, new RegExp(`^${USER}@`));
      await assertAccessible(path);
    });
  }

  // Dark mode has its own colours, so contrast is checked again (the console follows the system's scheme).
  it('switches to dark mode', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${server.url}/console/#/`);
    await page.reload();
    await page.locator('h1').first().waitFor();
    const background = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    assert.notEqual(background, 'rgb(255, 255, 255)', 'the dark theme is applied');
  });

  for (const { path, params } of consoleRoutes()) {
    it(`IAM user, dark mode: ${path}`, async (t) => {
      if (!signedInAsUser) return t.skip('the IAM user could not sign in (see above)');
      await visit(path, params, new RegExp(`^${USER}@`));
      await assertAccessible(path);
    });
  }
});
