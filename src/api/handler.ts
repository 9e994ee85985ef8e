/**
 * The AWS-facing door: one endpoint for every service. A request is routed by the service in its SigV4
 * credential scope to that service's protocol (Query for IAM and STS, JSON 1.1 for Organizations, Cost
 * Explorer, Budgets and CloudTrail, REST-JSON for the Account API), verified, decoded from AWS's model,
 * handed to invoke(), and encoded back — errors in exactly one envelope per protocol.
 * Framework-free: the server adapts Fastify's request to `ApiRequest` and writes `ApiResponse` back.
 */
import {
  headerMap,
  missingAuthenticationToken,
  parseQueryForSigning,
  readSignatureParts,
  verifySigV4,
  type SignatureParts,
  type SigningKey,
} from '../auth/sigv4.js';
import { ServiceError } from '../core/errors.js';
import { AccessDeniedError, type Invoke } from '../operations/invoke.js';
import { ANONYMOUS_CALLER, type Caller } from '../core/operation.js';
import type { Clock } from '../platform/clock.js';
import { requestId as newRequestId, type IdSource } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import { decodeJsonInput, encodeJsonError, encodeJsonOutput } from '../models/json/codec.js';
import { ownEntry, type ServiceModel } from '../models/model.js';
import { bodyLimitOf, requestTooLarge } from '../models/limits.js';
import { decodeQueryInput, parseForm } from './query/decode.js';
import { encodeQueryError, encodeQueryOutput } from './query/encode.js';
import type { EdgeFacts } from '../core/access.js';

export interface ApiRequest {
  method: string;
  /** The path as received, without the query string. */
  path: string;
  query: string;
  /** Header name/value pairs as received (Node's rawHeaders, paired). */
  headers: Array<[string, string]>;
  body: Buffer;
  sourceIp: string;
  secure: boolean;
  /**
   * Set when the server refused the request while reading it (a body over its read limit, an unreadable
   * request): the handler still routes it, and answers with this error in the route's protocol shape.
   */
  refusal?: ServiceError;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A verified key and the caller a request signed with it acts as. */
export interface ApiKey extends SigningKey {
  caller: Caller;
}

export interface ApiHandlerDeps {
  models: Record<string, ServiceModel>;
  invoke: Invoke;
  lookupKey: (accessKeyId: string) => Promise<ApiKey | undefined>;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  /** Told after each successful verification (access-key last-used bookkeeping); must not throw. */
  onAuthenticated?: (key: ApiKey, parts: SignatureParts, at: Date) => void;
}

type Protocol = 'query' | 'json' | 'rest-json';

interface Route {
  protocol: Protocol;
  model: ServiceModel | undefined;
  service: string;
}

const INTERNAL = 'We encountered an internal error. Please try again.';
/** The response header of a denial's encoded authorization message (STS DecodeAuthorizationMessage). */
export const ENCODED_MESSAGE_HEADER = 'x-bursar-encoded-authorization-message';

/**
 * The Query operations AWS answers without a signature (botocore's `authtype: none`): the caller proves who
 * it is with a token in the input, which the operation verifies. The SDKs send them unsigned.
 */
const UNSIGNED_QUERY_OPERATIONS: Readonly<Record<string, string>> = {
  AssumeRoleWithWebIdentity: 'sts',
  AssumeRoleWithSAML: 'sts',
};

function protocolOf(model: ServiceModel): Protocol {
  const protocol = model.metadata.protocol;
  return protocol === 'json' ? 'json' : protocol === 'rest-json' ? 'rest-json' : 'query';
}

export function createApiHandler(deps: ApiHandlerDeps): (request: ApiRequest) => Promise<ApiResponse> {
  // REST-JSON operations are found by their HTTP binding; build the table once.
  const restRoutes = new Map<string, { service: string; operation: string }>();
  for (const [service, model] of Object.entries(deps.models)) {
    if (protocolOf(model) !== 'rest-json') continue;
    for (const [name, operation] of Object.entries(model.operations)) {
      if (operation.http !== undefined)
        restRoutes.set(`${operation.http.method} ${operation.http.requestUri}`, { service, operation: name });
    }
  }

  function guessRoute(headers: Map<string, string>, request: ApiRequest): Route {
    const target = headers.get('x-amz-target');
    if (target !== undefined) {
      const prefix = target.slice(0, target.lastIndexOf('.'));
      const entry = Object.entries(deps.models).find(([, model]) => model.metadata.targetPrefix === prefix);
      return { protocol: 'json', model: entry?.[1], service: entry?.[0] ?? '' };
    }
    const rest = restRoutes.get(`${request.method} ${request.path}`);
    if (rest !== undefined) return { protocol: 'rest-json', model: deps.models[rest.service], service: rest.service };
    return { protocol: 'query', model: undefined, service: '' };
  }

  function errorResponse(route: Route, error: unknown, requestId: string): ApiResponse {
    let serviceError: ServiceError;
    if (error instanceof ServiceError) {
      serviceError = error;
    } else {
      deps.logger.error('unhandled error', {
        requestId,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      serviceError = new ServiceError('InternalFailure', INTERNAL);
    }
    // A policy denial's encoded authorization message rides in a header, leaving AWS's error body unchanged.
    const encoded: Record<string, string> =
      serviceError instanceof AccessDeniedError && serviceError.encodedMessage !== undefined
        ? { [ENCODED_MESSAGE_HEADER]: serviceError.encodedMessage }
        : {};
    if (route.protocol === 'query') {
      return {
        status: serviceError.status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...encoded },
        body: encodeQueryError(route.model, serviceError, requestId),
      };
    }
    const { type, body } = encodeJsonError(route.model, serviceError);
    return {
      status: serviceError.status,
      headers: {
        'content-type': route.protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json',
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': type,
        ...encoded,
      },
      body,
    };
  }

  function operationName(
    route: Route,
    headers: Map<string, string>,
    request: ApiRequest,
    form: Map<string, string> | undefined,
  ): string {
    const model = route.model!;
    if (route.protocol === 'query') {
      const action = form!.get('Action');
      if (action === undefined || ownEntry(model.operations, action) === undefined) {
        throw new ServiceError(
          'InvalidAction',
          `Could not find operation ${action ?? ''} for version ${form!.get('Version') ?? model.metadata.apiVersion}`,
        );
      }
      return action;
    }
    if (route.protocol === 'json') {
      const target = headers.get('x-amz-target') ?? '';
      const dot = target.lastIndexOf('.');
      const name = target.slice(dot + 1);
      if (
        dot < 0 ||
        target.slice(0, dot) !== model.metadata.targetPrefix ||
        ownEntry(model.operations, name) === undefined
      ) {
        throw new ServiceError('UnknownOperationException', `Unknown operation ${target}`);
      }
      return name;
    }
    const rest = restRoutes.get(`${request.method} ${request.path}`);
    if (rest === undefined || rest.service !== route.service) {
      // A REST-JSON path no operation binds is "not found", where JSON's unknown target is a bad request.
      throw new ServiceError('UnknownOperationException', `Unknown operation ${request.method} ${request.path}`, 404);
    }
    return rest.operation;
  }

  function decodeInput(
    route: Route,
    operation: string,
    form: Map<string, string> | undefined,
    body: Buffer,
  ): Record<string, unknown> {
    const model = route.model!;
    if (route.protocol === 'query') return decodeQueryInput(model, operation, form!);
    const text = body.toString('utf8').trim();
    let parsed: unknown = {};
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ServiceError('SerializationException', 'Start of structure or map found where not expected.');
      }
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ServiceError('SerializationException', 'Start of structure or map expected.');
    }
    return decodeJsonInput(model, operation, parsed);
  }

  function success(route: Route, operation: string, output: Record<string, unknown>, requestId: string): ApiResponse {
    const model = route.model!;
    if (route.protocol === 'query') {
      return {
        status: 200,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: encodeQueryOutput(model, operation, output, requestId),
      };
    }
    return {
      status: model.operations[operation]?.http?.responseCode ?? 200,
      headers: {
        'content-type': route.protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json',
        'x-amzn-requestid': requestId,
      },
      body: encodeJsonOutput(model, operation, output),
    };
  }

  /** An unsigned Query request for an operation AWS answers without a signature, else undefined. */
  function unsignedCall(
    request: ApiRequest,
    headers: Map<string, string>,
  ): { route: Route; operation: string; form: Map<string, string> } | undefined {
    if (headers.has('x-amz-target')) return undefined;
    const form = parseForm(request.query, parseForm(bodyText(request, headers)));
    const operation = form.get('Action') ?? '';
    const service = Object.hasOwn(UNSIGNED_QUERY_OPERATIONS, operation)
      ? UNSIGNED_QUERY_OPERATIONS[operation]
      : undefined;
    const model = service === undefined ? undefined : ownEntry(deps.models, service);
    if (service === undefined || model === undefined) return undefined;
    return { route: { protocol: 'query', model, service }, operation, form };
  }

  return async function handle(request: ApiRequest): Promise<ApiResponse> {
    const requestId = newRequestId(deps.ids);
    const now = deps.clock.now();
    const headers = headerMap(request.headers);
    const signingQuery = parseQueryForSigning(request.query);
    let route = guessRoute(headers, request);
    try {
      const parts = readSignatureParts(headers, signingQuery);
      if (parts !== null) {
        const model = ownEntry(deps.models, parts.service);
        if (model === undefined) {
          throw new ServiceError('InvalidAction', `Bursar does not serve the service "${parts.service}".`);
        }
        route = { protocol: protocolOf(model), model, service: parts.service };
      }
      if (request.refusal !== undefined) throw request.refusal;
      // Only the body's size is looked at before the signature: its hash is the one pass over it, and the
      // form or JSON is decoded once the caller is known.
      const limit = bodyLimitOf(route.service, targetOperation(headers));
      if (request.body.length > limit) throw requestTooLarge(request.body.length, limit);
      if (parts === null) {
        const unsigned = unsignedCall(request, headers);
        if (unsigned === undefined) throw missingAuthenticationToken();
        route = unsigned.route;
        const input = decodeInput(route, unsigned.operation, unsigned.form, request.body);
        const facts: EdgeFacts = {
          requestId,
          sourceIp: request.sourceIp,
          userAgent: headers.get('user-agent') ?? '',
          now,
          via: 'query',
          secureTransport: request.secure,
        };
        const output = await deps.invoke(ANONYMOUS_CALLER, facts, route.service, unsigned.operation, input);
        return success(route, unsigned.operation, output, requestId);
      }
      const verified = await verifySigV4(
        {
          method: request.method,
          path: request.path,
          query: request.query,
          headers: request.headers,
          body: request.body,
        },
        { now, lookupKey: deps.lookupKey },
        { headers, query: signingQuery, parts },
      );
      deps.onAuthenticated?.(verified.key, parts, now);
      const form =
        route.protocol === 'query' ? parseForm(request.query, parseForm(bodyText(request, headers))) : undefined;
      const operation = operationName(route, headers, request, form);
      const input = decodeInput(route, operation, form, request.body);
      const facts: EdgeFacts = {
        requestId,
        sourceIp: request.sourceIp,
        userAgent: headers.get('user-agent') ?? '',
        now,
        via: route.protocol === 'query' ? 'query' : 'json',
        region: parts.region,
        secureTransport: request.secure,
      };
      const output = await deps.invoke(verified.key.caller, facts, route.service, operation, input);
      return success(route, operation, output, requestId);
    } catch (error) {
      return errorResponse(route, error, requestId);
    }
  };
}

/** The operation a JSON request names in `X-Amz-Target` (`Prefix.Operation`), read before its body. */
function targetOperation(headers: Map<string, string>): string | undefined {
  const target = headers.get('x-amz-target');
  return target === undefined ? undefined : target.slice(target.lastIndexOf('.') + 1);
}

function bodyText(request: ApiRequest, headers: Map<string, string>): string {
  if (request.body.length === 0) return '';
  const type = headers.get('content-type') ?? '';
  // The Query protocol's body is a form; anything else carries no Query parameters.
  return type === '' || type.startsWith('application/x-www-form-urlencoded') ? request.body.toString('utf8') : '';
}
