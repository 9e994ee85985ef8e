/**
 * The credits applied to an account's bills (Cost Explorer's RECORD_TYPE `Credit` line items) by billing
 * period, by service and, for a management account, by member account: the Credits page's data, served as
 * `billing:GetCredits` (src/operations/bills/credits.ts). Amounts are negative decimal text (a credit lowers
 * the bill), summed exactly in money units.
 */
import type { Billing } from '../billing.js';
import type { CostRow } from '../costs/cost-query.js';
import { formatMoney, parseMoney } from '../money.js';

const CREDITS = { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit'] } };

const day = (date: Date) => date.toISOString().slice(0, 10);

/** From the first period with data (or the current month, when there is none) through the current month. */
function everyPeriod(first: string | undefined, now: Date): { Start: string; End: string } {
  const current = day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
  const start = first === undefined ? current : `${first}-01`;
  return {
    Start: start < current ? start : current,
    End: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))),
  };
}

const units = (amount: string | undefined) => parseMoney(amount ?? '0') ?? 0n;

/** Sums rows by (period, key), largest credit (most negative) first within each period. */
function byPeriod(rows: CostRow[]): Map<string, [string, bigint][]> {
  const sums = new Map<string, Map<string, bigint>>();
  for (const row of rows) {
    const period = row.bucket.slice(0, 7);
    const lines = sums.get(period) ?? new Map<string, bigint>();
    const key = row.keys[0] ?? '';
    lines.set(key, (lines.get(key) ?? 0n) + units(row.amounts.UnblendedCost));
    sums.set(period, lines);
  }
  return new Map(
    [...sums].map(([period, lines]) => [
      period,
      [...lines]
        .filter(([, amount]) => amount !== 0n)
        .sort(([a, x], [b, y]) => (x === y ? a.localeCompare(b) : x < y ? -1 : 1)),
    ]),
  );
}

/**
 * The account's credits over a DateInterval (`YYYY-MM-DD`, End exclusive), or, when none is given, over every
 * billing period with cost data up to and including the current one. Throws CostQueryError for a period the
 * cost data cannot answer.
 */
export async function creditsSummary(
  billing: Billing,
  accountId: string,
  requested: { Start: string; End: string } | undefined,
  now: Date,
) {
  const scope = await billing.scopeOf(accountId);
  const period = requested ?? everyPeriod(await billing.queries.firstPeriod(scope), now);
  // A management account sees its members' data too; a member or a standalone account only its own.
  const management = scope.slice === undefined && scope.owners.length > 1;
  const query = (key: string) =>
    billing.queries.costAndUsage({
      start: period.Start,
      end: period.End,
      granularity: 'MONTHLY',
      metrics: ['UnblendedCost'],
      groupBy: [{ Type: 'DIMENSION', Key: key }],
      filter: CREDITS,
      scope,
    });
  const services = await query('SERVICE');
  const accounts: CostRow[] = management ? await query('LINKED_ACCOUNT') : [];
  const servicesByPeriod = byPeriod(services);
  const accountsByPeriod = byPeriod(accounts);
  const names = await billing.queries.accountNames(scope, [
    ...new Set([...accountsByPeriod.values()].flatMap((lines) => lines.map(([id]) => id))),
  ]);
  let total = 0n;
  const periods = [...servicesByPeriod]
    .filter(([, lines]) => lines.length > 0)
    .sort(([a], [b]) => b.localeCompare(a))
    .map(([billingPeriod, lines]) => {
      const amount = lines.reduce((sum, [, line]) => sum + line, 0n);
      total += amount;
      return {
        BillingPeriod: billingPeriod,
        Amount: formatMoney(amount),
        Unit: 'USD',
        ByService: lines.map(([service, line]) => ({ Service: service, Amount: formatMoney(line) })),
        ...(management
          ? {
              ByAccount: (accountsByPeriod.get(billingPeriod) ?? []).map(([memberId, line]) => {
                const name = names.get(memberId);
                return {
                  AccountId: memberId,
                  ...(name === undefined ? {} : { AccountName: name }),
                  Amount: formatMoney(line),
                };
              }),
            }
          : {}),
      };
    });
  return {
    TimePeriod: period,
    Total: { Amount: formatMoney(total), Unit: 'USD' },
    CreditsByPeriod: periods,
  };
}
