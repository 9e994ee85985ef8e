/**
 * Who is asking: the request's principal string read into its kind and account, and the matching of
 * a statement's Principal / NotPrincipal against it.
 */
import type { PrincipalDocument } from './document.js';

export type PrincipalKind = 'root' | 'user' | 'role' | 'assumedRole' | 'federatedUser' | 'service' | 'other';

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
 * - `direct`: the requester itself (its exact ARN, or `*`);
 * - `role`: a role session through its role's ARN — within the account AWS still applies the role's
 *   permissions boundary and session policy;
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

function roleEntryMatches(entry: string, p: PrincipalInfo): boolean {
  const m = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(entry);
  return m !== null && m[1] === p.account && m[2] === p.name;
}

/** How one AWS-type entry matches the requester. */
function matchAwsEntry(entry: string, p: PrincipalInfo): PrincipalMatch {
  if (entry === '*' || entry === p.arn) return 'direct';
  const account = accountEntry(entry);
  if (account !== undefined) return account === p.account ? 'account' : 'none';
  if (p.kind === 'assumedRole' && roleEntryMatches(entry, p)) return 'role';
  return 'none';
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
 * NotPrincipal: AWS excludes a requester only when every identity in its chain is listed — the account
 * for users and sessions, plus the role for a role session ("you must also include the account ARN",
 * AWS JSON policy elements: NotPrincipal). Returns true when the statement applies (not excluded).
 */
export function matchNotPrincipal(doc: PrincipalDocument, p: PrincipalInfo): boolean {
  if (doc.any) return false;
  const listed = (arn: string): boolean => doc.aws.includes(arn);
  const accountListed =
    p.account !== undefined && doc.aws.some((entry) => entry !== '*' && accountEntry(entry) === p.account);
  switch (p.kind) {
    case 'root':
      return !accountListed;
    case 'user':
    case 'role':
    case 'federatedUser':
      return !(listed(p.arn) && accountListed);
    case 'assumedRole':
      return !(listed(p.arn) && accountListed && doc.aws.some((entry) => roleEntryMatches(entry, p)));
    case 'service':
      return !doc.service.includes(p.arn);
    default:
      return !(listed(p.arn) || doc.federated.includes(p.arn) || doc.canonicalUser.includes(p.arn));
  }
}
