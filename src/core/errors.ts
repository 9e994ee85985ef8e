/**
 * Errors with AWS's stable codes, thrown by domain code and turned into wire shapes (Query XML
 * `ErrorResponse`, JSON `__type`, console JSON) in exactly one place per protocol.
 * Messages use AWS's own wording so SDK users see what they expect.
 */
export class ServiceError extends Error {
  readonly code: string;
  /** HTTP status; defaults to 400 (client error), as most AWS error codes are. */
  readonly status: number;
  /** `Sender` (the caller's fault) or `Receiver` (ours), as the Query protocol's `<Type>` says. */
  readonly fault: 'Sender' | 'Receiver';

  constructor(code: string, message: string, status = 400, fault: 'Sender' | 'Receiver' = 'Sender') {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.status = status;
    this.fault = fault;
  }
}

/** Which kind of model constraint an input broke, for services that answer with their own reasons. */
export type ViolatedConstraint =
  'required' | 'type' | 'minLength' | 'maxLength' | 'enum' | 'pattern' | 'minValue' | 'maxValue';

export interface InputViolation {
  constraint: ViolatedConstraint;
  /** The member as the message names it (`accountId`, `tags.1.member.key`). */
  path: string;
}

/** AWS's usual statuses for the codes domain code throws; a protocol adapter may refine them. */
export const noSuchEntity = (message: string) => new ServiceError('NoSuchEntity', message, 404);
export const entityAlreadyExists = (message: string) => new ServiceError('EntityAlreadyExists', message, 409);
export const limitExceeded = (message: string) => new ServiceError('LimitExceeded', message, 409);
export const deleteConflict = (message: string) => new ServiceError('DeleteConflict', message, 409);
export const invalidInput = (message: string) => new ServiceError('InvalidInput', message, 400);
export const validationError = (message: string) => new ServiceError('ValidationError', message, 400);
export const malformedPolicyDocument = (message: string) => new ServiceError('MalformedPolicyDocument', message, 400);
export const accessDenied = (message: string) => new ServiceError('AccessDenied', message, 403);
/** AWS's answer when simultaneous requests changed the same object (a unique key collided under a race). */
export const concurrentModification = () =>
  new ServiceError(
    'ConcurrentModification',
    'The request was rejected because multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.',
    409,
  );
/** A stopping server's answer to calls it no longer starts (503: the SDKs retry it, on another instance). */
export const serviceUnavailable = () =>
  new ServiceError('ServiceUnavailable', 'The server is shutting down; retry the request.', 503, 'Receiver');
