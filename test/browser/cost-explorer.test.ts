/**
 * Cost Explorer against the bill, in the browser: the picked range includes its end day (AWS's console does;
 * only its API's End is exclusive), a whole month picked in Cost Explorer equals that month's bill service
 * by service and in total, a one-day range works, relative ranges are offered, the picker's controls are
 * named, the chart formats money and keeps every group (the smaller ones as "Others"), and the bill expands
 * a service into its Regions and usage types.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { BursarServer } from '../../src/server/create-server.js';
import { browserUnavailable, buildConsole, launchBrowser, openConsolePage, screenshotOnFailure } from './browser.js';
import { BillingHomePage, BillsPage } from './pages/billing-pages.js';
import { CostExplorerPage } from './pages/budget-pages.js';
import { expect } from './pages/expect.js';
import { SignUpPage } from './pages/sign-up-page.js';
import { seedCosts, startServer } from './server.js';
import { testNow } from '../test-clock.js';

const skip = browserUnavailable();

const day = (date: Date) => date.toISOString().slice(0, 10);
/** "$12,096.01" → 1209601 cents. */
const cents = (money: string | undefined) => {
  assert.ok(money !== undefined && /^-?\$[\d,]+\.\d\d$/.test(money), `money as the tables show it: ${money}`);
  return Math.round(Number(money.replace(/[$,]/g, '')) * 100);
};

describe('Cost Explorer and the bill in the browser', { skip }, () => {
  let server: BursarServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  const now = testNow();
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  // The last whole month: its bill is issued and the demo data covers all of it.
  const first = day(new Date(Date.UTC(year, month - 1, 1)));
  const last = day(new Date(Date.UTC(year, month, 0)));
  const label = new Date(Date.UTC(year, month - 1, 1)).toLocaleDateString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

  before(async () => {
    buildConsole();
    server = await startServer();
    browser = await launchBrowser();
    ({ page, pageErrors } = await openConsolePage(browser, []));
    const accountId = await new SignUpPage(page).createAccount(
      server.url,
      'explorer@example.com',
      'Explorer account',
      'Explorer-Passw0rd!',
    );
    await seedCosts(server, accountId);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const explorer = () => new CostExplorerPage(page);
  const step = screenshotOnFailure('failed-cost-explorer', () => page);

  step('shows the default range through the last day of this month, not the first day of the next', async () => {
    await explorer().goto('/billing/cost-explorer');
    const start = day(new Date(Date.UTC(year, month - 5, 1)));
    const end = day(new Date(Date.UTC(year, month + 1, 0)));
    await expect(explorer().dateRange(), 'the default range').toContainText(`${start} — ${end}`);
  });

  step("a whole month by service (first to last day) equals that month's bill, line by line and in total", async () => {
    await explorer().chooseRange(first, last);
    await expect(explorer().dateRange(), 'the picked range').toContainText(`${first} — ${last}`);
    const costs = await explorer().breakdownAmounts(`${first} — ${last}, by service`);
    await explorer().screenshot('cost-explorer-whole-month');

    const bills = new BillsPage(page);
    await bills.open();
    await bills.chooseMonth(label);
    const charges = await bills.chargesByService();
    const billTotal = (await bills.total().innerText()).trim();

    assert.ok(charges.size > 0, 'the bill has charges');
    for (const [service, amount] of charges) {
      assert.equal(costs.get(service), amount, `${service} in Cost Explorer and on the ${label} bill`);
    }
    assert.equal(costs.get('Total'), billTotal, `Cost Explorer's total and the ${label} bill's total`);
  });

  step('the bill shows how its total adds up, its status and Regions in words', async () => {
    const bills = new BillsPage(page);
    await bills.open();
    await bills.chooseMonth(label);
    await expect(bills.status(), 'the status').toContainText('Issued');
    const total = cents((await bills.total().innerText()).trim());
    const charges = cents(await bills.summaryAmount('Charges'));
    const parts = [charges];
    for (const part of ['Credits', 'Refunds', 'Tax'] as const) parts.push(cents(await bills.summaryAmount(part)));
    // Every amount is rounded to the cent on its own: n rounded terms differ from their rounded sum by at
    // most (n + 1) / 2 cents. Leaving a part out (the credit was) is off by dollars.
    const within = (terms: number[], sum: number, what: string) =>
      assert.ok(
        Math.abs(terms.reduce((a, b) => a + b, 0) - sum) <= (terms.length + 1) / 2,
        `${what}: ${terms.join(' + ')} = ${sum}`,
      );
    within(parts, total, 'charges + credits + refunds + tax = total');
    within([...(await bills.chargesByService()).values()].map(cents), charges, 'the services add up to the charges');
    const regions = await bills.chargesByRegion();
    within([...regions.values()].map(cents), charges, 'the Regions add up to the charges');
    assert.ok(regions.has('US East (N. Virginia)'), `Regions by name: ${[...regions.keys()].join(', ')}`);
    assert.ok(![...regions.keys()].some((region) => /^[a-z]{2}-[a-z]+-\d$/.test(region)), 'no Region codes');
    await bills.screenshot('bill-reconciled');
    await explorer().goto('/billing/cost-explorer');
  });

  step('the bill expands a service into its Regions and a Region into its usage types, which add up', async () => {
    const bills = new BillsPage(page);
    await bills.open();
    await bills.chooseMonth(label);
    const [service] = await bills.chargeRows();
    assert.ok(service !== undefined && service.level === 1, 'a service first');
    await bills.expand(service.name);
    const regions = (await bills.chargeRows()).filter((row) => row.level === 2);
    assert.ok(regions.length > 0, `${service.name} has Regions`);
    assert.ok(
      regions.every((row) => !/^[a-z]{2}-[a-z]+-\d$/.test(row.name)),
      'Regions by name',
    );
    const sum = (rows: { amount: string }[]) => rows.reduce((total, row) => total + cents(row.amount), 0);
    const close = (a: number, b: number, terms: number) => Math.abs(a - b) <= (terms + 1) / 2;
    assert.ok(close(sum(regions), cents(service.amount), regions.length), `${service.name}'s Regions add up`);
    const region = regions[0]!;
    await bills.expand(region.name);
    const rows = await bills.chargeRows();
    const at = rows.findIndex((row) => row.level === 2 && row.name === region.name);
    const usage: typeof rows = [];
    for (const row of rows.slice(at + 1)) {
      if (row.level !== 3) break;
      usage.push(row);
    }
    assert.ok(usage.length > 0, `${region.name} has usage types`);
    assert.ok(
      usage.every((row) => row.name !== ''),
      'every usage type is named',
    );
    assert.ok(close(sum(usage), cents(region.amount), usage.length), `${region.name}'s usage types add up`);
    await bills.screenshot('bill-expanded');
  });

  step("a one-day range works, and the month's last day is counted exactly once", async () => {
    const dayBefore = day(new Date(Date.UTC(year, month, -1)));
    await explorer().goto('/billing/cost-explorer');
    await explorer().chooseRange(first, last);
    const wholeMonth = cents((await explorer().breakdownAmounts(`${first} — ${last}, by service`)).get('Total'));
    await explorer().chooseRange(first, dayBefore);
    const allButLast = cents((await explorer().breakdownAmounts(`${first} — ${dayBefore}, by service`)).get('Total'));
    await explorer().chooseRange(last, last);
    await expect(explorer().dateRange(), 'the one-day range').toContainText(`${last} — ${last}`);
    const lastDay = cents((await explorer().breakdownAmounts(`${last} — ${last}, by service`)).get('Total'));
    assert.ok(lastDay > 0, 'the demo account spends every day');
    // Each total is rounded to the cent on its own, so the parts may differ from the whole by a cent.
    assert.ok(Math.abs(allButLast + lastDay - wholeMonth) <= 1, `${allButLast} + ${lastDay} = ${wholeMonth}`);
  });

  step('the picker names its controls and offers relative ranges', async () => {
    await explorer().dateRange().click();
    for (const name of ['Previous month', 'Next month', 'Apply', 'Cancel', 'Clear and dismiss']) {
      await expect(page.getByRole('button', { name, exact: true }), `the ${name} button`).toBeVisible();
    }
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await explorer().chooseRelativeRange('Last 3 months');
    await expect(explorer().dateRange(), 'the relative range').toContainText('Last 3 months');
    const threeMonths = `${day(new Date(Date.UTC(year, month - 2, 1)))} — ${day(now)}, by service`;
    const costs = await explorer().breakdownAmounts(threeMonths);
    assert.ok(cents(costs.get('Total')) > 0, 'three months of costs');
    const months = [2, 1, 0].map((back) =>
      new Date(Date.UTC(year, month - back, 1)).toLocaleDateString('en-US', {
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      }),
    );
    assert.deepEqual(await explorer().breakdownColumns(), ['Service', ...months, 'Total cost'], 'a column per month');
  });

  step("Billing home's month to date ends today and costs what Cost Explorer's Month to date does", async () => {
    const monthToDate = `${day(new Date(Date.UTC(year, month, 1)))} — ${day(now)}`;
    await explorer().chooseRelativeRange('Month to date');
    const costs = await explorer().breakdownAmounts(`${monthToDate}, by service`);
    const home = new BillingHomePage(page);
    await home.goto('/billing');
    await expect(home.summaryValue('Period'), 'the period').toContainText(monthToDate.replace(' — ', ' – '));
    await expect(home.summaryValue('Month-to-date cost'), 'the month-to-date cost').toContainText(costs.get('Total')!);
    // The monthly chart names its months ("November 2026"), not "2026-11".
    const main = page.getByRole('main');
    await expect(main, 'the monthly chart').toContainText(label);
    // Days ("2026-12-01") are fine; a bare "2026-11" month label is not.
    assert.ok(!/\b\d{4}-\d{2}\b(?!-)/.test(await main.innerText()), 'no YYYY-MM month labels');
    await explorer().goto('/billing/cost-explorer');
  });

  step('the chart keeps every group (the smaller ones as "Others") and formats money as the table does', async () => {
    await explorer().chooseRange(first, last);
    await explorer().groupBy('Usage type');
    const costs = await explorer().breakdownAmounts(`${first} — ${last}, by usage type`);
    assert.ok(costs.size > 9, `more usage types than the chart draws: ${costs.size - 1}`);
    assert.ok(![...costs.keys()].includes(''), 'no group without a name');
    const legend = await explorer().chartLegend();
    assert.equal(legend.at(-1), 'Others', `the legend: ${legend.join(', ')}`);
    const ticks = await explorer().chartAxisTicks();
    assert.ok(
      ticks.some((tick) => /^\$[\d,]+(\.\d\d)?$/.test(tick) && tick !== '$0.00'),
      `money on the axis: ${ticks.join(' ')}`,
    );
    assert.ok(!ticks.some((tick) => /^\d{4,}$/.test(tick)), `no raw numbers on the axis: ${ticks.join(' ')}`);
    await explorer().screenshot('cost-explorer-usage-types');
  });

  step(
    'groups and filters by a cost allocation tag; the CSV files hold the numbers the table and chart show',
    async () => {
      await explorer().chooseRange(first, last);
      await explorer().groupBy('Service');
      const byService = await explorer().breakdownAmounts(`${first} — ${last}, by service`);
      await explorer().groupByTag('team');
      const byTeam = await explorer().breakdownAmounts(`${first} — ${last}, by tag: team`);
      assert.equal(byTeam.get('Total'), byService.get('Total'), 'grouped by tag, the month costs what it costs');
      assert.ok(byTeam.has('No tag key'), `untagged spend is named: ${[...byTeam.keys()].join(', ')}`);
      assert.ok(![...byTeam.keys()].some((key) => key.includes('$')), 'tag values without their key$ prefix');
      await explorer().screenshot('cost-explorer-by-tag');

      // The table's file: a line per row, the amounts to the cent as the table shows them.
      const table = await explorer().downloadCsv('Download table (CSV)');
      assert.equal(table.name, 'cost-explorer-breakdown.csv');
      assert.equal(table.rows[0]![0], 'Tag: team');
      assert.equal(table.rows[0]!.at(-1), 'Total cost (USD)');
      assert.equal(table.rows.length - 1, byTeam.size, 'every row of the table');
      for (const row of table.rows.slice(1)) {
        assert.equal(
          Math.round(Number(row.at(-1)) * 100),
          cents(byTeam.get(row[0]!)),
          `${row[0]} in the file and table`,
        );
      }
      // The chart's file: its bars ("Others" too when drawn) and each period's total, which is the table's.
      const chart = await explorer().downloadCsv('Download chart data (CSV)');
      assert.equal(chart.name, 'cost-explorer-chart.csv');
      assert.equal(chart.rows[0]!.at(-1), 'Total');
      assert.equal(chart.rows.length, 2, 'one month, one line');
      const bars = chart.rows[1]!.slice(1, -1).map((amount) => Math.round(Number(amount) * 100));
      const periodTotal = Math.round(Number(chart.rows[1]!.at(-1)) * 100);
      assert.equal(periodTotal, cents(byTeam.get('Total')), "the chart's total is the table's");
      assert.ok(Math.abs(bars.reduce((a, b) => a + b, 0) - periodTotal) <= bars.length, 'the bars add up to it');

      // Filtered to one team, only that team's spend is left, as much as it had before.
      const team = [...byTeam.keys()].find((key) => key !== 'Total' && key !== 'No tag key')!;
      await explorer().filterByTag('team', [team]);
      await expect(explorer().breakdownRows().getByRole('row'), 'the team and the total').toHaveCount(2);
      const filtered = await explorer().breakdownAmounts(`${first} — ${last}, by tag: team`);
      assert.deepEqual([...filtered.keys()], [team, 'Total']);
      assert.equal(filtered.get(team), byTeam.get(team), `${team}'s spend, filtered or not`);
      await explorer().clearFilters();
    },
  );

  it('logged no errors in the browser console', () => {
    assert.deepEqual(pageErrors, []);
  });
});
