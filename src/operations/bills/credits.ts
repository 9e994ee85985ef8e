/**
 * The Credits page's data as an operation (the summary itself: src/billing/bills/credits.ts). AWS's console
 * reads it through its own internal API, authorized by the permission-only action `billing:GetCredits`; Bursar
 * serves it as `GetCredits` on a `billing` JSON model (src/models/services/billing.ts), so the API asks for
 * `billing:GetCredits` while a console call answers to the Credits page's gate (CONSOLE_OPERATION_GATES): a
 * fine-grained user with `billing:Get*` and no `ce:*` sees credits, as in AWS.
 */
import type { BillingServices } from '../../billing/billing.js';
import { creditsSummary } from '../../billing/bills/credits.js';
import { CostQueryError } from '../../billing/costs/cost-query.js';
import { checkTimePeriod } from '../ce/operations.js';
import { validationException } from '../../core/errors.js';
import type { Operation } from '../../core/operation.js';

interface GetCreditsInput {
  /**
   * Cost Explorer's DateInterval (`YYYY-MM-DD`, End exclusive); when absent, every billing period with cost
   * data up to and including the current one.
   */
  TimePeriod?: { Start: string; End: string };
}

export const getCredits: Operation<BillingServices, GetCreditsInput> = {
  service: 'billing',
  name: 'GetCredits',
  access: () => [{ action: 'billing:GetCredits', resource: '*' }],
  mutates: false,
  async handler(input, ctx) {
    const period = input.TimePeriod === undefined ? undefined : checkTimePeriod(input.TimePeriod);
    try {
      return await creditsSummary(ctx.services.billing, ctx.caller.accountId, period, ctx.facts.now);
    } catch (error) {
      if (error instanceof CostQueryError) throw validationException(error.message);
      throw error;
    }
  },
};

export const creditsOperations = [getCredits];
