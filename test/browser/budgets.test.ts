/**
 * Budgets in the browser: the Create budget wizard's choices (type, period, renewal, dates, scope, up to five
 * alerts), the budget's page (spend, alerts with state, history), editing, and the wizard's checks.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Caller, RequestFacts } from '../../src/core/operation.js';
import type { BursarServer } from '../../src/server/create-server.js';
import { browserUnavailable, buildConsole, launchBrowser, newConsoleContext, screenshotOnFailure } from './browser.js';
import { BudgetDetailPage, BudgetsPage, BudgetWizard } from './pages/budget-pages.js';
import { expect } from './pages/expect.js';
import { SignUpPage } from './pages/sign-up-page.js';
import { seedCosts, startServer } from './server.js';
import { testNow } from '../test-clock.js';

const skip = browserUnavailable();

describe('Budgets in the browser', { skip }, () => {
  let server: BursarServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let accountId = '';

  before(async () => {
    buildConsole();
    server = await startServer();
    browser = await launchBrowser();
    const context = await newConsoleContext(browser);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    const signUp = new SignUpPage(page);
    accountId = await signUp.createAccount(server.url, 'budgets@example.com', 'Budgets account', 'Budgets-Passw0rd!');
    await seedCosts(server, accountId);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const list = () => new BudgetsPage(page);
  const wizard = () => new BudgetWizard(page);
  const detail = () => new BudgetDetailPage(page);

  /** A step; when it fails, the page as it was is kept beside the other screenshots. */
  const step = screenshotOnFailure('failed-budgets', () => page);
  /** The account's root, calling the API directly (for what the wizard does not make). */
  const root = (): Caller => ({ kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId });
  const facts = (): RequestFacts => ({
    requestId: 'b',
    sourceIp: '127.0.0.1',
    userAgent: 'b',
    now: testNow(),
    via: 'json',
  });
  /** Dates in the budgets below lie in the year of the servers' clock. */
  const year = testNow().getUTCFullYear();

  // Scoped to the account itself, which has spent this quarter even on its first day; the first service listed
  // may not have yet (it failed on 1 January).
  step(
    'creates a quarterly cost budget scoped to its linked account, with two alerts, and opens its page',
    async () => {
      await list().goto('/billing/budgets');
      await list().createFullBudget({
        name: 'Quarterly compute',
        period: 'Quarterly',
        amount: '0.01',
        filterByFirst: ['Linked account'],
        alerts: [
          { threshold: '50', trigger: 'Actual', emails: 'finance@example.com, cfo@example.com' },
          { threshold: '10', thresholdType: 'Absolute value', trigger: 'Forecasted', emails: 'ops@example.com' },
        ],
      });
      await list().expectFlash('success', 'Budget Quarterly compute created.');
      await expect(list().row('Quarterly compute'), 'the period').toContainText('Quarterly');
      await expect(list().row('Quarterly compute'), 'the budgeted amount').toContainText('$0.01');
      await list().openBudget('Quarterly compute');
      await expect(detail().heading('Quarterly compute'), 'the budget page').toBeVisible();
      await expect(detail().spend(), 'spend over a cent: exceeded').toContainText('Exceeded');
      await expect(page.getByText('Quarterly, recurring'), 'the period').toBeVisible();
      await expect(page.getByText(`Linked account: ${accountId}`), 'the scope').toBeVisible();
      const alerts = detail().alerts();
      await expect(alerts, 'the actual alert, in alarm').toContainText('Actual > 50%');
      await expect(alerts, 'its recipients').toContainText('finance@example.com, cfo@example.com');
      await expect(alerts, 'the forecast alert').toContainText('Forecasted > $10.00');
      await expect(alerts, 'the state').toContainText('Threshold exceeded');
      // The quarter as AWS's console shows it: its first and its last day, not the next quarter's first.
      const quarter = Math.floor(testNow().getUTCMonth() / 3) * 3;
      const quarterDay = (month: number, day: number) =>
        new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
      await expect(detail().history(), 'this quarter in the history').toContainText(
        `${quarterDay(quarter, 1)} to ${quarterDay(quarter + 3, 0)}`,
      );
      await detail().screenshot('budget-detail');
    },
  );

  step('the budget page charts each period: actual and forecasted against budgeted, in dollars', async () => {
    const chart = detail().historyChart();
    await expect(chart.getByRole('heading', { name: 'Budget history' }), 'the chart').toBeVisible();
    const legend = chart.getByRole('toolbar', { name: 'Budget history: legend' });
    await expect(legend, 'actual').toContainText('Actual');
    await expect(legend, 'forecasted, this quarter').toContainText('Forecasted');
    await expect(legend, 'budgeted').toContainText('Budgeted');
    // The y axis in money, as the tables print it: "$0.00", never a raw "0" or "20000".
    const ticks = (await chart.locator('svg text').allTextContents()).map((t) => t.trim());
    assert.ok(
      ticks.some((t) => /^\$\d{1,3}(,\d{3})*\.\d{2}$/.test(t)),
      `money on the axis: ${ticks.join(' | ')}`,
    );
    assert.ok(!ticks.some((t) => /^\d{4,}$/.test(t)), `no raw numbers on the axis: ${ticks.join(' | ')}`);
    await detail().screenshot('budget-detail-history-chart');
  });

  step('the status shows the share spent however far over; a budget of 0 shows none', async () => {
    const described = (await server.world().invoke(root(), facts(), 'budgets', 'DescribeBudget', {
      AccountId: accountId,
      BudgetName: 'Quarterly compute',
    })) as { Budget: { CalculatedSpend: { ActualSpend: { Amount: string } } } };
    // Dollars of a one-cent budget: thousands of times over, and so a share in the millions of percent.
    const share = Math.round((Number(described.Budget.CalculatedSpend.ActualSpend.Amount) / 0.01) * 100);
    assert.ok(share > 100_000, `far over the cent: ${share}%`);
    await server.world().invoke(root(), facts(), 'budgets', 'CreateBudget', {
      AccountId: accountId,
      Budget: {
        BudgetName: 'Nothing',
        BudgetType: 'COST',
        TimeUnit: 'QUARTERLY',
        BudgetLimit: { Amount: '0', Unit: 'USD' },
      },
    });
    await list().goto('/billing/budgets');
    const status = list()
      .row('Quarterly compute')
      .getByText(/^Exceeded/);
    const shown = /^Exceeded \((\d{1,3}(?:,\d{3})*)% used\)$/.exec((await status.textContent()) ?? '');
    assert.ok(shown !== null, `a grouped whole percentage: ${await status.textContent()}`);
    assert.equal(Number(shown[1]!.replaceAll(',', '')), share, 'the share of the limit that DescribeBudget gives');

    await expect(list().row('Nothing'), 'spent against 0: exceeded').toContainText('Exceeded');
    assert.doesNotMatch((await list().row('Nothing').textContent()) ?? '', /%|Infinity|NaN/, 'no share of 0');
    await list().openBudget('Nothing');
    await expect(detail().spend(), 'the status').toContainText('Exceeded');
    assert.equal(await detail().spend().getByRole('progressbar').count(), 0, 'no bar for a share of 0');
  });

  step('the list fits a 1440 px screen: no sideways scrolling, Status in view', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    try {
      await list().goto('/billing/budgets');
      await expect(list().row('Quarterly compute'), 'the status').toContainText('Exceeded');
      const { sideways, statusCut } = await list().overflow();
      assert.equal(sideways, 0, 'the list does not scroll sideways');
      assert.equal(statusCut, false, 'the Status column is not cut off');
      await list().screenshot('budgets-list-1440');
      await list().openBudget('Quarterly compute');
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });

  step('edits the budget: a new amount, one alert removed and another added', async () => {
    await detail().edit();
    await wizard().next();
    await expect(page.getByLabel('Budget name'), 'the name, kept').toHaveValue('Quarterly compute');
    await page.getByLabel('Budgeted amount ($)').fill('1000000');
    await wizard().next();
    await wizard().setAlerts([
      { threshold: '50', trigger: 'Actual', emails: 'finance@example.com, cfo@example.com' },
      { threshold: '90', trigger: 'Actual', emails: 'board@example.com' },
    ]);
    await wizard().next();
    await detail().save();
    await detail().expectFlash('success', 'Budget Quarterly compute updated.');
    await expect(detail().spend(), 'the new amount').toContainText('$1,000,000.00');
    await expect(detail().spend(), 'now within budget').toContainText('OK');
    const alerts = detail().alerts();
    await expect(alerts, 'the new alert').toContainText('board@example.com');
    assert.equal(await alerts.getByText('Forecasted').count(), 0, 'the forecast alert is gone');
    await expect(alerts, 'both alerts are OK').toContainText('OK');
  });

  step('a custom budget needs an end after its start; it covers its own dates', async () => {
    await list().goto('/billing/budgets');
    await page.getByRole('button', { name: 'Create budget' }).first().click();
    await wizard().next();
    await wizard().setBudget({ name: 'Launch window', period: 'Custom', start: `${year}-06-01`, end: `${year}-05-01` });
    await page.getByLabel('Budgeted amount ($)').fill('500');
    await wizard().next();
    await expect(page.getByText('The end date must be after the start date.'), 'the date check').toBeVisible();
    await page.getByLabel('End date').fill(`${year}-08-31`);
    await wizard().next();
    await wizard().setAlerts([]);
    await wizard().next();
    // The end date is included, as the console's dates are everywhere.
    await expect(page.getByText(`Custom: ${year}-06-01 to ${year}-08-31`), 'the review').toBeVisible();
    await page.getByRole('button', { name: 'Create budget' }).click();
    await list().expectFlash('success', 'Budget Launch window created.');
    await expect(list().row('Launch window'), 'the period').toContainText('Custom');
  });

  step('a daily budget offers no forecast alerts; an alert needs a valid email; at most five alerts', async () => {
    await list().goto('/billing/budgets');
    await page.getByRole('button', { name: 'Create budget' }).first().click();
    await wizard().next();
    await wizard().setBudget({ name: 'Daily', period: 'Daily', amount: '5' });
    await wizard().next();
    assert.equal(
      await wizard()
        .alert(0)
        .getByRole('radio', { name: /^Forecasted/ })
        .isDisabled(),
      true,
    );
    await wizard().alert(0).getByLabel('Email recipients').fill('not-an-email');
    await wizard().next();
    await expect(wizard().alert(0), 'the email check').toContainText('Enter one or more valid email addresses');
    const add = page.getByRole('button', { name: 'Add an alert threshold' });
    for (let i = 1; i < 5; i++) await add.click();
    assert.equal(await add.isDisabled(), true, 'a sixth alert cannot be added');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  step('editing a budget made through the API keeps the filters the wizard does not show', async () => {
    await server.world().invoke(root(), facts(), 'budgets', 'CreateBudget', {
      AccountId: accountId,
      Budget: {
        BudgetName: 'Instances',
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: '40', Unit: 'USD' },
        CostFilters: { Operation: ['RunInstances'] },
      },
    });
    await list().goto('/billing/budget?name=Instances');
    await detail().edit();
    await wizard().next();
    await page.getByLabel('Budgeted amount ($)').fill('45');
    await wizard().next();
    await wizard().next();
    await detail().save();
    await detail().expectFlash('success', 'Budget Instances updated.');
    await expect(detail().spend(), 'the new amount').toContainText('$45.00');
    await expect(page.getByText('Operation: RunInstances'), 'the filter, kept').toBeVisible();
  });

  step('a monthly budget with a forecast alert becomes daily once that alert is replaced', async () => {
    await list().goto('/billing/budgets');
    await list().createFullBudget({
      name: 'Switching',
      amount: '300',
      alerts: [{ threshold: '100', trigger: 'Forecasted', emails: 'ops@example.com' }],
    });
    await list().expectFlash('success', 'Budget Switching created.');
    await list().goto('/billing/budget?name=Switching');
    await detail().edit();
    await wizard().next();
    await wizard().setBudget({ period: 'Daily' });
    await page.getByLabel('Budgeted amount ($)').fill('10');
    await wizard().next();
    await wizard().next();
    await expect(wizard().alert(0), 'the forecast alert is refused').toContainText('actual-cost alerts');
    await wizard().setAlerts([{ threshold: '100', trigger: 'Actual', emails: 'ops@example.com' }]);
    await wizard().next();
    await detail().save();
    await detail().expectFlash('success', 'Budget Switching updated.');
    await expect(page.getByText('Daily, recurring'), 'the new period').toBeVisible();
    await expect(detail().alerts(), 'the actual alert').toContainText('Actual > 100%');
  });

  step('creates an expiring usage budget, listed in its unit', async () => {
    await list().goto('/billing/budgets');
    await list().createFullBudget({
      type: 'Usage budget',
      name: 'Compute hours',
      period: 'Monthly',
      renewal: 'Expiring budget',
      start: `${year}-01-01`,
      end: `${year}-12-31`,
      amount: '750',
      unit: 'Hrs',
      alerts: [{ threshold: '80', trigger: 'Forecasted', emails: 'ops@example.com' }],
    });
    await list().expectFlash('success', 'Budget Compute hours created.');
    await expect(list().row('Compute hours'), 'the type').toContainText('Usage');
    await expect(list().row('Compute hours'), 'the unit').toContainText('750 Hrs');
    await list().openBudget('Compute hours');
    await expect(page.getByText(`Monthly, expiring (${year}-01-01 to ${year}-12-31)`), 'the period').toBeVisible();
    assert.deepEqual(pageErrors, []);
  });
});
