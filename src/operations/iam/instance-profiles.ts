/** Instance profiles: the container that hands one role to EC2 instances. */
import type {
  AddRoleToInstanceProfileRequest,
  CreateInstanceProfileRequest,
  DeleteInstanceProfileRequest,
  GetInstanceProfileRequest,
  ListInstanceProfilesForRoleRequest,
  ListInstanceProfilesRequest,
  RemoveRoleFromInstanceProfileRequest,
} from '../../contracts/wire/iam.js';
import type { AccessRequest } from '../../core/operation.js';
import { arn, iamAccess, instanceProfileArn, pathPrefixArn, roleArn, tagContext, type IamOperation } from './common.js';
import { namePage, pageResult, paginate } from './pagination.js';

const createInstanceProfile: IamOperation<CreateInstanceProfileRequest> = {
  service: 'iam',
  name: 'CreateInstanceProfile',
  mutates: true,
  access: iamAccess(
    'CreateInstanceProfile',
    (i, c) => arn(c, 'instance-profile', i.InstanceProfileName, i.Path),
    (i) => tagContext(i.Tags),
  ),
  handler: async (i, c) => ({
    InstanceProfile: await c.services.iam.instanceProfiles.create(c.caller.accountId, i),
  }),
};

const getInstanceProfile: IamOperation<GetInstanceProfileRequest> = {
  service: 'iam',
  name: 'GetInstanceProfile',
  mutates: false,
  access: iamAccess('GetInstanceProfile', instanceProfileArn),
  handler: async (i, c) => ({
    InstanceProfile: await c.services.iam.instanceProfiles.get(c.caller.accountId, i.InstanceProfileName),
  }),
};

const deleteInstanceProfile: IamOperation<DeleteInstanceProfileRequest> = {
  service: 'iam',
  name: 'DeleteInstanceProfile',
  mutates: true,
  access: iamAccess('DeleteInstanceProfile', instanceProfileArn),
  handler: async (i, c) => {
    await c.services.iam.instanceProfiles.delete(c.caller.accountId, i.InstanceProfileName);
    return {};
  },
};

const listInstanceProfiles: IamOperation<ListInstanceProfilesRequest> = {
  service: 'iam',
  name: 'ListInstanceProfiles',
  mutates: false,
  access: iamAccess('ListInstanceProfiles', pathPrefixArn('instance-profile')),
  handler: async (i, c) =>
    pageResult(
      await c.services.iam.instanceProfiles.list(c.caller.accountId, i.PathPrefix, namePage(i)),
      'InstanceProfiles',
    ),
};

const addRoleToInstanceProfile: IamOperation<AddRoleToInstanceProfileRequest> = {
  service: 'iam',
  name: 'AddRoleToInstanceProfile',
  mutates: true,
  // AWS also asks for iam:PassRole on the role: whoever fills a profile hands the role to EC2 instances.
  access: async (i, c): Promise<AccessRequest[]> => [
    { action: 'iam:AddRoleToInstanceProfile', resource: await instanceProfileArn(i, c) },
    { action: 'iam:PassRole', resource: await roleArn(i, c) },
  ],
  handler: async (i, c) => {
    await c.services.iam.instanceProfiles.addRole(c.caller.accountId, i.InstanceProfileName, i.RoleName);
    return {};
  },
};

const removeRoleFromInstanceProfile: IamOperation<RemoveRoleFromInstanceProfileRequest> = {
  service: 'iam',
  name: 'RemoveRoleFromInstanceProfile',
  mutates: true,
  access: iamAccess('RemoveRoleFromInstanceProfile', instanceProfileArn),
  handler: async (i, c) => {
    await c.services.iam.instanceProfiles.removeRole(c.caller.accountId, i.InstanceProfileName, i.RoleName);
    return {};
  },
};

const listInstanceProfilesForRole: IamOperation<ListInstanceProfilesForRoleRequest> = {
  service: 'iam',
  name: 'ListInstanceProfilesForRole',
  mutates: false,
  access: iamAccess('ListInstanceProfilesForRole', roleArn),
  handler: async (i, c) =>
    paginate(await c.services.iam.instanceProfiles.listForRole(c.caller.accountId, i.RoleName), i, 'InstanceProfiles'),
};

export const instanceProfileOperations = [
  createInstanceProfile,
  getInstanceProfile,
  deleteInstanceProfile,
  listInstanceProfiles,
  addRoleToInstanceProfile,
  removeRoleFromInstanceProfile,
  listInstanceProfilesForRole,
];
