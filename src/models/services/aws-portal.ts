/**
 * The wire model of the Billing console's action-set setting (`Get`/`UpdateConsoleActionSetEnforced`,
 * src/operations/billing-console/operations.ts, which `bursar scenario` sets): Bursar's own JSON 1.1 endpoint
 * (`AWSPortal.*`, signing name `aws-portal`). AWS has no API for it: its console's Account page sets it.
 */
import type { ServiceModel } from '../model.js';

export const awsPortalServiceModel: ServiceModel = {
  metadata: {
    apiVersion: '2026-12-07',
    endpointPrefix: 'aws-portal',
    protocol: 'json',
    jsonVersion: '1.1',
    targetPrefix: 'AWSPortal',
    signingName: 'aws-portal',
    serviceId: 'AWS Portal',
  },
  operations: {
    GetConsoleActionSetEnforced: {
      name: 'GetConsoleActionSetEnforced',
      http: { method: 'POST', requestUri: '/' },
      input: { shape: 'Empty' },
      output: { shape: 'ConsoleActionSetSetting' },
      errors: [{ shape: 'AccessDeniedException' }],
    },
    UpdateConsoleActionSetEnforced: {
      name: 'UpdateConsoleActionSetEnforced',
      http: { method: 'POST', requestUri: '/' },
      input: { shape: 'ConsoleActionSetSetting' },
      output: { shape: 'ConsoleActionSetSetting' },
      errors: [{ shape: 'ValidationException' }, { shape: 'AccessDeniedException' }],
    },
  },
  shapes: {
    Empty: { type: 'structure', members: {} },
    ConsoleActionSet: { type: 'string', enum: ['EXISTING', 'FINE_GRAINED'] },
    ConsoleActionSetSetting: {
      type: 'structure',
      required: ['ConsoleActionSet'],
      members: { ConsoleActionSet: { shape: 'ConsoleActionSet' } },
    },
    ValidationException: { type: 'structure', members: { message: { shape: 'String' } }, exception: true },
    AccessDeniedException: { type: 'structure', members: { message: { shape: 'String' } }, exception: true },
    String: { type: 'string' },
  },
};
