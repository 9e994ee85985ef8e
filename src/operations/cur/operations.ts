/**
 * The Cost and Usage Report Service API (JSON 1.1, target `AWSOrigamiServiceGatewayService`, signing name
 * and IAM prefix `cur`). Operations on one report ask for their action on the report's ARN,
 * `arn:aws:cur:us-east-1:ACCOUNT:definition/NAME` (the service lives in us-east-1 only);
 * DescribeReportDefinitions on `*`. Tags given at creation or to TagResource carry `aws:RequestTag/…` and
 * `aws:TagKeys`, as AWS's Service Authorization Reference lists them.
 */
import { checkReportDefinition, type ReportDefinitions } from '../../billing/reports/report-definitions.js';
import type { ReportDefinition, Tag } from '../../contracts/wire/cur.js';
import { tagRequestContext } from '../tag-context.js';
import { validationException } from '../../core/errors.js';
import type { AccessRequest, Operation, OperationContext } from '../../core/operation.js';

type Input = Record<string, unknown>;
type Ctx = OperationContext<unknown>;
type Op = Operation<unknown, Input, Record<string, unknown>>;

const reportArn = (accountId: string, name: string) => `arn:aws:cur:us-east-1:${accountId}:definition/${name}`;

/** The report an input names: `ReportName`, or the definition's own for PutReportDefinition. */
const reportNameOf = (input: Input): string =>
  typeof input.ReportName === 'string'
    ? input.ReportName
    : String((input.ReportDefinition as ReportDefinition | undefined)?.ReportName ?? '');

const onReport =
  (action: string) =>
  (input: Input, ctx: Ctx): AccessRequest[] => {
    const context = tagRequestContext(input.Tags as Tag[] | undefined, input.TagKeys as string[] | undefined);
    return [
      {
        action: `cur:${action}`,
        resource: reportArn(ctx.caller.accountId, reportNameOf(input)),
        ...(context === undefined ? {} : { context }),
      },
    ];
  };

/** DescribeReportDefinitions' page: the model fixes MaxResults at 5. */
const PAGE = 5;

/** Page tokens are the last name shown, base64url (the token pattern has no room for `!*'()`). */
const tokenOf = (name: string) => Buffer.from(name, 'utf8').toString('base64url');
function nameOfToken(token: string): string {
  const name = Buffer.from(token, 'base64url').toString('utf8');
  if (name === '' || tokenOf(name) !== token) {
    throw validationException('The NextToken is not one this service issued.');
  }
  return name;
}

export function curOperations(reports: ReportDefinitions): Op[] {
  const op = (name: string, mutates: boolean, access: Op['access'], handler: Op['handler']): Op => ({
    service: 'cur',
    name,
    mutates,
    access,
    handler,
  });

  return [
    op(
      'DescribeReportDefinitions',
      false,
      () => [{ action: 'cur:DescribeReportDefinitions', resource: '*' }],
      async (input, ctx) => {
        const after =
          typeof input.NextToken === 'string' && input.NextToken !== '' ? nameOfToken(input.NextToken) : undefined;
        const limit = typeof input.MaxResults === 'number' ? input.MaxResults : PAGE;
        const page = await reports.list(ctx.caller.accountId, limit + 1, after);
        const shown = page.slice(0, limit);
        return {
          ReportDefinitions: shown,
          ...(page.length > limit ? { NextToken: tokenOf(shown.at(-1)!.ReportName) } : {}),
        };
      },
    ),
    op('PutReportDefinition', true, onReport('PutReportDefinition'), async (input, ctx) => {
      const definition = checkReportDefinition(input.ReportDefinition as ReportDefinition);
      await reports.put(ctx.caller.accountId, definition, (input.Tags as Tag[] | undefined) ?? []);
      return {};
    }),
    op('ModifyReportDefinition', true, onReport('ModifyReportDefinition'), async (input, ctx) => {
      const definition = checkReportDefinition(input.ReportDefinition as ReportDefinition);
      await reports.modify(ctx.caller.accountId, input.ReportName as string, definition);
      return {};
    }),
    op('DeleteReportDefinition', true, onReport('DeleteReportDefinition'), async (input, ctx) => {
      await reports.delete(ctx.caller.accountId, input.ReportName as string);
      return {};
    }),
    op('ListTagsForResource', false, onReport('ListTagsForResource'), async (input, ctx) => ({
      Tags: await reports.tags(ctx.caller.accountId, input.ReportName as string),
    })),
    op('TagResource', true, onReport('TagResource'), async (input, ctx) => {
      await reports.retag(ctx.caller.accountId, input.ReportName as string, input.Tags as Tag[]);
      return {};
    }),
    op('UntagResource', true, onReport('UntagResource'), async (input, ctx) => {
      await reports.retag(ctx.caller.accountId, input.ReportName as string, [], input.TagKeys as string[]);
      return {};
    }),
  ];
}
