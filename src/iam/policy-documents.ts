/**
 * Checks a policy document before it is stored, refusing exactly what IAM's API refuses, in IAM's codes and
 * wording (the validator's `iamPolicyDocumentError`: MalformedPolicyDocument, LimitExceeded for size
 * quotas). Access Analyzer-only findings (an unknown action, say) do not stop IAM, so they do not stop us.
 * The engine must also be able to compile what is stored, so resolution never meets a bad document later.
 * Documents are stored as the plain JSON text given (no URL-encoding); see the wire note in index.ts.
 */
import { limitExceeded, malformedPolicyDocument } from './errors.js';
import { compilePolicy } from '../policy/index.js';
import type { PolicyType } from '../policy/types.js';
import { iamPolicyDocumentError, type IamPolicyKind } from '../policy/validate-iam-error.js';

const ENGINE_TYPE: Partial<Record<IamPolicyKind, PolicyType>> = { trust: 'resource' };

export function checkPolicyDocument(
  text: string,
  kind: IamPolicyKind,
  field = 'policyDocument',
  entityName?: string,
): string {
  const error = iamPolicyDocumentError(text, kind, entityName);
  if (error)
    throw error.code === 'LimitExceeded' ? limitExceeded(error.message) : malformedPolicyDocument(error.message);
  const compiled = compilePolicy(text, { policyType: ENGINE_TYPE[kind] ?? 'identity', policyId: field });
  if (!compiled.ok) throw malformedPolicyDocument(compiled.errors.join('; '));
  return text;
}
