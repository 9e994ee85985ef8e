/**
 * The BCM Data Exports API (JSON 1.1, target `AWSBillingAndCostManagementDataExports`, signing name and IAM
 * prefix `bcm-data-exports`): CreateExport, GetExport, ListExports, DeleteExport. Get and Delete ask for
 * their action on the export's ARN; Create (with `aws:RequestTag/…` and `aws:TagKeys` for its tags) and
 * List on `*`.
 */
import { checkExport, type DataExports } from '../../billing/reports/data-exports.js';
import type {
  CreateExportRequest,
  DeleteExportRequest,
  GetExportRequest,
  ListExportsRequest,
} from '../../contracts/wire/bcm-data-exports.js';
import type { ContextValue } from '../../policy/types.js';
import { validationException } from '../../core/errors.js';
import type { Operation } from '../../core/operation.js';

export interface DataExportsServices {
  dataExports: DataExports;
}

/** ListExports' page when the caller names none. */
const DEFAULT_PAGE = 100;

/** Page tokens are the last name shown (names are `[0-9A-Za-z_-]+`). */
function afterOf(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (!/^[0-9A-Za-z_-]+$/.test(token)) {
    throw validationException('The NextToken is not one this service issued.');
  }
  return token;
}

const onExport = (action: string) => (input: { ExportArn: string }) => [
  { action: `bcm-data-exports:${action}`, resource: input.ExportArn ?? '' },
];

const createExport: Operation<DataExportsServices, CreateExportRequest> = {
  service: 'bcm-data-exports',
  name: 'CreateExport',
  mutates: true,
  access: (input) => {
    const tags = input.ResourceTags ?? [];
    const context: Record<string, ContextValue> = {};
    if (tags.length > 0) context['aws:TagKeys'] = tags.map((t) => t.Key);
    for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
    return [{ action: 'bcm-data-exports:CreateExport', resource: '*', context }];
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

export const dataExportsOperations = [createExport, getExport, listExports, deleteExport];
