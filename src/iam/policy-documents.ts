/**
 * Checks a policy document before it is stored: the Catalog engineer's validator decides (its first ERROR
 * becomes AWS's MalformedPolicyDocument), after the size quotas AWS enforces with LimitExceeded.
 * Documents are stored as the plain JSON text given (no URL-encoding); see the wire note in index.ts.
 */
import { limitExceeded, malformedPolicyDocument } from '../operations/errors.js';
import type { CatalogView, PolicyKind } from '../policy/validate.js';
import { validatePolicy } from '../policy/validate.js';
import { requireString } from './validation.js';

/** AWS's size quotas in characters, whitespace not counted. */
const SIZE_LIMITS: Partial<Record<PolicyKind, { quota: string; limit: number }>> = {
  managed: { quota: 'PolicySize', limit: 6144 },
  'inline-user': { quota: 'UserPolicySize', limit: 2048 },
  'inline-group': { quota: 'GroupPolicySize', limit: 5120 },
  'inline-role': { quota: 'RolePolicySize', limit: 10240 },
  trust: { quota: 'AssumeRolePolicySize', limit: 2048 },
};

export function checkPolicyDocument(
  value: unknown,
  kind: PolicyKind,
  catalog?: CatalogView,
  field = 'policyDocument',
): string {
  const text = requireString(value, field);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformedPolicyDocument('Syntax errors in policy.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformedPolicyDocument('Syntax errors in policy.');
  }
  const size = SIZE_LIMITS[kind];
  if (size && text.replace(/\s/g, '').length > size.limit) {
    throw limitExceeded(`Cannot exceed quota for ${size.quota}: ${size.limit}`);
  }
  const error = validatePolicy(text, kind, catalog).find((f) => f.findingType === 'ERROR');
  if (error) throw malformedPolicyDocument(error.findingDetails);
  const structural = structuralProblem(parsed as Record<string, unknown>, kind);
  if (structural) throw malformedPolicyDocument(structural);
  return text;
}

/** The few structural rules IAM applies whatever the validator knows, worded as IAM words them. */
function structuralProblem(doc: Record<string, unknown>, kind: PolicyKind): string | undefined {
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') {
    return 'The policy failed legacy parsing';
  }
  const statements = Array.isArray(doc.Statement)
    ? doc.Statement
    : doc.Statement !== undefined
      ? [doc.Statement]
      : undefined;
  if (!statements || statements.length === 0) return 'Syntax errors in policy.';
  for (const raw of statements) {
    if (typeof raw !== 'object' || raw === null) return 'Syntax errors in policy.';
    const s = raw as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return 'Missing required field Effect';
    if (s.Action === undefined && s.NotAction === undefined) return 'Missing required field Action';
    const needsPrincipal = kind === 'trust' || kind === 'resource';
    if (needsPrincipal && s.Principal === undefined && s.NotPrincipal === undefined)
      return 'Missing required field Principal';
    if (!needsPrincipal && (s.Principal !== undefined || s.NotPrincipal !== undefined))
      return 'Has prohibited field Principal';
    if (
      kind !== 'trust' &&
      kind !== 'scp' &&
      kind !== 'rcp' &&
      s.Resource === undefined &&
      s.NotResource === undefined
    ) {
      return 'Missing required field Resource';
    }
  }
  return undefined;
}
