/** IAM groups and their members. */
import type {
  AddUserToGroupRequest,
  CreateGroupRequest,
  DeleteGroupRequest,
  GetGroupRequest,
  ListGroupsForUserRequest,
  ListGroupsRequest,
  RemoveUserFromGroupRequest,
  UpdateGroupRequest,
} from '../../contracts/wire/iam.js';
import { arn, groupArn, iamAccess, pathPrefixArn, userArn, type IamOperation } from './common.js';
import { namePage, pageResult, paginate } from './pagination.js';

const createGroup: IamOperation<CreateGroupRequest> = {
  service: 'iam',
  name: 'CreateGroup',
  mutates: true,
  access: iamAccess('CreateGroup', (i, c) => arn(c, 'group', i.GroupName, i.Path)),
  handler: async (i, c) => ({ Group: await c.services.iam.groups.create(c.caller.accountId, i) }),
};

const getGroup: IamOperation<GetGroupRequest> = {
  service: 'iam',
  name: 'GetGroup',
  mutates: false,
  access: iamAccess('GetGroup', groupArn),
  handler: async (i, c) => {
    const { Group, Users } = await c.services.iam.groups.get(c.caller.accountId, i.GroupName);
    return { Group, ...paginate(Users, i, 'Users') };
  },
};

const listGroups: IamOperation<ListGroupsRequest> = {
  service: 'iam',
  name: 'ListGroups',
  mutates: false,
  access: iamAccess('ListGroups', pathPrefixArn('group')),
  handler: async (i, c) =>
    pageResult(await c.services.iam.groups.list(c.caller.accountId, i.PathPrefix, namePage(i)), 'Groups'),
};

const updateGroup: IamOperation<UpdateGroupRequest> = {
  service: 'iam',
  name: 'UpdateGroup',
  mutates: true,
  access: iamAccess('UpdateGroup', groupArn),
  handler: async (i, c) => {
    await c.services.iam.groups.update(c.caller.accountId, i.GroupName, i);
    return {};
  },
};

const deleteGroup: IamOperation<DeleteGroupRequest> = {
  service: 'iam',
  name: 'DeleteGroup',
  mutates: true,
  access: iamAccess('DeleteGroup', groupArn),
  handler: async (i, c) => {
    await c.services.iam.groups.delete(c.caller.accountId, i.GroupName);
    return {};
  },
};

const addUserToGroup: IamOperation<AddUserToGroupRequest> = {
  service: 'iam',
  name: 'AddUserToGroup',
  mutates: true,
  access: iamAccess('AddUserToGroup', groupArn),
  handler: async (i, c) => {
    await c.services.iam.groups.addUser(c.caller.accountId, i.GroupName, i.UserName);
    return {};
  },
};

const removeUserFromGroup: IamOperation<RemoveUserFromGroupRequest> = {
  service: 'iam',
  name: 'RemoveUserFromGroup',
  mutates: true,
  access: iamAccess('RemoveUserFromGroup', groupArn),
  handler: async (i, c) => {
    await c.services.iam.groups.removeUser(c.caller.accountId, i.GroupName, i.UserName);
    return {};
  },
};

const listGroupsForUser: IamOperation<ListGroupsForUserRequest> = {
  service: 'iam',
  name: 'ListGroupsForUser',
  mutates: false,
  access: iamAccess('ListGroupsForUser', userArn),
  handler: async (i, c) =>
    paginate(await c.services.iam.groups.listForUser(c.caller.accountId, i.UserName), i, 'Groups'),
};

export const groupOperations = [
  createGroup,
  getGroup,
  listGroups,
  updateGroup,
  deleteGroup,
  addUserToGroup,
  removeUserFromGroup,
  listGroupsForUser,
];
