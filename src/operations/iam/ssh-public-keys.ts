/** SSH public keys (CodeCommit): authorized against the user's ARN, as AWS does. */
import type { Operation } from '../../core/operation.js';
import type { OperationWith } from '../registry.js';
import type {
  DeleteSSHPublicKeyRequest,
  GetSSHPublicKeyRequest,
  GetSSHPublicKeyResponse,
  ListSSHPublicKeysRequest,
  ListSSHPublicKeysResponse,
  UpdateSSHPublicKeyRequest,
  UploadSSHPublicKeyRequest,
  UploadSSHPublicKeyResponse,
} from '../../contracts/wire/iam.js';
import { requireTargetUser, selfResource, type IamOperationServices } from './common.js';
import { paginate } from './pagination.js';

type Op<I, O = Record<string, never>> = Operation<IamOperationServices, I, O>;

const upload: Op<UploadSSHPublicKeyRequest, UploadSSHPublicKeyResponse> = {
  service: 'iam',
  name: 'UploadSSHPublicKey',
  mutates: true,
  access: async (i, c) => [{ action: 'iam:UploadSSHPublicKey', resource: await selfResource({ ...i }, c) }],
  handler: async (i, c) => ({
    SSHPublicKey: await c.services.iam.sshPublicKeys.upload(c.caller.accountId, i.UserName, i.SSHPublicKeyBody),
  }),
};

const get: Op<GetSSHPublicKeyRequest, GetSSHPublicKeyResponse> = {
  service: 'iam',
  name: 'GetSSHPublicKey',
  mutates: false,
  access: async (i, c) => [{ action: 'iam:GetSSHPublicKey', resource: await selfResource({ ...i }, c) }],
  handler: async (i, c) => ({
    SSHPublicKey: await c.services.iam.sshPublicKeys.get(c.caller.accountId, i.UserName, i.SSHPublicKeyId, i.Encoding),
  }),
};

const list: Op<ListSSHPublicKeysRequest, ListSSHPublicKeysResponse> = {
  service: 'iam',
  name: 'ListSSHPublicKeys',
  mutates: false,
  access: async (i, c) => [{ action: 'iam:ListSSHPublicKeys', resource: await selfResource({ ...i }, c) }],
  handler: async (i, c) =>
    paginate(
      await c.services.iam.sshPublicKeys.list(c.caller.accountId, requireTargetUser({ ...i }, c)),
      i,
      'SSHPublicKeys',
    ),
};

const update: Op<UpdateSSHPublicKeyRequest> = {
  service: 'iam',
  name: 'UpdateSSHPublicKey',
  mutates: true,
  access: async (i, c) => [{ action: 'iam:UpdateSSHPublicKey', resource: await selfResource({ ...i }, c) }],
  handler: async (i, c) => {
    await c.services.iam.sshPublicKeys.updateStatus(c.caller.accountId, i.UserName, i.SSHPublicKeyId, i.Status);
    return {};
  },
};

const remove: Op<DeleteSSHPublicKeyRequest> = {
  service: 'iam',
  name: 'DeleteSSHPublicKey',
  mutates: true,
  access: async (i, c) => [{ action: 'iam:DeleteSSHPublicKey', resource: await selfResource({ ...i }, c) }],
  handler: async (i, c) => {
    await c.services.iam.sshPublicKeys.delete(c.caller.accountId, i.UserName, i.SSHPublicKeyId);
    return {};
  },
};

export const sshPublicKeyOperations: OperationWith<IamOperationServices>[] = [upload, get, list, update, remove];
