/**
 * IAM's OpenID Connect provider operations. Each is authorized against the provider's ARN
 * (`arn:aws:iam::<account>:oidc-provider/<host/path>`); ListOpenIDConnectProviders against `*`, as AWS's
 * action table gives it no resource.
 */
import type { Operation } from '../../core/operation.js';
import type * as W from '../../contracts/wire/iam.js';
import { checkTags } from '../../iam/validation.js';
import { tagContext, type IamOperationServices } from './common.js';
import { paginate } from './pagination.js';

type Op<Input, Output = Record<string, never>> = Operation<IamOperationServices, Input, Output>;

/** The access request of an operation on an existing provider, named by its ARN in the input. */
const onProvider = (action: string) => (input: { OpenIDConnectProviderArn: string }) => [
  { action: `iam:${action}`, resource: input.OpenIDConnectProviderArn },
];

const createOpenIDConnectProvider: Op<W.CreateOpenIDConnectProviderRequest, W.CreateOpenIDConnectProviderResponse> = {
  service: 'iam',
  name: 'CreateOpenIDConnectProvider',
  mutates: true,
  access: (input, { caller, services }) => {
    const context = tagContext(input.Tags);
    return [
      {
        action: 'iam:CreateOpenIDConnectProvider',
        resource: services.iam.oidcProviders.arnFor(caller.accountId, input.Url),
        ...(context === undefined ? {} : { context }),
      },
    ];
  },
  handler: async (input, { caller, services }) => {
    const { arn, tags } = await services.iam.oidcProviders.create(caller.accountId, input);
    return { OpenIDConnectProviderArn: arn, ...(tags.length > 0 ? { Tags: tags } : {}) };
  },
};

const getOpenIDConnectProvider: Op<W.GetOpenIDConnectProviderRequest, W.GetOpenIDConnectProviderResponse> = {
  service: 'iam',
  name: 'GetOpenIDConnectProvider',
  mutates: false,
  access: onProvider('GetOpenIDConnectProvider'),
  handler: async (input, { caller, services }) => {
    const provider = await services.iam.oidcProviders.get(caller.accountId, input.OpenIDConnectProviderArn);
    return {
      Url: provider.url,
      ClientIDList: provider.clientIds,
      ThumbprintList: provider.thumbprints,
      CreateDate: provider.createdAt,
      Tags: provider.tags,
    };
  },
};

const deleteOpenIDConnectProvider: Op<W.DeleteOpenIDConnectProviderRequest> = {
  service: 'iam',
  name: 'DeleteOpenIDConnectProvider',
  mutates: true,
  access: onProvider('DeleteOpenIDConnectProvider'),
  handler: async (input, { caller, services }) => {
    await services.iam.oidcProviders.delete(caller.accountId, input.OpenIDConnectProviderArn);
    return {};
  },
};

const listOpenIDConnectProviders: Op<W.ListOpenIDConnectProvidersRequest, W.ListOpenIDConnectProvidersResponse> = {
  service: 'iam',
  name: 'ListOpenIDConnectProviders',
  mutates: false,
  access: () => [{ action: 'iam:ListOpenIDConnectProviders', resource: '*' }],
  handler: async (_input, { caller, services }) => ({
    OpenIDConnectProviderList: (await services.iam.oidcProviders.list(caller.accountId)).map((Arn) => ({ Arn })),
  }),
};

const addClientIDToOpenIDConnectProvider: Op<W.AddClientIDToOpenIDConnectProviderRequest> = {
  service: 'iam',
  name: 'AddClientIDToOpenIDConnectProvider',
  mutates: true,
  access: onProvider('AddClientIDToOpenIDConnectProvider'),
  handler: async (input, { caller, services }) => {
    await services.iam.oidcProviders.addClientId(caller.accountId, input.OpenIDConnectProviderArn, input.ClientID);
    return {};
  },
};

const removeClientIDFromOpenIDConnectProvider: Op<W.RemoveClientIDFromOpenIDConnectProviderRequest> = {
  service: 'iam',
  name: 'RemoveClientIDFromOpenIDConnectProvider',
  mutates: true,
  access: onProvider('RemoveClientIDFromOpenIDConnectProvider'),
  handler: async (input, { caller, services }) => {
    await services.iam.oidcProviders.removeClientId(caller.accountId, input.OpenIDConnectProviderArn, input.ClientID);
    return {};
  },
};

const updateOpenIDConnectProviderThumbprint: Op<W.UpdateOpenIDConnectProviderThumbprintRequest> = {
  service: 'iam',
  name: 'UpdateOpenIDConnectProviderThumbprint',
  mutates: true,
  access: onProvider('UpdateOpenIDConnectProviderThumbprint'),
  handler: async (input, { caller, services }) => {
    await services.iam.oidcProviders.updateThumbprints(
      caller.accountId,
      input.OpenIDConnectProviderArn,
      input.ThumbprintList,
    );
    return {};
  },
};

const tagOpenIDConnectProvider: Op<W.TagOpenIDConnectProviderRequest> = {
  service: 'iam',
  name: 'TagOpenIDConnectProvider',
  mutates: true,
  access: (input) => {
    const context = tagContext(input.Tags);
    return [
      {
        action: 'iam:TagOpenIDConnectProvider',
        resource: input.OpenIDConnectProviderArn,
        ...(context === undefined ? {} : { context }),
      },
    ];
  },
  handler: async (input, { caller, services }) => {
    checkTags(input.Tags, 'oidc-provider');
    const id = await services.iam.oidcProviders.idOf(caller.accountId, input.OpenIDConnectProviderArn);
    await services.iam.context.write(caller.accountId, (trx) =>
      services.iam.tags.tag(trx, 'oidc-provider', id, input.Tags),
    );
    return {};
  },
};

const untagOpenIDConnectProvider: Op<W.UntagOpenIDConnectProviderRequest> = {
  service: 'iam',
  name: 'UntagOpenIDConnectProvider',
  mutates: true,
  access: (input) => [
    {
      action: 'iam:UntagOpenIDConnectProvider',
      resource: input.OpenIDConnectProviderArn,
      context: { 'aws:TagKeys': input.TagKeys },
    },
  ],
  handler: async (input, { caller, services }) => {
    const id = await services.iam.oidcProviders.idOf(caller.accountId, input.OpenIDConnectProviderArn);
    await services.iam.context.write(caller.accountId, (trx) =>
      services.iam.tags.untag(trx, 'oidc-provider', id, input.TagKeys),
    );
    return {};
  },
};

const listOpenIDConnectProviderTags: Op<
  W.ListOpenIDConnectProviderTagsRequest,
  W.ListOpenIDConnectProviderTagsResponse
> = {
  service: 'iam',
  name: 'ListOpenIDConnectProviderTags',
  mutates: false,
  access: onProvider('ListOpenIDConnectProviderTags'),
  handler: async (input, { caller, services }) => {
    const id = await services.iam.oidcProviders.idOf(caller.accountId, input.OpenIDConnectProviderArn);
    return paginate(await services.iam.tags.list('oidc-provider', id), input, 'Tags');
  },
};

export const oidcProviderOperations = [
  createOpenIDConnectProvider,
  getOpenIDConnectProvider,
  deleteOpenIDConnectProvider,
  listOpenIDConnectProviders,
  addClientIDToOpenIDConnectProvider,
  removeClientIDFromOpenIDConnectProvider,
  updateOpenIDConnectProviderThumbprint,
  tagOpenIDConnectProvider,
  untagOpenIDConnectProvider,
  listOpenIDConnectProviderTags,
];
