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
import { invalidInput } from '../../iam/errors.js';
import { roleOfDeletionTask, serviceLinkedRoleName } from '../../iam/service-linked-roles.js';
import { arn, entityArn, type IamOperationServices } from './operations.js';

type Op<I, O> = Operation<IamOperationServices, I, O>;

const create: Op<CreateServiceLinkedRoleRequest, CreateServiceLinkedRoleResponse> = {
  service: 'iam',
  name: 'CreateServiceLinkedRole',
  mutates: true,
  access: (i, c) => {
    const { roleName, path } = serviceLinkedRoleName(i.AWSServiceName, i.CustomSuffix);
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
  access: (i, c) => {
    const role = roleOfDeletionTask(i.DeletionTaskId);
    if (role === undefined) throw invalidInput(`Invalid deletion task id: ${i.DeletionTaskId}`);
    return [{ action: 'iam:GetServiceLinkedRoleDeletionStatus', resource: arn(c, 'role', role.roleName, role.path) }];
  },
  handler: async (i, c) => c.services.iam.serviceLinkedRoles.deletionStatus(c.caller.accountId, i.DeletionTaskId),
};

export const serviceLinkedRoleOperations: OperationWith<IamOperationServices>[] = [create, remove, status];
