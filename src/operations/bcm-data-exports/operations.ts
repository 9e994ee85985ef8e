/**
 * The BCM Data Exports API (JSON 1.1, target `AWSBillingAndCostManagementDataExports`, signing name and IAM
 * prefix `bcm-data-exports`): CreateExport, GetExport, ListExports, DeleteExport. Get and Delete ask for
 * their action on the export's ARN; Create (with `aws:RequestTag/…` and `aws:TagKeys` for its tags) and
 * List on `*`.
 */
import { checkExport, type DataExports } from '../../billing/reports/data-exports.js';
import type { Export, ResourceTag } from '../../contracts/wire/bcm-data-exports.js';
import type { ContextValue } from '../../policy/types.js';
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

  return [
    op(
      'CreateExport',
      true,
      (input) => {
        const tags = (input.ResourceTags as ResourceTag[] | undefined) ?? [];
        const context: Record<string, ContextValue> = {};
        if (tags.length > 0) context['aws:TagKeys'] = tags.map((t) => t.Key);
        for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
        return [{ action: 'bcm-data-exports:CreateExport', resource: '*', context }];
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
    op('DeleteExport', true, onExport('DeleteExport'), async (input, ctx) => {
      await exports.delete(ctx.caller.accountId, input.ExportArn as string);
      return { ExportArn: input.ExportArn };
    }),
  ];
}
