/**
 * JSON-protocol codecs (awsJson 1.0/1.1 and restJson1 bodies): the wire JSON and the operation's plain
 * objects differ only in timestamps (epoch seconds on the wire, Date in handlers) and blobs (base64),
 * so both directions walk the shape and convert just those; everything else passes through.
 */
import { ServiceError } from '../../core/errors.js';
import { boundedMessage, nestsDeeperThan, REQUEST_LIMITS } from '../limits.js';
import { shapeOf, type ServiceModel, type ShapeRef } from '../model.js';

function convert(model: ServiceModel, ref: ShapeRef, value: unknown, direction: 'in' | 'out'): unknown {
  if (value === null || value === undefined) return value;
  const shape = shapeOf(model, ref);
  switch (shape.type) {
    case 'structure': {
      // A value of the wrong type is passed on as it is, for validation to name it.
      if (typeof value !== 'object' || Array.isArray(value) || shape.document) return value;
      const object = value as Record<string, unknown>;
      const result: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const inner = object[name];
        if (inner !== undefined && inner !== null) result[name] = convert(model, member, inner, direction);
      }
      return result;
    }
    case 'list':
      return Array.isArray(value) ? value.map((item) => convert(model, shape.member!, item, direction)) : value;
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const result: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        // A key such as `__proto__` is data, never the object's prototype.
        const converted = convert(model, shape.value!, v, direction);
        Object.defineProperty(result, k, { value: converted, enumerable: true, writable: true, configurable: true });
      }
      return result;
    }
    case 'timestamp': {
      if (direction === 'in') {
        // Epoch seconds or a date string; anything else (an object whose `toString` is data) is left to validation.
        if (typeof value !== 'number' && typeof value !== 'string') return value;
        const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
        return Number.isNaN(date.getTime()) ? value : date;
      }
      const date = value instanceof Date ? value : new Date(String(value));
      if (shape.timestampFormat === 'iso8601') return date.toISOString();
      return date.getTime() / 1000;
    }
    case 'blob':
      if (direction === 'in') return typeof value === 'string' ? Buffer.from(value, 'base64') : value;
      return Buffer.isBuffer(value) ? value.toString('base64') : value;
    default:
      return value;
  }
}

/**
 * The operation's input from parsed JSON (the JSON protocols' bodies and the console's calls). Nesting is
 * bounded first: the walks here and in validation recurse, and a hostile body may nest thousands deep.
 */
export function decodeJsonInput(model: ServiceModel, operationName: string, body: unknown): Record<string, unknown> {
  const ref = model.operations[operationName]?.input;
  const object = body === undefined || body === null ? {} : body;
  if (nestsDeeperThan(object, REQUEST_LIMITS.jsonDepth)) {
    throw new ServiceError(
      'SerializationException',
      `The request nests arrays and objects deeper than ${REQUEST_LIMITS.jsonDepth} levels.`,
    );
  }
  if (ref === undefined) return {};
  return convert(model, ref, object, 'in') as Record<string, unknown>;
}

export function encodeJsonOutput(
  model: ServiceModel,
  operationName: string,
  output: Record<string, unknown> | undefined,
): string {
  const ref = model.operations[operationName]?.output;
  if (ref === undefined || output === undefined) return '{}';
  return JSON.stringify(convert(model, ref, output, 'out'));
}

/**
 * The JSON protocols name errors by their model shape (`AccessDeniedException`, `ValidationException`);
 * domain code throws the Query-style codes, so map them onto the service's own shapes where it has them.
 */
export function jsonErrorCode(model: ServiceModel | undefined, error: ServiceError): string {
  // JSON services answer model-validation failures with ValidationException, modelled or not.
  if (error.code === 'ValidationError') return 'ValidationException';
  // IAM's refusal is AccessDeniedException on every JSON service, whether or not its model lists the shape
  // (botocore's Cost Explorer model does not, yet `aws ce …` is refused with it).
  if (error.code === 'AccessDenied') return 'AccessDeniedException';
  if (model === undefined || model.shapes[error.code] !== undefined) return error.code;
  const suffixed = `${error.code}Exception`;
  return model.shapes[suffixed] !== undefined ? suffixed : error.code;
}

export function encodeJsonError(model: ServiceModel | undefined, error: ServiceError): { type: string; body: string } {
  const type = jsonErrorCode(model, error);
  // Some services' errors carry a `Reason` member (Organizations' ConstraintViolationException, InvalidInputException).
  const reason = (error as { reason?: unknown }).reason;
  const extra = typeof reason === 'string' ? { Reason: reason } : {};
  return { type, body: JSON.stringify({ __type: type, message: boundedMessage(error.message), ...extra }) };
}
