/**
 * Whom and what the organization's guardrails govern, as AWS Organizations documents it:
 * - SCPs limit the organization's IAM users and roles and its accounts' root users, never an AWS service
 *   principal (`cloudtrail.amazonaws.com`) nor a service-linked role ("SCPs do not affect service-linked roles");
 * - RCPs apply only to the services that support them (the "List of AWS services that support RCPs"); an IAM
 *   or Billing action is outside them.
 */

/** The services whose actions RCPs govern (lowercase service prefixes). */
const RCP_SERVICES = new Set([
  's3',
  'sts',
  'kms',
  'sqs',
  'secretsmanager',
  'ecr',
  'aoss',
  'cognito-idp',
  'cognito-identity',
  'logs',
  'dynamodb',
]);

/** Whether RCPs govern this action (by its service prefix). */
export function rcpGoverns(action: string): boolean {
  const colon = action.indexOf(':');
  return colon > 0 && RCP_SERVICES.has(action.slice(0, colon).toLowerCase());
}

const SERVICE_LINKED_ROLE = /^arn:[^:]+:iam::\d{12}:role\/aws-service-role\//;

/**
 * Whether SCPs govern a principal of this kind and ARN: not an anonymous caller, an AWS service, nor a
 * service-linked role. (A session's ARN does not carry its role's path, so a service-linked role's session is
 * governed as any role session.)
 */
export function scpGoverns(kind: string, arn: string): boolean {
  return kind !== 'anonymous' && kind !== 'service' && !SERVICE_LINKED_ROLE.test(arn);
}
