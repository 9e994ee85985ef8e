/**
 * The Credits page's data as an operation: the credits applied to the caller's bills (Cost Explorer's
 * RECORD_TYPE `Credit` line items) by billing period, by service and, for a management account, by member
 * account. AWS's console reads this through its own internal API, authorized by the permission-only action
 * `billing:GetCredits`; Bursar serves it as `GetCredits` on a `billing` JSON model (src/models/services/billing.ts), so the API asks
 * for `billing:GetCredits` while a console call answers to the Credits page's gate (CONSOLE_OPERATION_GATES):
 * a fine-grained user with `billing:Get*` and no `ce:*` sees credits, as in AWS.
 * Amounts are negative decimal text (a credit lowers the bill), summed exactly in money units.
 */
import type { BillingServices } from '../../billing/billing.js';
import { CostQueryError, type CostRow } from '../../billing/costs/cost-query.js';
import { formatMoney, parseMoney } from '../../billing/money.js';
import { checkTimePeriod, validationException } from '../ce/operations.js';
import type { Operation } from '../../core/operation.js';

interface GetCreditsInput {
  /**
   * Cost Explorer's DateInterval (`YYYY-MM-DD`, End exclusive); when absent, every billing period with cost
   * data up to and including the current one.
   */
  TimePeriod?: { Start: string; End: string };
}

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

export const getCredits: Operation<BillingServices, GetCreditsInput> = {
  service: 'billing',
  name: 'GetCredits',
  access: () => [{ action: 'billing:GetCredits', resource: '*' }],
  mutates: false,
  async handler(input, ctx) {
    const { billing } = ctx.services;
    const scope = await billing.scopeOf(ctx.caller.accountId);
    const period =
      input.TimePeriod === undefined
        ? everyPeriod(await billing.queries.firstPeriod(scope), ctx.facts.now)
        : checkTimePeriod(input.TimePeriod);
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
    let services: CostRow[];
    let accounts: CostRow[] = [];
    try {
      services = await query('SERVICE');
      if (management) accounts = await query('LINKED_ACCOUNT');
    } catch (error) {
      if (error instanceof CostQueryError) throw validationException(error.message);
      throw error;
    }
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
                ByAccount: (accountsByPeriod.get(billingPeriod) ?? []).map(([accountId, line]) => {
                  const name = names.get(accountId);
                  return {
                    AccountId: accountId,
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
  },
};

export const creditsOperations = [getCredits];
