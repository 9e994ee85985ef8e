/** Service-specific credentials (CodeCommit HTTPS Git, Keyspaces): authorized against the user's ARN. */
import type { Operation } from '../../core/operation.js';
import type { OperationWith } from '../registry.js';
import type {
  CreateServiceSpecificCredentialRequest,
  CreateServiceSpecificCredentialResponse,
  DeleteServiceSpecificCredentialRequest,
  ListServiceSpecificCredentialsRequest,
  ListServiceSpecificCredentialsResponse,
  ResetServiceSpecificCredentialRequest,
  ResetServiceSpecificCredentialResponse,
  UpdateServiceSpecificCredentialRequest,
} from '../../contracts/wire/iam.js';
import { requireTargetUser, selfResource, type IamOperationServices } from './common.js';

type Op<I, O = Record<string, never>> = Operation<IamOperationServices, I, O>;

const create: Op<CreateServiceSpecificCredentialRequest, CreateServiceSpecificCredentialResponse> = {
  service: 'iam',
  name: 'CreateServiceSpecificCredential',
  mutates: true,
  access: async (i, c) => [
    { action: 'iam:CreateServiceSpecificCredential', resource: await selfResource({ ...i }, c) },
  ],
  handler: async (i, c) => ({
    ServiceSpecificCredential: await c.services.iam.serviceSpecificCredentials.create(
      c.caller.accountId,
      i.UserName,
      i.ServiceName,
    ),
  }),
};

// AWS's list is not paged: a user has at most two credentials per service.
const list: Op<ListServiceSpecificCredentialsRequest, ListServiceSpecificCredentialsResponse> = {
  service: 'iam',
  name: 'ListServiceSpecificCredentials',
  mutates: false,
  access: async (i, c) => [{ action: 'iam:ListServiceSpecificCredentials', resource: await selfResource({ ...i }, c) }],
  handler: async (i, c) => ({
    ServiceSpecificCredentials: await c.services.iam.serviceSpecificCredentials.list(
      c.caller.accountId,
      requireTargetUser({ ...i }, c),
      i.ServiceName,
    ),
  }),
};

const reset: Op<ResetServiceSpecificCredentialRequest, ResetServiceSpecificCredentialResponse> = {
  service: 'iam',
  name: 'ResetServiceSpecificCredential',
  mutates: true,
  access: async (i, c) => [{ action: 'iam:ResetServiceSpecificCredential', resource: await selfResource({ ...i }, c) }],
  handler: async (i, c) => ({
    ServiceSpecificCredential: await c.services.iam.serviceSpecificCredentials.reset(
      c.caller.accountId,
      requireTargetUser({ ...i }, c),
      i.ServiceSpecificCredentialId,
    ),
  }),
};

const update: Op<UpdateServiceSpecificCredentialRequest> = {
  service: 'iam',
  name: 'UpdateServiceSpecificCredential',
  mutates: true,
  access: async (i, c) => [
    { action: 'iam:UpdateServiceSpecificCredential', resource: await selfResource({ ...i }, c) },
  ],
  handler: async (i, c) => {
    await c.services.iam.serviceSpecificCredentials.updateStatus(
      c.caller.accountId,
      requireTargetUser({ ...i }, c),
      i.ServiceSpecificCredentialId,
      i.Status,
    );
    return {};
  },
};

const remove: Op<DeleteServiceSpecificCredentialRequest> = {
  service: 'iam',
  name: 'DeleteServiceSpecificCredential',
  mutates: true,
  access: async (i, c) => [
    { action: 'iam:DeleteServiceSpecificCredential', resource: await selfResource({ ...i }, c) },
  ],
  handler: async (i, c) => {
    await c.services.iam.serviceSpecificCredentials.delete(
      c.caller.accountId,
      requireTargetUser({ ...i }, c),
      i.ServiceSpecificCredentialId,
    );
    return {};
  },
};

export const serviceSpecificCredentialOperations: OperationWith<IamOperationServices>[] = [
  create,
  list,
  reset,
  update,
  remove,
];
