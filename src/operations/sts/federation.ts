/**
 * GetFederationToken: an IAM user (or, discouraged, the root user) with long-term keys issues credentials
 * for a federated user `arn:aws:sts::<account>:federated-user/<Name>`. Its permissions are the intersection
 * of the calling user's policies and the session policies passed (`Policy`, `PolicyArns`); with none passed
 * it may do nothing (AWS's rule, applied where the caller's policies are resolved). Temporary credentials
 * cannot call it. Session tags (`Tags`, which need `sts:TagSession`) are its principal tags.
 */
import { ServiceError } from '../../core/errors.js';
import type { Operation } from '../../core/operation.js';
import type * as W from '../../contracts/wire/sts.js';
import { checkSessionPolicies, checkSessionTags, sessionTagsRequest, type StsServices } from './role-sessions.js';

const DEFAULT_DURATION = 43200;
const ROOT_LIMIT = 3600;

const federatedUserArn = (accountId: string, name: string) => `arn:aws:sts::${accountId}:federated-user/${name}`;

export const getFederationToken: Operation<StsServices, W.GetFederationTokenRequest, W.GetFederationTokenResponse> = {
  service: 'sts',
  name: 'GetFederationToken',
  access: (input, { caller }) => [
    { action: 'sts:GetFederationToken', resource: federatedUserArn(caller.accountId, input.Name) },
    ...sessionTagsRequest(federatedUserArn(caller.accountId, input.Name), undefined, input.Tags, undefined),
  ],
  mutates: true,
  handler: async (input, { caller, services }) => {
    if (caller.accessKeyId?.startsWith('ASIA') === true || (caller.kind !== 'user' && caller.kind !== 'root')) {
      throw new ServiceError('AccessDenied', 'Cannot call GetFederationToken with session credentials');
    }
    const duration = input.DurationSeconds ?? DEFAULT_DURATION;
    // The root user's federation tokens last at most an hour: a longer request gets one hour, as in AWS.
    const durationSeconds = caller.kind === 'root' ? Math.min(duration, ROOT_LIMIT) : duration;

    checkSessionTags(input.Tags);
    const tags = Object.fromEntries((input.Tags ?? []).map(({ Key, Value }) => [Key, Value]));
    const { arns, packed } = await checkSessionPolicies(
      services,
      caller.accountId,
      input.Policy,
      input.PolicyArns,
      tags,
    );

    const arn = federatedUserArn(caller.accountId, input.Name);
    const federatedUserId = `${caller.accountId}:${input.Name}`;
    const credentials = await services.sts.issue({
      caller: {
        kind: 'federated-user',
        accountId: caller.accountId,
        arn,
        userId: federatedUserId,
        name: input.Name,
        federatedBy: caller.kind === 'root' ? caller.accountId : caller.userId,
        mfaAuthenticated: false,
      },
      kind: 'federated-user',
      durationSeconds,
      ...(input.Policy === undefined ? {} : { sessionPolicy: input.Policy }),
      sessionPolicyArns: arns,
      sessionTags: tags,
    });
    return {
      Credentials: credentials,
      FederatedUser: { FederatedUserId: federatedUserId, Arn: arn },
      ...(packed === undefined ? {} : { PackedPolicySize: packed }),
    };
  },
};
