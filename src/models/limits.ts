/**
 * What the API doors accept before any work that grows with the request: checked while reading, before the
 * signature where the check is cheaper than the hash. AWS publishes no request-size quota for these
 * services; the figures leave room above the largest legitimate request the models allow (a
 * SimulateCustomPolicy with several 131,072-character policies, an organization's SCP) and refuse the rest
 * in the protocol's own error shape.
 */
import { ServiceError } from '../core/errors.js';

export const REQUEST_LIMITS = {
  /** Bytes of a request body for every operation but the uploads below. */
  bodyBytes: 1024 * 1024,
  /** Bytes of an upload operation's body (Bursar's ImportCostData carries a base64 cost export): the server's read limit. */
  uploadBodyBytes: 10 * 1024 * 1024,
  /** Query protocol: form parameters in the URL and body together. */
  queryParameters: 10_000,
  /** JSON protocols and the console's calls: arrays and objects nested in one another. */
  jsonDepth: 64,
} as const;

/** Characters of an error message sent back: a handler that names a hostile input must not answer megabytes. */
const ERROR_MESSAGE_MAX = 4096;

export function boundedMessage(message: string): string {
  return message.length > ERROR_MESSAGE_MAX ? `${message.slice(0, ERROR_MESSAGE_MAX)}...` : message;
}

/** Operations whose body is a file (`service.Operation`): allowed `uploadBodyBytes`. */
const UPLOAD_OPERATIONS = new Set(['bursar.ImportCostData']);

export function bodyLimitOf(service: string, operation: string | undefined): number {
  return operation !== undefined && UPLOAD_OPERATIONS.has(`${service}.${operation}`)
    ? REQUEST_LIMITS.uploadBodyBytes
    : REQUEST_LIMITS.bodyBytes;
}

/**
 * An oversized request is refused with 413 before any decoding, in the wording AWS's HTTP front ends use for
 * it (`Request size N exceeded M bytes`); the code names the condition, as AWS publishes none for these APIs.
 */
export const requestTooLarge = (size: number | undefined, limit: number) =>
  new ServiceError(
    'RequestEntityTooLarge',
    `Request size ${size === undefined ? '' : `${size} `}exceeded ${limit} bytes`,
  );

/** Whether a parsed JSON value nests arrays and objects deeper than `limit`: iterative, so any depth is safe to ask. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > limit) return true;
    const inner = Array.isArray(next.value) ? next.value : Object.values(next.value);
    for (const item of inner)
      if (typeof item === 'object' && item !== null) pending.push({ value: item, depth: next.depth + 1 });
  }
  return false;
}
