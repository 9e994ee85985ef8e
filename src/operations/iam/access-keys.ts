/** Access keys: a user's (or the root user's) long-term credentials, and when each was last used. */
import type {
  CreateAccessKeyRequest,
  DeleteAccessKeyRequest,
  GetAccessKeyLastUsedRequest,
  ListAccessKeysRequest,
  UpdateAccessKeyRequest,
} from '../../contracts/wire/iam.js';
import { anyResource, iamAccess, selfResource, targetUser, type IamOperation } from './common.js';
import { paginate } from './pagination.js';

const createAccessKey: IamOperation<CreateAccessKeyRequest> = {
  service: 'iam',
  name: 'CreateAccessKey',
  mutates: true,
  access: iamAccess('CreateAccessKey', selfResource),
  handler: async (i, c) => ({
    AccessKey: await c.services.iam.accessKeys.create(c.caller.accountId, targetUser(i, c)),
  }),
};

const listAccessKeys: IamOperation<ListAccessKeysRequest> = {
  service: 'iam',
  name: 'ListAccessKeys',
  mutates: false,
  access: iamAccess('ListAccessKeys', selfResource),
  handler: async (i, c) =>
    paginate(await c.services.iam.accessKeys.list(c.caller.accountId, targetUser(i, c)), i, 'AccessKeyMetadata'),
};

const updateAccessKey: IamOperation<UpdateAccessKeyRequest> = {
  service: 'iam',
  name: 'UpdateAccessKey',
  mutates: true,
  access: iamAccess('UpdateAccessKey', selfResource),
  handler: async (i, c) => {
    await c.services.iam.accessKeys.updateStatus(c.caller.accountId, i.AccessKeyId, i.Status, targetUser(i, c));
    return {};
  },
};

const deleteAccessKey: IamOperation<DeleteAccessKeyRequest> = {
  service: 'iam',
  name: 'DeleteAccessKey',
  mutates: true,
  access: iamAccess('DeleteAccessKey', selfResource),
  handler: async (i, c) => {
    await c.services.iam.accessKeys.delete(c.caller.accountId, i.AccessKeyId, targetUser(i, c));
    return {};
  },
};

const getAccessKeyLastUsed: IamOperation<GetAccessKeyLastUsedRequest> = {
  service: 'iam',
  name: 'GetAccessKeyLastUsed',
  mutates: false,
  access: iamAccess('GetAccessKeyLastUsed', anyResource),
  handler: async (i, c) => c.services.iam.accessKeys.lastUsed(c.caller.accountId, i.AccessKeyId),
};

export const accessKeyOperations = [
  createAccessKey,
  listAccessKeys,
  updateAccessKey,
  deleteAccessKey,
  getAccessKeyLastUsed,
];
