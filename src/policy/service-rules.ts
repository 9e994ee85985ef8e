/**
 * Rules AWS's services enforce above any policy, decided here so that every caller of `evaluate` — the
 * server's authorize() choke point, SimulatePrincipalPolicy / SimulateCustomPolicy and `bursar policy
 * evaluate` — answers the same (see README.md, "Service rules"). Each rule is found once per action (the
 * action plan keeps it); only the resource test runs per request.
 */

export type ServiceRule =
  /** The action needs no permission and no policy can deny it. */
  | { kind: 'alwaysAllowed' }
  /** The resources it protects cannot be changed by anyone, whatever the policies say. */
  | { kind: 'protected'; protects: (resource: string) => boolean; reason: string }
  /**
   * On the resources it covers, the resource's own policy (trust policy, key policy) must allow: an
   * identity-based policy counts only when that policy delegates to the account.
   */
  | { kind: 'resourcePolicyRequired'; covers: (resource: string) => boolean };

const AWS_MANAGED_POLICY = /^arn:[^:]+:iam::aws:policy\//;
const SERVICE_OR_RESERVED_ROLE = /^arn:[^:]+:iam::\d{12}:role\/(aws-service-role|aws-reserved)\//;
const KMS_KEY = /^arn:[^:]+:kms:[^:]*:\d{12}:key\//;
const AWS_MANAGED_KMS_ALIAS = /^arn:[^:]+:kms:[^:]*:\d{12}:alias\/aws\//;

const always: ServiceRule = { kind: 'alwaysAllowed' };
const awsManagedPolicy: ServiceRule = {
  kind: 'protected',
  protects: (resource) => AWS_MANAGED_POLICY.test(resource),
  reason: 'AWS managed policies cannot be changed',
};
/** Whether a role is AWS's own: service-linked (`/aws-service-role/`) or reserved (`/aws-reserved/`). */
export const isAwsOwnedRole = (roleArn: string): boolean => SERVICE_OR_RESERVED_ROLE.test(roleArn);

const serviceOrReservedRole: ServiceRule = {
  kind: 'protected',
  protects: isAwsOwnedRole,
  reason: 'service-linked and AWS reserved roles are only modifiable by AWS',
};
const awsManagedAlias: ServiceRule = {
  kind: 'protected',
  protects: (resource) => AWS_MANAGED_KMS_ALIAS.test(resource),
  reason: 'aliases that begin with alias/aws/ are reserved for AWS managed keys',
};
const trustPolicy: ServiceRule = { kind: 'resourcePolicyRequired', covers: () => true };
const keyPolicy: ServiceRule = { kind: 'resourcePolicyRequired', covers: (resource) => KMS_KEY.test(resource) };

/** Lowercase action → its rules. Every kms action is also under the key-policy rule (see `serviceRulesFor`). */
const RULES = new Map<string, readonly ServiceRule[]>([
  ['sts:getcalleridentity', [always]],
  ...[
    'iam:createpolicyversion',
    'iam:deletepolicy',
    'iam:deletepolicyversion',
    'iam:setdefaultpolicyversion',
    'iam:tagpolicy',
    'iam:untagpolicy',
  ].map((action): [string, ServiceRule[]] => [action, [awsManagedPolicy]]),
  ...[
    // Left out: UpdateRoleDescription and UpdateRole (AWS lets an account edit a service-linked role's
    // description; UpdateRole's handler refuses the rest), TagRole and UntagRole ("The role can be a regular role
    // or a service-linked role").
    'iam:deleterole',
    'iam:updateassumerolepolicy',
    'iam:putrolepolicy',
    'iam:deleterolepolicy',
    'iam:attachrolepolicy',
    'iam:detachrolepolicy',
    'iam:putrolepermissionsboundary',
    'iam:deleterolepermissionsboundary',
  ].map((action): [string, ServiceRule[]] => [action, [serviceOrReservedRole]]),
  ...['kms:createalias', 'kms:updatealias', 'kms:deletealias'].map((action): [string, ServiceRule[]] => [
    action,
    [awsManagedAlias, keyPolicy],
  ]),
  ...['sts:assumerole', 'sts:assumerolewithsaml', 'sts:assumerolewithwebidentity'].map(
    (action): [string, ServiceRule[]] => [action, [trustPolicy]],
  ),
]);
const KEY_POLICY_ONLY: readonly ServiceRule[] = [keyPolicy];
const NONE: readonly ServiceRule[] = [];

/** The service rules for an action (as asked; matched case-insensitively); usually none. */
export function serviceRulesFor(action: string): readonly ServiceRule[] {
  const lower = action.toLowerCase();
  return RULES.get(lower) ?? (lower.startsWith('kms:') ? KEY_POLICY_ONLY : NONE);
}
