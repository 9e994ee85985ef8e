/**
 * AssumeRoleWithSAML: an unsigned call (as AWS answers it) whose base64 SAML response says who asks. The
 * response is verified against the role account's SAML provider `PrincipalArn` (src/iam/sts/saml.ts); then
 * the role's trust policy alone decides, with the provider's ARN as the `Federated` principal and the
 * assertion's `saml:` condition keys. The session's name comes from the assertion's RoleSessionName
 * attribute; it lasts DurationSeconds, else the SessionDuration attribute, else an hour — never past the
 * assertion's SessionNotOnOrAfter.
 */
import { ServiceError, validationError } from '../../core/errors.js';
import type { Operation } from '../../core/operation.js';
import type * as W from '../../contracts/wire/sts.js';
import { issueRoleSession, ROLE_ARN, type StsServices } from './role-sessions.js';

const DEFAULT_DURATION = 3600;
const MINIMUM_DURATION = 900;

function roleAccount(roleArn: string): string {
  const match = ROLE_ARN.exec(roleArn);
  if (match === null) throw validationError(`${roleArn} is invalid`);
  return match[1]!;
}

export const assumeRoleWithSaml: Operation<StsServices, W.AssumeRoleWithSAMLRequest, W.AssumeRoleWithSAMLResponse> = {
  service: 'sts',
  name: 'AssumeRoleWithSAML',
  access: async (input, { facts, services }) => {
    const account = roleAccount(input.RoleArn);
    const assertion = await services.saml.verify(
      input.SAMLAssertion,
      input.PrincipalArn,
      input.RoleArn,
      account,
      facts.now,
    );
    return [
      {
        action: 'sts:AssumeRoleWithSAML',
        resource: input.RoleArn,
        resourceAccount: account,
        principal: assertion.provider.arn,
        withResourcePolicy: true,
        context: { ...assertion.context, 'sts:RoleSessionName': assertion.sessionName },
      },
    ];
  },
  mutates: true,
  handler: async (input, { facts, services }) => {
    // The access rule verified the response; verifying again gives its claims here.
    const assertion = await services.saml.verify(
      input.SAMLAssertion,
      input.PrincipalArn,
      input.RoleArn,
      roleAccount(input.RoleArn),
      facts.now,
    );
    const role = await services.findRole(input.RoleArn);
    // Allowed, then deleted before the handler ran: answered as a role that was never there.
    if (role === undefined) throw new ServiceError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML');
    const asked = input.DurationSeconds ?? assertion.sessionDuration ?? DEFAULT_DURATION;
    if (asked > role.maxSessionDuration) {
      throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    // The identity provider's own end of the session wins when it is sooner (never under STS's minimum).
    const idpLimit =
      assertion.sessionNotOnOrAfter === undefined
        ? Infinity
        : Math.floor((assertion.sessionNotOnOrAfter.getTime() - facts.now.getTime()) / 1000);
    const session = await issueRoleSession(services, role, {
      sessionName: assertion.sessionName,
      durationSeconds: Math.max(MINIMUM_DURATION, Math.min(asked, idpLimit)),
      mfaAuthenticated: false,
      policy: input.Policy,
      policyArns: input.PolicyArns,
    });
    return {
      ...session,
      Subject: assertion.subject,
      SubjectType: assertion.subjectType,
      Issuer: assertion.issuer,
      Audience: assertion.audience,
      NameQualifier: assertion.nameQualifier,
      ...(assertion.sourceIdentity === undefined ? {} : { SourceIdentity: assertion.sourceIdentity }),
    };
  },
};
