/**
 * Session policies passed to AssumeRole…, GetFederationToken: the inline `Policy` checked as STS checks it,
 * and the packed size of it and the managed `PolicyArns` that AWS reports (a percentage of the space a session token
 * allows; over 100 is refused).
 */
import { compilePolicy } from '../../policy/index.js';
import { malformedPolicyDocument } from '../errors.js';
import { packedPolicyTooLarge } from './errors.js';

/** The packed size's stand-in: the policy without white space, the ARNs and the session tags, against 2,048 characters. */
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
export function packedPolicySize(
  policy: string | undefined,
  arns: readonly string[],
  tags: Record<string, string> = {},
): number | undefined {
  const tagText = Object.entries(tags).flat().join('');
  if (policy === undefined && arns.length === 0 && tagText === '') return undefined;
  const size = (policy?.replace(/\s+/g, '').length ?? 0) + arns.join('').length + tagText.length;
  const percent = Math.ceil((size / PACKED_SPACE) * 100);
  if (percent > 100) throw packedPolicyTooLarge(percent);
  return percent;
}
