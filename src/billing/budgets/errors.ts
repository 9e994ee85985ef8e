/**
 * AWS Budgets' error codes. Budgets answers every error with HTTP 400, its refusals included
 * (AccessDeniedException is 403 elsewhere): core/errors.ts's SERVICE_STATUS says so.
 */
import { httpStatusOf, ServiceError } from '../../core/errors.js';

const error = (code: string) => (message: string) => new ServiceError(code, message, httpStatusOf(code, 'budgets'));

export const invalidParameter = error('InvalidParameterException');
export const notFound = error('NotFoundException');
/** AWS's answer to a budget past 5 notifications or a notification past 11 subscribers. */
export const overLimit = error('CreationLimitExceededException');
export const duplicateRecord = error('DuplicateRecordException');
export const tagQuotaExceeded = (max: number) =>
  error('ServiceQuotaExceededException')(`A resource can have at most ${max} tags.`);
export const invalidNextToken = () => error('InvalidNextTokenException')('The pagination token is invalid.');

/** A refusal decided by Budgets' own rule (an account the caller may not manage), as invoke() reports it. */
export const budgetsRefusal = (message: string) => ({
  message,
  code: 'AccessDeniedException',
  status: httpStatusOf('AccessDeniedException', 'budgets'),
});
/** A budget action that is executing, reversing or resetting cannot be changed until that finishes. */
export const resourceLocked = error('ResourceLockedException');
