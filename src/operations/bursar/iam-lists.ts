/**
 * The console's IAM users list in one call (`bursar:ListUserOverviews`): each user's groups, password, MFA,
 * access keys and last activity, which AWS's console shows as columns and which the public API gives only
 * user by user (ListGroupsForUser, GetLoginProfile, ListMFADevices, ListAccessKeys, GetAccessKeyLastUsed) or in
 * the credential report, made at most every four hours. It tells what those calls tell, so it asks for what
 * the list and the credential report ask: `iam:ListUsers` and `iam:GetCredentialReport`.
 */
import type { Operation } from '../../core/operation.js';
import type { Empty, ListUserOverviewsResponse } from '../../contracts/wire/bursar.js';
import type { IamOperationServices } from '../iam/common.js';

const listUserOverviews: Operation<IamOperationServices, Empty, ListUserOverviewsResponse> = {
  service: 'bursar',
  name: 'ListUserOverviews',
  access: (_input, ctx) => [
    { action: 'iam:ListUsers', resource: `arn:aws:iam::${ctx.caller.accountId}:user/` },
    { action: 'iam:GetCredentialReport', resource: '*' },
  ],
  mutates: false,
  handler: async (_input, ctx) => ({ Users: await ctx.services.iam.reports.userOverviews(ctx.caller.accountId) }),
};

export const iamListOperations = [listUserOverviews];
