/**
 * STS: GetCallerIdentity (needs no permission), AssumeRole (the role's trust policy is evaluated as a
 * resource policy with the caller as principal, beside the caller's own policies), AssumeRoleWithWebIdentity
 * (web-identity.ts), AssumeRoleWithSAML (saml.ts), GetSessionToken, GetAccessKeyInfo, GetFederationToken (federation.ts),
 * DecodeAuthorizationMessage (authorization-message.ts).
 */
import { accessDenied, validationError } from '../../core/errors.js';
import type { Operation } from '../../core/operation.js';
import type * as W from '../../contracts/wire/sts.js';
import { checkSessionTags, issueRoleSession, ROLE_ARN, sessionTagsRequest, type StsServices } from './role-sessions.js';
import { assumeRoleWithWebIdentity } from './web-identity.js';
import { getFederationToken } from './federation.js';
import { assumeRoleWithSaml } from './saml.js';
import { decodeAuthorizationMessage } from './authorization-message.js';

export type { RoleForAssume, StsServices } from './role-sessions.js';

const ROLE_CHAINING_LIMIT = 3600;

export const getCallerIdentity: Operation<StsServices> = {
  service: 'sts',
  name: 'GetCallerIdentity',
  access: { none: 'AWS answers GetCallerIdentity for every caller; no policy can deny it.' },
  mutates: false,
  handler: async (_input, { caller }) => ({ UserId: caller.userId, Account: caller.accountId, Arn: caller.arn }),
};

interface AssumeRoleInput {
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds?: number;
  Policy?: string;
  PolicyArns?: Array<{ arn?: string }>;
  SerialNumber?: string;
  TokenCode?: string;
  ExternalId?: string;
  Tags?: Array<{ Key: string; Value: string }>;
  TransitiveTagKeys?: string[];
}

export const assumeRole: Operation<StsServices, AssumeRoleInput> = {
  service: 'sts',
  name: 'AssumeRole',
  // The role's trust policy joins the caller's own policies (the Authority finds it by the role's ARN).
  access: (input, { caller }) => {
    const match = ROLE_ARN.exec(input.RoleArn);
    if (match === null) throw validationError(`${input.RoleArn} is invalid`);
    const mfa = caller.mfaAuthenticated === true || input.TokenCode !== undefined;
    return [
      {
        action: 'sts:AssumeRole',
        resource: input.RoleArn,
        resourceAccount: match[1]!,
        withResourcePolicy: true,
        context: {
          'aws:MultiFactorAuthPresent': mfa ? 'true' : 'false',
          'sts:RoleSessionName': input.RoleSessionName,
          // A third party's trust policy checks it ("StringEquals": {"sts:ExternalId": …}).
          ...(input.ExternalId === undefined ? {} : { 'sts:ExternalId': input.ExternalId }),
        },
      },
      // Passing session tags is its own permission, which the trust policy must grant too.
      ...sessionTagsRequest(input.RoleArn, match[1]!, input.Tags, input.TransitiveTagKeys),
    ];
  },
  mutates: true,
  handler: async (input, { caller, facts, services }) => {
    const role = await services.findRole(input.RoleArn);
    // invoke() refused a role that does not exist; this one was deleted since, and is answered the same way.
    if (role === undefined) {
      const refusal = `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`;
      throw accessDenied(refusal);
    }

    const chained = caller.kind === 'assumed-role';
    const duration = input.DurationSeconds ?? 3600;
    if (chained && duration > ROLE_CHAINING_LIMIT) {
      throw validationError(
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
    }
    if (duration > role.maxSessionDuration) {
      throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    if (input.SerialNumber !== undefined || input.TokenCode !== undefined) {
      const ok =
        input.SerialNumber !== undefined &&
        input.TokenCode !== undefined &&
        services.verifyMfa !== undefined &&
        (await services.verifyMfa(caller, input.SerialNumber, input.TokenCode, facts.now));
      if (!ok) throw accessDenied('MultiFactorAuthentication failed with invalid MFA one time pass code.');
    }
    // Role chaining: the calling session's transitive tags pass on to the new session, transitive again.
    const calling =
      chained && caller.accessKeyId?.startsWith('ASIA') === true
        ? await services.sts.find(caller.accessKeyId)
        : undefined;
    const inherited = (calling?.transitiveTagKeys ?? []).flatMap((key) => {
      const value = calling?.sessionTags?.[key];
      return value === undefined ? [] : [{ Key: key, Value: value }];
    });
    checkSessionTags(input.Tags, inherited);
    return issueRoleSession(services, role, {
      sessionName: input.RoleSessionName,
      durationSeconds: duration,
      mfaAuthenticated: caller.mfaAuthenticated === true || input.TokenCode !== undefined,
      policy: input.Policy,
      policyArns: input.PolicyArns,
      tags: [...inherited, ...(input.Tags ?? [])],
      transitiveTagKeys: [...inherited.map((t) => t.Key), ...(input.TransitiveTagKeys ?? [])],
    });
  },
};

interface GetSessionTokenInput {
  DurationSeconds?: number;
  SerialNumber?: string;
  TokenCode?: string;
}

export const getSessionToken: Operation<StsServices, GetSessionTokenInput> = {
  service: 'sts',
  name: 'GetSessionToken',
  access: { none: 'AWS lets every IAM user and root user call GetSessionToken; policies cannot restrict it.' },
  mutates: true,
  handler: async (input, { caller, facts, services }) => {
    if (caller.kind === 'assumed-role' || caller.accessKeyId?.startsWith('ASIA') === true) {
      throw accessDenied('Cannot call GetSessionToken with session credentials');
    }
    // AWS: "If the duration is longer than one hour, the session for AWS account owners defaults to one hour."
    const asked = input.DurationSeconds ?? (caller.kind === 'root' ? 3600 : 43200);
    const duration = caller.kind === 'root' ? Math.min(asked, 3600) : asked;
    if (duration > 129600) {
      throw validationError(
        `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600`,
      );
    }
    let mfa = false;
    if (input.SerialNumber !== undefined || input.TokenCode !== undefined) {
      mfa =
        input.SerialNumber !== undefined &&
        input.TokenCode !== undefined &&
        services.verifyMfa !== undefined &&
        (await services.verifyMfa(caller, input.SerialNumber, input.TokenCode, facts.now));
      if (!mfa) throw accessDenied('MultiFactorAuthentication failed with invalid MFA one time pass code.');
    }
    const credentials = await services.sts.issue({
      caller: { ...caller, mfaAuthenticated: mfa },
      kind: 'session-token',
      durationSeconds: duration,
    });
    return { Credentials: credentials };
  },
};

export const getAccessKeyInfo: Operation<StsServices, W.GetAccessKeyInfoRequest, W.GetAccessKeyInfoResponse> = {
  service: 'sts',
  name: 'GetAccessKeyInfo',
  access: () => [{ action: 'sts:GetAccessKeyInfo', resource: '*' }],
  mutates: false,
  handler: async (input, { services }) => {
    // AWS reads the account out of the key id itself, so it answers for any key; Bursar's key ids do not
    // carry their account, so it answers for the keys it issued (long-term and temporary) and refuses others.
    const account = await services.accountOfAccessKey(input.AccessKeyId);
    if (account === undefined) throw validationError(`The access key ID ${input.AccessKeyId} is not valid.`);
    return { Account: account };
  },
};

export const stsOperations = [
  getCallerIdentity,
  assumeRole,
  assumeRoleWithWebIdentity,
  assumeRoleWithSaml,
  getSessionToken,
  getAccessKeyInfo,
  getFederationToken,
  decodeAuthorizationMessage,
];
