/**
 * The billing services' own error codes (JSON protocols), one constructor each; Budgets keeps its catalogue
 * in budgets/errors.ts, and a missing thing is core/errors.ts's `resourceNotFound`. Statuses come from the
 * code and the answering service (core/errors.ts HTTP_STATUS, SERVICE_STATUS).
 */
import { httpStatusOf, ServiceError } from '../core/errors.js';

const error = (code: string, service?: string) => (message: string) =>
  new ServiceError(code, message, httpStatusOf(code, service));

export const conflict = error('ConflictException');
/** Cost Explorer's answer to a page token it did not write. */
export const invalidNextToken = () =>
  error('InvalidNextTokenException')('The pagination token is invalid. Try again without a pagination token.');
export const ceQuotaExceeded = error('ServiceQuotaExceededException', 'ce');
/** Cost Explorer's own refusal (not the policy engine's): a linked account asking about cost allocation tags. */
export const ceRefusal = error('AccessDeniedException', 'ce');
export const duplicateReportName = error('DuplicateReportNameException');
export const reportLimitReached = error('ReportLimitReachedException');
