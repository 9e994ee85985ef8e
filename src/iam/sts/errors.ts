/**
 * STS's error codes (the Query protocol's names, from AWS's STS model). They answer 400, the default status
 * for a code HTTP_STATUS does not list, but IDPRejectedClaim (403). MalformedPolicyDocument is IAM's
 * (../errors.ts): the same code and status.
 */
import { ServiceError } from '../../core/errors.js';

export const invalidIdentityToken = (message: string) => new ServiceError('InvalidIdentityToken', message);
export const expiredToken = (message: string) => new ServiceError('ExpiredTokenException', message);
export const idpCommunicationError = (message: string) => new ServiceError('IDPCommunicationError', message);
export const packedPolicyTooLarge = (percent: number) =>
  new ServiceError(
    'PackedPolicyTooLarge',
    `Packed policy consumes ${percent}% of allotted space, please use smaller policy for this session.`,
  );
/** AWS's model answers this one with 403, not the default 400. */
export const idpRejectedClaim = (message: string) => new ServiceError('IDPRejectedClaim', message, 403);
export const invalidAuthorizationMessage = (message: string) =>
  new ServiceError('InvalidAuthorizationMessageException', message);
