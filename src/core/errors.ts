/**
 * Errors with AWS's stable codes, thrown by domain code and turned into wire shapes (Query XML
 * `ErrorResponse`, JSON `__type`, console JSON) in exactly one place per protocol.
 * Messages use AWS's own wording so SDK users see what they expect.
 */
export class ServiceError extends Error {
  readonly code: string;
  /** HTTP status: the code's in HTTP_STATUS, unless the service answers this code with its own. */
  readonly status: number;
  /** `Sender` (the caller's fault) or `Receiver` (ours), as the Query protocol's `<Type>` says. */
  readonly fault: 'Sender' | 'Receiver';

  constructor(
    code: string,
    message: string,
    status = httpStatusOf(code),
    fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.status = status;
    this.fault = fault;
  }
}

/**
 * The HTTP status AWS answers each error code with, one section per protocol; a code not listed is a client
 * error (400). Error codes name their protocol (`NoSuchEntity` is Query, `…Exception` JSON), so one table
 * keyed by code serves all three. The services that answer a code with another status are in SERVICE_STATUS.
 */
const HTTP_STATUS: Readonly<Record<string, number>> = {
  // Every protocol: the server's own failures.
  InternalFailure: 500,
  ServiceUnavailable: 503,
  RequestEntityTooLarge: 413,
  // Query (IAM, STS) and the SigV4 checks in front of every protocol.
  AccessDenied: 403,
  ConcurrentModification: 409,
  DeleteConflict: 409,
  DuplicateCertificate: 409,
  EntityAlreadyExists: 409,
  ExpiredToken: 403,
  InvalidAuthenticationCode: 403,
  InvalidClientTokenId: 403,
  LimitExceeded: 409,
  MissingAuthenticationToken: 403,
  NoSuchEntity: 404,
  NotSupportedService: 404,
  ReportExpired: 410,
  ReportNotPresent: 410,
  RequestTimeTooSkewed: 403,
  SignatureDoesNotMatch: 403,
  // JSON 1.0/1.1 and REST-JSON (Account, Tax settings, Invoicing, Data Exports…).
  AccessDeniedException: 403,
  ConflictException: 409,
  ResourceNotFoundException: 404,
};

/**
 * Where a service departs from HTTP_STATUS: Budgets and Organizations answer every error, their refusals
 * included, with 400; CUR answers a missing report with 400; Cost Explorer a missing thing, a quota and its
 * own refusals (not the policy engine's) with 400.
 */
const SERVICE_STATUS: Readonly<Record<string, { every?: number; codes?: Readonly<Record<string, number>> }>> = {
  budgets: { every: 400 },
  organizations: { every: 400 },
  cur: { codes: { ResourceNotFoundException: 400 } },
  ce: { codes: { ResourceNotFoundException: 400, ServiceQuotaExceededException: 400, AccessDeniedException: 400 } },
};

/** The status of an error code, from HTTP_STATUS, as `service` (when given) answers it. */
export function httpStatusOf(code: string, service?: string): number {
  const own = service !== undefined && Object.hasOwn(SERVICE_STATUS, service) ? SERVICE_STATUS[service]! : {};
  if (own.every !== undefined) return own.every;
  if (own.codes !== undefined && Object.hasOwn(own.codes, code)) return own.codes[code]!;
  return Object.hasOwn(HTTP_STATUS, code) ? HTTP_STATUS[code]! : 400;
}

/** Which kind of model constraint an input broke, for services that answer with their own reasons. */
export type ViolatedConstraint =
  'required' | 'type' | 'minLength' | 'maxLength' | 'enum' | 'pattern' | 'minValue' | 'maxValue';

export interface InputViolation {
  constraint: ViolatedConstraint;
  /** The member as the message names it (`accountId`, `tags.1.member.key`). */
  path: string;
}

/** The protocol-level codes: Query's validation and refusal, the server's unavailability, JSON's validation. */
export const validationError = (message: string) => new ServiceError('ValidationError', message);
export const accessDenied = (message: string) => new ServiceError('AccessDenied', message);
/** A stopping server's answer to calls it no longer starts (503: the SDKs retry it, on another instance). */
export const serviceUnavailable = () =>
  new ServiceError('ServiceUnavailable', 'The server is shutting down; retry the request.');
/** The JSON and REST-JSON services' answer to input they refuse (Query's is `ValidationError`). */
export const validationException = (message: string) => new ServiceError('ValidationException', message);
/** The JSON and REST-JSON services' answer to a thing that does not exist, with `service`'s status for it. */
export const resourceNotFound = (message: string, service?: string) =>
  new ServiceError('ResourceNotFoundException', message, httpStatusOf('ResourceNotFoundException', service));
