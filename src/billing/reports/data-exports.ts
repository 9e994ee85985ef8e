/**
 * BCM Data Exports exports, per account, with their tags and executions: what the Data Exports operations keep.
 * An export is its SQL query over one of AWS's export tables (export-query.ts checks it against the table
 * dictionary), S3 destination and cadence; creating or updating one starts an execution that delivers its files
 * (export-delivery.ts). Names are unique per account; the ARN is
 * `arn:aws:bcm-data-exports:us-east-1:ACCOUNT:export/NAME-UUID`, as AWS spells it.
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
  ExecutionStatusCode,
  ExecutionStatusReason,
  Export,
  ExportStatus as ModelExportStatus,
  GetExecutionResponse,
  ResourceTag,
} from '../../contracts/wire/bcm-data-exports.js';
import type { BcmExportExecutionTable } from '../../store/tables/cur.js';
import { parseExportQuery } from './export-query.js';
import type { ExportDeliveries } from './export-delivery.js';

/** An export's status: unhealthy once its last execution failed; LastRefreshedAt is its last delivery. */
export type ExportStatus = Returned<ModelExportStatus, 'StatusCode' | 'CreatedAt' | 'LastUpdatedAt'>;

const notFound = (arn: string) => resourceNotFound(`Export ${arn} was not found.`);

export const exportArn = (accountId: string, exportId: string) =>
  `arn:aws:bcm-data-exports:us-east-1:${accountId}:export/${exportId}`;

/** The export id an ARN of this account names, or undefined. */
function exportIdOf(accountId: string, arn: string): string | undefined {
  const prefix = exportArn(accountId, '');
  return arn.startsWith(prefix) && arn.length > prefix.length ? arn.slice(prefix.length) : undefined;
}

/** The service's rules beyond the model: a query of known columns of one table, and Parquet only with Parquet. */
export function checkExport(input: Export): Export {
  parseExportQuery(input.DataQuery.QueryStatement, input.DataQuery.TableConfigurations);
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
    /** Runs an export's executions; without it (tests of the definitions alone) nothing is delivered. */
    private readonly deliveries?: ExportDeliveries,
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
    await this.deliveries?.request(accountId, exportId, definition);
    return exportArn(accountId, exportId);
  }

  async get(accountId: string, arn: string): Promise<{ Export: Export; ExportStatus: ExportStatus }> {
    const row = await this.row(this.db, accountId, arn);
    return {
      Export: { ExportArn: arn, ...(JSON.parse(row.export) as Export) },
      ExportStatus: await this.status(accountId, row),
    };
  }

  /** HEALTHY unless the last finished execution failed; LastRefreshedAt is the last successful delivery. */
  private async status(
    accountId: string,
    row: { export_id: string; created_at: string; updated_at: string },
  ): Promise<ExportStatus> {
    const finished = await this.db
      .selectFrom('bcm_export_execution')
      .select(['status_code', 'completed_at'])
      .where('account_id', '=', accountId)
      .where('export_id', '=', row.export_id)
      .where('completed_at', 'is not', null)
      .orderBy('completed_at', 'desc')
      .execute();
    const delivered = finished.find((e) => e.status_code === 'DELIVERY_SUCCESS');
    const last = finished[0];
    return {
      StatusCode: last === undefined || last.status_code === 'DELIVERY_SUCCESS' ? 'HEALTHY' : 'UNHEALTHY',
      ...(last !== undefined && last.status_code !== 'DELIVERY_SUCCESS' ? { StatusReason: 'INTERNAL_FAILURE' } : {}),
      CreatedAt: new Date(row.created_at),
      LastUpdatedAt: new Date(row.updated_at),
      ...(delivered === undefined ? {} : { LastRefreshedAt: new Date(delivered.completed_at!) }),
    };
  }

  /** The account's exports by name, after `after` (exclusive), at most `limit`. */
  async list(accountId: string, limit: number, after?: string) {
    let query = this.db.selectFrom('bcm_export').selectAll().where('account_id', '=', accountId);
    if (after !== undefined) query = query.where('name', '>', after);
    const rows = await query.orderBy('name').limit(limit).execute();
    return Promise.all(
      rows.map(async (row) => ({
        ExportArn: exportArn(accountId, row.export_id),
        ExportName: row.name,
        ExportStatus: await this.status(accountId, row),
      })),
    );
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
    const exportId = await accountWrite(this.db, accountId, async (trx) => {
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
      return row.export_id;
    });
    await this.deliveries?.request(accountId, exportId, definition);
  }

  /** The export's executions, newest first, after the execution `after` (exclusive), at most `limit`. */
  async executions(accountId: string, arn: string, limit: number, after?: string): Promise<ExecutionReference[]> {
    const row = await this.row(this.db, accountId, arn);
    const rows = await this.db
      .selectFrom('bcm_export_execution')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('export_id', '=', row.export_id)
      .orderBy('created_at', 'desc')
      .orderBy('execution_id', 'desc')
      .execute();
    const start = after === undefined ? 0 : rows.findIndex((e) => e.execution_id === after) + 1;
    if (after !== undefined && start === 0) throw validationException('The NextToken is not one this service issued.');
    return rows.slice(start, start + limit).map((e) => ({ ExecutionId: e.execution_id, ExecutionStatus: statusOf(e) }));
  }

  async execution(accountId: string, arn: string, executionId: string): Promise<GetExecutionResponse> {
    const row = await this.row(this.db, accountId, arn);
    const execution = await this.db
      .selectFrom('bcm_export_execution')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('export_id', '=', row.export_id)
      .where('execution_id', '=', executionId)
      .executeTakeFirst();
    if (execution === undefined) {
      throw resourceNotFound(`Execution ${executionId} of export ${arn} was not found.`);
    }
    return {
      ExecutionId: executionId,
      Export: { ExportArn: arn, ...(JSON.parse(execution.definition) as Export) },
      ExecutionStatus: statusOf(execution),
    };
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
              .deleteFrom('bcm_export_execution')
              .where('account_id', '=', accountId)
              .where('export_id', '=', exportId)
              .execute()
              .then(() =>
                trx
                  .deleteFrom('bcm_export')
                  .where('account_id', '=', accountId)
                  .where('export_id', '=', exportId)
                  .executeTakeFirst(),
              ),
          );
    if (result === undefined || Number(result.numDeletedRows) === 0) throw notFound(arn);
  }
}

function statusOf(row: BcmExportExecutionTable) {
  return {
    StatusCode: row.status_code as ExecutionStatusCode,
    ...(row.status_reason === null ? {} : { StatusReason: row.status_reason as ExecutionStatusReason }),
    CreatedAt: new Date(row.created_at),
    LastUpdatedAt: new Date(row.updated_at),
    ...(row.completed_at === null ? {} : { CompletedAt: new Date(row.completed_at) }),
  };
}
