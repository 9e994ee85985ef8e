/** Customer managed policies and their versions; which users, groups and roles a policy is attached to. */
import type {
  CreatePolicyRequest,
  CreatePolicyVersionRequest,
  DeletePolicyRequest,
  DeletePolicyVersionRequest,
  GetPolicyRequest,
  GetPolicyVersionRequest,
  ListEntitiesForPolicyRequest,
  ListPoliciesRequest,
  ListPolicyVersionsRequest,
  SetDefaultPolicyVersionRequest,
} from '../../contracts/wire/iam.js';
import { arn, iamAccess, policyArn, tagContext, type IamOperation } from './common.js';
import { paginate } from './pagination.js';

const createPolicy: IamOperation<CreatePolicyRequest> = {
  service: 'iam',
  name: 'CreatePolicy',
  mutates: true,
  access: iamAccess(
    'CreatePolicy',
    (i, c) => arn(c, 'policy', i.PolicyName, i.Path),
    (i) => tagContext(i.Tags),
  ),
  handler: async (i, c) => ({ Policy: await c.services.iam.policies.create(c.caller.accountId, i) }),
};

const getPolicy: IamOperation<GetPolicyRequest> = {
  service: 'iam',
  name: 'GetPolicy',
  mutates: false,
  access: iamAccess('GetPolicy', policyArn),
  handler: async (i, c) => ({ Policy: await c.services.iam.policies.get(c.caller.accountId, i.PolicyArn) }),
};

const listPolicies: IamOperation<ListPoliciesRequest> = {
  service: 'iam',
  name: 'ListPolicies',
  mutates: false,
  access: iamAccess('ListPolicies', (_i, c) => `arn:aws:iam::${c.caller.accountId}:policy/`),
  handler: async (i, c) => {
    const list = await c.services.iam.policies.list(c.caller.accountId, i);
    // ListPolicies leaves out descriptions and tags, as AWS's does.
    return paginate(
      list.map(({ Description: _d, Tags: _t, ...rest }) => rest),
      i,
      'Policies',
    );
  },
};

const deletePolicy: IamOperation<DeletePolicyRequest> = {
  service: 'iam',
  name: 'DeletePolicy',
  mutates: true,
  access: iamAccess('DeletePolicy', policyArn),
  handler: async (i, c) => {
    await c.services.iam.policies.delete(c.caller.accountId, i.PolicyArn);
    return {};
  },
};

const createPolicyVersion: IamOperation<CreatePolicyVersionRequest> = {
  service: 'iam',
  name: 'CreatePolicyVersion',
  mutates: true,
  access: iamAccess('CreatePolicyVersion', policyArn),
  handler: async (i, c) => c.services.iam.policies.createVersion(c.caller.accountId, i),
};

const getPolicyVersion: IamOperation<GetPolicyVersionRequest> = {
  service: 'iam',
  name: 'GetPolicyVersion',
  mutates: false,
  access: iamAccess('GetPolicyVersion', policyArn),
  handler: async (i, c) => c.services.iam.policies.getVersion(c.caller.accountId, i.PolicyArn, i.VersionId),
};

const listPolicyVersions: IamOperation<ListPolicyVersionsRequest> = {
  service: 'iam',
  name: 'ListPolicyVersions',
  mutates: false,
  access: iamAccess('ListPolicyVersions', policyArn),
  handler: async (i, c) =>
    paginate(await c.services.iam.policies.listVersions(c.caller.accountId, i.PolicyArn), i, 'Versions'),
};

const deletePolicyVersion: IamOperation<DeletePolicyVersionRequest> = {
  service: 'iam',
  name: 'DeletePolicyVersion',
  mutates: true,
  access: iamAccess('DeletePolicyVersion', policyArn),
  handler: async (i, c) => {
    await c.services.iam.policies.deleteVersion(c.caller.accountId, i.PolicyArn, i.VersionId);
    return {};
  },
};

const setDefaultPolicyVersion: IamOperation<SetDefaultPolicyVersionRequest> = {
  service: 'iam',
  name: 'SetDefaultPolicyVersion',
  mutates: true,
  access: iamAccess('SetDefaultPolicyVersion', policyArn),
  handler: async (i, c) => {
    await c.services.iam.policies.setDefaultVersion(c.caller.accountId, i.PolicyArn, i.VersionId);
    return {};
  },
};

const listEntitiesForPolicy: IamOperation<ListEntitiesForPolicyRequest> = {
  service: 'iam',
  name: 'ListEntitiesForPolicy',
  mutates: false,
  access: iamAccess('ListEntitiesForPolicy', policyArn),
  handler: async (i, c) => {
    const { PolicyGroups, PolicyUsers, PolicyRoles } = await c.services.iam.entityPolicies.entitiesFor(
      c.caller.accountId,
      i.PolicyArn,
      i.EntityFilter,
    );
    // One page over the three lists, as AWS pages them together.
    const all = [
      ...PolicyGroups.map((g) => ['g', g] as const),
      ...PolicyUsers.map((u) => ['u', u] as const),
      ...PolicyRoles.map((r) => ['r', r] as const),
    ];
    const page = paginate(all, i, 'Items');
    return {
      PolicyGroups: page.Items.filter(([k]) => k === 'g').map(([, v]) => v),
      PolicyUsers: page.Items.filter(([k]) => k === 'u').map(([, v]) => v),
      PolicyRoles: page.Items.filter(([k]) => k === 'r').map(([, v]) => v),
      IsTruncated: page.IsTruncated,
      ...(page.Marker ? { Marker: page.Marker } : {}),
    };
  },
};

export const policyOperations = [
  createPolicy,
  getPolicy,
  listPolicies,
  deletePolicy,
  createPolicyVersion,
  getPolicyVersion,
  listPolicyVersions,
  deletePolicyVersion,
  setDefaultPolicyVersion,
  listEntitiesForPolicy,
];
