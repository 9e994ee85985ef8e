/**
 * X.509 signing certificates: authorized against the user's ARN (the caller's own when no UserName is given,
 * as AWS lets a user manage its own certificates).
 */
import type { Operation } from '../../core/operation.js';
import type { OperationWith } from '../registry.js';
import type {
  DeleteSigningCertificateRequest,
  ListSigningCertificatesRequest,
  ListSigningCertificatesResponse,
  UpdateSigningCertificateRequest,
  UploadSigningCertificateRequest,
  UploadSigningCertificateResponse,
} from '../../contracts/wire/iam.js';
import { requireTargetUser, selfResource, type IamOperationServices } from './common.js';
import { paginate } from './pagination.js';

type Op<I, O = Record<string, never>> = Operation<IamOperationServices, I, O>;

const upload: Op<UploadSigningCertificateRequest, UploadSigningCertificateResponse> = {
  service: 'iam',
  name: 'UploadSigningCertificate',
  mutates: true,
  access: async (i, c) => [{ action: 'iam:UploadSigningCertificate', resource: await selfResource({ ...i }, c) }],
  handler: async (i, c) => ({
    Certificate: await c.services.iam.signingCertificates.upload(
      c.caller.accountId,
      requireTargetUser({ ...i }, c),
      i.CertificateBody,
    ),
  }),
};

const list: Op<ListSigningCertificatesRequest, ListSigningCertificatesResponse> = {
  service: 'iam',
  name: 'ListSigningCertificates',
  mutates: false,
  access: async (i, c) => [{ action: 'iam:ListSigningCertificates', resource: await selfResource({ ...i }, c) }],
  handler: async (i, c) =>
    paginate(
      await c.services.iam.signingCertificates.list(c.caller.accountId, requireTargetUser({ ...i }, c)),
      i,
      'Certificates',
    ),
};

const update: Op<UpdateSigningCertificateRequest> = {
  service: 'iam',
  name: 'UpdateSigningCertificate',
  mutates: true,
  access: async (i, c) => [{ action: 'iam:UpdateSigningCertificate', resource: await selfResource({ ...i }, c) }],
  handler: async (i, c) => {
    await c.services.iam.signingCertificates.updateStatus(
      c.caller.accountId,
      requireTargetUser({ ...i }, c),
      i.CertificateId,
      i.Status,
    );
    return {};
  },
};

const remove: Op<DeleteSigningCertificateRequest> = {
  service: 'iam',
  name: 'DeleteSigningCertificate',
  mutates: true,
  access: async (i, c) => [{ action: 'iam:DeleteSigningCertificate', resource: await selfResource({ ...i }, c) }],
  handler: async (i, c) => {
    await c.services.iam.signingCertificates.delete(
      c.caller.accountId,
      requireTargetUser({ ...i }, c),
      i.CertificateId,
    );
    return {};
  },
};

export const signingCertificateOperations: OperationWith<IamOperationServices>[] = [upload, list, update, remove];
