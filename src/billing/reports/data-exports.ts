/**
 * BCM Data Exports exports, per account, with their tags: what the Data Exports operations keep.
 * As with report definitions, Bursar records the export (its SQL query over one of AWS's export tables,
 * S3 destination and cadence) and answers with it in AWS's shape; it writes no files. Names are unique
 * per account; the ARN is `arn:aws:bcm-data-exports:us-east-1:ACCOUNT:export/NAME-UUID`, as AWS spells it.
 */
import type { Kysely } from 'kysely';
import { resourceNotFound, validationException } from '../../core/errors.js';
import type { Clock } from '../../platform/clock.js';
import { uuid, type IdSource } from '../../platform/ids.js';
import type { Database } from '../../store/schema.js';
import { accountWrite } from '../../store/locks.js';
import { retagged } from '../resource-tags.js';
import type { Returned } from '../../contracts/json.js';
import type {
  ExecutionReference,
  Export,
  ExportStatus as ModelExportStatus,
  ResourceTag,
} from '../../contracts/wire/bcm-data-exports.js';

/** Bursar delivers no files, so an export is always healthy and has never refreshed. */
export type ExportStatus = Returned<ModelExportStatus, 'StatusCode' | 'CreatedAt' | 'LastUpdatedAt'>;

/** The tables an export's query may read (the Data Exports table names). */
export const EXPORT_TABLES = [
  'COST_AND_USAGE_REPORT',
  'COST_AND_USAGE_DASHBOARD',
  'COST_OPTIMIZATION_RECOMMENDATIONS',
  'CARBON_EMISSIONS',
  'FOCUS_1_0_AWS',
] as const;

const notFound = (arn: string) => resourceNotFound(`Export ${arn} was not found.`);

export const exportArn = (accountId: string, exportId: string) =>
  `arn:aws:bcm-data-exports:us-east-1:${accountId}:export/${exportId}`;

/** The export id an ARN of this account names, or undefined. */
function exportIdOf(accountId: string, arn: string): string | undefined {
  const prefix = exportArn(accountId, '');
  return arn.startsWith(prefix) && arn.length > prefix.length ? arn.slice(prefix.length) : undefined;
}

/** The service's rules beyond the model: a query over one known table, and Parquet only with Parquet. */
export function checkExport(input: Export): Export {
  const table = /^\s*SELECT\s[\s\S]+?\sFROM\s+([A-Za-z0-9_]+)/i.exec(input.DataQuery.QueryStatement)?.[1];
  if (table === undefined || !(EXPORT_TABLES as readonly string[]).includes(table.toUpperCase())) {
    throw validationException(`The query must select from one of the tables ${EXPORT_TABLES.join(', ')}.`);
  }
  const { Format, Compression } = input.DestinationConfigurations.S3Destination.S3OutputConfigurations;
  if ((Format === 'PARQUET') !== (Compression === 'PARQUET')) {
    throw validationException(`Compression ${Compression} is not supported for format ${Format}.`);
  }
  // The ARN is the service's to assign.
  const { ExportArn: _arn, ...definition } = input;
  return definition;
}

export class DataExports {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  async create(accountId: string, definition: Export, tags: ResourceTag[]) {
    const exportId = `${definition.Name}-${uuid(this.ids)}`;
    const now = this.clock.now().toISOString();
    await accountWrite(this.db, accountId, async (trx) => {
      const existing = await trx
        .selectFrom('bcm_export')
        .select('export_id')
        .where('account_id', '=', accountId)
        .where('name', '=', definition.Name)
        .executeTakeFirst();
      if (existing !== undefined) throw validationException(`An export named ${definition.Name} already exists.`);
      await trx
        .insertInto('bcm_export')
        .values({
          account_id: accountId,
          export_id: exportId,
          name: definition.Name,
          export: JSON.stringify(definition),
          tags: JSON.stringify(tags),
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
    return exportArn(accountId, exportId);
  }

  async get(accountId: string, arn: string): Promise<{ Export: Export; ExportStatus: ExportStatus }> {
    const row = await this.row(this.db, accountId, arn);
    return {
      Export: { ExportArn: arn, ...(JSON.parse(row.export) as Export) },
      ExportStatus: {
        StatusCode: 'HEALTHY',
        CreatedAt: new Date(row.created_at),
        LastUpdatedAt: new Date(row.updated_at),
      },
    };
  }

  /** The account's exports by name, after `after` (exclusive), at most `limit`. */
  async list(accountId: string, limit: number, after?: string) {
    let query = this.db.selectFrom('bcm_export').selectAll().where('account_id', '=', accountId);
    if (after !== undefined) query = query.where('name', '>', after);
    const rows = await query.orderBy('name').limit(limit).execute();
    return rows.map((row) => ({
      ExportArn: exportArn(accountId, row.export_id),
      ExportName: row.name,
      ExportStatus: {
        StatusCode: 'HEALTHY',
        CreatedAt: new Date(row.created_at),
        LastUpdatedAt: new Date(row.updated_at),
      },
    }));
  }

  /** The export's tags (AWS keeps them in the order given). */
  async tags(accountId: string, arn: string): Promise<ResourceTag[]> {
    return JSON.parse((await this.row(this.db, accountId, arn)).tags) as ResourceTag[];
  }

  /** Sets `add` and removes `remove`'s keys from the export's tags, in one read-modify-write. */
  async retag(accountId: string, arn: string, add: ResourceTag[], remove: string[] = []): Promise<void> {
    await accountWrite(this.db, accountId, async (trx) => {
      const row = await this.row(trx, accountId, arn);
      await trx
        .updateTable('bcm_export')
        .set({ tags: retagged(row.tags, add, remove) })
        .where('account_id', '=', accountId)
        .where('export_id', '=', row.export_id)
        .execute();
    });
  }

  /** Replaces the export's definition (UpdateExport); its name, which its ARN carries, stays. */
  async update(accountId: string, arn: string, definition: Export): Promise<void> {
    await accountWrite(this.db, accountId, async (trx) => {
      const row = await this.row(trx, accountId, arn);
      if (definition.Name !== row.name) {
        throw validationException(`The export's name cannot be changed (it is ${row.name}).`);
      }
      await trx
        .updateTable('bcm_export')
        .set({ export: JSON.stringify(definition), updated_at: this.clock.now().toISOString() })
        .where('account_id', '=', accountId)
        .where('export_id', '=', row.export_id)
        .execute();
    });
  }

  /** The export's executions: none, as Bursar runs no export yet (it records definitions only). */
  async executions(accountId: string, arn: string): Promise<ExecutionReference[]> {
    await this.row(this.db, accountId, arn);
    return [];
  }

  async execution(accountId: string, arn: string, executionId: string): Promise<never> {
    await this.row(this.db, accountId, arn);
    throw resourceNotFound(`Execution ${executionId} of export ${arn} was not found.`);
  }

  private async row(db: Kysely<Database>, accountId: string, arn: string) {
    const exportId = exportIdOf(accountId, arn);
    const row =
      exportId === undefined
        ? undefined
        : await db
            .selectFrom('bcm_export')
            .selectAll()
            .where('account_id', '=', accountId)
            .where('export_id', '=', exportId)
            .executeTakeFirst();
    if (row === undefined) throw notFound(arn);
    return row;
  }

  async delete(accountId: string, arn: string): Promise<void> {
    const exportId = exportIdOf(accountId, arn);
    const result =
      exportId === undefined
        ? undefined
        : await accountWrite(this.db, accountId, (trx) =>
            trx
              .deleteFrom('bcm_export')
              .where('account_id', '=', accountId)
              .where('export_id', '=', exportId)
              .executeTakeFirst(),
          );
    if (result === undefined || Number(result.numDeletedRows) === 0) throw notFound(arn);
  }
}
