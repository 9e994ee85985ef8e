/**
 * Session policies passed to AssumeRole…, GetFederationToken: the inline `Policy` checked as STS checks it,
 * its managed `PolicyArns`, and the packed size AWS reports (a percentage of the space a session token
 * allows; over 100 is refused).
 */
import { compilePolicy } from '../../policy/index.js';
import { malformedPolicyDocument } from '../errors.js';
import { packedPolicyTooLarge } from './errors.js';

/** The packed size's stand-in: the policy without white space, plus the ARNs, against 2,048 characters. */
const PACKED_SPACE = 2048;

/** Checks an inline session policy: JSON the engine compiles, else STS's MalformedPolicyDocument. */
export function checkSessionPolicy(policy: string): void {
  try {
    JSON.parse(policy);
  } catch {
    throw malformedPolicyDocument('The policy is not in the valid JSON format.');
  }
  const compiled = compilePolicy(policy, { policyType: 'session', policyId: 'Policy' });
  if (!compiled.ok) throw malformedPolicyDocument(compiled.errors.join('; '));
}

/** The PackedPolicySize to answer (undefined with no session policy); PackedPolicyTooLarge over 100 %. */
export function packedPolicySize(policy: string | undefined, arns: readonly string[]): number | undefined {
  if (policy === undefined && arns.length === 0) return undefined;
  const size = (policy?.replace(/\s+/g, '').length ?? 0) + arns.join('').length;
  const percent = Math.ceil((size / PACKED_SPACE) * 100);
  if (percent > 100) throw packedPolicyTooLarge(percent);
  return percent;
}

/**
 * One session policy document holding the statements of the inline policy and of each managed policy: a
 * session's permissions are the union of its session policies (then intersected with the identity's).
 * With none at all, the document has no statement, so it allows nothing (GetFederationToken's rule).
 */
export function mergedSessionPolicy(documents: readonly string[]): string {
  const statements = documents.flatMap((text) => {
    const statement = (JSON.parse(text) as { Statement?: unknown }).Statement;
    return statement === undefined ? [] : Array.isArray(statement) ? (statement as unknown[]) : [statement];
  });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
