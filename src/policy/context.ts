/**
 * The request context as conditions and variables see it: keys are case-insensitive, single values are
 * one-element lists, and a few global keys are derived from the principal when the request does not
 * carry them (see `deriveContextKey`).
 */
import type { ContextValue, RequestInput } from './types.js';
import type { PrincipalInfo } from './principal.js';

const TYPE_NAMES: Partial<Record<PrincipalInfo['kind'], string>> = {
  root: 'Account',
  user: 'User',
  role: 'AssumedRole',
  assumedRole: 'AssumedRole',
  federatedUser: 'FederatedUser',
  anonymous: 'Anonymous',
};

/**
 * Keys derived from the principal ARN when the request context lacks them:
 * - `aws:PrincipalArn`: the user / root / federated-user ARN; for a role session, the role ARN
 *   (`arn:aws:iam::ACCT:role/Name` — a session ARN does not carry the role's path);
 * - `aws:PrincipalAccount`: the principal's account; `aws:ResourceAccount`: `resourceAccount` or that account;
 * - `aws:PrincipalType`: `Account` | `User` | `AssumedRole` | `FederatedUser` | `Anonymous`;
 * - `aws:username`: the IAM user's name (users only, as AWS); `aws:userid`: the account id for root,
 *   `ACCOUNT:name` for a federated user (other principals' unique ids are not in their ARNs);
 * - `aws:PrincipalIsAWSService`: `true` for a service principal, else `false`;
 *   `aws:PrincipalServiceName`: the service principal.
 */
export function deriveContextKey(
  lowerKey: string,
  p: PrincipalInfo,
  resourceAccount: string | undefined,
): string | undefined {
  switch (lowerKey) {
    case 'aws:principalarn':
      if (p.kind === 'assumedRole') return p.roleArn;
      return p.kind === 'service' || p.kind === 'other' || p.kind === 'anonymous'
        ? undefined
        : p.arn.length === 12
          ? `arn:aws:iam::${p.arn}:root`
          : p.arn;
    case 'aws:principalaccount':
      return p.account;
    case 'aws:resourceaccount':
      return resourceAccount;
    case 'aws:principaltype':
      return TYPE_NAMES[p.kind];
    case 'aws:username':
      return p.kind === 'user' ? p.name : undefined;
    case 'aws:userid':
      if (p.kind === 'federatedUser') return `${p.account}:${p.name}`;
      return p.kind === 'root' ? p.account : undefined;
    case 'aws:principalisawsservice':
      return p.kind === 'service' ? 'true' : 'false';
    case 'aws:principalservicename':
      return p.kind === 'service' ? p.arn : undefined;
    default:
      return undefined;
  }
}

function valid(value: ContextValue | undefined): ContextValue | undefined {
  return typeof value === 'string' || Array.isArray(value) ? value : undefined;
}

/**
 * Finds a key in the request's own context: first as the policy spells it (the common case, no
 * allocation), then case-insensitively. Values that are neither strings nor arrays (for instance
 * inherited object members) count as absent.
 */
export function lookupRequestKey(
  context: RequestInput['context'],
  lowerKey: string,
  keyAsWritten: string,
): string | readonly string[] | undefined {
  if (context === undefined) return undefined;
  const direct = valid(context[keyAsWritten]);
  if (direct !== undefined && Object.hasOwn(context, keyAsWritten)) return direct;
  for (const key in context) {
    if (key.length === lowerKey.length && key.toLowerCase() === lowerKey && Object.hasOwn(context, key)) {
      const found = valid(context[key]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
