/**
 * The BCM Data Exports API (JSON 1.1, target `AWSBillingAndCostManagementDataExports`, signing name and IAM
 * prefix `bcm-data-exports`): exports (Create/Get/List/Update/Delete), their tags, their executions, and the
 * tables an export may query (ListTables, GetTable). The operations on one export ask for their action on its
 * ARN, Create (with `aws:RequestTag/…` and `aws:TagKeys` for its tags, as TagResource and UntagResource carry
 * them), List and the table operations on `*`.
 */
import { checkExport, type DataExports } from '../../billing/reports/data-exports.js';
import { checkTableProperties } from '../../billing/reports/export-query.js';
import { EXPORT_TABLES, effectiveProperties, exportTable, schemaOf } from '../../billing/reports/export-tables.js';
import type {
  CreateExportRequest,
  DeleteExportRequest,
  GetExecutionRequest,
  GetExportRequest,
  GetTableRequest,
  ListExecutionsRequest,
  ListExportsRequest,
  ListTablesRequest,
  ListTagsForResourceRequest,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateExportRequest,
} from '../../contracts/wire/bcm-data-exports.js';
import { tagRequestContext } from '../tag-context.js';
import { validationException } from '../../core/errors.js';
import type { Operation } from '../../core/operation.js';

export interface DataExportsServices {
  dataExports: DataExports;
}

/** ListExports' page when the caller names none. */
const DEFAULT_PAGE = 100;

/** Page tokens are the last name (or execution id) shown (both are `[0-9A-Za-z_-]+`). */
function afterOf(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (!/^[0-9A-Za-z_-]+$/.test(token)) {
    throw validationException('The NextToken is not one this service issued.');
  }
  return token;
}

/** ListTagsForResource's tokens are the index of the next tag. */
function offsetOf(token: unknown, count: number): number {
  if (token === undefined) return 0;
  const offset = typeof token === 'string' && /^[1-9]\d{0,5}$/.test(token) ? Number(token) : NaN;
  if (!(offset < count)) throw validationException('The NextToken is not one this service issued.');
  return offset;
}

const onExport = (action: string) => (input: { ExportArn: string }) => [
  { action: `bcm-data-exports:${action}`, resource: input.ExportArn ?? '' },
];

/** The tag operations name the export as `ResourceArn`. */
const onTagged =
  (action: string) =>
  (input: { ResourceArn: string; ResourceTags?: { Key: string; Value: string }[]; ResourceTagKeys?: string[] }) => {
    const context = tagRequestContext(input.ResourceTags, input.ResourceTagKeys);
    return [
      {
        action: `bcm-data-exports:${action}`,
        resource: input.ResourceArn ?? '',
        ...(context === undefined ? {} : { context }),
      },
    ];
  };

const createExport: Operation<DataExportsServices, CreateExportRequest> = {
  service: 'bcm-data-exports',
  name: 'CreateExport',
  mutates: true,
  access: (input) => {
    const context = tagRequestContext(input.ResourceTags);
    return [{ action: 'bcm-data-exports:CreateExport', resource: '*', ...(context === undefined ? {} : { context }) }];
  },
  handler: async (input, ctx) => ({
    ExportArn: await ctx.services.dataExports.create(
      ctx.caller.accountId,
      checkExport(input.Export),
      input.ResourceTags ?? [],
    ),
  }),
};

const getExport: Operation<DataExportsServices, GetExportRequest> = {
  service: 'bcm-data-exports',
  name: 'GetExport',
  mutates: false,
  access: onExport('GetExport'),
  handler: async (input, ctx) => ({ ...(await ctx.services.dataExports.get(ctx.caller.accountId, input.ExportArn)) }),
};

const listExports: Operation<DataExportsServices, ListExportsRequest> = {
  service: 'bcm-data-exports',
  name: 'ListExports',
  mutates: false,
  access: () => [{ action: 'bcm-data-exports:ListExports', resource: '*' }],
  handler: async (input, ctx) => {
    const limit = input.MaxResults ?? DEFAULT_PAGE;
    const page = await ctx.services.dataExports.list(ctx.caller.accountId, limit + 1, afterOf(input.NextToken));
    const shown = page.slice(0, limit);
    return { Exports: shown, ...(page.length > limit ? { NextToken: shown.at(-1)!.ExportName } : {}) };
  },
};

const updateExport: Operation<DataExportsServices, UpdateExportRequest> = {
  service: 'bcm-data-exports',
  name: 'UpdateExport',
  mutates: true,
  access: onExport('UpdateExport'),
  handler: async (input, ctx) => {
    await ctx.services.dataExports.update(ctx.caller.accountId, input.ExportArn, checkExport(input.Export));
    return { ExportArn: input.ExportArn };
  },
};

const listTagsForResource: Operation<DataExportsServices, ListTagsForResourceRequest> = {
  service: 'bcm-data-exports',
  name: 'ListTagsForResource',
  mutates: false,
  access: onTagged('ListTagsForResource'),
  handler: async (input, ctx) => {
    const tags = await ctx.services.dataExports.tags(ctx.caller.accountId, input.ResourceArn);
    const limit = input.MaxResults ?? DEFAULT_PAGE;
    const start = offsetOf(input.NextToken, tags.length);
    const end = start + limit;
    return { ResourceTags: tags.slice(start, end), ...(end < tags.length ? { NextToken: String(end) } : {}) };
  },
};

const tagResource: Operation<DataExportsServices, TagResourceRequest> = {
  service: 'bcm-data-exports',
  name: 'TagResource',
  mutates: true,
  access: onTagged('TagResource'),
  handler: async (input, ctx) => {
    await ctx.services.dataExports.retag(ctx.caller.accountId, input.ResourceArn, input.ResourceTags);
    return {};
  },
};

const untagResource: Operation<DataExportsServices, UntagResourceRequest> = {
  service: 'bcm-data-exports',
  name: 'UntagResource',
  mutates: true,
  access: onTagged('UntagResource'),
  handler: async (input, ctx) => {
    await ctx.services.dataExports.retag(ctx.caller.accountId, input.ResourceArn, [], input.ResourceTagKeys);
    return {};
  },
};

const listExecutions: Operation<DataExportsServices, ListExecutionsRequest> = {
  service: 'bcm-data-exports',
  name: 'ListExecutions',
  mutates: false,
  access: onExport('ListExecutions'),
  handler: async (input, ctx) => {
    const limit = input.MaxResults ?? DEFAULT_PAGE;
    const page = await ctx.services.dataExports.executions(
      ctx.caller.accountId,
      input.ExportArn,
      limit + 1,
      afterOf(input.NextToken),
    );
    const shown = page.slice(0, limit);
    return { Executions: shown, ...(page.length > limit ? { NextToken: shown.at(-1)!.ExecutionId } : {}) };
  },
};

const listTables: Operation<DataExportsServices, ListTablesRequest> = {
  service: 'bcm-data-exports',
  name: 'ListTables',
  mutates: false,
  access: () => [{ action: 'bcm-data-exports:ListTables', resource: '*' }],
  handler: async (input) => {
    const start = input.NextToken === undefined ? 0 : EXPORT_TABLES.findIndex((t) => t.name === input.NextToken);
    if (start < 0) throw validationException('The NextToken is not one this service issued.');
    const end = start + (input.MaxResults ?? DEFAULT_PAGE);
    return {
      Tables: EXPORT_TABLES.slice(start, end).map((table) => ({
        TableName: table.name,
        Description: table.description,
        TableProperties: table.properties.map((p) => ({
          Name: p.name,
          ValidValues: p.validValues,
          DefaultValue: p.defaultValue,
          Description: p.description,
        })),
      })),
      ...(end < EXPORT_TABLES.length ? { NextToken: EXPORT_TABLES[end]!.name } : {}),
    };
  },
};

const getTable: Operation<DataExportsServices, GetTableRequest> = {
  service: 'bcm-data-exports',
  name: 'GetTable',
  mutates: false,
  access: () => [{ action: 'bcm-data-exports:GetTable', resource: '*' }],
  handler: async (input) => {
    const table = exportTable(input.TableName);
    if (table === undefined) {
      throw validationException(
        `Table ${input.TableName} does not exist; the tables are ${EXPORT_TABLES.map((t) => t.name).join(', ')}.`,
      );
    }
    checkTableProperties(table, input.TableProperties ?? {});
    const properties = effectiveProperties(table, input.TableProperties);
    return {
      TableName: table.name,
      Description: table.description,
      TableProperties: properties,
      Schema: schemaOf(table, properties).map((c) => ({ Name: c.name, Type: c.type, Description: c.description })),
    };
  },
};

const getExecution: Operation<DataExportsServices, GetExecutionRequest> = {
  service: 'bcm-data-exports',
  name: 'GetExecution',
  mutates: false,
  access: onExport('GetExecution'),
  handler: async (input, ctx) => ({
    ...(await ctx.services.dataExports.execution(ctx.caller.accountId, input.ExportArn, input.ExecutionId)),
  }),
};

const deleteExport: Operation<DataExportsServices, DeleteExportRequest> = {
  service: 'bcm-data-exports',
  name: 'DeleteExport',
  mutates: true,
  access: onExport('DeleteExport'),
  handler: async (input, ctx) => {
    await ctx.services.dataExports.delete(ctx.caller.accountId, input.ExportArn);
    return { ExportArn: input.ExportArn };
  },
};

export const dataExportsOperations = [
  createExport,
  getExport,
  listExports,
  updateExport,
  listTagsForResource,
  tagResource,
  untagResource,
  listExecutions,
  getExecution,
  deleteExport,
  listTables,
  getTable,
];
