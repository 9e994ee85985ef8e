/** The wire model of Bursar's own JSON 1.1 operations (`BursarService.*`), registered beside AWS's as `bursar`. */
import type { ServiceModel } from '../../api/model.js';

const string = { shape: 'String' };
export const bursarServiceModel: ServiceModel = {
  metadata: {
    apiVersion: '2026-11-27',
    endpointPrefix: 'bursar',
    protocol: 'json',
    jsonVersion: '1.1',
    targetPrefix: 'BursarService',
    signingName: 'bursar',
    serviceId: 'Bursar',
  },
  operations: {
    ImportCostData: {
      name: 'ImportCostData',
      http: { method: 'POST', requestUri: '/' },
      input: { shape: 'ImportCostDataRequest' },
      output: { shape: 'ImportCostDataResponse' },
      errors: [{ shape: 'ValidationException' }, { shape: 'AccessDeniedException' }],
    },
  },
  shapes: {
    String: { type: 'string' },
    Long: { type: 'long' },
    Boolean: { type: 'boolean' },
    ImportCostDataRequest: {
      type: 'structure',
      required: ['AccountId', 'Content'],
      members: { AccountId: string, FileName: string, Content: string },
    },
    ImportedPeriod: {
      type: 'structure',
      members: {
        BillingPeriod: string,
        LineItems: { shape: 'Long' },
        UnblendedCost: string,
        Replaced: { shape: 'Boolean' },
      },
    },
    ImportedPeriods: { type: 'list', member: { shape: 'ImportedPeriod' } },
    ImportCostDataResponse: {
      type: 'structure',
      members: {
        ImportId: string,
        LineItems: { shape: 'Long' },
        Periods: { shape: 'ImportedPeriods' },
        Report: string,
      },
    },
    ValidationException: { type: 'structure', members: { message: string }, exception: true },
    AccessDeniedException: { type: 'structure', members: { message: string }, exception: true },
  },
};
