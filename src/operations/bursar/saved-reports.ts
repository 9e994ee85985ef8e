/**
 * Saved Cost Explorer reports: a name and a GetCostAndUsage request, per account. AWS has no public API for
 * them (the console's are internal), so these are Bursar's own JSON 1.1 operations on the `bursar` wire model
 * (`BursarService.CreateCostReport`…), authorized by AWS's permission-only actions for reports:
 * `ce:CreateReport`, `ce:DescribeReport`, `ce:UpdateReport`, `ce:DeleteReport` on resource `*`.
 */
import type { BillingServices } from '../../billing/billing.js';
import { checkReport, SavedReports } from '../../billing/reports/saved-reports.js';
import type { Operation, OperationContext } from '../../core/operation.js';

interface ReportInput {
  ReportId?: string;
  Name?: string;
  /** The GetCostAndUsage request, as JSON text. */
  Query?: string;
}

const reports = (ctx: OperationContext<BillingServices>) => new SavedReports(ctx.services.billing.db);

export const createCostReport: Operation<BillingServices, ReportInput> = {
  service: 'bursar',
  name: 'CreateCostReport',
  access: () => [{ action: 'ce:CreateReport', resource: '*' }],
  mutates: true,
  handler: async (input, ctx) => {
    const report = checkReport(input);
    // The request id is unique per call and comes from the injected id source, so tests stay deterministic.
    const created = await reports(ctx).create(ctx.caller.accountId, ctx.facts.requestId, report, ctx.facts.now);
    return { Report: created };
  },
};

export const describeCostReports: Operation<BillingServices, ReportInput> = {
  service: 'bursar',
  name: 'DescribeCostReports',
  access: () => [{ action: 'ce:DescribeReport', resource: '*' }],
  mutates: false,
  handler: async (input, ctx) => ({ Reports: await reports(ctx).describe(ctx.caller.accountId, input.ReportId) }),
};

export const updateCostReport: Operation<BillingServices, ReportInput> = {
  service: 'bursar',
  name: 'UpdateCostReport',
  access: () => [{ action: 'ce:UpdateReport', resource: '*' }],
  mutates: true,
  handler: async (input, ctx) => {
    const report = checkReport(input);
    await reports(ctx).update(ctx.caller.accountId, input.ReportId ?? '', report, ctx.facts.now);
    return {};
  },
};

export const deleteCostReport: Operation<BillingServices, ReportInput> = {
  service: 'bursar',
  name: 'DeleteCostReport',
  access: () => [{ action: 'ce:DeleteReport', resource: '*' }],
  mutates: true,
  handler: async (input, ctx) => {
    await reports(ctx).delete(ctx.caller.accountId, input.ReportId ?? '');
    return {};
  },
};

export const savedReportOperations = [createCostReport, describeCostReports, updateCostReport, deleteCostReport];
