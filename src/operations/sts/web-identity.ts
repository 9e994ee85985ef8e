/**
 * AssumeRoleWithWebIdentity: an unsigned call (the API answers it without SigV4, as AWS does) whose OIDC ID
 * token says who asks. The token is verified against the role account's OpenID Connect provider for its
 * issuer (src/iam/sts/web-identity.ts); then the role's trust policy alone decides, with the provider's ARN as
 * the `Federated` principal and the token's claims as `<host/path>:sub`, `:aud`… condition keys.
 */
import { accessDenied, validationError } from '../../core/errors.js';
import type { Operation } from '../../core/operation.js';
import type * as W from '../../contracts/wire/sts.js';
import { issueRoleSession, ROLE_ARN, type StsServices } from './role-sessions.js';

const DEFAULT_DURATION = 3600;

function roleAccount(roleArn: string): string {
  const match = ROLE_ARN.exec(roleArn);
  if (match === null) throw validationError(`${roleArn} is invalid`);
  return match[1]!;
}

export const assumeRoleWithWebIdentity: Operation<
  StsServices,
  W.AssumeRoleWithWebIdentityRequest,
  W.AssumeRoleWithWebIdentityResponse
> = {
  service: 'sts',
  name: 'AssumeRoleWithWebIdentity',
  access: async (input, { facts, services }) => {
    const account = roleAccount(input.RoleArn);
    const identity = await services.webIdentity.verify(input.WebIdentityToken, account, facts.now);
    return [
      {
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: input.RoleArn,
        resourceAccount: account,
        principal: identity.provider.arn,
        withResourcePolicy: true,
        context: { ...identity.context, 'sts:RoleSessionName': input.RoleSessionName },
      },
    ];
  },
  mutates: true,
  handler: async (input, { facts, services }) => {
    // The access rule verified the token; verifying again (its issuer's keys are cached) gives its claims here.
    const identity = await services.webIdentity.verify(input.WebIdentityToken, roleAccount(input.RoleArn), facts.now);
    const role = await services.findRole(input.RoleArn);
    // Allowed, then deleted before the handler ran: answered as a role that was never there.
    if (role === undefined) throw accessDenied('Not authorized to perform sts:AssumeRoleWithWebIdentity');
    const duration = input.DurationSeconds ?? DEFAULT_DURATION;
    if (duration > role.maxSessionDuration) {
      throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    const session = await issueRoleSession(services, role, {
      sessionName: input.RoleSessionName,
      durationSeconds: duration,
      mfaAuthenticated: false,
      policy: input.Policy,
      policyArns: input.PolicyArns,
    });
    return {
      ...session,
      SubjectFromWebIdentityToken: identity.subject,
      Provider: identity.provider.arn,
      Audience: identity.audience,
    };
  },
};
