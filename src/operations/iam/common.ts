/**
 * What IAM's operations share: their services, the ARNs AWS authorizes them against, and the one access
 * request most of them ask (`iam:<Operation>` on that ARN, with the condition keys the input carries).
 *
 * Resource ARNs of existing users, groups, roles and instance profiles carry the entity's stored name and current
 * path (IamContext.locate: read from the store when other instances share it, so a path another instance set
 * decides at once). Create calls use the name and path given.
 */
import type { IamServices } from '../../iam/index.js';
import type { PathKind } from '../../iam/context.js';
import type { Tag } from '../../contracts/wire/iam.js';
import type { ContextValue } from '../../policy/types.js';
import { serviceRulesFor } from '../../policy/service-rules.js';
import { validationError } from '../../core/errors.js';
import { unmodifiableEntity } from '../../iam/errors.js';
import type { AccessRequest, AccessRule, Operation, OperationContext } from '../../core/operation.js';

export interface IamOperationServices {
  iam: IamServices;
}

export type IamContext = OperationContext<IamOperationServices>;

/** An IAM operation, its input typed by the model (src/contracts/wire/iam.ts). */
export type IamOperation<Input> = Operation<IamOperationServices, Input>;

/** The ARN an operation is authorized against (async: an existing entity's path is read from the store). */
export type Resource<Input> = (input: Input, ctx: IamContext) => string | Promise<string>;

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The ARN of an IAM thing of this account, by kind, name and path (`/` when none is given). */
export function arn(ctx: IamContext, kind: string, name: string | undefined, path?: string): string {
  return `arn:aws:iam::${ctx.caller.accountId}:${kind}${str(path) ?? '/'}${str(name) ?? ''}`;
}

/**
 * An existing user's, group's, role's or instance profile's ARN, with the name as stored (whatever case the
 * caller typed) and the path it has.
 */
export async function entityArn(ctx: IamContext, kind: PathKind, name: string | undefined): Promise<string> {
  const entity = await ctx.services.iam.context.locate(ctx.caller.accountId, kind, str(name) ?? '');
  return arn(ctx, kind, entity.name, entity.path);
}

const ROLE_NAME = /:role\/(?:.*\/)?([^/]+)$/;

/**
 * IAM's own refusal of a change to a role only AWS may change (a service-linked or `aws-reserved` role, which
 * the engine's service rules protect): `UnmodifiableEntity`, in AWS's wording, instead of the engine's
 * AccessDenied (invoke() answers it in place of a service rule's denial).
 */
function protectedRoleRefusal(action: string, resource: string): AccessRequest['refusedAfterPolicies'] {
  const name = ROLE_NAME.exec(resource)?.[1];
  if (name === undefined) return undefined;
  const guarded = serviceRulesFor(action).some((rule) => rule.kind === 'protected' && rule.protects(resource));
  if (!guarded) return undefined;
  const refusal = protectedRoleError(name);
  return { code: refusal.code, message: refusal.message, status: refusal.status };
}

/** IAM's refusal to change a role only AWS may change, in AWS's words. */
export const protectedRoleError = (roleName: string) =>
  unmodifiableEntity(
    `Cannot perform the operation on the protected role '${roleName}' - this role is only modifiable by AWS`,
  );

/**
 * `iam:<name>` on the resource, with the condition keys the input carries: the access rule of every IAM
 * operation that asks one question. (The input's type is the operation's, not inferred from the helpers.)
 */
export function iamAccess<Input>(
  name: string,
  resource: Resource<NoInfer<Input>>,
  context?: (input: NoInfer<Input>) => Record<string, ContextValue> | undefined,
): AccessRule<IamOperationServices, Input> {
  return async (input, ctx): Promise<AccessRequest[]> => {
    const extra = context?.(input);
    const action = `iam:${name}`;
    const arn = await resource(input, ctx);
    const refused = protectedRoleRefusal(action, arn);
    return [
      {
        action,
        resource: arn,
        ...(extra ? { context: extra } : {}),
        ...(refused === undefined ? {} : { refusedAfterPolicies: refused }),
      },
    ];
  };
}

/** For account-wide operations (aliases, password policy, reports): AWS authorizes them on `*`. */
export const anyResource = (): string => '*';
export const userArn = (input: { UserName?: string }, ctx: IamContext) => entityArn(ctx, 'user', input.UserName);
export const groupArn = (input: { GroupName?: string }, ctx: IamContext) => entityArn(ctx, 'group', input.GroupName);
export const roleArn = (input: { RoleName?: string }, ctx: IamContext) => entityArn(ctx, 'role', input.RoleName);
export const policyArn = (input: { PolicyArn?: string }): string => str(input.PolicyArn) ?? '*';
export const instanceProfileArn = (input: { InstanceProfileName?: string }, ctx: IamContext) =>
  entityArn(ctx, 'instance-profile', input.InstanceProfileName);
/** A List operation's resource: the kind's ARN up to the path prefix asked for. */
export const pathPrefixArn =
  (kind: string) =>
  (input: { PathPrefix?: string }, ctx: IamContext): string =>
    `arn:aws:iam::${ctx.caller.accountId}:${kind}${str(input.PathPrefix) ?? '/'}`;

/**
 * The user an operation with an optional UserName acts on: the one named, else the calling user itself;
 * undefined means the root user (root callers only). A role session must name the user, as in AWS.
 */
export function targetUser(input: { UserName?: string }, ctx: IamContext): string | undefined {
  const named = str(input.UserName);
  if (named) return named;
  if (ctx.caller.kind === 'user') return ctx.caller.name;
  if (ctx.caller.kind === 'root') return undefined;
  throw validationError('Must specify userName when calling with non-User credentials');
}

/** As targetUser, for operations the root user cannot be the subject of (login profiles). */
export function requireTargetUser(input: { UserName?: string }, ctx: IamContext): string {
  const user = targetUser(input, ctx);
  if (!user) throw validationError('Must specify userName when calling with non-User credentials');
  return user;
}

/** The resource of an operation on the named user, or on the caller itself when none is named. */
export async function selfResource(input: { UserName?: string }, ctx: IamContext): Promise<string> {
  const named = str(input.UserName);
  if (named) return entityArn(ctx, 'user', named);
  return ctx.caller.kind === 'user' || ctx.caller.kind === 'root' ? ctx.caller.arn : '*';
}

/** `aws:TagKeys` and `aws:RequestTag/…` for calls that carry tags. */
export function tagContext(tags: Tag[] | undefined): Record<string, ContextValue> | undefined {
  if (tags === undefined || tags.length === 0) return undefined;
  const context: Record<string, ContextValue> = { 'aws:TagKeys': tags.map((tag) => tag.Key) };
  for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  return context;
}

/** A create call's tags and the permissions boundary it sets (`iam:PermissionsBoundary`). */
export function tagAndBoundaryContext(input: {
  Tags?: Tag[];
  PermissionsBoundary?: string;
}): Record<string, ContextValue> | undefined {
  const tags = tagContext(input.Tags);
  const boundary = str(input.PermissionsBoundary);
  return boundary ? { ...tags, 'iam:PermissionsBoundary': boundary } : tags;
}

/** A condition key set to the input's value when it has one (`iam:PolicyARN`, `iam:PermissionsBoundary`). */
export function contextKey(key: string, value: string | undefined): Record<string, ContextValue> | undefined {
  const given = str(value);
  return given ? { [key]: given } : undefined;
}
