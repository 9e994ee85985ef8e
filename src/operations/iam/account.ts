/**
 * The account as IAM sees it: its aliases, its password policy, its STS preference and its reports (summary,
 * authorization details, credential report). AWS authorizes all of them on `*`.
 */
import type {
  CreateAccountAliasRequest,
  DeleteAccountAliasRequest,
  GetAccountAuthorizationDetailsRequest,
  ListAccountAliasesRequest,
  SetSecurityTokenServicePreferencesRequest,
  UpdateAccountPasswordPolicyRequest,
} from '../../contracts/wire/iam.js';
import { anyResource, iamAccess, type IamOperation } from './common.js';
import { paginate } from './pagination.js';

type NoInput = Record<string, never>;

const createAccountAlias: IamOperation<CreateAccountAliasRequest> = {
  service: 'iam',
  name: 'CreateAccountAlias',
  mutates: true,
  access: iamAccess('CreateAccountAlias', anyResource),
  handler: async (i, c) => {
    await c.services.iam.accounts.createAlias(c.caller.accountId, i.AccountAlias);
    return {};
  },
};

const listAccountAliases: IamOperation<ListAccountAliasesRequest> = {
  service: 'iam',
  name: 'ListAccountAliases',
  mutates: false,
  access: iamAccess('ListAccountAliases', anyResource),
  handler: async (i, c) => paginate(await c.services.iam.accounts.listAliases(c.caller.accountId), i, 'AccountAliases'),
};

const deleteAccountAlias: IamOperation<DeleteAccountAliasRequest> = {
  service: 'iam',
  name: 'DeleteAccountAlias',
  mutates: true,
  access: iamAccess('DeleteAccountAlias', anyResource),
  handler: async (i, c) => {
    await c.services.iam.accounts.deleteAlias(c.caller.accountId, i.AccountAlias);
    return {};
  },
};

const getAccountPasswordPolicy: IamOperation<NoInput> = {
  service: 'iam',
  name: 'GetAccountPasswordPolicy',
  mutates: false,
  access: iamAccess('GetAccountPasswordPolicy', anyResource),
  handler: async (_i, c) => ({
    PasswordPolicy: await c.services.iam.accounts.requirePasswordPolicy(c.caller.accountId),
  }),
};

const updateAccountPasswordPolicy: IamOperation<UpdateAccountPasswordPolicyRequest> = {
  service: 'iam',
  name: 'UpdateAccountPasswordPolicy',
  mutates: true,
  access: iamAccess('UpdateAccountPasswordPolicy', anyResource),
  handler: async (i, c) => {
    await c.services.iam.accounts.updatePasswordPolicy(c.caller.accountId, i);
    return {};
  },
};

const deleteAccountPasswordPolicy: IamOperation<NoInput> = {
  service: 'iam',
  name: 'DeleteAccountPasswordPolicy',
  mutates: true,
  access: iamAccess('DeleteAccountPasswordPolicy', anyResource),
  handler: async (_i, c) => {
    await c.services.iam.accounts.deletePasswordPolicy(c.caller.accountId);
    return {};
  },
};

const setSecurityTokenServicePreferences: IamOperation<SetSecurityTokenServicePreferencesRequest> = {
  service: 'iam',
  name: 'SetSecurityTokenServicePreferences',
  mutates: true,
  access: iamAccess('SetSecurityTokenServicePreferences', anyResource),
  handler: async (i, c) => {
    await c.services.iam.accounts.setGlobalEndpointTokenVersion(c.caller.accountId, i.GlobalEndpointTokenVersion);
    return {};
  },
};

const getAccountSummary: IamOperation<NoInput> = {
  service: 'iam',
  name: 'GetAccountSummary',
  mutates: false,
  access: iamAccess('GetAccountSummary', anyResource),
  handler: async (_i, c) => ({ SummaryMap: await c.services.iam.reports.accountSummary(c.caller.accountId) }),
};

const getAccountAuthorizationDetails: IamOperation<GetAccountAuthorizationDetailsRequest> = {
  service: 'iam',
  name: 'GetAccountAuthorizationDetails',
  mutates: false,
  access: iamAccess('GetAccountAuthorizationDetails', anyResource),
  handler: async (i, c) => {
    const details = await c.services.iam.reports.authorizationDetails(c.caller.accountId, i.Filter);
    // AWS pages the four lists as one sequence, MaxItems counting every item: users, groups, roles, policies.
    const lists = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;
    const all = lists.flatMap((list) => (details[list] as unknown[]).map((item) => ({ list, item })));
    const page = paginate(all, i, 'Items');
    return {
      ...Object.fromEntries(lists.map((list) => [list, page.Items.filter((e) => e.list === list).map((e) => e.item)])),
      IsTruncated: page.IsTruncated,
      ...(page.Marker === undefined ? {} : { Marker: page.Marker }),
    };
  },
};

const generateCredentialReport: IamOperation<NoInput> = {
  service: 'iam',
  name: 'GenerateCredentialReport',
  mutates: false,
  access: iamAccess('GenerateCredentialReport', anyResource),
  handler: async (_i, c) => c.services.iam.reports.generateCredentialReport(c.caller.accountId),
};

const getCredentialReport: IamOperation<NoInput> = {
  service: 'iam',
  name: 'GetCredentialReport',
  mutates: false,
  access: iamAccess('GetCredentialReport', anyResource),
  handler: async (_i, c) => c.services.iam.reports.getCredentialReport(c.caller.accountId),
};

export const accountOperations = [
  createAccountAlias,
  listAccountAliases,
  deleteAccountAlias,
  getAccountPasswordPolicy,
  updateAccountPasswordPolicy,
  deleteAccountPasswordPolicy,
  setSecurityTokenServicePreferences,
  getAccountSummary,
  getAccountAuthorizationDetails,
  generateCredentialReport,
  getCredentialReport,
];
