/** Member accounts: CreateAccount and its statuses, the account reads, moving, removing and leaving. */
import type {
  CloseAccountRequest,
  CreateAccountRequest,
  CreateGovCloudAccountRequest,
  DescribeAccountRequest,
  DescribeCreateAccountStatusRequest,
  ListAccountsForParentRequest,
  ListAccountsRequest,
  ListCreateAccountStatusRequest,
  MoveAccountRequest,
  RemoveAccountFromOrganizationRequest,
} from '../../contracts/wire/organizations.js';
import { ask, containerArn, actingAccount, me, org, orgAccess, paged, type OrgOperation } from './common.js';

const accountArnOf = (i: { AccountId?: string }, c: Parameters<typeof containerArn>[0]) => containerArn(c, i.AccountId);

const createAccount: OrgOperation<CreateAccountRequest> = {
  service: 'organizations',
  name: 'CreateAccount',
  mutates: true,
  access: orgAccess('CreateAccount'),
  handler: async (i, c) =>
    org(c).accounts.create(me(c), {
      email: i.Email,
      accountName: i.AccountName,
      ...(i.RoleName === undefined ? {} : { roleName: i.RoleName }),
      ...(i.IamUserAccessToBilling === undefined ? {} : { iamUserAccessToBilling: i.IamUserAccessToBilling }),
      tags: i.Tags ?? [],
    }),
};

const describeCreateAccountStatus: OrgOperation<DescribeCreateAccountStatusRequest> = {
  service: 'organizations',
  name: 'DescribeCreateAccountStatus',
  mutates: false,
  access: orgAccess('DescribeCreateAccountStatus'),
  handler: async (i, c) =>
    org(c).accounts.describeCreateAccountStatus(
      await actingAccount(c, 'DescribeCreateAccountStatus'),
      i.CreateAccountRequestId,
    ),
};

const listCreateAccountStatus: OrgOperation<ListCreateAccountStatusRequest> = {
  service: 'organizations',
  name: 'ListCreateAccountStatus',
  mutates: false,
  access: orgAccess('ListCreateAccountStatus'),
  handler: async (i, c) =>
    paged(
      i,
      'CreateAccountStatuses',
      await org(c).accounts.listCreateAccountStatus(await actingAccount(c, 'ListCreateAccountStatus'), i.States),
    ),
};

const listAccounts: OrgOperation<ListAccountsRequest> = {
  service: 'organizations',
  name: 'ListAccounts',
  mutates: false,
  access: orgAccess('ListAccounts'),
  handler: async (i, c) => paged(i, 'Accounts', await org(c).accounts.list(await actingAccount(c, 'ListAccounts'))),
};

const describeAccount: OrgOperation<DescribeAccountRequest> = {
  service: 'organizations',
  name: 'DescribeAccount',
  mutates: false,
  access: orgAccess('DescribeAccount', accountArnOf),
  handler: async (i, c) => org(c).accounts.describe(await actingAccount(c, 'DescribeAccount'), i.AccountId),
};

const listAccountsForParent: OrgOperation<ListAccountsForParentRequest> = {
  service: 'organizations',
  name: 'ListAccountsForParent',
  mutates: false,
  access: orgAccess('ListAccountsForParent', (i, c) => containerArn(c, i.ParentId)),
  handler: async (i, c) =>
    paged(
      i,
      'Accounts',
      await org(c).accounts.listForParent(await actingAccount(c, 'ListAccountsForParent'), i.ParentId),
    ),
};

const moveAccount: OrgOperation<MoveAccountRequest> = {
  service: 'organizations',
  name: 'MoveAccount',
  mutates: true,
  // AWS authorizes the account and both parents.
  access: (i, c) => [
    ask('MoveAccount', containerArn(c, i.AccountId)),
    ask('MoveAccount', containerArn(c, i.SourceParentId)),
    ask('MoveAccount', containerArn(c, i.DestinationParentId)),
  ],
  handler: async (i, c) => {
    await org(c).accounts.move(me(c), i.AccountId, i.SourceParentId, i.DestinationParentId);
    return {};
  },
};

const removeAccountFromOrganization: OrgOperation<RemoveAccountFromOrganizationRequest> = {
  service: 'organizations',
  name: 'RemoveAccountFromOrganization',
  mutates: true,
  access: orgAccess('RemoveAccountFromOrganization', accountArnOf),
  handler: async (i, c) => {
    await org(c).accounts.remove(me(c), i.AccountId);
    return {};
  },
};

const leaveOrganization: OrgOperation<Record<string, never>> = {
  service: 'organizations',
  name: 'LeaveOrganization',
  mutates: true,
  access: orgAccess('LeaveOrganization'),
  handler: async (_i, c) => {
    await org(c).accounts.leave(me(c));
    return {};
  },
};

const closeAccount: OrgOperation<CloseAccountRequest> = {
  service: 'organizations',
  name: 'CloseAccount',
  mutates: true,
  access: orgAccess('CloseAccount', accountArnOf),
  handler: async (i, c) => {
    await org(c).accounts.close(me(c), i.AccountId);
    return {};
  },
};

const createGovCloudAccount: OrgOperation<CreateGovCloudAccountRequest> = {
  service: 'organizations',
  name: 'CreateGovCloudAccount',
  mutates: true,
  access: orgAccess('CreateGovCloudAccount'),
  handler: async (_i, c) => org(c).accounts.createGovCloudAccount(me(c)),
};

export const accountOperations = [
  closeAccount,
  createGovCloudAccount,
  createAccount,
  describeCreateAccountStatus,
  listCreateAccountStatus,
  listAccounts,
  describeAccount,
  listAccountsForParent,
  moveAccount,
  removeAccountFromOrganization,
  leaveOrganization,
];
