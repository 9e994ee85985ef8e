/** The organization itself: create, describe, delete, and its root. */
import type { CreateOrganizationRequest, ListRootsRequest } from '../../contracts/wire/organizations.js';
import { me, org, orgAccess, paged, type OrgOperation } from './common.js';

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
  handler: async (i, c) => paged(i, 'Roots', await org(c).listRoots(me(c))),
};

export const organizationOperations = [createOrganization, describeOrganization, deleteOrganization, listRoots];
