/**
 * The command line's and the corpus's entry point: one raw case (request + uncompiled documents) →
 * a result with every matching statement. Policy ids name where a document sits in the case:
 * `identity[0]`, `resource`, `permissionBoundary`, `session`, `scps[1][0]`, `rcps[0][2]`.
 * A malformed case or document throws `PolicyCaseError` (the command line prints its message as
 * `{"error": "..."}`); evaluation itself never throws.
 */
import { compilePolicy, type CompiledPolicy } from './compile.js';
import { evaluate } from './evaluate.js';
import { createPolicySet } from './policy-set.js';
import type { EvaluationCase, EvaluationResult, PolicyType, RequestInput } from './types.js';

export class PolicyCaseError extends Error {
  override name = 'PolicyCaseError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkRequest(value: unknown): RequestInput {
  if (!isRecord(value)) throw new PolicyCaseError('request: must be an object');
  for (const field of ['principal', 'action', 'resource'] as const) {
    if (typeof value[field] !== 'string') throw new PolicyCaseError(`request.${field}: must be a string`);
  }
  if (value.resourceAccount !== undefined && typeof value.resourceAccount !== 'string') {
    throw new PolicyCaseError('request.resourceAccount: must be a string');
  }
  if (value.context !== undefined) {
    if (!isRecord(value.context)) throw new PolicyCaseError('request.context: must be an object');
    for (const [key, v] of Object.entries(value.context)) {
      const ok = typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
      if (!ok) throw new PolicyCaseError(`request.context.${key}: must be a string or an array of strings`);
    }
  }
  return value as unknown as RequestInput;
}

function compileOne(document: unknown, policyType: PolicyType, policyId: string): CompiledPolicy {
  const result = compilePolicy(document, { policyType, policyId });
  if (!result.ok) throw new PolicyCaseError(result.errors.join('; '));
  return result.policy;
}

function levels(value: unknown, name: 'scps' | 'rcps', type: PolicyType): CompiledPolicy[][] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every(Array.isArray)) {
    throw new PolicyCaseError(`policies.${name}: must be an array of arrays (one per organization level)`);
  }
  return (value as unknown[][]).map((level, i) => level.map((doc, j) => compileOne(doc, type, `${name}[${i}][${j}]`)));
}

export function evaluateCase(c: EvaluationCase): EvaluationResult {
  if (!isRecord(c)) throw new PolicyCaseError('a case must be an object with `request` and `policies`');
  const request = checkRequest(c.request);
  const policies: unknown = c.policies;
  if (!isRecord(policies)) throw new PolicyCaseError('policies: must be an object');
  const identity = policies.identity ?? [];
  if (!Array.isArray(identity)) throw new PolicyCaseError('policies.identity: must be an array of documents');
  const optional = (name: 'resource' | 'permissionBoundary' | 'session'): CompiledPolicy | undefined =>
    policies[name] === undefined ? undefined : compileOne(policies[name], name, name);
  const set = createPolicySet({
    identity: identity.map((doc, i) => compileOne(doc, 'identity', `identity[${i}]`)),
    resource: optional('resource'),
    permissionBoundary: optional('permissionBoundary'),
    session: policies.session === undefined ? undefined : [compileOne(policies.session, 'session', 'session')],
    scps: levels(policies.scps, 'scps', 'scp'),
    rcps: levels(policies.rcps, 'rcps', 'rcp'),
  });
  return evaluate(request, set, { allMatches: true });
}
