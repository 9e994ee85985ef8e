/**
 * Saved Cost Explorer reports: a name and a GetCostAndUsage request, per account (`billing_saved_report`).
 * The operations over them (Bursar's own, authorized by `ce:CreateReport`…) are in
 * src/operations/bursar/saved-reports.ts.
 */
import type { Kysely } from 'kysely';
import { resourceNotFound, validationException } from '../../core/errors.js';
import type { Database } from '../../store/schema.js';
import { accountWrite } from '../../store/locks.js';

/** A saved report as the operations return it. */
export interface SavedReport {
  ReportId: string;
  Name: string;
  /** The GetCostAndUsage request, as JSON text. */
  Query: string;
  CreatedAt: Date;
  UpdatedAt: Date;
}

// Bursar's own service answers a missing report with 400, as it always has (the console reads the code, not the status).
// A saved report is Cost Explorer's: it answers "not found" with 400.
const notFound = (id: string) => resourceNotFound(`No report found with id ${id}.`, 'ce');

/** A report's name and query as stored: the name trimmed, the query a GetCostAndUsage request re-serialized. */
export function checkReport(input: { Name?: string; Query?: string }): { name: string; query: string } {
  const name = (input.Name ?? '').trim();
  if (name.length < 1 || name.length > 100) throw validationException('Name must be 1 to 100 characters.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.Query ?? '');
  } catch {
    throw validationException('Query must be a GetCostAndUsage request as JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || !('TimePeriod' in parsed) || !('Metrics' in parsed)) {
    throw validationException('Query must be a GetCostAndUsage request with TimePeriod and Metrics.');
  }
  return { name, query: JSON.stringify(parsed) };
}

const present = (row: {
  report_id: string;
  name: string;
  query: string;
  created_at: string;
  updated_at: string;
}): SavedReport => ({
  ReportId: row.report_id,
  Name: row.name,
  Query: row.query,
  CreatedAt: new Date(row.created_at),
  UpdatedAt: new Date(row.updated_at),
});

export class SavedReports {
  constructor(private readonly db: Kysely<Database>) {}

  async create(
    accountId: string,
    reportId: string,
    report: { name: string; query: string },
    now: Date,
  ): Promise<SavedReport> {
    const row = {
      account_id: accountId,
      report_id: reportId,
      name: report.name,
      query: report.query,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    // Each change is one transaction holding the account's row, so its audit event is written with it.
    await accountWrite(this.db, accountId, (trx) => trx.insertInto('billing_saved_report').values(row).execute());
    return present(row);
  }

  /** The account's reports by name, or the one asked for (ResourceNotFoundException when it has none such). */
  async describe(accountId: string, reportId?: string): Promise<SavedReport[]> {
    let query = this.db.selectFrom('billing_saved_report').selectAll().where('account_id', '=', accountId);
    if (reportId !== undefined) query = query.where('report_id', '=', reportId);
    const rows = await query.orderBy('name').orderBy('report_id').execute();
    if (reportId !== undefined && rows.length === 0) throw notFound(reportId);
    return rows.map(present);
  }

  async update(accountId: string, reportId: string, report: { name: string; query: string }, now: Date) {
    const result = await accountWrite(this.db, accountId, (trx) =>
      trx
        .updateTable('billing_saved_report')
        .set({ name: report.name, query: report.query, updated_at: now.toISOString() })
        .where('account_id', '=', accountId)
        .where('report_id', '=', reportId)
        .executeTakeFirst(),
    );
    if (Number(result.numUpdatedRows) === 0) throw notFound(reportId);
  }

  async delete(accountId: string, reportId: string): Promise<void> {
    const result = await accountWrite(this.db, accountId, (trx) =>
      trx
        .deleteFrom('billing_saved_report')
        .where('account_id', '=', accountId)
        .where('report_id', '=', reportId)
        .executeTakeFirst(),
    );
    if (Number(result.numDeletedRows) === 0) throw notFound(reportId);
  }
}
