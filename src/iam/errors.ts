/**
 * IAM's error codes (the Query protocol's names) with AWS's wording where it is fixed. Their HTTP statuses
 * come from the code (src/core/errors.ts HTTP_STATUS): 404 for NoSuchEntity, 409 for the conflicts.
 */
import { ServiceError } from '../core/errors.js';

export const noSuchEntity = (message: string) => new ServiceError('NoSuchEntity', message);
export const entityAlreadyExists = (message: string) => new ServiceError('EntityAlreadyExists', message);
export const limitExceeded = (message: string) => new ServiceError('LimitExceeded', message);
export const deleteConflict = (message: string) => new ServiceError('DeleteConflict', message);
export const invalidInput = (message: string) => new ServiceError('InvalidInput', message);
export const malformedPolicyDocument = (message: string) => new ServiceError('MalformedPolicyDocument', message);
export const passwordPolicyViolation = (message: string) => new ServiceError('PasswordPolicyViolation', message);
export const invalidAuthenticationCode = () =>
  new ServiceError('InvalidAuthenticationCode', 'Authentication code for device is not valid.');
/** AWS's answer when simultaneous requests changed the same object (a unique key collided under a race). */
export const concurrentModification = () =>
  new ServiceError(
    'ConcurrentModification',
    'The request was rejected because multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.',
  );
export const unmodifiableEntity = (message: string) => new ServiceError('UnmodifiableEntity', message);
export const invalidPublicKey = () =>
  new ServiceError(
    'InvalidPublicKey',
    'The request was rejected because the public key is malformed or otherwise invalid.',
  );
export const unrecognizedPublicKeyEncoding = () =>
  new ServiceError(
    'UnrecognizedPublicKeyEncoding',
    'The request was rejected because the public key encoding format is unsupported or unrecognized.',
  );
export const duplicateSshPublicKey = () =>
  new ServiceError(
    'DuplicateSSHPublicKey',
    'The request was rejected because the SSH public key is already associated with the specified IAM user.',
  );
export const malformedCertificate = (message: string) => new ServiceError('MalformedCertificate', message);
export const duplicateCertificate = () =>
  new ServiceError(
    'DuplicateCertificate',
    'The request was rejected because the same certificate is associated with an IAM user in the account.',
  );
export const keyPairMismatch = () =>
  new ServiceError(
    'KeyPairMismatch',
    'The request was rejected because the public key certificate and the private key do not match.',
  );
export const reportNotPresent = () => new ServiceError('ReportNotPresent', 'Unable to find credential report.');
export const reportExpired = () =>
  new ServiceError(
    'ReportExpired',
    'The credential report has expired. To generate a new report, call GenerateCredentialReport.',
  );
export const invalidUserType = (message: string) => new ServiceError('InvalidUserType', message);
export const notSupportedService = (service: string) =>
  new ServiceError('NotSupportedService', `The specified service ${service} is not supported.`);
