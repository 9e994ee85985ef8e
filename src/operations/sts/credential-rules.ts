/**
 * What a caller's kind of credentials rules out whatever its policies say, as AWS's STS documents it. Run by
 * invoke() before any policy is asked (an AccountRule), so every protocol meets it and the audit records it.
 *
 * - Credentials from GetSessionToken without MFA cannot call IAM ("You cannot call any IAM API operations
 *   unless MFA authentication information is included in the request"); from GetFederationToken, never ("You
 *   cannot call any IAM operations using the AWS CLI or the AWS API"). Either would otherwise mint long-term
 *   keys that outlive the session. AWS answers InvalidClientTokenId. Console sessions carry no access key and
 *   are not limited, as at AWS.
 */
import { invalidClientTokenId } from '../../auth/sigv4.js';
import type { AccountRule } from '../../core/access.js';
import type { Caller } from '../../core/operation.js';

/** Whether the caller signed with temporary credentials that may not call IAM. */
function barredFromIam(caller: Caller): boolean {
  if (caller.accessKeyId === undefined || !caller.accessKeyId.startsWith('ASIA')) return false;
  if (caller.kind === 'federated-user') return true;
  return (caller.kind === 'user' || caller.kind === 'root') && caller.mfaAuthenticated !== true;
}

export const stsCredentialRules: AccountRule = async ({ caller, operation, plan }) => {
  if (operation.service === 'iam' && barredFromIam(caller)) {
    // The same answer as a token the server does not know.
    const { code, message } = invalidClientTokenId();
    return { ...plan, refusedByRule: { code, message, decision: 'ExplicitlyDenied' } };
  }
  return plan;
};
