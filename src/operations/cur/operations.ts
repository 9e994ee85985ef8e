/**
 * The Cost and Usage Report Service API (JSON 1.1, target `AWSOrigamiServiceGatewayService`, signing name
 * and IAM prefix `cur`). Operations on one report ask for their action on the report's ARN,
 * `arn:aws:cur:us-east-1:ACCOUNT:definition/NAME` (the service lives in us-east-1 only);
 * DescribeReportDefinitions on `*`. Tags given at creation or to TagResource carry `aws:RequestTag/…` and
 * `aws:TagKeys`, as AWS's Service Authorization Reference lists them.
 */
import { checkReportDefinition, type ReportDefinitions } from '../../billing/reports/report-definitions.js';
import type {
  DeleteReportDefinitionRequest,
  DescribeReportDefinitionsRequest,
  ListTagsForResourceRequest,
  ModifyReportDefinitionRequest,
  PutReportDefinitionRequest,
  Tag,
  TagResourceRequest,
  UntagResourceRequest,
} from '../../contracts/wire/cur.js';
import { tagRequestContext } from '../tag-context.js';
import { validationException } from '../../core/errors.js';
import type { AccessRequest, Operation, OperationContext } from '../../core/operation.js';

export interface CurServices {
  reportDefinitions: ReportDefinitions;
}

type Ctx = OperationContext<CurServices>;

const reportArn = (accountId: string, name: string) => `arn:aws:cur:us-east-1:${accountId}:definition/${name}`;

/** What an input can say about the report and its tags. */
interface ReportInput {
  ReportName?: string;
  ReportDefinition?: { ReportName?: string };
  Tags?: Tag[];
  TagKeys?: string[];
}

/** The action on the report the input names: `ReportName`, or the definition's own for PutReportDefinition. */
const onReport =
  (action: string) =>
  (input: ReportInput, ctx: Ctx): AccessRequest[] => {
    const context = tagRequestContext(input.Tags, input.TagKeys);
    const name = input.ReportName ?? input.ReportDefinition?.ReportName ?? '';
    return [
      {
        action: `cur:${action}`,
        resource: reportArn(ctx.caller.accountId, name),
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

const describeReportDefinitions: Operation<CurServices, DescribeReportDefinitionsRequest> = {
  service: 'cur',
  name: 'DescribeReportDefinitions',
  mutates: false,
  access: () => [{ action: 'cur:DescribeReportDefinitions', resource: '*' }],
  handler: async (input, ctx) => {
    const after = input.NextToken ? nameOfToken(input.NextToken) : undefined;
    const limit = input.MaxResults ?? PAGE;
    const page = await ctx.services.reportDefinitions.list(ctx.caller.accountId, limit + 1, after);
    const shown = page.slice(0, limit);
    return {
      ReportDefinitions: shown,
      ...(page.length > limit ? { NextToken: tokenOf(shown.at(-1)!.ReportName) } : {}),
    };
  },
};

const putReportDefinition: Operation<CurServices, PutReportDefinitionRequest> = {
  service: 'cur',
  name: 'PutReportDefinition',
  mutates: true,
  access: onReport('PutReportDefinition'),
  handler: async (input, ctx) => {
    const definition = checkReportDefinition(input.ReportDefinition);
    await ctx.services.reportDefinitions.put(ctx.caller.accountId, definition, input.Tags ?? []);
    return {};
  },
};

const modifyReportDefinition: Operation<CurServices, ModifyReportDefinitionRequest> = {
  service: 'cur',
  name: 'ModifyReportDefinition',
  mutates: true,
  access: onReport('ModifyReportDefinition'),
  handler: async (input, ctx) => {
    const definition = checkReportDefinition(input.ReportDefinition);
    await ctx.services.reportDefinitions.modify(ctx.caller.accountId, input.ReportName, definition);
    return {};
  },
};

const deleteReportDefinition: Operation<CurServices, DeleteReportDefinitionRequest> = {
  service: 'cur',
  name: 'DeleteReportDefinition',
  mutates: true,
  access: onReport('DeleteReportDefinition'),
  handler: async (input, ctx) => {
    await ctx.services.reportDefinitions.delete(ctx.caller.accountId, input.ReportName);
    return {};
  },
};

const listTagsForResource: Operation<CurServices, ListTagsForResourceRequest> = {
  service: 'cur',
  name: 'ListTagsForResource',
  mutates: false,
  access: onReport('ListTagsForResource'),
  handler: async (input, ctx) => ({
    Tags: await ctx.services.reportDefinitions.tags(ctx.caller.accountId, input.ReportName),
  }),
};

const tagResource: Operation<CurServices, TagResourceRequest> = {
  service: 'cur',
  name: 'TagResource',
  mutates: true,
  access: onReport('TagResource'),
  handler: async (input, ctx) => {
    await ctx.services.reportDefinitions.retag(ctx.caller.accountId, input.ReportName, input.Tags);
    return {};
  },
};

const untagResource: Operation<CurServices, UntagResourceRequest> = {
  service: 'cur',
  name: 'UntagResource',
  mutates: true,
  access: onReport('UntagResource'),
  handler: async (input, ctx) => {
    await ctx.services.reportDefinitions.retag(ctx.caller.accountId, input.ReportName, [], input.TagKeys);
    return {};
  },
};

export const curOperations = [
  describeReportDefinitions,
  putReportDefinition,
  modifyReportDefinition,
  deleteReportDefinition,
  listTagsForResource,
  tagResource,
  untagResource,
];
