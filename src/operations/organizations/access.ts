/**
 * What every Organizations operation asks of the domain and of invoke(): the services, the resource ARNs as far
 * as this process knows the caller's organization, and the one-request access rules.
 */
import { ACCOUNT_ID, OU_ID, ROOT_ID, accountArn, ouArn, rootArn } from '../../organizations/ids.js';
import { page, pageRequest, type Input } from '../../organizations/input.js';
import type { Organizations } from '../../organizations/organizations.js';
import type { AccessRequest, Operation, OperationContext } from '../../core/operation.js';

export interface OrganizationsServices {
  organizations: Organizations;
}

export type Ctx = OperationContext<OrganizationsServices>;
export type Op = Operation<OrganizationsServices, Input, Record<string, unknown>>;

// --- resource ARNs, as far as this process knows the caller's organization ---

export function arnOf(ctx: Ctx, build: (mgmt: string, orgId: string) => string): string {
  const ref = ctx.services.organizations.directory.organizationOf(ctx.caller.accountId);
  return ref ? build(ref.managementAccountId, ref.organizationId) : '*';
}

export function containerArn(ctx: Ctx, id: unknown): string {
  if (typeof id !== 'string') return '*';
  if (ROOT_ID.test(id)) return arnOf(ctx, (m, o) => rootArn(m, o, id));
  if (OU_ID.test(id)) return arnOf(ctx, (m, o) => ouArn(m, o, id));
  if (ACCOUNT_ID.test(id)) return arnOf(ctx, (m, o) => accountArn(m, o, id));
  return '*';
}

export function ask(action: string, resource: string, context?: AccessRequest['context']): AccessRequest {
  return { action: `organizations:${action}`, resource, ...(context ? { context } : {}) };
}

/** An operation whose only resource is `*` (AWS's authorization reference lists no resource type). */
export function anyResource(name: string, mutates: boolean, handler: Op['handler']): Op {
  return { service: 'organizations', name, access: () => [ask(name, '*')], mutates, handler };
}

export const org = (ctx: Ctx) => ctx.services.organizations;
export const me = (ctx: Ctx) => ctx.caller.accountId;

export function paged<T>(input: Input, member: string, items: T[]): Record<string, unknown> {
  const { items: slice, NextToken } = page(items, pageRequest(input));
  return { [member]: slice, ...(NextToken !== undefined ? { NextToken } : {}) };
}
