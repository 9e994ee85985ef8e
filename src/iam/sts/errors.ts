/**
 * STS's federation error codes (the Query protocol's names, from AWS's STS model). All answer 400, the
 * default status for a code HTTP_STATUS does not list.
 */
import { ServiceError } from '../../core/errors.js';

export const invalidIdentityToken = (message: string) => new ServiceError('InvalidIdentityToken', message);
export const expiredToken = (message: string) => new ServiceError('ExpiredTokenException', message);
export const idpCommunicationError = (message: string) => new ServiceError('IDPCommunicationError', message);
