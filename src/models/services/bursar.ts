/** The wire model of Bursar's own JSON 1.1 operations (`BursarService.*`: ImportCostData and saved cost reports), registered beside AWS's as `bursar`. */
import type { ServiceModel } from '../model.js';

const string = { shape: 'String' };
const reportOperation = (name: string, input: string, output: string) => ({
  name,
  http: { method: 'POST', requestUri: '/' },
  input: { shape: input },
  output: { shape: output },
  errors: [{ shape: 'ValidationException' }, { shape: 'ResourceNotFoundException' }],
});
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
    CreateCostReport: reportOperation('CreateCostReport', 'CostReportInput', 'CostReportOutput'),
    DescribeCostReports: reportOperation('DescribeCostReports', 'CostReportQuery', 'CostReportList'),
    UpdateCostReport: reportOperation('UpdateCostReport', 'CostReportInput', 'Empty'),
    DeleteCostReport: reportOperation('DeleteCostReport', 'CostReportQuery', 'Empty'),
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
    Timestamp: { type: 'timestamp' },
    Empty: { type: 'structure', members: {} },
    CostReport: {
      type: 'structure',
      members: {
        ReportId: string,
        Name: string,
        Query: string,
        CreatedAt: { shape: 'Timestamp' },
        UpdatedAt: { shape: 'Timestamp' },
      },
    },
    CostReports: { type: 'list', member: { shape: 'CostReport' } },
    CostReportInput: {
      type: 'structure',
      required: ['Name', 'Query'],
      members: { ReportId: { shape: 'ReportId' }, Name: string, Query: string },
    },
    // Report ids are request ids (UUIDs); bounding them keeps a hostile id out of the not-found message.
    ReportId: { type: 'string', min: 1, max: 64 },
    CostReportQuery: { type: 'structure', members: { ReportId: { shape: 'ReportId' } } },
    CostReportOutput: { type: 'structure', members: { Report: { shape: 'CostReport' } } },
    CostReportList: { type: 'structure', members: { Reports: { shape: 'CostReports' } } },
    ResourceNotFoundException: { type: 'structure', members: { message: string }, exception: true },
    ValidationException: { type: 'structure', members: { message: string }, exception: true },
    AccessDeniedException: { type: 'structure', members: { message: string }, exception: true },
  },
};
