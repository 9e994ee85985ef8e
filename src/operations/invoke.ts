/**
 * invoke(): the single choke point every protocol adapter and the console call. It finds the operation,
 * normalises and validates its input against AWS's model, asks the account rules and the policy engine
 * about each access the operation declares, refuses with AWS's AccessDenied wording, runs the handler,
 * and writes the audit event (every state change, every denial).
 */
import { decodeJsonInput } from '../models/json/codec.js';
import { ownEntry, type ServiceModel } from '../models/model.js';
import { ModelValidationError, validateInput } from '../models/validate.js';
import type { Logger } from '../platform/logger.js';
import type { ContextValue, Decision, EvaluationResult, RequestInput } from '../policy/types.js';
import type { AccessPlan, AccountRule, Authority, EdgeFacts, Evaluator } from '../core/access.js';
import type { AuditInput, AuditTrail } from '../audit/trail.js';
import { ServiceError } from '../core/errors.js';
import { declaredAccess, type OperationRegistry } from './registry.js';
import type { AuthorizationMessages } from './authorization-messages.js';
import type {
  AccessRequest,
  AnyOperation,
  AuditAddition,
  Caller,
  OperationContext,
  RequestFacts,
} from '../core/operation.js';

export type Invoke = (
  caller: Caller,
  facts: RequestFacts,
  service: string,
  operationName: string,
  input: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/**
 * Puts access requests to the Authority with the global condition keys filled in: the one engine call
 * behind invoke() (and behind the console's questions about what a page would allow).
 */
export function createEvaluator(authority: Authority, defaultRegion: string): Evaluator {
  return async (caller, facts, requests) => {
    if (requests.length === 0) return [];
    const tags = authority.principalTags === undefined ? {} : await authority.principalTags(caller);
    const base = requestContext(caller, facts, tags, defaultRegion);
    const results: EvaluationResult[] = [];
    for (const request of requests) {
      const input: RequestInput = {
        principal: request.principal ?? caller.arn,
        action: request.action,
        resource: request.resource,
        ...(request.resourceAccount === undefined ? {} : { resourceAccount: request.resourceAccount }),
        context: request.context === undefined ? base : { ...base, ...request.context },
      };
      const options = request.withResourcePolicy === true ? { withResourcePolicy: true } : undefined;
      results.push(await authority.evaluate(caller, input, options));
    }
    return results;
  };
}

export interface InvokeDeps<Services> {
  registry: OperationRegistry<Services>;
  services: Services;
  authority: Authority;
  audit: AuditTrail;
  models: Record<string, ServiceModel>;
  logger: Logger;
  accountRules?: AccountRule[];
  /** The region IAM and other global services report (aws:RequestedRegion when the scope has none). */
  defaultRegion?: string;
  /** Seals the encoded authorization message a policy denial carries (STS DecodeAuthorizationMessage). */
  authorizationMessages?: AuthorizationMessages;
}

const PRINCIPAL_TYPE: Record<Exclude<Caller['kind'], 'anonymous'>, string> = {
  root: 'Account',
  user: 'User',
  'assumed-role': 'AssumedRole',
  'federated-user': 'FederatedUser',
};

/** The global condition keys AWS fills for every request. */
export function requestContext(
  caller: Caller,
  facts: EdgeFacts,
  tags: Record<string, string>,
  defaultRegion: string,
): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {
    'aws:SourceIp': facts.sourceIp,
    'aws:CurrentTime': facts.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(facts.now.getTime() / 1000)),
    'aws:SecureTransport': facts.secureTransport === true ? 'true' : 'false',
    'aws:RequestedRegion': facts.region ?? defaultRegion,
    'aws:UserAgent': facts.userAgent,
  };
  // An unsigned call has no principal of its own: its operation names the federated one (AccessRequest.principal).
  if (caller.kind === 'anonymous') return context;
  Object.assign(context, {
    'aws:userid': caller.userId,
    'aws:PrincipalArn': caller.kind === 'assumed-role' && caller.roleArn !== undefined ? caller.roleArn : caller.arn,
    'aws:PrincipalAccount': caller.accountId,
    'aws:PrincipalType': PRINCIPAL_TYPE[caller.kind],
  });
  if (caller.kind === 'user' && caller.name !== undefined) context['aws:username'] = caller.name;
  // AWS sets MultiFactorAuthPresent only for temporary credentials and console sessions, never for long-term keys.
  const longTermKey = caller.accessKeyId?.startsWith('AKIA') ?? false;
  if (!longTermKey) context['aws:MultiFactorAuthPresent'] = caller.mfaAuthenticated === true ? 'true' : 'false';
  if (caller.accessKeyId !== undefined && !longTermKey) context['aws:ViaAWSService'] = 'false';
  for (const [key, value] of Object.entries(tags)) context[`aws:PrincipalTag/${key}`] = value;
  return context;
}

/** AWS's AccessDenied wording: `User: <arn> is not authorized to perform: <action> on resource: <arn> because …`. */
export function denialMessage(caller: Caller, request: AccessRequest, result: EvaluationResult): string {
  // A federated principal is told no more than AWS tells it (AssumeRoleWithWebIdentity's refusal).
  if (request.principal !== undefined) return `Not authorized to perform ${request.action}`;
  const head = `User: ${caller.arn} is not authorized to perform: ${request.action} on resource: ${request.resource}`;
  const explanation = result.explanation.trim();
  if (explanation.startsWith('User: ')) return explanation;
  if (explanation === '') {
    return result.decision === 'ExplicitlyDenied'
      ? `${head} with an explicit deny`
      : `${head} because no identity-based policy allows the ${request.action} action`;
  }
  if (/^(because|with) /.test(explanation)) return `${head} ${explanation}`;
  return `${head} because ${explanation.charAt(0).toLowerCase()}${explanation.slice(1)}`;
}

/** An AccessDenied that knows which decision it reports (for the audit). */
export class AccessDeniedError extends ServiceError {
  constructor(
    message: string,
    readonly decision: Exclude<Decision, 'Allowed'>,
    code = 'AccessDenied',
    /** A service's own status for the code (Budgets' 400); else HTTP_STATUS's. */
    status?: number,
  ) {
    super(code, message, status);
  }

  /** For a policy denial of a signed caller: the sealed message DecodeAuthorizationMessage reads. */
  encodedMessage?: string;
}

function errorFields(error: unknown): { code: string; message: string } {
  if (error instanceof ServiceError) return { code: error.code, message: error.message };
  return { code: 'InternalFailure', message: error instanceof Error ? error.message : String(error) };
}

/** What the audit event of one call records besides its outcome. */
interface AuditedCall {
  caller: Caller;
  facts: RequestFacts;
  service: string;
  operationName: string;
  input: Record<string, unknown>;
  readOnly: boolean;
  /** The actions the call's authorization asked about (absent when the operation needs no permission). */
  actions?: string[];
  /** What the operation added to its event (AuditAddition). */
  addition?: AuditAddition;
}

function auditEntry(
  call: AuditedCall,
  decision: string,
  outcome: { output?: Record<string, unknown>; error?: unknown },
): AuditInput {
  return {
    caller: call.caller,
    facts: call.facts,
    service: call.service,
    operation: call.operationName,
    input: call.input,
    output: outcome.output,
    error: outcome.error === undefined ? undefined : errorFields(outcome.error),
    decision,
    readOnly: call.readOnly,
    ...(call.actions === undefined ? {} : { evaluatedActions: call.actions }),
    ...(call.addition?.accessChanges === undefined ? {} : { accessChanges: call.addition.accessChanges }),
  };
}

function audit(
  trail: AuditTrail,
  call: AuditedCall,
  decision: string,
  outcome: { output?: Record<string, unknown>; error?: unknown },
): Promise<unknown> {
  return trail.record(auditEntry(call, decision, outcome));
}

export function createInvoke<Services>(deps: InvokeDeps<Services>): Invoke {
  const defaultRegion = deps.defaultRegion ?? 'us-east-1';
  const rules = deps.accountRules ?? [];
  const evaluate = createEvaluator(deps.authority, defaultRegion);

  /**
   * Why the call is refused — an account rule, else the engine over every request of the plan, else the
   * operation's own rule over its declared requests — or null.
   */
  async function refusalOf(
    caller: Caller,
    facts: RequestFacts,
    operation: AnyOperation,
    declared: readonly AccessRequest[],
    plan: AccessPlan,
  ): Promise<AccessDeniedError | null> {
    const ruled = plan.refusedByRule;
    if (ruled !== undefined) return new AccessDeniedError(ruled.message, ruled.decision, ruled.code);
    if (plan.requests.length === 0) {
      throw new Error(`${operation.service}:${operation.name} asked for no access; declare { none: reason } instead`);
    }
    const results = await evaluate(caller, facts, plan.requests);
    const denied = plan.requests.flatMap((request, i) =>
      results[i]!.decision === 'Allowed' ? [] : [{ request, result: results[i]! }],
    );
    if (denied.length > 0) {
      const first = denied[0]!;
      // A resource the service itself protects (a service-linked role) is refused by the service, in its own
      // words, whatever the policies say: the operation declared that refusal on its request.
      const own = first.result.serviceRule === undefined ? undefined : first.request.refusedAfterPolicies;
      if (own !== undefined) return new AccessDeniedError(own.message, 'ExplicitlyDenied', own.code, own.status);
      const message =
        plan.refusal?.(denied.map((d) => d.request)) ?? denialMessage(caller, first.request, first.result);
      const explicit = denied.some((d) => d.result.decision === 'ExplicitlyDenied');
      const error = new AccessDeniedError(message, explicit ? 'ExplicitlyDenied' : 'ImplicitlyDenied');
      // An unsigned call's federated principal is told no more than AWS tells it: no message.
      if (
        deps.authorizationMessages !== undefined &&
        caller.kind !== 'anonymous' &&
        first.request.principal === undefined
      ) {
        const context = { ...requestContext(caller, facts, {}, defaultRegion), ...first.request.context };
        const { action, resource } = first.request;
        error.encodedMessage = deps.authorizationMessages.encode(caller, { action, resource, context }, first.result);
      }
      return error;
    }
    const own = declared.find((request) => request.refusedAfterPolicies !== undefined)?.refusedAfterPolicies;
    return own === undefined ? null : new AccessDeniedError(own.message, 'ExplicitlyDenied', own.code, own.status);
  }

  return async function invoke(caller, facts, service, operationName, rawInput) {
    const operation = deps.registry.find(service, operationName);
    // The console names the service in its request body: `__proto__` must find no model.
    const model = ownEntry(deps.models, service);
    if (operation === undefined) {
      // An operation AWS's model has but Bursar does not serve is answered as an unknown one, per protocol.
      if (model !== undefined && model.metadata.protocol !== 'query') {
        throw new ServiceError('UnknownOperationException', `Unknown operation ${operationName}`);
      }
      const version = model?.metadata.apiVersion ?? service;
      throw new ServiceError('InvalidAction', `Could not find operation ${operationName} for version ${version}`);
    }
    let input = rawInput;
    if (model?.operations[operationName] !== undefined) {
      // The protocol adapters decode typed values from the wire already; the console sends plain JSON.
      if (facts.via === 'console') input = decodeJsonInput(model, operationName, rawInput);
      try {
        validateInput(model, operationName, input);
      } catch (error) {
        const first = error instanceof ModelValidationError ? error.violations[0] : undefined;
        if (first !== undefined && operation.invalidInput !== undefined) throw operation.invalidInput(first);
        throw error;
      }
    }
    const ctx: OperationContext<Services> = {
      caller,
      facts,
      services: deps.services,
      call: (nestedService, nestedOperation, nestedInput) =>
        invoke(caller, facts, nestedService, nestedOperation, nestedInput),
    };
    const call: AuditedCall = { caller, facts, service, operationName, input, readOnly: !operation.mutates };

    const declared = await declaredAccess(operation, input, ctx);
    // An unsigned call is recorded as the federated principal its operation found, in the account whose
    // resource it asked for (CloudTrail keeps AssumeRoleWithWebIdentity in the role's account).
    const federated = caller.kind === 'anonymous' ? declared?.find((r) => r.principal !== undefined) : undefined;
    if (federated !== undefined) {
      call.caller = { ...caller, arn: federated.principal!, accountId: federated.resourceAccount ?? caller.accountId };
    }
    let decision = 'NotRequired';
    if (declared !== null) {
      let plan: AccessPlan = { requests: declared };
      for (const rule of rules) {
        if (plan.refusedByRule !== undefined) break;
        plan = await rule({ caller, facts, operation, plan });
      }
      call.actions = [...new Set(plan.requests.map((request) => request.action))];
      const refusal = await refusalOf(caller, facts, operation, declared, plan);
      if (refusal !== null) {
        await audit(deps.audit, call, refusal.decision, { error: refusal });
        throw refusal;
      }
      decision = 'Allowed';
    }

    // A state change's event is written inside the transaction that makes the change (AuditTrail.begin).
    const pending = operation.mutates ? deps.audit.begin(auditEntry(call, decision, {})) : undefined;
    if (pending !== undefined) ctx.addToAudit = (addition) => (call.addition = { ...call.addition, ...addition });
    let output: Record<string, unknown>;
    try {
      const run = () => operation.handler(input, ctx);
      output = await (pending === undefined ? run() : pending.during(run));
    } catch (error) {
      if (pending !== undefined) await pending.finish(auditEntry(call, decision, { error }));
      if (!(error instanceof ServiceError))
        deps.logger.error('operation failed', { service, operationName, error: String(error) });
      throw error;
    }
    await pending?.finish(auditEntry(call, decision, { output }));
    return output;
  };
}
