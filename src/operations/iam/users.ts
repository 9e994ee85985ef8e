/** IAM users: create, read, list, rename or move, delete. */
import type {
  CreateUserRequest,
  DeleteUserRequest,
  GetUserRequest,
  ListUsersRequest,
  UpdateUserRequest,
} from '../../contracts/wire/iam.js';
import {
  arn,
  iamAccess,
  pathPrefixArn,
  selfResource,
  tagAndBoundaryContext,
  targetUser,
  userArn,
  type IamOperation,
} from './common.js';
import { namePage, pageResult } from './pagination.js';

const createUser: IamOperation<CreateUserRequest> = {
  service: 'iam',
  name: 'CreateUser',
  mutates: true,
  access: iamAccess('CreateUser', (i, c) => arn(c, 'user', i.UserName, i.Path), tagAndBoundaryContext),
  handler: async (i, c) => ({ User: await c.services.iam.users.create(c.caller.accountId, i) }),
};

const getUser: IamOperation<GetUserRequest> = {
  service: 'iam',
  name: 'GetUser',
  mutates: false,
  access: iamAccess('GetUser', selfResource),
  handler: async (i, c) => {
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
  },
};

const listUsers: IamOperation<ListUsersRequest> = {
  service: 'iam',
  name: 'ListUsers',
  mutates: false,
  access: iamAccess('ListUsers', pathPrefixArn('user')),
  handler: async (i, c) =>
    pageResult(await c.services.iam.users.list(c.caller.accountId, i.PathPrefix, namePage(i)), 'Users'),
};

const updateUser: IamOperation<UpdateUserRequest> = {
  service: 'iam',
  name: 'UpdateUser',
  mutates: true,
  access: iamAccess('UpdateUser', userArn),
  handler: async (i, c) => {
    await c.services.iam.users.update(c.caller.accountId, i.UserName, i);
    return {};
  },
};

const deleteUser: IamOperation<DeleteUserRequest> = {
  service: 'iam',
  name: 'DeleteUser',
  mutates: true,
  access: iamAccess('DeleteUser', userArn),
  handler: async (i, c) => {
    await c.services.iam.users.delete(c.caller.accountId, i.UserName);
    return {};
  },
};

export const userOperations = [createUser, getUser, listUsers, updateUser, deleteUser];
