/**
 * Server certificates and their tags: authorized against `arn:aws:iam::<account>:server-certificate<path><name>`
 * (the path the certificate has; an upload's, the path given).
 */
import type { Operation } from '../../core/operation.js';
import type { OperationWith } from '../registry.js';
import type {
  DeleteServerCertificateRequest,
  GetServerCertificateRequest,
  GetServerCertificateResponse,
  ListServerCertificatesRequest,
  ListServerCertificatesResponse,
  ListServerCertificateTagsRequest,
  ListServerCertificateTagsResponse,
  TagServerCertificateRequest,
  UntagServerCertificateRequest,
  UpdateServerCertificateRequest,
  UploadServerCertificateRequest,
  UploadServerCertificateResponse,
} from '../../contracts/wire/iam.js';
import { checkTags } from '../../iam/validation.js';
import { arn, entityArn, tagContext, type IamContext as Ctx, type IamOperationServices } from './common.js';
import { namePage, pageResult, paginate } from './pagination.js';

type Op<I, O = Record<string, never>> = Operation<IamOperationServices, I, O>;

const certificateArn = (i: { ServerCertificateName: string }, c: Ctx) =>
  entityArn(c, 'server-certificate', i.ServerCertificateName);

const upload: Op<UploadServerCertificateRequest, UploadServerCertificateResponse> = {
  service: 'iam',
  name: 'UploadServerCertificate',
  mutates: true,
  access: (i, c) => {
    const tags = tagContext(i.Tags);
    return [
      {
        action: 'iam:UploadServerCertificate',
        resource: arn(c, 'server-certificate', i.ServerCertificateName, i.Path),
        ...(tags ? { context: tags } : {}),
      },
    ];
  },
  handler: async (i, c) => c.services.iam.serverCertificates.upload(c.caller.accountId, i),
};

const get: Op<GetServerCertificateRequest, GetServerCertificateResponse> = {
  service: 'iam',
  name: 'GetServerCertificate',
  mutates: false,
  access: async (i, c) => [{ action: 'iam:GetServerCertificate', resource: await certificateArn(i, c) }],
  handler: async (i, c) => ({
    ServerCertificate: await c.services.iam.serverCertificates.get(c.caller.accountId, i.ServerCertificateName),
  }),
};

const list: Op<ListServerCertificatesRequest, ListServerCertificatesResponse> = {
  service: 'iam',
  name: 'ListServerCertificates',
  mutates: false,
  access: (i, c) => [
    { action: 'iam:ListServerCertificates', resource: arn(c, 'server-certificate', '', i.PathPrefix) },
  ],
  handler: async (i, c) =>
    pageResult(
      await c.services.iam.serverCertificates.list(c.caller.accountId, i.PathPrefix, namePage(i)),
      'ServerCertificateMetadataList',
    ),
};

const update: Op<UpdateServerCertificateRequest> = {
  service: 'iam',
  name: 'UpdateServerCertificate',
  mutates: true,
  // As for UpdateUser, AWS asks on the certificate as it is now.
  access: async (i, c) => [{ action: 'iam:UpdateServerCertificate', resource: await certificateArn(i, c) }],
  handler: async (i, c) => {
    await c.services.iam.serverCertificates.update(c.caller.accountId, i.ServerCertificateName, i);
    return {};
  },
};

const remove: Op<DeleteServerCertificateRequest> = {
  service: 'iam',
  name: 'DeleteServerCertificate',
  mutates: true,
  access: async (i, c) => [{ action: 'iam:DeleteServerCertificate', resource: await certificateArn(i, c) }],
  handler: async (i, c) => {
    await c.services.iam.serverCertificates.delete(c.caller.accountId, i.ServerCertificateName);
    return {};
  },
};

const tag: Op<TagServerCertificateRequest> = {
  service: 'iam',
  name: 'TagServerCertificate',
  mutates: true,
  access: async (i, c) => {
    const tags = tagContext(i.Tags);
    return [
      { action: 'iam:TagServerCertificate', resource: await certificateArn(i, c), ...(tags ? { context: tags } : {}) },
    ];
  },
  handler: async (i, c) => {
    checkTags(i.Tags, 'server-certificate');
    const id = await c.services.iam.serverCertificates.idOf(c.caller.accountId, i.ServerCertificateName);
    await c.services.iam.context.write(c.caller.accountId, (trx) =>
      c.services.iam.tags.tag(trx, 'server-certificate', id, i.Tags),
    );
    return {};
  },
};

const untag: Op<UntagServerCertificateRequest> = {
  service: 'iam',
  name: 'UntagServerCertificate',
  mutates: true,
  access: async (i, c) => [
    {
      action: 'iam:UntagServerCertificate',
      resource: await certificateArn(i, c),
      context: { 'aws:TagKeys': i.TagKeys },
    },
  ],
  handler: async (i, c) => {
    const id = await c.services.iam.serverCertificates.idOf(c.caller.accountId, i.ServerCertificateName);
    await c.services.iam.context.write(c.caller.accountId, (trx) =>
      c.services.iam.tags.untag(trx, 'server-certificate', id, i.TagKeys),
    );
    return {};
  },
};

const listTags: Op<ListServerCertificateTagsRequest, ListServerCertificateTagsResponse> = {
  service: 'iam',
  name: 'ListServerCertificateTags',
  mutates: false,
  access: async (i, c) => [{ action: 'iam:ListServerCertificateTags', resource: await certificateArn(i, c) }],
  handler: async (i, c) => {
    const id = await c.services.iam.serverCertificates.idOf(c.caller.accountId, i.ServerCertificateName);
    return paginate(await c.services.iam.tags.list('server-certificate', id), i, 'Tags');
  },
};

export const serverCertificateOperations: OperationWith<IamOperationServices>[] = [
  upload,
  get,
  list,
  update,
  remove,
  tag,
  untag,
  listTags,
];
