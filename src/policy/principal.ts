/**
 * Who is asking: the request's principal string read into its kind and account, and the matching of
 * a statement's Principal / NotPrincipal against it.
 */
import type { PrincipalDocument } from './document.js';

export type PrincipalKind =
  'root' | 'user' | 'role' | 'assumedRole' | 'federatedUser' | 'service' | 'anonymous' | 'other';

/** How a request made without credentials names its principal (S3's and other services' anonymous access). */
export const ANONYMOUS = 'anonymous';

export interface PrincipalInfo {
  /** The principal exactly as the request names it. */
  arn: string;
  kind: PrincipalKind;
  account?: string;
  partition?: string;
  /** IAM user name (user) or role name (role, assumedRole), without path. */
  name?: string;
  /** For an assumed-role session: the role's ARN (without path, which the session ARN does not carry). */
  roleArn?: string;
  /** Context keys derived from this principal, filled in as evaluation asks (null: none). */
  derived?: Map<string, string | null>;
}

const ACCOUNT_ID = /^\d{12}$/;
const IAM_ARN = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/;

export function parsePrincipal(principal: string): PrincipalInfo {
  if (ACCOUNT_ID.test(principal)) return { arn: principal, kind: 'root', account: principal, partition: 'aws' };
  if (principal === ANONYMOUS) return { arn: principal, kind: 'anonymous' };
  const m = IAM_ARN.exec(principal);
  if (m === null) {
    return { arn: principal, kind: /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(principal) ? 'service' : 'other' };
  }
  const [, partition, service, account, resource] = m as unknown as [string, string, string, string, string];
  const base = { arn: principal, account, partition };
  if (service === 'iam') {
    if (resource === 'root') return { ...base, kind: 'root' };
    const slash = resource.indexOf('/');
    const type = slash < 0 ? resource : resource.slice(0, slash);
    const name = resource.slice(resource.lastIndexOf('/') + 1);
    if (type === 'user' && slash > 0) return { ...base, kind: 'user', name };
    if (type === 'role' && slash > 0) return { ...base, kind: 'role', name };
    return { ...base, kind: 'other' };
  }
  const parts = resource.split('/');
  if (parts[0] === 'assumed-role' && parts.length >= 3) {
    const roleName = parts[1] as string;
    return {
      ...base,
      kind: 'assumedRole',
      name: roleName,
      roleArn: `arn:${partition}:iam::${account}:role/${roleName}`,
    };
  }
  if (parts[0] === 'federated-user' && parts.length >= 2) return { ...base, kind: 'federatedUser', name: parts[1] };
  return { ...base, kind: 'other' };
}

/**
 * How a Principal entry named the requester, strongest first:
 * - `direct`: the requester itself (an IAM user's, a role session's or a federated user's exact ARN, or `*`);
 * - `role`: a role's ARN, naming the role itself or a session of it — within the account AWS still applies
 *   the role's permissions boundary and session policy ("Resource-based policies for IAM roles" on the
 *   permissions boundaries page: only a grant to the *session* ARN is direct);
 * - `account`: through its account (id or `:root`) — that delegates to the account, whose identity-based
 *   policies must then allow too (AWS JSON policy elements: Principal, "AWS account principals").
 */
export type PrincipalMatch = 'none' | 'direct' | 'role' | 'account';

const STRENGTH: Record<PrincipalMatch, number> = { none: 0, account: 1, role: 2, direct: 3 };

export function strongerMatch(a: PrincipalMatch, b: PrincipalMatch): PrincipalMatch {
  return STRENGTH[a] >= STRENGTH[b] ? a : b;
}

function accountEntry(entry: string): string | undefined {
  if (ACCOUNT_ID.test(entry)) return entry;
  const m = /^arn:[^:]+:iam::(\d{12}):root$/.exec(entry);
  return m === null ? undefined : m[1];
}

/** Whether the entry is the ARN (any path) of the requester's role: a role itself, or a session of it. */
function roleEntryMatches(entry: string, p: PrincipalInfo): boolean {
  if (p.kind !== 'role' && p.kind !== 'assumedRole') return false;
  const m = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(entry);
  return m !== null && m[1] === p.account && m[2] === p.name;
}

/** How one AWS-type entry matches the requester. */
function matchAwsEntry(entry: string, p: PrincipalInfo): PrincipalMatch {
  if (entry === '*') return 'direct';
  if (entry === p.arn) return p.kind === 'role' ? 'role' : 'direct';
  const account = accountEntry(entry);
  if (account !== undefined) return account === p.account ? 'account' : 'none';
  return roleEntryMatches(entry, p) ? 'role' : 'none';
}

/** Principal element: the strongest match over its entries. */
export function matchPrincipal(doc: PrincipalDocument, p: PrincipalInfo): PrincipalMatch {
  if (doc.any) return 'direct';
  let best: PrincipalMatch = 'none';
  for (const entry of doc.aws) {
    const m = matchAwsEntry(entry, p);
    if (m === 'direct') return m;
    best = strongerMatch(best, m);
  }
  if (p.kind === 'service' && doc.service.includes(p.arn)) return 'direct';
  if (doc.federated.includes(p.arn) || doc.canonicalUser.includes(p.arn)) return 'direct';
  return best;
}

/**
 * NotPrincipal: whether the statement applies to the requester (true) or the requester is excluded.
 * - With `Deny`, AWS excludes a requester only when every identity in its chain is listed: its own ARN,
 *   for a role session also its role, and — when the resource is in another account — its account
 *   ("you must also include the account ARN", AWS JSON policy elements: NotPrincipal). Within the
 *   resource's own account, naming the principal itself is enough not to deny it.
 * - With `Allow`, the statement must never grant a principal it names: any identity of the chain listed
 *   (its ARN, its role, its account) excludes the requester.
 */
export function matchNotPrincipal(
  doc: PrincipalDocument,
  p: PrincipalInfo,
  effect: 'Allow' | 'Deny',
  sameAccount: boolean,
): boolean {
  if (doc.any) return false;
  const listed = (arn: string): boolean => doc.aws.includes(arn);
  const accountListed =
    p.account !== undefined && doc.aws.some((entry) => entry !== '*' && accountEntry(entry) === p.account);
  const roleListed = p.kind === 'assumedRole' && doc.aws.some((entry) => roleEntryMatches(entry, p));
  if (effect === 'Allow') {
    const named =
      listed(p.arn) ||
      accountListed ||
      roleListed ||
      doc.service.includes(p.arn) ||
      doc.federated.includes(p.arn) ||
      doc.canonicalUser.includes(p.arn);
    return !named;
  }
  const accountCleared = accountListed || sameAccount;
  switch (p.kind) {
    case 'root':
      return !accountListed;
    case 'user':
    case 'role':
    case 'federatedUser':
      return !(listed(p.arn) && accountCleared);
    case 'assumedRole':
      return !(listed(p.arn) && accountCleared && roleListed);
    case 'service':
      return !doc.service.includes(p.arn);
    default:
      return !(listed(p.arn) || doc.federated.includes(p.arn) || doc.canonicalUser.includes(p.arn));
  }
}
