/**
 * invoke(): the single choke point every protocol adapter and the console call. It finds the operation,
 * normalises and validates its input against AWS's model, asks the account rules and the policy engine
 * about each access the operation declares, refuses with AWS's AccessDenied wording, runs the handler,
 * and writes the audit event (every state change, every denial).
 */
import { decodeJsonInput } from '../api/json/codec.js';
import { ownEntry, type ServiceModel } from '../api/model.js';
import { validateInput } from '../api/validate.js';
import type { Logger } from '../platform/logger.js';
import type { ContextValue, Decision, EvaluationResult, RequestInput } from '../policy/types.js';
import type { AuditTrail } from './audit.js';
import { ServiceError } from './errors.js';
import type { AnyOperation, OperationRegistry } from './registry.js';
import type { AccessRequest, Caller, OperationContext, RequestFacts } from './types.js';

/** Request facts as the API adapters know them; the console's facts lack the optional members. */
export interface EdgeFacts extends RequestFacts {
  /** The region in the SigV4 credential scope (aws:RequestedRegion). */
  region?: string;
  /** Whether the request came over TLS (aws:SecureTransport). */
  secureTransport?: boolean;
}

export type Invoke = (
  caller: Caller,
  facts: RequestFacts,
  service: string,
  operationName: string,
  input: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/** Who decides: principal resolution plus the policy engine, behind one call. */
export interface Authority {
  evaluate(caller: Caller, request: RequestInput): Promise<EvaluationResult>;
  /** The calling user's or role's tags, for `aws:PrincipalTag/…`. */
  principalTags?(caller: Caller): Promise<Record<string, string>>;
}

/** An account-level rule's refusal: what the caller is told, and how it is recorded. */
export interface RuleDenial {
  message: string;
  decision: Exclude<Decision, 'Allowed'>;
  code?: string;
}

/**
 * Account-level rules that sit beside IAM policies and run before them, for every access an operation
 * asks — the extension point for e.g. the account's "IAM user and role access to billing" switch, which
 * refuses billing actions to non-root callers whatever their policies say. Return null to let IAM decide.
 */
export type AccountRule = (question: {
  caller: Caller;
  facts: RequestFacts;
  operation: AnyOperation;
  request: AccessRequest;
}) => Promise<RuleDenial | null>;

export interface InvokeDeps<Services> {
  registry: OperationRegistry;
  services: Services;
  authority: Authority;
  audit: AuditTrail;
  models: Record<string, ServiceModel>;
  logger: Logger;
  accountRules?: AccountRule[];
  /** The region IAM and other global services report (aws:RequestedRegion when the scope has none). */
  defaultRegion?: string;
}

const PRINCIPAL_TYPE: Record<Caller['kind'], string> = { root: 'Account', user: 'User', 'assumed-role': 'AssumedRole' };

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
    'aws:userid': caller.userId,
    'aws:PrincipalArn': caller.kind === 'assumed-role' && caller.roleArn !== undefined ? caller.roleArn : caller.arn,
    'aws:PrincipalAccount': caller.accountId,
    'aws:PrincipalType': PRINCIPAL_TYPE[caller.kind],
    'aws:SecureTransport': facts.secureTransport === true ? 'true' : 'false',
    'aws:RequestedRegion': facts.region ?? defaultRegion,
    'aws:UserAgent': facts.userAgent,
  };
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

/** An AccessDenied that knows which decision it reports (for the audit), thrown by invoke and by handlers that decide themselves. */
export class AccessDeniedError extends ServiceError {
  constructor(
    message: string,
    readonly decision: Exclude<Decision, 'Allowed'>,
  ) {
    super('AccessDenied', message, 403);
  }
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
}

function audit(
  trail: AuditTrail,
  call: AuditedCall,
  decision: string,
  outcome: { output?: Record<string, unknown>; error?: unknown },
): Promise<unknown> {
  return trail.record({
    caller: call.caller,
    facts: call.facts,
    service: call.service,
    operation: call.operationName,
    input: call.input,
    output: outcome.output,
    error: outcome.error === undefined ? undefined : errorFields(outcome.error),
    decision,
    readOnly: call.readOnly,
  });
}

export function createInvoke<Services>(deps: InvokeDeps<Services>): Invoke {
  const defaultRegion = deps.defaultRegion ?? 'us-east-1';
  const rules = deps.accountRules ?? [];

  return async function invoke(caller, facts, service, operationName, rawInput) {
    const operation = deps.registry.find(service, operationName);
    // The console names the service in its request body: `__proto__` must find no model.
    const model = ownEntry(deps.models, service);
    if (operation === undefined) {
      // An operation AWS's model has but Bursar does not serve is answered as an unknown one, per protocol.
      if (model !== undefined && model.metadata.protocol !== 'query') {
        throw new ServiceError('UnknownOperationException', `Unknown operation ${operationName}`, 400);
      }
      const version = model?.metadata.apiVersion ?? service;
      throw new ServiceError('InvalidAction', `Could not find operation ${operationName} for version ${version}`, 400);
    }
    let input = rawInput;
    if (model?.operations[operationName] !== undefined) {
      // The protocol adapters decode typed values from the wire already; the console sends plain JSON.
      if (facts.via === 'console') input = decodeJsonInput(model, operationName, rawInput);
      validateInput(model, operationName, input);
    }
    const ctx: OperationContext<Services> = { caller, facts, services: deps.services };
    const call: AuditedCall = { caller, facts, service, operationName, input, readOnly: !operation.mutates };

    const requests = operation.access(input, ctx);
    let decision = 'NotRequired';
    if (requests !== null && requests.length > 0) {
      const tags = deps.authority.principalTags === undefined ? {} : await deps.authority.principalTags(caller);
      const base = requestContext(caller, facts, tags, defaultRegion);
      for (const request of requests) {
        for (const rule of rules) {
          const denial = await rule({ caller, facts, operation, request });
          if (denial !== null) {
            const error = new ServiceError(denial.code ?? 'AccessDenied', denial.message, 403);
            await audit(deps.audit, call, denial.decision, { error });
            throw error;
          }
        }
        const result = await deps.authority.evaluate(caller, {
          principal: caller.arn,
          action: request.action,
          resource: request.resource,
          ...(request.resourceAccount === undefined ? {} : { resourceAccount: request.resourceAccount }),
          context: request.context === undefined ? base : { ...base, ...request.context },
        });
        if (result.decision !== 'Allowed') {
          const error = new AccessDeniedError(denialMessage(caller, request, result), result.decision);
          await audit(deps.audit, call, result.decision, { error });
          throw error;
        }
      }
      decision = 'Allowed';
    }

    let output: Record<string, unknown>;
    try {
      output = await operation.handler(input, ctx);
    } catch (error) {
      if (error instanceof AccessDeniedError) await audit(deps.audit, call, error.decision, { error });
      else if (operation.mutates) await audit(deps.audit, call, decision, { error });
      if (!(error instanceof ServiceError))
        deps.logger.error('operation failed', { service, operationName, error: String(error) });
      throw error;
    }
    if (operation.mutates) await audit(deps.audit, call, decision, { output });
    return output;
  };
}
