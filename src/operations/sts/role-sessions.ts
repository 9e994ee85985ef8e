/**
 * What STS's operations share: the services they need, the role ARN's shape, and issuing an
 * assumed-role session's credentials (AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML).
 */
import type { AccessRequest, Caller } from '../../core/operation.js';
import { tagRequestContext } from '../tag-context.js';
import type { WebIdentityVerifier } from '../../iam/sts/web-identity.js';
import type { SamlVerifier } from '../../iam/sts/saml.js';
import type { AuthorizationMessages } from '../authorization-messages.js';
import type { StsSessions, TemporaryCredentials } from '../../iam/sts/sessions.js';
import { malformedPolicyDocument } from '../../iam/errors.js';
import { validationError } from '../../core/errors.js';
import { checkSessionPolicy, packedPolicySize } from '../../iam/sts/session-policies.js';

export interface RoleForAssume {
  arn: string;
  roleId: string;
  name: string;
  accountId: string;
  maxSessionDuration: number;
  trustPolicy: string;
}

export interface StsServices {
  sts: StsSessions;
  /** Finds a role by its ARN (any account in this installation). */
  findRole(roleArn: string): Promise<RoleForAssume | undefined>;
  /** Whether `code` is the current TOTP code of the caller's MFA device `serialNumber`. */
  verifyMfa?(caller: Caller, serialNumber: string, code: string, now: Date): Promise<boolean>;
  /** Verifies OIDC ID tokens against the role account's OpenID Connect providers. */
  webIdentity: WebIdentityVerifier;
  /** Verifies SAML responses against the role account's SAML providers. */
  saml: SamlVerifier;
  /** The account of an access key this installation issued (long-term or temporary). */
  accountOfAccessKey(accessKeyId: string): Promise<string | undefined>;
  /** Opens the encoded authorization messages denials carry. */
  authorizationMessages: AuthorizationMessages;
  /** A managed policy's default version's document, as `accountId` sees it (its own or AWS's); undefined if none. */
  managedPolicyDocument(accountId: string, policyArn: string): Promise<string | undefined>;
}

export const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]{1,64})$/;

/**
 * Checks the session policies passed to AssumeRole…, GetFederationToken and answers their ARNs and the
 * PackedPolicySize: the inline policy as STS checks it, each managed one existing where the session's
 * account sees it (its own or AWS's: "the policies must exist in the same account as the role"), else STS's
 * MalformedPolicyDocument — its only error for a session policy it cannot use — and the packed size within its
 * limit. Only the ARNs are kept: the policies' default versions are read at each request, not copied here.
 */
export async function checkSessionPolicies(
  services: Pick<StsServices, 'managedPolicyDocument'>,
  accountId: string,
  policy: string | undefined,
  policyArns: Array<{ arn?: string }> | undefined,
  tags: Record<string, string> = {},
): Promise<{ arns: string[]; packed: number | undefined }> {
  if (policy !== undefined) checkSessionPolicy(policy);
  const arns = (policyArns ?? []).map((p) => p.arn).filter((arn): arn is string => arn !== undefined);
  for (const arn of arns) {
    if ((await services.managedPolicyDocument(accountId, arn)) === undefined)
      throw malformedPolicyDocument(`Policy ${arn} does not exist or is not attachable.`);
  }
  return { arns, packed: packedPolicySize(policy, arns, tags) };
}

/**
 * The `sts:TagSession` request of a call that passes session tags (AWS asks it of the caller's policies and the
 * role's trust policy, with the tags as `aws:RequestTag/…`, `aws:TagKeys` and `sts:TransitiveTagKeys`); none
 * when the call passes none.
 */
export function sessionTagsRequest(
  resource: string,
  resourceAccount: string | undefined,
  tags: ReadonlyArray<{ Key: string; Value: string }> | undefined,
  transitiveTagKeys: readonly string[] | undefined,
): AccessRequest[] {
  if ((tags ?? []).length === 0 && (transitiveTagKeys ?? []).length === 0) return [];
  return [
    {
      action: 'sts:TagSession',
      resource,
      ...(resourceAccount === undefined ? {} : { resourceAccount, withResourcePolicy: true }),
      context: {
        ...tagRequestContext(tags ?? []),
        ...(transitiveTagKeys === undefined ? {} : { 'sts:TransitiveTagKeys': [...transitiveTagKeys] }),
      },
    },
  ];
}

/**
 * A request's session tags, checked as AWS checks them: keys are case insensitive, so two that differ only in
 * case are refused; and in a role chain, the calling session's transitive tags (`inherited`) cannot be given
 * another value.
 */
export function checkSessionTags(
  tags: ReadonlyArray<{ Key: string; Value: string }> | undefined,
  inherited: ReadonlyArray<{ Key: string; Value: string }> = [],
): void {
  const seen = new Set<string>();
  for (const { Key } of tags ?? []) {
    if (seen.has(Key.toLowerCase())) {
      throw validationError('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    }
    seen.add(Key.toLowerCase());
  }
  for (const { Key, Value } of tags ?? []) {
    const kept = inherited.find((tag) => tag.Key.toLowerCase() === Key.toLowerCase());
    if (kept !== undefined && kept.Value !== Value) {
      throw validationError(
        `The session tag '${Key}' cannot be set: the calling session passes it on as a transitive tag.`,
      );
    }
  }
}

/** Session tags as the session keeps them, key → value, and the transitive keys that name one of them. */
function sessionTags(
  tags: ReadonlyArray<{ Key: string; Value: string }>,
  transitiveTagKeys: readonly string[],
): { tags: Record<string, string>; transitive: string[] } {
  const kept = Object.fromEntries(tags.map(({ Key, Value }) => [Key, Value]));
  return { tags: kept, transitive: [...new Set(transitiveTagKeys)].filter((key) => key in kept) };
}

export interface RoleSessionRequest {
  sessionName: string;
  durationSeconds: number;
  mfaAuthenticated: boolean;
  policy: string | undefined;
  policyArns: Array<{ arn?: string }> | undefined;
  tags?: ReadonlyArray<{ Key: string; Value: string }>;
  transitiveTagKeys?: readonly string[];
}

/** Issues credentials acting as `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
export async function issueRoleSession(
  services: StsServices,
  role: RoleForAssume,
  request: RoleSessionRequest,
): Promise<{
  Credentials: TemporaryCredentials;
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  PackedPolicySize?: number;
}> {
  const tags = sessionTags(request.tags ?? [], request.transitiveTagKeys ?? []);
  const { arns, packed } = await checkSessionPolicies(
    services,
    role.accountId,
    request.policy,
    request.policyArns,
    tags.tags,
  );
  const sessionArn = `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${request.sessionName}`;
  const assumedRoleId = `${role.roleId}:${request.sessionName}`;
  const credentials = await services.sts.issue({
    caller: {
      kind: 'assumed-role',
      accountId: role.accountId,
      arn: sessionArn,
      userId: assumedRoleId,
      name: role.name,
      roleArn: role.arn,
      sessionName: request.sessionName,
      mfaAuthenticated: request.mfaAuthenticated,
    },
    kind: 'assumed-role',
    durationSeconds: request.durationSeconds,
    sessionPolicy: request.policy,
    sessionPolicyArns: arns,
    sessionTags: tags.tags,
    transitiveTagKeys: tags.transitive,
  });
  return {
    Credentials: credentials,
    AssumedRoleUser: { AssumedRoleId: assumedRoleId, Arn: sessionArn },
    ...(packed === undefined ? {} : { PackedPolicySize: packed }),
  };
}
