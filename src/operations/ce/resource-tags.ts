/**
 * ListTagsForResource, TagResource and UntagResource for Cost Explorer's resources (cost categories, anomaly
 * monitors, anomaly subscriptions) over src/billing/costs/ce-resource-tags.ts: `ce:<Operation>` on the
 * resource's ARN, with the tags given as `aws:RequestTag/…` and `aws:TagKeys`.
 */
import type { CeResourceTags } from '../../billing/costs/ce-resource-tags.js';
import type { ListTagsForResourceRequest, TagResourceRequest, UntagResourceRequest } from '../../contracts/wire/ce.js';
import type { Operation } from '../../core/operation.js';
import { tagRequestContext } from '../tag-context.js';

export interface CeTagServices {
  ceResourceTags: CeResourceTags;
}

const onTagged =
  (action: string) =>
  (input: {
    ResourceArn: string;
    ResourceTags?: Array<{ Key: string; Value: string }>;
    ResourceTagKeys?: string[];
  }) => {
    const context = tagRequestContext(input.ResourceTags, input.ResourceTagKeys);
    return [
      { action: `ce:${action}`, resource: input.ResourceArn ?? '', ...(context === undefined ? {} : { context }) },
    ];
  };

const listTagsForResource: Operation<CeTagServices, ListTagsForResourceRequest> = {
  service: 'ce',
  name: 'ListTagsForResource',
  mutates: false,
  access: onTagged('ListTagsForResource'),
  handler: async (input, ctx) => ({
    ResourceTags: await ctx.services.ceResourceTags.list(ctx.caller.accountId, input.ResourceArn),
  }),
};

const tagResource: Operation<CeTagServices, TagResourceRequest> = {
  service: 'ce',
  name: 'TagResource',
  mutates: true,
  access: onTagged('TagResource'),
  handler: async (input, ctx) => {
    await ctx.services.ceResourceTags.tag(ctx.caller.accountId, input.ResourceArn, input.ResourceTags);
    return {};
  },
};

const untagResource: Operation<CeTagServices, UntagResourceRequest> = {
  service: 'ce',
  name: 'UntagResource',
  mutates: true,
  access: onTagged('UntagResource'),
  handler: async (input, ctx) => {
    await ctx.services.ceResourceTags.untag(ctx.caller.accountId, input.ResourceArn, input.ResourceTagKeys);
    return {};
  },
};

export const ceResourceTagOperations = [listTagsForResource, tagResource, untagResource];
