/**
 * Cost Explorer's cost categories (JSON 1.1, `AWSInsightsIndexService`): Create/Describe/Update/Delete/
 * ListCostCategoryDefinitions over src/billing/costs/cost-categories.ts. The operations on one category ask for
 * `ce:<Operation>` on its ARN; Create and List on `*`, as in AWS.
 */
import { checkResourceTags } from '../../billing/costs/ce-resource-tags.js';
import { checkName, type CostCategories } from '../../billing/costs/cost-categories.js';
import type {
  CreateCostCategoryDefinitionRequest,
  DeleteCostCategoryDefinitionRequest,
  DescribeCostCategoryDefinitionRequest,
  ListCostCategoryDefinitionsRequest,
  UpdateCostCategoryDefinitionRequest,
} from '../../contracts/wire/ce.js';
import { validationException } from '../../core/errors.js';
import type { Operation } from '../../core/operation.js';
import type { CostCategoryDefinition } from '../../billing/costs/cost-categories.js';

export interface CostCategoryServices {
  costCategories: CostCategories;
}

/** ListCostCategoryDefinitions' page when MaxResults is not given. */
const DEFAULT_PAGE = 100;

const encodeToken = (name: string) => Buffer.from(JSON.stringify({ after: name })).toString('base64url');

function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // Not a token this server wrote: refused below.
  }
  throw validationException('The NextToken is not one this service issued.');
}

const onCategory = (action: string) => (input: { CostCategoryArn: string }) => [
  { action: `ce:${action}`, resource: input.CostCategoryArn ?? '' },
];

/** The definition members of a Create or Update request, as the model types them. */
const definitionOf = (input: CreateCostCategoryDefinitionRequest | UpdateCostCategoryDefinitionRequest) =>
  ({
    RuleVersion: input.RuleVersion,
    Rules: input.Rules,
    ...(input.DefaultValue === undefined ? {} : { DefaultValue: input.DefaultValue }),
    ...(input.SplitChargeRules === undefined ? {} : { SplitChargeRules: input.SplitChargeRules }),
  }) as CostCategoryDefinition;

const createCostCategoryDefinition: Operation<CostCategoryServices, CreateCostCategoryDefinitionRequest> = {
  service: 'ce',
  name: 'CreateCostCategoryDefinition',
  mutates: true,
  access: () => [{ action: 'ce:CreateCostCategoryDefinition', resource: '*' }],
  handler: async (input, ctx) => {
    checkResourceTags(input.ResourceTags ?? []);
    return {
      ...(await ctx.services.costCategories.create(
        ctx.caller.accountId,
        checkName('Name', input.Name),
        definitionOf(input),
        input.ResourceTags ?? [],
        input.EffectiveStart,
      )),
    };
  },
};

const describeCostCategoryDefinition: Operation<CostCategoryServices, DescribeCostCategoryDefinitionRequest> = {
  service: 'ce',
  name: 'DescribeCostCategoryDefinition',
  mutates: false,
  access: onCategory('DescribeCostCategoryDefinition'),
  handler: async (input, ctx) => ({
    CostCategory: await ctx.services.costCategories.describe(
      ctx.caller.accountId,
      input.CostCategoryArn,
      input.EffectiveOn,
    ),
  }),
};

const updateCostCategoryDefinition: Operation<CostCategoryServices, UpdateCostCategoryDefinitionRequest> = {
  service: 'ce',
  name: 'UpdateCostCategoryDefinition',
  mutates: true,
  access: onCategory('UpdateCostCategoryDefinition'),
  handler: async (input, ctx) => ({
    ...(await ctx.services.costCategories.update(
      ctx.caller.accountId,
      input.CostCategoryArn,
      definitionOf(input),
      input.EffectiveStart,
    )),
  }),
};

const deleteCostCategoryDefinition: Operation<CostCategoryServices, DeleteCostCategoryDefinitionRequest> = {
  service: 'ce',
  name: 'DeleteCostCategoryDefinition',
  mutates: true,
  access: onCategory('DeleteCostCategoryDefinition'),
  handler: async (input, ctx) => ({
    ...(await ctx.services.costCategories.delete(ctx.caller.accountId, input.CostCategoryArn)),
  }),
};

const listCostCategoryDefinitions: Operation<CostCategoryServices, ListCostCategoryDefinitionsRequest> = {
  service: 'ce',
  name: 'ListCostCategoryDefinitions',
  mutates: false,
  access: () => [{ action: 'ce:ListCostCategoryDefinitions', resource: '*' }],
  handler: async (input, ctx) => {
    const limit = input.MaxResults ?? DEFAULT_PAGE;
    if (limit < 1 || limit > 100) throw validationException('MaxResults must be between 1 and 100.');
    const page = await ctx.services.costCategories.list(ctx.caller.accountId, limit + 1, decodeToken(input.NextToken));
    const shown = page.slice(0, limit);
    return {
      CostCategoryReferences: shown,
      ...(page.length > limit ? { NextToken: encodeToken(shown.at(-1)!.Name) } : {}),
    };
  },
};

export const costCategoryOperations = [
  createCostCategoryDefinition,
  describeCostCategoryDefinition,
  updateCostCategoryDefinition,
  deleteCostCategoryDefinition,
  listCostCategoryDefinitions,
];
