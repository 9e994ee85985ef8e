import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError, httpStatusOf, resourceNotFound, validationException } from './errors.js';

describe('error statuses', () => {
  it('come from the error code', () => {
    assert.equal(new ServiceError('NoSuchEntity', 'x').status, 404);
    assert.equal(new ServiceError('EntityAlreadyExists', 'x').status, 409);
    assert.equal(new ServiceError('ReportNotPresent', 'x').status, 410);
    assert.equal(new ServiceError('ResourceNotFoundException', 'x').status, 404);
    assert.equal(validationException('x').status, 400);
  });

  it('are 400 for a code the table does not list, including names of Object.prototype', () => {
    assert.equal(httpStatusOf('InvalidParameterException'), 400);
    assert.equal(httpStatusOf('constructor'), 400);
    assert.equal(httpStatusOf('toString'), 400);
  });

  it('keep a service-specific override, and make 5xx the server’s fault', () => {
    const override = new ServiceError('AccessDeniedException', 'x', 400);
    assert.equal(override.status, 400);
    assert.equal(override.fault, 'Sender');
    const internal = new ServiceError('InternalFailure', 'x');
    assert.deepEqual([internal.status, internal.fault], [500, 'Receiver']);
    assert.equal(new ServiceError('ServiceUnavailable', 'x').fault, 'Receiver');
  });

  it('answer a missing thing with the status of the service that answers', () => {
    assert.equal(resourceNotFound('x').status, 404);
    assert.equal(resourceNotFound('x', 'ce').status, 400);
    assert.equal(resourceNotFound('x', 'cur').status, 400);
    assert.equal(resourceNotFound('x', 'budgets').status, 400);
    assert.equal(resourceNotFound('x', 'bcm-data-exports').status, 404);
    assert.equal(httpStatusOf('AccessDeniedException', 'ce'), 400);
    assert.equal(httpStatusOf('AccessDeniedException'), 403);
  });
});
