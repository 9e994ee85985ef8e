/**
 * What every Organizations operation shares: its services, the resource ARNs AWS authorizes it against (as
 * far as this process knows the caller's organization), the one access request most of them ask
 * (`organizations:<Operation>` on that ARN, with the condition keys the input carries), and paging.
 *
 * The ARNs need the caller's organization id, which access() takes from the area's directory; before the
 * process knows the caller's organization they fall back to `*`, and the handler still applies AWS's own
 * rule that only the management account may manage the organization.
 */
import {
  ACCOUNT_ID,
  OU_ID,
  POLICY_ID,
  ROOT_ID,
  accountArn,
  organizationArn,
  ouArn,
  policyArn,
  rootArn,
} from '../../organizations/ids.js';
import { DELEGABLE_WRITES } from '../../organizations/resource-policy.js';
import { invalidInput } from '../../organizations/errors.js';
import { FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS } from '../../organizations/managed-policies.js';
import type { Organizations } from '../../organizations/organizations.js';
import type { OrgPolicyType } from '../../store/tables/organizations.js';
import type { ContextValue } from '../../policy/types.js';
import type { AccessRequest, AccessRule, Operation, OperationContext } from '../../core/operation.js';

export interface OrganizationsServices {
  organizations: Organizations;
}

export type OrgContext = OperationContext<OrganizationsServices>;

/** An Organizations operation, its input typed by the model (src/contracts/wire/organizations.ts). */
export type OrgOperation<Input> = Operation<OrganizationsServices, Input>;

/** The ARN an operation is authorized against. */
export type Resource<Input> = (input: Input, ctx: OrgContext) => string;

export const org = (ctx: OrgContext) => ctx.services.organizations;
export const me = (ctx: OrgContext) => ctx.caller.accountId;

// --- resource ARNs, as far as this process knows the caller's organization ---

export function arnOf(ctx: OrgContext, build: (mgmt: string, orgId: string) => string): string {
  const ref = org(ctx).directory.organizationOf(me(ctx));
  return ref ? build(ref.managementAccountId, ref.organizationId) : '*';
}

/** A root's, OU's or account's ARN by its id. */
export function containerArn(ctx: OrgContext, id: string | undefined): string {
  if (id === undefined) return '*';
  if (ROOT_ID.test(id)) return arnOf(ctx, (m, o) => rootArn(m, o, id));
  if (OU_ID.test(id)) return arnOf(ctx, (m, o) => ouArn(m, o, id));
  if (ACCOUNT_ID.test(id)) return arnOf(ctx, (m, o) => accountArn(m, o, id));
  return '*';
}

const MANAGED = new Map([FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS].map((p) => [p.id, p]));

export function policyTypeOf(ctx: OrgContext, policyId: string | undefined): OrgPolicyType | undefined {
  if (policyId === undefined) return undefined;
  return MANAGED.get(policyId)?.type ?? org(ctx).directory.policyType(policyId);
}

export function policyResource(ctx: OrgContext, policyId: string | undefined): string {
  if (policyId === undefined) return '*';
  const managed = MANAGED.get(policyId);
  if (managed) return managed.arn;
  const type = policyTypeOf(ctx, policyId);
  return type ? arnOf(ctx, (m, o) => policyArn(m, o, type, policyId)) : '*';
}

/** A taggable resource's ARN: a policy's, else a root's, OU's or account's. */
export function taggableArn(ctx: OrgContext, id: string | undefined): string {
  return id !== undefined && POLICY_ID.test(id) ? policyResource(ctx, id) : containerArn(ctx, id);
}

export function typeContext(type: string | undefined): Record<string, ContextValue> | undefined {
  return type === undefined ? undefined : { 'organizations:PolicyType': type };
}

export function ask(action: string, resource: string, context?: Record<string, ContextValue>): AccessRequest {
  return { action: `organizations:${action}`, resource, ...(context ? { context } : {}) };
}

/**
 * The reads a delegated administrator of any service may call: AWS gives those accounts read-only access to
 * the organization's structure (their own IAM policies still decide, as for any call).
 */
const ADMINISTRATOR_READS: ReadonlySet<string> = new Set([
  'DescribeAccount',
  'DescribeCreateAccountStatus',
  'DescribeOrganizationalUnit',
  'DescribePolicy',
  'DescribeResourcePolicy',
  'ListAccounts',
  'ListAccountsForParent',
  'ListAWSServiceAccessForOrganization',
  'ListChildren',
  'ListCreateAccountStatus',
  'ListDelegatedAdministrators',
  'ListDelegatedServicesForAccount',
  'ListHandshakesForOrganization',
  'ListOrganizationalUnitsForParent',
  'ListParents',
  'ListPolicies',
  'ListPoliciesForTarget',
  'ListRoots',
  'ListTagsForResource',
  'ListTargetsForPolicy',
]);

/**
 * How a call reaches the caller's organization: as the caller itself (the management account, or a member
 * acting on its own account), as a delegated administrator reading it, or through the organization's
 * resource policy (the reads and the policy management it may delegate).
 */
async function delegation(ctx: OrgContext, name: string): Promise<'none' | 'administrator' | 'resource-policy'> {
  const ref = org(ctx).directory.organizationOf(me(ctx));
  if (ref === undefined || ref.managementAccountId === me(ctx)) return 'none';
  const read = ADMINISTRATOR_READS.has(name);
  if (!read && !DELEGABLE_WRITES.has(name)) return 'none';
  if (read && (await org(ctx).delegatedAdministrators.isAdministrator(ref.organizationId, me(ctx)))) {
    return 'administrator';
  }
  const policy = await org(ctx).resourcePolicy.documentOf(ref.organizationId);
  return policy === undefined ? 'none' : 'resource-policy';
}

/**
 * The account the area acts as: the management account for a call delegated to a member account (invoke()
 * has authorized it by then), else the caller's own.
 */
export async function actingAccount(ctx: OrgContext, name: string): Promise<string> {
  if ((await delegation(ctx, name)) === 'none') return me(ctx);
  return org(ctx).directory.organizationOf(me(ctx))!.managementAccountId;
}

/**
 * The requests of a call a member account makes through the organization's resource policy: cross-account
 * to the management account, so the resource policy joins and both it and the caller's own policies must
 * allow. A request on `*` names the organization, whose policy it is.
 */
export async function withDelegation(
  ctx: OrgContext,
  name: string,
  requests: AccessRequest[],
): Promise<AccessRequest[]> {
  if ((await delegation(ctx, name)) !== 'resource-policy') return requests;
  const ref = org(ctx).directory.organizationOf(me(ctx))!;
  return requests.map((request) => ({
    ...request,
    resource:
      request.resource === '*' ? organizationArn(ref.managementAccountId, ref.organizationId) : request.resource,
    resourceAccount: ref.managementAccountId,
    withResourcePolicy: true,
  }));
}

/**
 * `organizations:<name>` on the resource (`*` when AWS's authorization reference lists none), with the
 * condition keys the input carries: the access rule of every Organizations operation that asks one question.
 */
export function orgAccess<Input>(
  name: string,
  resource: Resource<NoInfer<Input>> = () => '*',
  context?: (input: NoInfer<Input>, ctx: OrgContext) => Record<string, ContextValue> | undefined,
): AccessRule<OrganizationsServices, Input> {
  return (input, ctx) => withDelegation(ctx, name, [ask(name, resource(input, ctx), context?.(input, ctx))]);
}

// --- paging ---

/** One page of `items` under `member`, AWS's MaxResults (the model bounds it to 1–20) and an opaque NextToken. */
export function paged<T>(
  input: { MaxResults?: number; NextToken?: string },
  member: string,
  items: T[],
): Record<string, unknown> {
  const limit = input.MaxResults ?? 20;
  let offset = 0;
  if (input.NextToken !== undefined) {
    const decoded = /^o(\d{1,9})$/.exec(Buffer.from(input.NextToken, 'base64url').toString());
    if (!decoded) throw invalidInput('INVALID_NEXT_TOKEN');
    offset = Number(decoded[1]);
  }
  const next = offset + limit;
  return {
    [member]: items.slice(offset, next),
    ...(next < items.length ? { NextToken: Buffer.from(`o${next}`).toString('base64url') } : {}),
  };
}
