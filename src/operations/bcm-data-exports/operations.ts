/**
 * The BCM Data Exports API (JSON 1.1, target `AWSBillingAndCostManagementDataExports`, signing name and IAM
 * prefix `bcm-data-exports`): exports (Create/Get/List/Update/Delete), their tags, and their executions. The
 * operations on one export ask for their action on its ARN, Create (with `aws:RequestTag/…` and `aws:TagKeys`
 * for its tags, as TagResource and UntagResource carry them) and List on `*`.
 */
import { checkExport, type DataExports } from '../../billing/reports/data-exports.js';
import type { Export, ResourceTag } from '../../contracts/wire/bcm-data-exports.js';
import { tagRequestContext } from '../tag-context.js';
import { validationException } from '../../core/errors.js';
import type { Operation } from '../../core/operation.js';

type Input = Record<string, unknown>;
type Op = Operation<unknown, Input, Record<string, unknown>>;

/** ListExports' page when the caller names none. */
const DEFAULT_PAGE = 100;

/** Page tokens are the last name shown (names are `[0-9A-Za-z_-]+`). */
function afterOf(token: unknown): string | undefined {
  if (token === undefined) return undefined;
  if (typeof token !== 'string' || !/^[0-9A-Za-z_-]+$/.test(token)) {
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

export function dataExportsOperations(exports: DataExports): Op[] {
  const op = (name: string, mutates: boolean, access: Op['access'], handler: Op['handler']): Op => ({
    service: 'bcm-data-exports',
    name,
    mutates,
    access,
    handler,
  });
  const onExport = (action: string) => (input: Input) => [
    { action: `bcm-data-exports:${action}`, resource: String(input.ExportArn ?? '') },
  ];
  // The tag operations name the export as `ResourceArn`.
  const onTagged = (action: string) => (input: Input) => {
    const context = tagRequestContext(
      input.ResourceTags as ResourceTag[] | undefined,
      input.ResourceTagKeys as string[] | undefined,
    );
    return [
      {
        action: `bcm-data-exports:${action}`,
        resource: String(input.ResourceArn ?? ''),
        ...(context === undefined ? {} : { context }),
      },
    ];
  };

  return [
    op(
      'CreateExport',
      true,
      (input) => {
        const context = tagRequestContext(input.ResourceTags as ResourceTag[] | undefined);
        return [
          { action: 'bcm-data-exports:CreateExport', resource: '*', ...(context === undefined ? {} : { context }) },
        ];
      },
      async (input, ctx) => ({
        ExportArn: await exports.create(
          ctx.caller.accountId,
          checkExport(input.Export as Export),
          (input.ResourceTags as ResourceTag[] | undefined) ?? [],
        ),
      }),
    ),
    op('GetExport', false, onExport('GetExport'), async (input, ctx) => ({
      ...(await exports.get(ctx.caller.accountId, input.ExportArn as string)),
    })),
    op(
      'ListExports',
      false,
      () => [{ action: 'bcm-data-exports:ListExports', resource: '*' }],
      async (input, ctx) => {
        const limit = typeof input.MaxResults === 'number' ? input.MaxResults : DEFAULT_PAGE;
        const page = await exports.list(ctx.caller.accountId, limit + 1, afterOf(input.NextToken));
        const shown = page.slice(0, limit);
        return { Exports: shown, ...(page.length > limit ? { NextToken: shown.at(-1)!.ExportName } : {}) };
      },
    ),
    op('UpdateExport', true, onExport('UpdateExport'), async (input, ctx) => {
      await exports.update(ctx.caller.accountId, input.ExportArn as string, checkExport(input.Export as Export));
      return { ExportArn: input.ExportArn };
    }),
    op('ListTagsForResource', false, onTagged('ListTagsForResource'), async (input, ctx) => {
      const tags = await exports.tags(ctx.caller.accountId, input.ResourceArn as string);
      const limit = typeof input.MaxResults === 'number' ? input.MaxResults : DEFAULT_PAGE;
      const start = offsetOf(input.NextToken, tags.length);
      const end = start + limit;
      return { ResourceTags: tags.slice(start, end), ...(end < tags.length ? { NextToken: String(end) } : {}) };
    }),
    op('TagResource', true, onTagged('TagResource'), async (input, ctx) => {
      await exports.retag(ctx.caller.accountId, input.ResourceArn as string, input.ResourceTags as ResourceTag[]);
      return {};
    }),
    op('UntagResource', true, onTagged('UntagResource'), async (input, ctx) => {
      await exports.retag(ctx.caller.accountId, input.ResourceArn as string, [], input.ResourceTagKeys as string[]);
      return {};
    }),
    op('ListExecutions', false, onExport('ListExecutions'), async (input, ctx) => ({
      Executions: await exports.executions(ctx.caller.accountId, input.ExportArn as string),
    })),
    op('GetExecution', false, onExport('GetExecution'), async (input, ctx) =>
      exports.execution(ctx.caller.accountId, input.ExportArn as string, input.ExecutionId as string),
    ),
    op('DeleteExport', true, onExport('DeleteExport'), async (input, ctx) => {
      await exports.delete(ctx.caller.accountId, input.ExportArn as string);
      return { ExportArn: input.ExportArn };
    }),
  ];
}
