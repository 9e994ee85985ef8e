/**
 * IAM's SAML provider operations. Each is authorized against the provider's ARN
 * (`arn:aws:iam::<account>:saml-provider/<name>`); ListSAMLProviders against `*`, as AWS's action table gives
 * it no resource.
 */
import type { Operation } from '../../core/operation.js';
import type * as W from '../../contracts/wire/iam.js';
import { samlProviderArn } from '../../iam/saml-providers.js';
import { checkTags } from '../../iam/validation.js';
import { tagContext, type IamOperationServices } from './common.js';
import { paginate } from './pagination.js';

type Op<Input, Output = Record<string, never>> = Operation<IamOperationServices, Input, Output>;

/** The access request of an operation on an existing provider, named by its ARN in the input. */
const onProvider = (action: string) => (input: { SAMLProviderArn: string }) => [
  { action: `iam:${action}`, resource: input.SAMLProviderArn },
];

const createSAMLProvider: Op<W.CreateSAMLProviderRequest, W.CreateSAMLProviderResponse> = {
  service: 'iam',
  name: 'CreateSAMLProvider',
  mutates: true,
  access: (input, { caller }) => {
    const context = tagContext(input.Tags);
    return [
      {
        action: 'iam:CreateSAMLProvider',
        resource: samlProviderArn(caller.accountId, input.Name),
        ...(context === undefined ? {} : { context }),
      },
    ];
  },
  handler: async (input, { caller, services }) => {
    const { arn, tags } = await services.iam.samlProviders.create(caller.accountId, input);
    return { SAMLProviderArn: arn, ...(tags.length > 0 ? { Tags: tags } : {}) };
  },
};

const getSAMLProvider: Op<W.GetSAMLProviderRequest, W.GetSAMLProviderResponse> = {
  service: 'iam',
  name: 'GetSAMLProvider',
  mutates: false,
  access: onProvider('GetSAMLProvider'),
  handler: async (input, { caller, services }) => {
    const provider = await services.iam.samlProviders.get(caller.accountId, input.SAMLProviderArn);
    return {
      SAMLMetadataDocument: provider.metadata,
      CreateDate: provider.createdAt,
      ...(provider.validUntil === undefined ? {} : { ValidUntil: provider.validUntil }),
      Tags: provider.tags,
    };
  },
};

const updateSAMLProvider: Op<W.UpdateSAMLProviderRequest, W.UpdateSAMLProviderResponse> = {
  service: 'iam',
  name: 'UpdateSAMLProvider',
  mutates: true,
  access: onProvider('UpdateSAMLProvider'),
  handler: async (input, { caller, services }) => ({
    SAMLProviderArn: await services.iam.samlProviders.update(
      caller.accountId,
      input.SAMLProviderArn,
      input.SAMLMetadataDocument,
    ),
  }),
};

const deleteSAMLProvider: Op<W.DeleteSAMLProviderRequest> = {
  service: 'iam',
  name: 'DeleteSAMLProvider',
  mutates: true,
  access: onProvider('DeleteSAMLProvider'),
  handler: async (input, { caller, services }) => {
    await services.iam.samlProviders.delete(caller.accountId, input.SAMLProviderArn);
    return {};
  },
};

const listSAMLProviders: Op<W.ListSAMLProvidersRequest, W.ListSAMLProvidersResponse> = {
  service: 'iam',
  name: 'ListSAMLProviders',
  mutates: false,
  access: () => [{ action: 'iam:ListSAMLProviders', resource: '*' }],
  handler: async (_input, { caller, services }) => ({
    SAMLProviderList: (await services.iam.samlProviders.list(caller.accountId)).map((p) => ({
      Arn: p.arn,
      CreateDate: p.createdAt,
      ...(p.validUntil === undefined ? {} : { ValidUntil: p.validUntil }),
    })),
  }),
};

const tagSAMLProvider: Op<W.TagSAMLProviderRequest> = {
  service: 'iam',
  name: 'TagSAMLProvider',
  mutates: true,
  access: (input) => {
    const context = tagContext(input.Tags);
    return [
      { action: 'iam:TagSAMLProvider', resource: input.SAMLProviderArn, ...(context === undefined ? {} : { context }) },
    ];
  },
  handler: async (input, { caller, services }) => {
    checkTags(input.Tags, 'saml-provider');
    const id = await services.iam.samlProviders.idOf(caller.accountId, input.SAMLProviderArn);
    await services.iam.context.write(caller.accountId, (trx) =>
      services.iam.tags.tag(trx, 'saml-provider', id, input.Tags),
    );
    return {};
  },
};

const untagSAMLProvider: Op<W.UntagSAMLProviderRequest> = {
  service: 'iam',
  name: 'UntagSAMLProvider',
  mutates: true,
  access: (input) => [
    { action: 'iam:UntagSAMLProvider', resource: input.SAMLProviderArn, context: { 'aws:TagKeys': input.TagKeys } },
  ],
  handler: async (input, { caller, services }) => {
    const id = await services.iam.samlProviders.idOf(caller.accountId, input.SAMLProviderArn);
    await services.iam.context.write(caller.accountId, (trx) =>
      services.iam.tags.untag(trx, 'saml-provider', id, input.TagKeys),
    );
    return {};
  },
};

const listSAMLProviderTags: Op<W.ListSAMLProviderTagsRequest, W.ListSAMLProviderTagsResponse> = {
  service: 'iam',
  name: 'ListSAMLProviderTags',
  mutates: false,
  access: onProvider('ListSAMLProviderTags'),
  handler: async (input, { caller, services }) => {
    const id = await services.iam.samlProviders.idOf(caller.accountId, input.SAMLProviderArn);
    return paginate(await services.iam.tags.list('saml-provider', id), input, 'Tags');
  },
};

export const samlProviderOperations = [
  createSAMLProvider,
  getSAMLProvider,
  updateSAMLProvider,
  deleteSAMLProvider,
  listSAMLProviders,
  tagSAMLProvider,
  untagSAMLProvider,
  listSAMLProviderTags,
];
