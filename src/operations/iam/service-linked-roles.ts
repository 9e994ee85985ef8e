/**
 * Service-linked roles: CreateServiceLinkedRole is authorized against the role it would create (its
 * `/aws-service-role/<service>/` path) with `iam:AWSServiceName`; deletion and its status against the role.
 */
import type { Operation } from '../../core/operation.js';
import type { OperationWith } from '../registry.js';
import type {
  CreateServiceLinkedRoleRequest,
  CreateServiceLinkedRoleResponse,
  DeleteServiceLinkedRoleRequest,
  DeleteServiceLinkedRoleResponse,
  GetServiceLinkedRoleDeletionStatusRequest,
  GetServiceLinkedRoleDeletionStatusResponse,
} from '../../contracts/wire/iam.js';
import {
  LINKED_SERVICES,
  SERVICE_ROLE_PATH,
  roleOfDeletionTask,
  serviceLinkedRoleName,
} from '../../iam/service-linked-roles.js';
import { arn, entityArn, type IamOperationServices } from './common.js';

type Op<I, O> = Operation<IamOperationServices, I, O>;

const create: Op<CreateServiceLinkedRoleRequest, CreateServiceLinkedRoleResponse> = {
  service: 'iam',
  name: 'CreateServiceLinkedRole',
  mutates: true,
  access: (i, c) => {
    // A service Bursar does not know names no role: the call is asked on the service's role path, and the
    // handler refuses it.
    const known = Object.hasOwn(LINKED_SERVICES, i.AWSServiceName ?? '');
    const { roleName, path } = known
      ? serviceLinkedRoleName(i.AWSServiceName, i.CustomSuffix)
      : { roleName: '', path: `${SERVICE_ROLE_PATH}${i.AWSServiceName ?? ''}/` };
    return [
      {
        action: 'iam:CreateServiceLinkedRole',
        resource: arn(c, 'role', roleName, path),
        context: { 'iam:AWSServiceName': i.AWSServiceName },
      },
    ];
  },
  handler: async (i, c) => ({ Role: await c.services.iam.serviceLinkedRoles.create(c.caller.accountId, i) }),
};

const remove: Op<DeleteServiceLinkedRoleRequest, DeleteServiceLinkedRoleResponse> = {
  service: 'iam',
  name: 'DeleteServiceLinkedRole',
  mutates: true,
  access: async (i, c) => [{ action: 'iam:DeleteServiceLinkedRole', resource: await entityArn(c, 'role', i.RoleName) }],
  handler: async (i, c) => ({
    DeletionTaskId: await c.services.iam.serviceLinkedRoles.delete(c.caller.accountId, i.RoleName),
  }),
};

const status: Op<GetServiceLinkedRoleDeletionStatusRequest, GetServiceLinkedRoleDeletionStatusResponse> = {
  service: 'iam',
  name: 'GetServiceLinkedRoleDeletionStatus',
  mutates: false,
  // A task id that names no role is asked on `*`, and refused by the handler.
  access: (i, c) => {
    const role = roleOfDeletionTask(i.DeletionTaskId ?? '');
    const resource = role === undefined ? '*' : arn(c, 'role', role.roleName, role.path);
    return [{ action: 'iam:GetServiceLinkedRoleDeletionStatus', resource }];
  },
  handler: async (i, c) => c.services.iam.serviceLinkedRoles.deletionStatus(c.caller.accountId, i.DeletionTaskId),
};

export const serviceLinkedRoleOperations: OperationWith<IamOperationServices>[] = [create, remove, status];
