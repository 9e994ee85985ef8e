/**
 * Saved Cost Explorer reports: a name and a GetCostAndUsage request, per account. AWS has no public API for
 * them (the console's are internal), so these are Bursar's own JSON 1.1 operations on the `bursar` wire model
 * (`BursarService.CreateCostReport`…), authorized by AWS's permission-only actions for reports:
 * `ce:CreateReport`, `ce:DescribeReport`, `ce:UpdateReport`, `ce:DeleteReport` on resource `*`.
 */
import type { BillingServices } from '../../billing/billing.js';
import { ServiceError } from '../../core/errors.js';
import type { Operation, OperationContext } from '../../core/operation.js';

interface ReportInput {
  ReportId?: string;
  Name?: string;
  /** The GetCostAndUsage request, as JSON text. */
  Query?: string;
}

const validation = (message: string) => new ServiceError('ValidationException', message);
const notFound = (id: string) => new ServiceError('ResourceNotFoundException', `No report found with id ${id}.`);

function checkReport(input: ReportInput): { name: string; query: string } {
  const name = (input.Name ?? '').trim();
  if (name.length < 1 || name.length > 100) throw validation('Name must be 1 to 100 characters.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.Query ?? '');
  } catch {
    throw validation('Query must be a GetCostAndUsage request as JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || !('TimePeriod' in parsed) || !('Metrics' in parsed)) {
    throw validation('Query must be a GetCostAndUsage request with TimePeriod and Metrics.');
  }
  return { name, query: JSON.stringify(parsed) };
}

const present = (row: { report_id: string; name: string; query: string; created_at: string; updated_at: string }) => ({
  ReportId: row.report_id,
  Name: row.name,
  Query: row.query,
  CreatedAt: new Date(row.created_at),
  UpdatedAt: new Date(row.updated_at),
});

function reports(ctx: OperationContext<BillingServices>) {
  return ctx.services.billing.db;
}

export const createCostReport: Operation<BillingServices, ReportInput> = {
  service: 'bursar',
  name: 'CreateCostReport',
  access: () => [{ action: 'ce:CreateReport', resource: '*' }],
  mutates: true,
  handler: async (input, ctx) => {
    const { name, query } = checkReport(input);
    const now = ctx.facts.now.toISOString();
    // The request id is unique per call and comes from the injected id source, so tests stay deterministic.
    const row = {
      account_id: ctx.caller.accountId,
      report_id: ctx.facts.requestId,
      name,
      query,
      created_at: now,
      updated_at: now,
    };
    await reports(ctx).insertInto('billing_saved_report').values(row).execute();
    return { Report: present(row) };
  },
};

export const describeCostReports: Operation<BillingServices, ReportInput> = {
  service: 'bursar',
  name: 'DescribeCostReports',
  access: () => [{ action: 'ce:DescribeReport', resource: '*' }],
  mutates: false,
  handler: async (input, ctx) => {
    let query = reports(ctx)
      .selectFrom('billing_saved_report')
      .selectAll()
      .where('account_id', '=', ctx.caller.accountId);
    if (input.ReportId !== undefined) query = query.where('report_id', '=', input.ReportId);
    const rows = await query.orderBy('name').orderBy('report_id').execute();
    if (input.ReportId !== undefined && rows.length === 0) throw notFound(input.ReportId);
    return { Reports: rows.map(present) };
  },
};

export const updateCostReport: Operation<BillingServices, ReportInput> = {
  service: 'bursar',
  name: 'UpdateCostReport',
  access: () => [{ action: 'ce:UpdateReport', resource: '*' }],
  mutates: true,
  handler: async (input, ctx) => {
    const { name, query } = checkReport(input);
    const result = await reports(ctx)
      .updateTable('billing_saved_report')
      .set({ name, query, updated_at: ctx.facts.now.toISOString() })
      .where('account_id', '=', ctx.caller.accountId)
      .where('report_id', '=', input.ReportId ?? '')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound(input.ReportId ?? '');
    return {};
  },
};

export const deleteCostReport: Operation<BillingServices, ReportInput> = {
  service: 'bursar',
  name: 'DeleteCostReport',
  access: () => [{ action: 'ce:DeleteReport', resource: '*' }],
  mutates: true,
  handler: async (input, ctx) => {
    const result = await reports(ctx)
      .deleteFrom('billing_saved_report')
      .where('account_id', '=', ctx.caller.accountId)
      .where('report_id', '=', input.ReportId ?? '')
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound(input.ReportId ?? '');
    return {};
  },
};

export const savedReportOperations = [createCostReport, describeCostReports, updateCostReport, deleteCostReport];
