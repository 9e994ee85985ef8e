/**
 * One sentence for a decision, in AWS's access-denied wording:
 * `User: ARN is not authorized to perform: ACTION on resource: RESOURCE because no identity-based policy
 * allows the ACTION action` / `… with an explicit deny in a service control policy`.
 * The sentence names the first policy type in `blockedBy` (AWS's evaluation order).
 */
import type { EvaluationResult, PolicyType, RequestInput } from './types.js';

const WITH_ARTICLE: Record<PolicyType, string> = {
  identity: 'an identity-based policy',
  resource: 'a resource-based policy',
  permissionBoundary: 'a permissions boundary',
  session: 'a session policy',
  scp: 'a service control policy',
  rcp: 'a resource control policy',
};

const NO_ARTICLE: Record<PolicyType, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  permissionBoundary: 'permissions boundary',
  session: 'session policy',
  scp: 'service control policy',
  rcp: 'resource control policy',
};

export function explain(
  result: Pick<EvaluationResult, 'decision' | 'blockedBy' | 'serviceRule'>,
  request: Pick<RequestInput, 'principal' | 'action' | 'resource'>,
): string {
  const subject = `User: ${request.principal}`;
  const what = `perform: ${request.action} on resource: ${request.resource}`;
  if (result.decision === 'Allowed') return `${subject} is authorized to ${what}`;
  if (result.serviceRule !== undefined) return `${subject} is not authorized to ${what} because ${result.serviceRule}`;
  const type = result.blockedBy[0] ?? 'identity';
  if (result.decision === 'ExplicitlyDenied') {
    return `${subject} is not authorized to ${what} with an explicit deny in ${WITH_ARTICLE[type]}`;
  }
  return `${subject} is not authorized to ${what} because no ${NO_ARTICLE[type]} allows the ${request.action} action`;
}
