/** IAM roles: create, read, list, update (description, session duration, trust policy), delete. */
import type {
  CreateRoleRequest,
  DeleteRoleRequest,
  GetRoleRequest,
  ListRolesRequest,
  UpdateAssumeRolePolicyRequest,
  UpdateRoleDescriptionRequest,
  UpdateRoleRequest,
} from '../../contracts/wire/iam.js';
import { isAwsOwnedRole } from '../../policy/service-rules.js';
import {
  arn,
  iamAccess,
  pathPrefixArn,
  protectedRoleError,
  roleArn,
  tagAndBoundaryContext,
  type IamOperation,
} from './common.js';
import { namePage, pageResult } from './pagination.js';

const createRole: IamOperation<CreateRoleRequest> = {
  service: 'iam',
  name: 'CreateRole',
  mutates: true,
  access: iamAccess('CreateRole', (i, c) => arn(c, 'role', i.RoleName, i.Path), tagAndBoundaryContext),
  handler: async (i, c) => ({ Role: await c.services.iam.roles.create(c.caller.accountId, i) }),
};

const getRole: IamOperation<GetRoleRequest> = {
  service: 'iam',
  name: 'GetRole',
  mutates: false,
  access: iamAccess('GetRole', roleArn),
  handler: async (i, c) => ({ Role: await c.services.iam.roles.get(c.caller.accountId, i.RoleName) }),
};

const listRoles: IamOperation<ListRolesRequest> = {
  service: 'iam',
  name: 'ListRoles',
  mutates: false,
  access: iamAccess('ListRoles', pathPrefixArn('role')),
  handler: async (i, c) => {
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
};

const updateRole: IamOperation<UpdateRoleRequest> = {
  service: 'iam',
  name: 'UpdateRole',
  mutates: true,
  access: iamAccess('UpdateRole', roleArn),
  handler: async (i, c) => {
    // Of a service-linked or reserved role, only the description may change (as UpdateRoleDescription).
    if (i.MaxSessionDuration !== undefined && isAwsOwnedRole(await roleArn(i, c))) throw protectedRoleError(i.RoleName);
    await c.services.iam.roles.update(c.caller.accountId, i.RoleName, i);
    return {};
  },
};

const updateRoleDescription: IamOperation<UpdateRoleDescriptionRequest> = {
  service: 'iam',
  name: 'UpdateRoleDescription',
  mutates: true,
  access: iamAccess('UpdateRoleDescription', roleArn),
  handler: async (i, c) => {
    await c.services.iam.roles.update(c.caller.accountId, i.RoleName, { Description: i.Description ?? '' });
    return { Role: await c.services.iam.roles.get(c.caller.accountId, i.RoleName) };
  },
};

const updateAssumeRolePolicy: IamOperation<UpdateAssumeRolePolicyRequest> = {
  service: 'iam',
  name: 'UpdateAssumeRolePolicy',
  mutates: true,
  access: iamAccess('UpdateAssumeRolePolicy', roleArn),
  handler: async (i, c) => {
    await c.services.iam.roles.updateAssumeRolePolicy(c.caller.accountId, i.RoleName, i.PolicyDocument);
    return {};
  },
};

const deleteRole: IamOperation<DeleteRoleRequest> = {
  service: 'iam',
  name: 'DeleteRole',
  mutates: true,
  access: iamAccess('DeleteRole', roleArn),
  handler: async (i, c) => {
    await c.services.iam.roles.delete(c.caller.accountId, i.RoleName);
    return {};
  },
};

export const roleOperations = [
  createRole,
  getRole,
  listRoles,
  updateRole,
  updateRoleDescription,
  updateAssumeRolePolicy,
  deleteRole,
];
