/** CloudTrail's error codes for LookupEvents over the audit trail, in AWS's wording. */
import { ServiceError } from '../core/errors.js';

export const invalidLookupAttributes = () =>
  new ServiceError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
export const invalidTimeRange = () =>
  new ServiceError('InvalidTimeRangeException', 'Start time must be before end time.');
export const invalidNextToken = () => new ServiceError('InvalidNextTokenException', 'Invalid NextToken');
