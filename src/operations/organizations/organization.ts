/** The organization itself: create, describe, delete, its root, its resource policy, effective policies. */
import type {
  CreateOrganizationRequest,
  DescribeEffectivePolicyRequest,
  ListRootsRequest,
  PutResourcePolicyRequest,
} from '../../contracts/wire/organizations.js';
import { actingAccount, containerArn, me, org, orgAccess, paged, typeContext, type OrgOperation } from './common.js';

const createOrganization: OrgOperation<CreateOrganizationRequest> = {
  service: 'organizations',
  name: 'CreateOrganization',
  mutates: true,
  access: orgAccess('CreateOrganization'),
  handler: async (i, c) => org(c).createOrganization(me(c), i.FeatureSet),
};

const describeOrganization: OrgOperation<Record<string, never>> = {
  service: 'organizations',
  name: 'DescribeOrganization',
  mutates: false,
  access: orgAccess('DescribeOrganization'),
  handler: async (_i, c) => org(c).describeOrganization(me(c)),
};

const deleteOrganization: OrgOperation<Record<string, never>> = {
  service: 'organizations',
  name: 'DeleteOrganization',
  mutates: true,
  access: orgAccess('DeleteOrganization'),
  handler: async (_i, c) => {
    await org(c).deleteOrganization(me(c));
    return {};
  },
};

const listRoots: OrgOperation<ListRootsRequest> = {
  service: 'organizations',
  name: 'ListRoots',
  mutates: false,
  access: orgAccess('ListRoots'),
  handler: async (i, c) => paged(i, 'Roots', await org(c).listRoots(await actingAccount(c, 'ListRoots'))),
};

const putResourcePolicy: OrgOperation<PutResourcePolicyRequest> = {
  service: 'organizations',
  name: 'PutResourcePolicy',
  mutates: true,
  access: orgAccess('PutResourcePolicy'),
  handler: async (i, c) => org(c).resourcePolicy.put(me(c), i.Content, i.Tags),
};

const describeResourcePolicy: OrgOperation<Record<string, never>> = {
  service: 'organizations',
  name: 'DescribeResourcePolicy',
  mutates: false,
  access: orgAccess('DescribeResourcePolicy'),
  handler: async (_i, c) => org(c).resourcePolicy.describe(await actingAccount(c, 'DescribeResourcePolicy')),
};

const deleteResourcePolicy: OrgOperation<Record<string, never>> = {
  service: 'organizations',
  name: 'DeleteResourcePolicy',
  mutates: true,
  access: orgAccess('DeleteResourcePolicy'),
  handler: async (_i, c) => {
    await org(c).resourcePolicy.delete(me(c));
    return {};
  },
};

const describeEffectivePolicy: OrgOperation<DescribeEffectivePolicyRequest> = {
  service: 'organizations',
  name: 'DescribeEffectivePolicy',
  mutates: false,
  access: orgAccess(
    'DescribeEffectivePolicy',
    (i, c) => containerArn(c, i.TargetId ?? me(c)),
    (i) => typeContext(i.PolicyType),
  ),
  handler: async (i, c) => org(c).effectivePolicies.describe(me(c), i.PolicyType, i.TargetId),
};

export const organizationOperations = [
  createOrganization,
  describeOrganization,
  deleteOrganization,
  listRoots,
  putResourcePolicy,
  describeResourcePolicy,
  deleteResourcePolicy,
  describeEffectivePolicy,
];
