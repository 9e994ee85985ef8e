/**
 * Encoded authorization messages: a policy denial invoke() decides for a signed caller carries one (the API
 * answers it in the `x-bursar-encoded-authorization-message` header, the console in its error's
 * `encodedMessage`; the denial's text stays AWS's). It is AWS's DecodedMessage JSON — the decision, the
 * statements that decided, and the request's principal, action, resource and condition keys — sealed with
 * the server's master key so that only STS DecodeAuthorizationMessage, called from the same account, reads it.
 */
import { invalidAuthorizationMessage } from '../iam/sts/errors.js';
import type { Caller } from '../core/operation.js';
import type { ContextValue, EvaluationResult } from '../policy/types.js';
import { isSealed, SecretUnreadableError, type SecretBox } from '../platform/secrets.js';

/** The associated data every message is sealed under: no other sealed value opens as a message. */
const CONTEXT = 'sts:authorization-message';

/** What one denial was about. */
export interface DeniedRequest {
  action: string;
  resource: string;
  context: Record<string, ContextValue>;
}

const items = <T>(list: readonly T[]) => ({ items: list });

function decodedMessage(caller: Caller, request: DeniedRequest, result: EvaluationResult): string {
  return JSON.stringify({
    allowed: false,
    explicitDeny: result.decision === 'ExplicitlyDenied',
    matchedStatements: items(
      result.matched.map((ref) => ({
        statementId: ref.sid ?? '',
        effect: ref.effect.toUpperCase(),
        policyType: ref.policyType,
        policyId: ref.policyId,
        statementIndex: ref.index,
      })),
    ),
    failures: items([]),
    context: {
      principal: { id: caller.userId, ...(caller.name === undefined ? {} : { name: caller.name }), arn: caller.arn },
      action: request.action,
      resource: request.resource,
      conditions: items(
        Object.entries(request.context).map(([key, value]) => ({
          key,
          values: items((Array.isArray(value) ? value : [value]).map((v) => ({ value: String(v) }))),
        })),
      ),
    },
  });
}

const invalidMessage = () => invalidAuthorizationMessage('The specified encoded message is invalid.');

export class AuthorizationMessages {
  constructor(private readonly box: SecretBox) {}

  /** The opaque message for a denial of `caller`'s request. */
  encode(caller: Caller, request: DeniedRequest, result: EvaluationResult): string {
    const sealed = { account: caller.accountId, message: decodedMessage(caller, request, result) };
    return this.box.seal(JSON.stringify(sealed), CONTEXT);
  }

  /** The DecodedMessage JSON, for a caller of the account the message was issued in. */
  decode(encoded: string, accountId: string): string {
    // An unsealed string would "open" as itself: only sealed ones are messages.
    if (!isSealed(encoded)) throw invalidMessage();
    let opened: { account?: unknown; message?: unknown };
    try {
      opened = JSON.parse(this.box.open(encoded, CONTEXT)) as typeof opened;
    } catch (error) {
      if (error instanceof SecretUnreadableError || error instanceof SyntaxError) throw invalidMessage();
      throw error;
    }
    if (opened.account !== accountId || typeof opened.message !== 'string') throw invalidMessage();
    return opened.message;
  }
}
