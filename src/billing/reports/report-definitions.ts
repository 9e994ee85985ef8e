/**
 * AWS Cost and Usage Report definitions, per account: what the Cost and Usage Report Service API
 * (PutReportDefinition, DescribeReportDefinitions, ModifyReportDefinition, DeleteReportDefinition and the
 * tag operations) keeps. Bursar records the definitions and answers with them in AWS's shape; putting or
 * modifying one delivers its report files (export-delivery.ts), as does the daily scheduler, and
 * DescribeReportDefinitions reports the last delivery in ReportStatus. The rules beyond the model's shapes are
 * AWS's: five definitions per account, unique names, and the format/compression/artifact combinations the
 * service accepts.
 */
import type { Kysely } from 'kysely';
import { resourceNotFound, validationException } from '../../core/errors.js';
import { duplicateReportName, reportLimitReached } from '../errors.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../store/schema.js';
import { accountWrite } from '../../store/locks.js';
import { retagged } from '../resource-tags.js';
import type { ReportDefinition, Tag } from '../../contracts/wire/cur.js';
import { reportExecutionId, type ExportDeliveries } from './export-delivery.js';

/** AWS's quota: "This account already has five reports defined." */
export const REPORT_LIMIT = 5;

// CUR answers a missing report with 400 (core/errors.ts SERVICE_STATUS).
const missing = (name: string) => resourceNotFound(`Report ${name} does not exist.`, 'cur');

/**
 * The service's own rules over a definition the model has already shaped: a Parquet report is Parquet
 * compressed and the other formats are not; Athena integration takes a Parquet report that overwrites
 * itself and no other artifact; Redshift and QuickSight take CSV.
 */
export function checkReportDefinition(input: ReportDefinition): ReportDefinition {
  const { Format, Compression } = input;
  if ((Format === 'Parquet') !== (Compression === 'Parquet')) {
    throw validationException(`Compression ${Compression} is not supported for format ${Format}.`);
  }
  const artifacts = input.AdditionalArtifacts ?? [];
  if (artifacts.includes('ATHENA')) {
    if (artifacts.length > 1) throw validationException('ATHENA cannot be combined with another additional artifact.');
    if (Format !== 'Parquet') throw validationException('ATHENA requires the Parquet format.');
    if (input.ReportVersioning !== 'OVERWRITE_REPORT')
      throw validationException('ATHENA requires ReportVersioning OVERWRITE_REPORT.');
  }
  if ((artifacts.includes('REDSHIFT') || artifacts.includes('QUICKSIGHT')) && Format !== 'textORcsv') {
    throw validationException('REDSHIFT and QUICKSIGHT require the textORcsv format.');
  }
  // Delivery status is the service's to report, never the caller's to set.
  const { ReportStatus: _status, ...definition } = input as ReportDefinition & { ReportStatus?: unknown };
  return definition;
}

export class ReportDefinitions {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** Delivers the reports' files; without it (tests of the definitions alone) nothing is delivered. */
    private readonly deliveries?: ExportDeliveries,
  ) {}

  /** The account's definitions by name, from `after` (exclusive), at most `limit`, with their last delivery. */
  async list(accountId: string, limit: number, after?: string): Promise<ReportDefinition[]> {
    let query = this.db
      .selectFrom('cur_report_definition')
      .select(['report_name', 'definition'])
      .where('account_id', '=', accountId);
    if (after !== undefined) query = query.where('report_name', '>', after);
    const rows = await query.orderBy('report_name').limit(limit).execute();
    const delivered =
      rows.length === 0
        ? []
        : await this.db
            .selectFrom('bcm_export_execution')
            .select(['export_id', 'completed_at'])
            .where('account_id', '=', accountId)
            .where(
              'export_id',
              'in',
              rows.map((row) => reportExecutionId(row.report_name)),
            )
            .where('status_code', '=', 'DELIVERY_SUCCESS')
            .execute();
    return rows.map((row) => {
      const last = delivered
        .filter((e) => e.export_id === reportExecutionId(row.report_name))
        .map((e) => e.completed_at!)
        .sort()
        .at(-1);
      const definition = JSON.parse(row.definition) as ReportDefinition;
      // AWS's compact timestamp, e.g. 20261120T100000Z.
      const lastDelivery = last?.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      return lastDelivery === undefined
        ? definition
        : { ...definition, ReportStatus: { lastDelivery, lastStatus: 'SUCCESS' } };
    });
  }

  async put(accountId: string, definition: ReportDefinition, tags: Tag[]): Promise<void> {
    const now = this.clock.now().toISOString();
    await accountWrite(this.db, accountId, async (trx) => {
      const names = await trx
        .selectFrom('cur_report_definition')
        .select('report_name')
        .where('account_id', '=', accountId)
        .execute();
      if (names.some((row) => row.report_name === definition.ReportName)) {
        throw duplicateReportName(`A report named ${definition.ReportName} already exists in this account.`);
      }
      if (names.length >= REPORT_LIMIT) {
        throw reportLimitReached(
          `This account already has ${REPORT_LIMIT} reports defined. To define a new report, you must delete an existing report.`,
        );
      }
      await trx
        .insertInto('cur_report_definition')
        .values({
          account_id: accountId,
          report_name: definition.ReportName,
          definition: JSON.stringify(definition),
          tags: JSON.stringify(tags),
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
    await this.deliveries?.request(accountId, reportExecutionId(definition.ReportName), definition);
  }

  async modify(accountId: string, name: string, definition: ReportDefinition): Promise<void> {
    if (definition.ReportName !== name) {
      throw validationException(
        `ReportDefinition.ReportName ${definition.ReportName} must match ReportName ${name}: reports cannot be renamed.`,
      );
    }
    const result = await accountWrite(this.db, accountId, (trx) =>
      trx
        .updateTable('cur_report_definition')
        .set({ definition: JSON.stringify(definition), updated_at: this.clock.now().toISOString() })
        .where('account_id', '=', accountId)
        .where('report_name', '=', name)
        .executeTakeFirst(),
    );
    if (Number(result.numUpdatedRows) === 0) throw validationException(`Report ${name} does not exist.`);
    await this.deliveries?.request(accountId, reportExecutionId(name), definition);
  }

  async delete(accountId: string, name: string): Promise<void> {
    const result = await accountWrite(this.db, accountId, async (trx) => {
      await trx
        .deleteFrom('bcm_export_execution')
        .where('account_id', '=', accountId)
        .where('export_id', '=', reportExecutionId(name))
        .execute();
      return trx
        .deleteFrom('cur_report_definition')
        .where('account_id', '=', accountId)
        .where('report_name', '=', name)
        .executeTakeFirst();
    });
    if (Number(result.numDeletedRows) === 0) throw validationException(`Report ${name} does not exist.`);
  }

  async tags(accountId: string, name: string): Promise<Tag[]> {
    const row = await this.db
      .selectFrom('cur_report_definition')
      .select('tags')
      .where('account_id', '=', accountId)
      .where('report_name', '=', name)
      .executeTakeFirst();
    if (row === undefined) throw missing(name);
    return JSON.parse(row.tags) as Tag[];
  }

  /** Adds or overwrites tags (`add`) and removes keys (`remove`) in one read-modify-write. */
  async retag(accountId: string, name: string, add: Tag[], remove: string[] = []): Promise<void> {
    await accountWrite(this.db, accountId, async (trx) => {
      const row = await trx
        .selectFrom('cur_report_definition')
        .select('tags')
        .where('account_id', '=', accountId)
        .where('report_name', '=', name)
        .executeTakeFirst();
      if (row === undefined) throw missing(name);
      await trx
        .updateTable('cur_report_definition')
        .set({ tags: retagged(row.tags, add, remove) })
        .where('account_id', '=', accountId)
        .where('report_name', '=', name)
        .execute();
    });
  }
}
