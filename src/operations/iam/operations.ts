/**
 * IAM's API operations (Query protocol, version 2010-05-08) over the IAM domain. Member names are those of
 * AWS's model; the action is `iam:<Operation>`; the resource is the ARN AWS authorizes against.
 *
 * Resource ARNs of existing users, groups, roles and instance profiles carry the entity's current path (IamContext.pathOf: read
 * from the store when other instances share it, so a path another instance set decides at once). Create
 * calls use the path given.
 */
import type { IamServices } from '../../iam/index.js';
import type { EntityType } from '../../iam/records.js';
import { requireEntity } from '../../iam/entity-policies.js';
import { checkTags, requireString } from '../../iam/validation.js';
import type { TaggableType } from '../../iam/tags.js';
import type { PathKind } from '../../iam/context.js';
import type { ContextValue } from '../../policy/types.js';
import { ServiceError, validationError } from '../../core/errors.js';
import { noSuchEntity } from '../../iam/errors.js';
import type { AccessRequest, Operation, OperationContext } from '../../core/operation.js';
import { namePage, pageResult, paginate } from './pagination.js';
import type { OperationWith } from '../registry.js';
import { oidcProviderOperations } from './oidc-providers.js';
import { samlProviderOperations } from './saml-providers.js';

export interface IamOperationServices {
  iam: IamServices;
}

type Input = Record<string, unknown>;
type Ctx = OperationContext<IamOperationServices>;
type Op = Operation<IamOperationServices, Input, Record<string, unknown>>;

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function arn(ctx: Ctx, kind: string, name: unknown, path?: unknown): string {
  return `arn:aws:iam::${ctx.caller.accountId}:${kind}${str(path) ?? '/'}${str(name) ?? ''}`;
}

/** An existing user's, group's, role's or instance profile's ARN, with the path it has. */
async function entityArn(ctx: Ctx, kind: PathKind, name: unknown): Promise<string> {
  const entity = str(name) ?? '';
  return arn(ctx, kind, entity, await ctx.services.iam.context.pathOf(ctx.caller.accountId, kind, entity));
}

/**
 * The user an operation with an optional UserName acts on: the one named, else the calling user itself;
 * undefined means the root user (root callers only). A role session must name the user, as in AWS.
 */
function targetUser(input: Input, ctx: Ctx): string | undefined {
  const named = str(input.UserName);
  if (named) return named;
  if (ctx.caller.kind === 'user') return ctx.caller.name;
  if (ctx.caller.kind === 'root') return undefined;
  throw validationError('Must specify userName when calling with non-User credentials');
}

async function selfResource(input: Input, ctx: Ctx): Promise<string> {
  const named = str(input.UserName);
  if (named) return entityArn(ctx, 'user', named);
  return ctx.caller.kind === 'user' ? ctx.caller.arn : ctx.caller.kind === 'root' ? ctx.caller.arn : '*';
}

/** `aws:TagKeys` and `aws:RequestTag/…` for calls that carry tags. */
export function tagContext(tags: unknown): Record<string, ContextValue> | undefined {
  if (!Array.isArray(tags) || tags.length === 0) return undefined;
  const context: Record<string, ContextValue> = {};
  const keys: string[] = [];
  for (const raw of tags) {
    const tag = (raw ?? {}) as { Key?: unknown; Value?: unknown };
    if (typeof tag.Key !== 'string') continue;
    keys.push(tag.Key);
    context[`aws:RequestTag/${tag.Key}`] = typeof tag.Value === 'string' ? tag.Value : '';
  }
  context['aws:TagKeys'] = keys;
  return context;
}

/** The ARN an operation is authorized against (async: an existing entity's path is read from the store). */
type Resource = (input: Input, ctx: Ctx) => string | Promise<string>;

function define(
  name: string,
  mutates: boolean,
  resource: Resource,
  handler: (input: Input, ctx: Ctx) => Promise<Record<string, unknown>>,
  context?: (input: Input) => Record<string, ContextValue> | undefined,
): Op {
  return {
    service: 'iam',
    name,
    mutates,
    access: async (input, ctx): Promise<AccessRequest[]> => {
      const extra = context?.(input);
      return [{ action: `iam:${name}`, resource: await resource(input, ctx), ...(extra ? { context: extra } : {}) }];
    },
    handler,
  };
}

const account = (_input: Input, _ctx: Ctx) => '*';
const userArn = (input: Input, ctx: Ctx) => entityArn(ctx, 'user', input.UserName);
const groupArn = (input: Input, ctx: Ctx) => entityArn(ctx, 'group', input.GroupName);
const roleArn = (input: Input, ctx: Ctx) => entityArn(ctx, 'role', input.RoleName);
const policyArn = (input: Input) => str(input.PolicyArn) ?? '*';
const instanceProfileArn = (input: Input, ctx: Ctx) => entityArn(ctx, 'instance-profile', input.InstanceProfileName);

function name(input: Input, member: string): string {
  return requireString(input[member], member[0]!.toLowerCase() + member.slice(1));
}

function requireTargetUser(input: Input, ctx: Ctx): string {
  const user = targetUser(input, ctx);
  if (!user) throw validationError('Must specify userName when calling with non-User credentials');
  return user;
}

// --- users ---

const users: Op[] = [
  define(
    'CreateUser',
    true,
    (i, c) => arn(c, 'user', i.UserName, i.Path),
    async (i, { caller, services }) => ({ User: await services.iam.users.create(caller.accountId, i) }),
    (i) => {
      const tags = tagContext(i.Tags);
      const boundary = str(i.PermissionsBoundary);
      return boundary ? { ...tags, 'iam:PermissionsBoundary': boundary } : tags;
    },
  ),
  define('GetUser', false, selfResource, async (i, c) => {
    const user = targetUser(i, c);
    if (!user) {
      // The root user, as AWS answers it: its account id as UserId, the account's root ARN, no Path or UserName.
      const acct = await c.services.iam.accounts.require(c.caller.accountId);
      return {
        User: {
          UserId: acct.accountId,
          Arn: `arn:aws:iam::${acct.accountId}:root`,
          CreateDate: acct.createdAt,
          ...(acct.rootPasswordLastUsed === undefined ? {} : { PasswordLastUsed: acct.rootPasswordLastUsed }),
        },
      };
    }
    return { User: await c.services.iam.users.get(c.caller.accountId, user) };
  }),
  define(
    'ListUsers',
    false,
    (i, c) => `arn:aws:iam::${c.caller.accountId}:user${str(i.PathPrefix) ?? '/'}`,
    async (i, c) => pageResult(await c.services.iam.users.list(c.caller.accountId, i.PathPrefix, namePage(i)), 'Users'),
  ),
  define('UpdateUser', true, userArn, async (i, c) => {
    await c.services.iam.users.update(c.caller.accountId, name(i, 'UserName'), i);
    return {};
  }),
  define('DeleteUser', true, userArn, async (i, c) => {
    await c.services.iam.users.delete(c.caller.accountId, name(i, 'UserName'));
    return {};
  }),
];

// --- groups ---

const groups: Op[] = [
  define(
    'CreateGroup',
    true,
    (i, c) => arn(c, 'group', i.GroupName, i.Path),
    async (i, c) => ({
      Group: await c.services.iam.groups.create(c.caller.accountId, i),
    }),
  ),
  define('GetGroup', false, groupArn, async (i, c) => {
    const { Group, Users } = await c.services.iam.groups.get(c.caller.accountId, name(i, 'GroupName'));
    return { Group, ...paginate(Users, i, 'Users') };
  }),
  define(
    'ListGroups',
    false,
    (i, c) => `arn:aws:iam::${c.caller.accountId}:group${str(i.PathPrefix) ?? '/'}`,
    async (i, c) =>
      pageResult(await c.services.iam.groups.list(c.caller.accountId, i.PathPrefix, namePage(i)), 'Groups'),
  ),
  define('UpdateGroup', true, groupArn, async (i, c) => {
    await c.services.iam.groups.update(c.caller.accountId, name(i, 'GroupName'), i);
    return {};
  }),
  define('DeleteGroup', true, groupArn, async (i, c) => {
    await c.services.iam.groups.delete(c.caller.accountId, name(i, 'GroupName'));
    return {};
  }),
  define('AddUserToGroup', true, groupArn, async (i, c) => {
    await c.services.iam.groups.addUser(c.caller.accountId, name(i, 'GroupName'), name(i, 'UserName'));
    return {};
  }),
  define('RemoveUserFromGroup', true, groupArn, async (i, c) => {
    await c.services.iam.groups.removeUser(c.caller.accountId, name(i, 'GroupName'), name(i, 'UserName'));
    return {};
  }),
  define('ListGroupsForUser', false, userArn, async (i, c) =>
    paginate(await c.services.iam.groups.listForUser(c.caller.accountId, name(i, 'UserName')), i, 'Groups'),
  ),
];

// --- roles ---

const roles: Op[] = [
  define(
    'CreateRole',
    true,
    (i, c) => arn(c, 'role', i.RoleName, i.Path),
    async (i, c) => ({ Role: await c.services.iam.roles.create(c.caller.accountId, i) }),
    (i) => {
      const tags = tagContext(i.Tags);
      const boundary = str(i.PermissionsBoundary);
      return boundary ? { ...tags, 'iam:PermissionsBoundary': boundary } : tags;
    },
  ),
  define('GetRole', false, roleArn, async (i, c) => ({
    Role: await c.services.iam.roles.get(c.caller.accountId, name(i, 'RoleName')),
  })),
  define(
    'ListRoles',
    false,
    (i, c) => `arn:aws:iam::${c.caller.accountId}:role${str(i.PathPrefix) ?? '/'}`,
    async (i, c) => {
      const page = await c.services.iam.roles.list(c.caller.accountId, i.PathPrefix, namePage(i));
      // ListRoles leaves out tags, boundaries and last use, as AWS's does.
      const trimmed = page.items.map((r) => {
        const {
          RoleLastUsed: _lastUsed,
          PermissionsBoundary: _boundary,
          Tags: _tags,
          ...rest
        } = r as typeof r & { PermissionsBoundary?: unknown; Tags?: unknown };
        return rest;
      });
      return pageResult({ ...page, items: trimmed }, 'Roles');
    },
  ),
  define('UpdateRole', true, roleArn, async (i, c) => {
    await c.services.iam.roles.update(c.caller.accountId, name(i, 'RoleName'), i);
    return {};
  }),
  define('UpdateRoleDescription', true, roleArn, async (i, c) => {
    await c.services.iam.roles.update(c.caller.accountId, name(i, 'RoleName'), { Description: i.Description ?? '' });
    return { Role: await c.services.iam.roles.get(c.caller.accountId, name(i, 'RoleName')) };
  }),
  define('UpdateAssumeRolePolicy', true, roleArn, async (i, c) => {
    await c.services.iam.roles.updateAssumeRolePolicy(c.caller.accountId, name(i, 'RoleName'), i.PolicyDocument);
    return {};
  }),
  define('DeleteRole', true, roleArn, async (i, c) => {
    await c.services.iam.roles.delete(c.caller.accountId, name(i, 'RoleName'));
    return {};
  }),
];

// --- instance profiles ---

const instanceProfiles: Op[] = [
  define(
    'CreateInstanceProfile',
    true,
    (i, c) => arn(c, 'instance-profile', i.InstanceProfileName, i.Path),
    async (i, c) => ({ InstanceProfile: await c.services.iam.instanceProfiles.create(c.caller.accountId, i) }),
    (i) => tagContext(i.Tags),
  ),
  define('GetInstanceProfile', false, instanceProfileArn, async (i, c) => ({
    InstanceProfile: await c.services.iam.instanceProfiles.get(c.caller.accountId, name(i, 'InstanceProfileName')),
  })),
  define('DeleteInstanceProfile', true, instanceProfileArn, async (i, c) => {
    await c.services.iam.instanceProfiles.delete(c.caller.accountId, name(i, 'InstanceProfileName'));
    return {};
  }),
  define(
    'ListInstanceProfiles',
    false,
    (i, c) => `arn:aws:iam::${c.caller.accountId}:instance-profile${str(i.PathPrefix) ?? '/'}`,
    async (i, c) =>
      pageResult(
        await c.services.iam.instanceProfiles.list(c.caller.accountId, i.PathPrefix, namePage(i)),
        'InstanceProfiles',
      ),
  ),
  {
    service: 'iam',
    name: 'AddRoleToInstanceProfile',
    mutates: true,
    // AWS also asks for iam:PassRole on the role: whoever fills a profile hands the role to EC2 instances.
    access: async (i, c): Promise<AccessRequest[]> => [
      { action: 'iam:AddRoleToInstanceProfile', resource: await instanceProfileArn(i, c) },
      { action: 'iam:PassRole', resource: await roleArn(i, c) },
    ],
    handler: async (i, c) => {
      await c.services.iam.instanceProfiles.addRole(
        c.caller.accountId,
        name(i, 'InstanceProfileName'),
        name(i, 'RoleName'),
      );
      return {};
    },
  },
  define('RemoveRoleFromInstanceProfile', true, instanceProfileArn, async (i, c) => {
    await c.services.iam.instanceProfiles.removeRole(
      c.caller.accountId,
      name(i, 'InstanceProfileName'),
      name(i, 'RoleName'),
    );
    return {};
  }),
  define('ListInstanceProfilesForRole', false, roleArn, async (i, c) =>
    paginate(
      await c.services.iam.instanceProfiles.listForRole(c.caller.accountId, name(i, 'RoleName')),
      i,
      'InstanceProfiles',
    ),
  ),
];

// --- managed policies and versions ---

const policies: Op[] = [
  define(
    'CreatePolicy',
    true,
    (i, c) => arn(c, 'policy', i.PolicyName, i.Path),
    async (i, c) => ({ Policy: await c.services.iam.policies.create(c.caller.accountId, i) }),
    (i) => tagContext(i.Tags),
  ),
  define('GetPolicy', false, policyArn, async (i, c) => ({
    Policy: await c.services.iam.policies.get(c.caller.accountId, i.PolicyArn),
  })),
  define(
    'ListPolicies',
    false,
    (_i, c) => `arn:aws:iam::${c.caller.accountId}:policy/`,
    async (i, c) => {
      const list = await c.services.iam.policies.list(c.caller.accountId, i);
      // ListPolicies leaves out descriptions and tags, as AWS's does.
      return paginate(
        list.map(({ Description: _d, Tags: _t, ...rest }) => rest),
        i,
        'Policies',
      );
    },
  ),
  define('DeletePolicy', true, policyArn, async (i, c) => {
    await c.services.iam.policies.delete(c.caller.accountId, i.PolicyArn);
    return {};
  }),
  define('CreatePolicyVersion', true, policyArn, async (i, c) =>
    c.services.iam.policies.createVersion(c.caller.accountId, i),
  ),
  define('GetPolicyVersion', false, policyArn, async (i, c) =>
    c.services.iam.policies.getVersion(c.caller.accountId, i.PolicyArn, i.VersionId),
  ),
  define('ListPolicyVersions', false, policyArn, async (i, c) =>
    paginate(await c.services.iam.policies.listVersions(c.caller.accountId, i.PolicyArn), i, 'Versions'),
  ),
  define('DeletePolicyVersion', true, policyArn, async (i, c) => {
    await c.services.iam.policies.deleteVersion(c.caller.accountId, i.PolicyArn, i.VersionId);
    return {};
  }),
  define('SetDefaultPolicyVersion', true, policyArn, async (i, c) => {
    await c.services.iam.policies.setDefaultVersion(c.caller.accountId, i.PolicyArn, i.VersionId);
    return {};
  }),
  define('ListEntitiesForPolicy', false, policyArn, async (i, c) => {
    const { PolicyGroups, PolicyUsers, PolicyRoles } = await c.services.iam.entityPolicies.entitiesFor(
      c.caller.accountId,
      i.PolicyArn,
      i.EntityFilter,
    );
    // One page over the three lists, as AWS pages them together.
    const all = [
      ...PolicyGroups.map((g) => ['g', g] as const),
      ...PolicyUsers.map((u) => ['u', u] as const),
      ...PolicyRoles.map((r) => ['r', r] as const),
    ];
    const page = paginate(all, i, 'Items');
    return {
      PolicyGroups: page.Items.filter(([k]) => k === 'g').map(([, v]) => v),
      PolicyUsers: page.Items.filter(([k]) => k === 'u').map(([, v]) => v),
      PolicyRoles: page.Items.filter(([k]) => k === 'r').map(([, v]) => v),
      IsTruncated: page.IsTruncated,
      ...(page.Marker ? { Marker: page.Marker } : {}),
    };
  }),
];

// --- what hangs off users, groups and roles ---

const ENTITIES: { type: EntityType; label: 'User' | 'Group' | 'Role'; resource: Resource }[] = [
  { type: 'user', label: 'User', resource: userArn },
  { type: 'group', label: 'Group', resource: groupArn },
  { type: 'role', label: 'Role', resource: roleArn },
];

const entityPolicies: Op[] = ENTITIES.flatMap(({ type, label, resource }) => {
  const entityName = (i: Input) => name(i, `${label}Name`);
  const ops: Op[] = [
    define(
      `Attach${label}Policy`,
      true,
      resource,
      async (i, c) => {
        await c.services.iam.entityPolicies.attach(c.caller.accountId, type, entityName(i), i.PolicyArn);
        return {};
      },
      (i) => (str(i.PolicyArn) ? { 'iam:PolicyARN': str(i.PolicyArn)! } : undefined),
    ),
    define(
      `Detach${label}Policy`,
      true,
      resource,
      async (i, c) => {
        await c.services.iam.entityPolicies.detach(c.caller.accountId, type, entityName(i), i.PolicyArn);
        return {};
      },
      (i) => (str(i.PolicyArn) ? { 'iam:PolicyARN': str(i.PolicyArn)! } : undefined),
    ),
    define(`ListAttached${label}Policies`, false, resource, async (i, c) =>
      paginate(
        await c.services.iam.entityPolicies.listAttached(
          c.caller.accountId,
          type,
          entityName(i),
          str(i.PathPrefix) ?? '/',
        ),
        i,
        'AttachedPolicies',
      ),
    ),
    define(`Put${label}Policy`, true, resource, async (i, c) => {
      await c.services.iam.entityPolicies.putInline(
        c.caller.accountId,
        type,
        entityName(i),
        i.PolicyName,
        i.PolicyDocument,
      );
      return {};
    }),
    define(`Get${label}Policy`, false, resource, async (i, c) => {
      const found = await c.services.iam.entityPolicies.getInline(
        c.caller.accountId,
        type,
        entityName(i),
        i.PolicyName,
      );
      return { [`${label}Name`]: found.entityName, PolicyName: found.PolicyName, PolicyDocument: found.PolicyDocument };
    }),
    define(`List${label}Policies`, false, resource, async (i, c) =>
      paginate(
        await c.services.iam.entityPolicies.listInline(c.caller.accountId, type, entityName(i)),
        i,
        'PolicyNames',
      ),
    ),
    define(`Delete${label}Policy`, true, resource, async (i, c) => {
      await c.services.iam.entityPolicies.deleteInline(c.caller.accountId, type, entityName(i), i.PolicyName);
      return {};
    }),
  ];
  if (type !== 'group') {
    ops.push(
      define(
        `Put${label}PermissionsBoundary`,
        true,
        resource,
        async (i, c) => {
          await c.services.iam.entityPolicies.putBoundary(
            c.caller.accountId,
            type,
            entityName(i),
            i.PermissionsBoundary,
          );
          return {};
        },
        (i) => (str(i.PermissionsBoundary) ? { 'iam:PermissionsBoundary': str(i.PermissionsBoundary)! } : undefined),
      ),
      define(`Delete${label}PermissionsBoundary`, true, resource, async (i, c) => {
        await c.services.iam.entityPolicies.deleteBoundary(c.caller.accountId, type, entityName(i));
        return {};
      }),
    );
  }
  return ops;
});

// --- tags ---

const TAGGABLE: {
  type: TaggableType;
  label: string;
  resource: Resource;
  id: (i: Input, c: Ctx) => Promise<string>;
}[] = [
  {
    type: 'user',
    label: 'User',
    resource: userArn,
    id: async (i, c) =>
      (await requireEntity(c.services.iam.context.db, c.caller.accountId, 'user', name(i, 'UserName'))).id,
  },
  {
    type: 'role',
    label: 'Role',
    resource: roleArn,
    id: async (i, c) =>
      (await requireEntity(c.services.iam.context.db, c.caller.accountId, 'role', name(i, 'RoleName'))).id,
  },
  {
    type: 'instance-profile',
    label: 'InstanceProfile',
    resource: instanceProfileArn,
    id: (i, c) => c.services.iam.instanceProfiles.idOf(c.caller.accountId, name(i, 'InstanceProfileName')),
  },
  {
    type: 'policy',
    label: 'Policy',
    resource: policyArn,
    id: async (i, c) => {
      const policy = await c.services.iam.policies.require(c.services.iam.context.db, c.caller.accountId, i.PolicyArn);
      return policy.policy_id;
    },
  },
  {
    type: 'mfa',
    label: 'MFADevice',
    resource: (i) => str(i.SerialNumber) ?? '*',
    id: async (i, c) => {
      const serial = requireString(i.SerialNumber, 'serialNumber');
      const row = await c.services.iam.context.db
        .selectFrom('iam_mfa_devices')
        .select('serial_number')
        .where('serial_number', '=', serial)
        .where('account_id', '=', c.caller.accountId)
        .executeTakeFirst();
      if (!row) throw noSuchEntity(`VirtualMFADevice with serial number ${serial} doesn't exist.`);
      return row.serial_number;
    },
  },
];

const tags: Op[] = TAGGABLE.flatMap(({ type, label, resource, id }) => [
  define(
    `Tag${label}`,
    true,
    resource,
    async (i, c) => {
      checkTags(i.Tags);
      const resourceId = await id(i, c);
      await c.services.iam.context.write(c.caller.accountId, (trx) =>
        c.services.iam.tags.tag(trx, type, resourceId, i.Tags),
      );
      return {};
    },
    (i) => tagContext(i.Tags),
  ),
  define(
    `Untag${label}`,
    true,
    resource,
    async (i, c) => {
      const resourceId = await id(i, c);
      await c.services.iam.context.write(c.caller.accountId, (trx) =>
        c.services.iam.tags.untag(trx, type, resourceId, i.TagKeys),
      );
      return {};
    },
    (i) => (Array.isArray(i.TagKeys) ? { 'aws:TagKeys': i.TagKeys.map(String) } : undefined),
  ),
  define(`List${label}Tags`, false, resource, async (i, c) =>
    paginate(await c.services.iam.tags.list(type, await id(i, c)), i, 'Tags'),
  ),
]);

// --- credentials: login profiles, access keys, MFA ---

const credentials: Op[] = [
  define('CreateLoginProfile', true, selfResource, async (i, c) =>
    c.services.iam.loginProfiles.create(c.caller.accountId, { ...i, UserName: requireTargetUser(i, c) }),
  ),
  define('GetLoginProfile', false, selfResource, async (i, c) =>
    c.services.iam.loginProfiles.get(c.caller.accountId, requireTargetUser(i, c)),
  ),
  define('UpdateLoginProfile', true, userArn, async (i, c) => {
    await c.services.iam.loginProfiles.update(c.caller.accountId, { ...i, UserName: name(i, 'UserName') });
    return {};
  }),
  define('DeleteLoginProfile', true, selfResource, async (i, c) => {
    await c.services.iam.loginProfiles.delete(c.caller.accountId, requireTargetUser(i, c));
    return {};
  }),
  define('ChangePassword', true, selfResource, async (i, c) => {
    if (c.caller.kind !== 'user' || !c.caller.name) {
      throw new ServiceError('InvalidUserType', 'Only IAM users can change their own password with this operation.');
    }
    await c.services.iam.loginProfiles.changeOwnPassword(
      c.caller.accountId,
      c.caller.name,
      i.OldPassword,
      i.NewPassword,
    );
    return {};
  }),
  define('CreateAccessKey', true, selfResource, async (i, c) => ({
    AccessKey: await c.services.iam.accessKeys.create(c.caller.accountId, targetUser(i, c)),
  })),
  define('ListAccessKeys', false, selfResource, async (i, c) =>
    paginate(await c.services.iam.accessKeys.list(c.caller.accountId, targetUser(i, c)), i, 'AccessKeyMetadata'),
  ),
  define('UpdateAccessKey', true, selfResource, async (i, c) => {
    await c.services.iam.accessKeys.updateStatus(
      c.caller.accountId,
      name(i, 'AccessKeyId'),
      i.Status,
      targetUser(i, c),
    );
    return {};
  }),
  define('DeleteAccessKey', true, selfResource, async (i, c) => {
    await c.services.iam.accessKeys.delete(c.caller.accountId, name(i, 'AccessKeyId'), targetUser(i, c));
    return {};
  }),
  define('GetAccessKeyLastUsed', false, account, async (i, c) =>
    c.services.iam.accessKeys.lastUsed(c.caller.accountId, name(i, 'AccessKeyId')),
  ),
  define(
    'CreateVirtualMFADevice',
    true,
    (i, c) => arn(c, 'mfa', i.VirtualMFADeviceName, i.Path),
    async (i, c) => {
      const { VirtualMFADevice } = await c.services.iam.mfa.createVirtual(c.caller.accountId, i);
      return { VirtualMFADevice };
    },
    (i) => tagContext(i.Tags),
  ),
  define(
    'DeleteVirtualMFADevice',
    true,
    (i) => str(i.SerialNumber) ?? '*',
    async (i, c) => {
      await c.services.iam.mfa.deleteVirtual(c.caller.accountId, i.SerialNumber);
      return {};
    },
  ),
  define('ListVirtualMFADevices', false, account, async (i, c) =>
    paginate(await c.services.iam.mfa.listVirtual(c.caller.accountId, i.AssignmentStatus), i, 'VirtualMFADevices'),
  ),
  define('EnableMFADevice', true, selfResource, async (i, c) => {
    await c.services.iam.mfa.enable(
      c.caller.accountId,
      targetUser(i, c),
      i.SerialNumber,
      i.AuthenticationCode1,
      i.AuthenticationCode2,
    );
    return {};
  }),
  define('DeactivateMFADevice', true, selfResource, async (i, c) => {
    await c.services.iam.mfa.deactivate(c.caller.accountId, targetUser(i, c), i.SerialNumber);
    return {};
  }),
  define('ListMFADevices', false, selfResource, async (i, c) =>
    paginate(await c.services.iam.mfa.listForUser(c.caller.accountId, targetUser(i, c)), i, 'MFADevices'),
  ),
];

// --- account ---

const accountOps: Op[] = [
  define('CreateAccountAlias', true, account, async (i, c) => {
    await c.services.iam.accounts.createAlias(c.caller.accountId, i.AccountAlias);
    return {};
  }),
  define('ListAccountAliases', false, account, async (i, c) =>
    paginate(await c.services.iam.accounts.listAliases(c.caller.accountId), i, 'AccountAliases'),
  ),
  define('DeleteAccountAlias', true, account, async (i, c) => {
    await c.services.iam.accounts.deleteAlias(c.caller.accountId, i.AccountAlias);
    return {};
  }),
  define('GetAccountPasswordPolicy', false, account, async (_i, c) => ({
    PasswordPolicy: await c.services.iam.accounts.requirePasswordPolicy(c.caller.accountId),
  })),
  define('UpdateAccountPasswordPolicy', true, account, async (i, c) => {
    await c.services.iam.accounts.updatePasswordPolicy(c.caller.accountId, i);
    return {};
  }),
  define('DeleteAccountPasswordPolicy', true, account, async (_i, c) => {
    await c.services.iam.accounts.deletePasswordPolicy(c.caller.accountId);
    return {};
  }),
  define('GetAccountSummary', false, account, async (_i, c) => ({
    SummaryMap: await c.services.iam.reports.accountSummary(c.caller.accountId),
  })),
  define('GetAccountAuthorizationDetails', false, account, async (i, c) => {
    const details = await c.services.iam.reports.authorizationDetails(c.caller.accountId, i.Filter);
    return { ...details, IsTruncated: false };
  }),
  define('GenerateCredentialReport', false, account, async (_i, c) =>
    c.services.iam.reports.generateCredentialReport(c.caller.accountId),
  ),
  define('GetCredentialReport', false, account, async (_i, c) =>
    c.services.iam.reports.getCredentialReport(c.caller.accountId),
  ),
  define(
    'SimulatePrincipalPolicy',
    false,
    (i) => str(i.PolicySourceArn) ?? '*',
    async (i, c) =>
      paginate(await c.services.iam.simulator.simulatePrincipal(c.caller.accountId, i), i, 'EvaluationResults'),
  ),
  define('SimulateCustomPolicy', false, account, async (i, c) =>
    paginate(await c.services.iam.simulator.simulateCustom(c.caller.accountId, i), i, 'EvaluationResults'),
  ),
];

export const iamOperations: OperationWith<IamOperationServices>[] = [
  ...users,
  ...groups,
  ...roles,
  ...instanceProfiles,
  ...oidcProviderOperations,
  ...samlProviderOperations,
  ...policies,
  ...entityPolicies,
  ...tags,
  ...credentials,
  ...accountOps,
];
