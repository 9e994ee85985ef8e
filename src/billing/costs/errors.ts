/**
 * Cost Explorer's own error codes, for its resources (cost categories, anomaly monitors and subscriptions, their
 * tags). Cost Explorer answers them with HTTP 400, "not found" included.
 */
import { ServiceError } from '../../core/errors.js';

const error = (code: string) => (message: string) => new ServiceError(code, message, 400);

export const resourceNotFound = error('ResourceNotFoundException');
export const unknownMonitor = (arn: string) =>
  error('UnknownMonitorException')(`No anomaly monitor found with ARN ${arn}`);
export const unknownSubscription = (arn: string) =>
  error('UnknownSubscriptionException')(`No anomaly subscription found with ARN ${arn}`);
export const limitExceeded = error('LimitExceededException');
export const tooManyTags = (max: number) =>
  error('TooManyTagsException')(`A Cost Explorer resource can have at most ${max} user tags.`);
export const invalidNextToken = () =>
  error('InvalidNextTokenException')('The pagination token is invalid. Try again without a pagination token.');
