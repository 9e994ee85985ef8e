/** Organizational units and the tree, authorized on the root's, OU's or account's ARN. */
import type {
  CreateOrganizationalUnitRequest,
  DeleteOrganizationalUnitRequest,
  DescribeOrganizationalUnitRequest,
  ListChildrenRequest,
  ListOrganizationalUnitsForParentRequest,
  ListParentsRequest,
  UpdateOrganizationalUnitRequest,
} from '../../contracts/wire/organizations.js';
import { containerArn, actingAccount, me, org, orgAccess, paged, type OrgOperation } from './common.js';

const parentArn = (i: { ParentId?: string }, c: Parameters<typeof containerArn>[0]) => containerArn(c, i.ParentId);
const ouArnOf = (i: { OrganizationalUnitId?: string }, c: Parameters<typeof containerArn>[0]) =>
  containerArn(c, i.OrganizationalUnitId);

const createOrganizationalUnit: OrgOperation<CreateOrganizationalUnitRequest> = {
  service: 'organizations',
  name: 'CreateOrganizationalUnit',
  mutates: true,
  access: orgAccess('CreateOrganizationalUnit', parentArn),
  handler: async (i, c) => org(c).units.create(me(c), i.ParentId, i.Name, i.Tags),
};

const describeOrganizationalUnit: OrgOperation<DescribeOrganizationalUnitRequest> = {
  service: 'organizations',
  name: 'DescribeOrganizationalUnit',
  mutates: false,
  access: orgAccess('DescribeOrganizationalUnit', ouArnOf),
  handler: async (i, c) =>
    org(c).units.describe(await actingAccount(c, 'DescribeOrganizationalUnit'), i.OrganizationalUnitId),
};

const updateOrganizationalUnit: OrgOperation<UpdateOrganizationalUnitRequest> = {
  service: 'organizations',
  name: 'UpdateOrganizationalUnit',
  mutates: true,
  access: orgAccess('UpdateOrganizationalUnit', ouArnOf),
  handler: async (i, c) => org(c).units.update(me(c), i.OrganizationalUnitId, i.Name),
};

const deleteOrganizationalUnit: OrgOperation<DeleteOrganizationalUnitRequest> = {
  service: 'organizations',
  name: 'DeleteOrganizationalUnit',
  mutates: true,
  access: orgAccess('DeleteOrganizationalUnit', ouArnOf),
  handler: async (i, c) => {
    await org(c).units.delete(me(c), i.OrganizationalUnitId);
    return {};
  },
};

const listOrganizationalUnitsForParent: OrgOperation<ListOrganizationalUnitsForParentRequest> = {
  service: 'organizations',
  name: 'ListOrganizationalUnitsForParent',
  mutates: false,
  access: orgAccess('ListOrganizationalUnitsForParent', parentArn),
  handler: async (i, c) =>
    paged(
      i,
      'OrganizationalUnits',
      await org(c).units.listForParent(await actingAccount(c, 'ListOrganizationalUnitsForParent'), i.ParentId),
    ),
};

const listParents: OrgOperation<ListParentsRequest> = {
  service: 'organizations',
  name: 'ListParents',
  mutates: false,
  access: orgAccess('ListParents', (i, c) => containerArn(c, i.ChildId)),
  handler: async (i, c) =>
    paged(i, 'Parents', await org(c).units.listParents(await actingAccount(c, 'ListParents'), i.ChildId)),
};

const listChildren: OrgOperation<ListChildrenRequest> = {
  service: 'organizations',
  name: 'ListChildren',
  mutates: false,
  access: orgAccess('ListChildren', parentArn),
  handler: async (i, c) =>
    paged(
      i,
      'Children',
      await org(c).units.listChildren(await actingAccount(c, 'ListChildren'), i.ParentId, i.ChildType),
    ),
};

export const unitOperations = [
  createOrganizationalUnit,
  describeOrganizationalUnit,
  updateOrganizationalUnit,
  deleteOrganizationalUnit,
  listOrganizationalUnitsForParent,
  listParents,
  listChildren,
];
