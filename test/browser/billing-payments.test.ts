/**
 * Payments, Credits and Cost allocation tags in the browser: root sees each page and acts (bills with due
 * dates; Complete payment opens a review, which without a card says so; pays a bill with the default payment
 * method; activates a tag); the tutorial's FinanceUser (BillingViewAccess: the Read-level
 * aws-portal actions) sees the same pages and is refused each action with the console's ModifyBilling message.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Caller, RequestFacts } from '../../src/core/operation.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { browserUnavailable, buildConsole, launchBrowser, newConsoleContext, screenshotOnFailure } from './browser.js';
import { expect } from './pages/expect.js';
import { CostAllocationTagsPage, CreditsPage, PaymentsPage } from './pages/payments-pages.js';
import { SignInPage } from './pages/sign-in-page.js';
import { SignUpPage } from './pages/sign-up-page.js';
import { seedCosts, startServer } from './server.js';
import { testNow } from '../test-clock.js';

const skip = browserUnavailable();
const USER_PASSWORD = 'Finance-User-Passw0rd!';
const MODIFY_BILLING =
  'You need ModifyBilling permissions to make changes to this page. Contact your AWS administrator if you need help.';

describe('Payments, Credits and Cost allocation tags in the browser', { skip }, () => {
  let server: BursarServer;
  let browser: Browser;
  let page: Page;
  let accountId: string;
  const pageErrors: string[] = [];

  let request = 0;
  /** An operation called as the account's root user, through invoke(). */
  const call = (service: string, name: string, input: Record<string, unknown>) => {
    const root: Caller = { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
    const facts: RequestFacts = {
      requestId: `billing-payments-${++request}`,
      sourceIp: '203.0.113.10',
      userAgent: 'billing-payments-test',
      now: testNow(),
      via: 'json',
    };
    return server.world().invoke(root, facts, service, name, input);
  };

  /** The tutorial's set-up, through the API as root: what the console test drives through the IAM pages. */
  async function setUpAccount() {
    await call('billing', 'UpdateIAMAccessPreference', { IamUserAccessToBilling: 'ALLOW' });
    await call('aws-portal', 'UpdateConsoleActionSetEnforced', { ConsoleActionSet: 'EXISTING' });
    const { Policy } = (await call('iam', 'CreatePolicy', {
      PolicyName: 'BillingViewAccess',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'aws-portal:View*', Resource: '*' }],
      }),
    })) as { Policy: { Arn: string } };
    await call('iam', 'CreateUser', { UserName: 'FinanceUser' });
    await call('iam', 'CreateLoginProfile', { UserName: 'FinanceUser', Password: USER_PASSWORD });
    await call('iam', 'AttachUserPolicy', { UserName: 'FinanceUser', PolicyArn: Policy.Arn });
  }

  async function addCard() {
    await call('payments', 'CreatePaymentInstrument', {
      Brand: 'VISA',
      LastFourDigits: '4242',
      ExpiryMonth: 12,
      ExpiryYear: testNow().getUTCFullYear() + 3,
      CardholderName: 'Root Owner',
    });
  }

  before(async () => {
    buildConsole();
    server = await startServer();
    browser = await launchBrowser();
    const context = await newConsoleContext(browser);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    const signUp = new SignUpPage(page);
    accountId = await signUp.createAccount(
      server.url,
      'payments@example.com',
      'Payments account',
      'Payments-Passw0rd!',
    );
    await seedCosts(server, accountId);
    await setUpAccount();
    await new PaymentsPage(page).goto('/billing');
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const payments = () => new PaymentsPage(page);
  const credits = () => new CreditsPage(page);
  const tags = () => new CostAllocationTagsPage(page);

  /** A step; when it fails, the page as it was is kept beside the other screenshots. */
  const step = screenshotOnFailure('failed-billing-payments', () => page);

  let paidInvoice = '';

  step('bills show their due dates; without a card the review says so and there is nothing to pay with', async () => {
    await payments().open();
    const now = testNow();
    const invoiceDay = (months: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
    const shown = (date: Date) =>
      date.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
    const due = (months: number) => shown(new Date(invoiceDay(months).getTime() + 30 * 86_400_000));
    const id = (months: number) =>
      `BRS-${accountId}-${invoiceDay(months + 1)
        .toISOString()
        .slice(0, 7)
        .replace('-', '')}`;
    // Last month's bill was issued on the 1st and is due 30 days later; the one before is past due.
    await expect(payments().dueRow(id(0)), "last month's bill").toContainText(due(0));
    await expect(payments().dueRow(id(0)), "last month's bill").toContainText(
      now.getTime() < invoiceDay(0).getTime() + 30 * 86_400_000 ? 'Due' : 'Past due',
    );
    await expect(payments().dueRow(id(2)), 'a bill from three months ago').toContainText(due(2));
    await expect(payments().dueRow(id(2)), 'a bill from three months ago').toContainText('Past due');
    await payments().review(id(0));
    await expect(payments().reviewDialog().getByText('No default payment method'), 'the banner').toBeVisible();
    await expect(payments().reviewField('Payment method'), 'no card').toContainText('None');
    assert.equal(await payments().payButton().isDisabled(), true, 'Pay is off without a card');
    await payments().screenshot('payments-review-no-card');
    await payments().reviewDialog().getByRole('button', { name: 'Cancel' }).click();
    await addCard();
  });

  step('root reviews, then pays a due bill with the default payment method; it shows as paid', async () => {
    await payments().open();
    const invoice = await payments().firstUnpaidInvoice();
    await payments().pay(invoice);
    await payments().expectFlash('success', new RegExp(`invoice ${invoice} was recorded with VISA ending in 4242`));
    await expect(payments().dueRow(invoice), 'the paid bill').toContainText('Paid');
    await expect(payments().transactions().first(), 'the transaction').toContainText(invoice);
    await expect(payments().transactions().first(), 'its payment method').toContainText('VISA ending in 4242');
    paidInvoice = invoice;
  });

  step('root sees credits by billing period and by service', async () => {
    await credits().open();
    await expect(credits().periods().first(), 'a period with credits').toContainText('$');
    await expect(credits().byService(), 'the selected period by service').toContainText('AWS Promotional Credits');
  });

  step('root deactivates the demo tag keys and activates one again', async () => {
    await tags().open();
    // The demo's costs come with their tag keys activated.
    await expect(tags().tagRow('team'), 'the demo team tag').toContainText('Active');
    await expect(tags().tagRow('env'), 'the demo env tag').toContainText('Active');
    await tags().setStatus(['team', 'env'], 'Deactivate');
    await tags().expectFlash('success', /Deactivated (team, env|env, team)\./);
    await expect(tags().tagRow('team'), 'the team tag').toContainText('Inactive');
    await tags().setStatus(['team'], 'Activate');
    await tags().expectFlash('success', 'Activated team.');
    await expect(tags().tagRow('team'), 'the team tag').toContainText('Active');
    await expect(tags().tagRow('env'), 'the env tag').toContainText('Inactive');
  });

  step('FinanceUser sees Payments, but Complete payment is refused: ModifyBilling', async () => {
    await payments().chooseFromAccountMenu('Sign out');
    const signIn = new SignInPage(page);
    await signIn.open(server.url);
    await signIn.signInAsIamUser(accountId, 'FinanceUser', USER_PASSWORD);
    await page.getByRole('heading', { name: 'Console Home' }).waitFor();
    assert.equal(await payments().accountMenuLabel(), `FinanceUser@${accountId}`);
    await payments().goto('/billing');
    await payments().open();
    await expect(payments().dueRow(paidInvoice), 'the bill root paid').toContainText('Paid');
    assert.equal(await payments().youNeedPermissions().count(), 0, 'FinanceUser may view Payments');
    const invoice = await payments().firstUnpaidInvoice();
    await payments().pay(invoice);
    await payments().expectFlash('error', MODIFY_BILLING);
    await expect(payments().flashHeader(), 'the refusal').toContainText('Access Denied');
    await expect(payments().dueRow(invoice), 'the bill stays due').toContainText(/Past due|Due/);
  });

  step('FinanceUser sees Credits', async () => {
    await credits().open();
    assert.equal(await credits().youNeedPermissions().count(), 0, 'FinanceUser may view Credits');
    await expect(credits().periods().first(), 'a period with credits').toContainText('$');
  });

  step('FinanceUser sees Cost allocation tags, but Activate is refused: ModifyBilling', async () => {
    await tags().open();
    assert.equal(await tags().youNeedPermissions().count(), 0, 'FinanceUser may view Cost allocation tags');
    await expect(tags().tagRow('team'), 'the tag root activated').toContainText('Active');
    await tags().setStatus(['env'], 'Activate');
    await tags().expectFlash('error', MODIFY_BILLING);
    await expect(tags().tagRow('env'), 'the env tag').toContainText('Inactive');
    assert.deepEqual(pageErrors, []);
  });
});
