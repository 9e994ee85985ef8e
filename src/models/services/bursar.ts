/** The wire model of Bursar's own JSON 1.1 operations (`BursarService.*`: ImportCostData, saved cost reports, who can), registered beside AWS's as `bursar`. */
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
    ListPrincipalsWithAccess: {
      name: 'ListPrincipalsWithAccess',
      http: { method: 'POST', requestUri: '/' },
      input: { shape: 'ListPrincipalsWithAccessRequest' },
      output: { shape: 'ListPrincipalsWithAccessResponse' },
      errors: [{ shape: 'ValidationException' }, { shape: 'AccessDeniedException' }],
    },
    ListActionsForPrincipal: {
      name: 'ListActionsForPrincipal',
      http: { method: 'POST', requestUri: '/' },
      input: { shape: 'ListActionsForPrincipalRequest' },
      output: { shape: 'ListActionsForPrincipalResponse' },
      errors: [
        { shape: 'ValidationException' },
        { shape: 'AccessDeniedException' },
        { shape: 'ResourceNotFoundException' },
      ],
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
    // Who can? (src/operations/bursar/who-can.ts)
    AccessAccountId: { type: 'string', pattern: '^\\d{12}$' },
    AccessActionName: { type: 'string', min: 3, max: 128 },
    AccessResource: { type: 'string', min: 1, max: 2048 },
    AccessPrincipal: { type: 'string', min: 1, max: 2048 },
    AccessServicePrefix: { type: 'string', min: 1, max: 64 },
    Strings: { type: 'list', member: string },
    Integer: { type: 'integer' },
    ListPrincipalsWithAccessRequest: {
      type: 'structure',
      required: ['Action'],
      members: {
        Action: { shape: 'AccessActionName' },
        Resource: { shape: 'AccessResource' },
        AccountId: { shape: 'AccessAccountId' },
      },
    },
    ListActionsForPrincipalRequest: {
      type: 'structure',
      required: ['Principal'],
      members: {
        Principal: { shape: 'AccessPrincipal' },
        Service: { shape: 'AccessServicePrefix' },
        Resource: { shape: 'AccessResource' },
        AccountId: { shape: 'AccessAccountId' },
      },
    },
    AccessStatement: {
      type: 'structure',
      members: {
        PolicyType: string,
        PolicyId: string,
        Origin: string,
        Via: { shape: 'Strings' },
        StatementIndex: { shape: 'Integer' },
        Effect: string,
        Sid: string,
      },
    },
    AccessStatements: { type: 'list', member: { shape: 'AccessStatement' } },
    AccessContextEntry: { type: 'structure', members: { Key: string, Value: string } },
    AccessContext: { type: 'list', member: { shape: 'AccessContextEntry' } },
    AccessOutcome: { type: 'structure', members: { Context: { shape: 'AccessContext' }, Decision: string } },
    AccessOutcomes: { type: 'list', member: { shape: 'AccessOutcome' } },
    PrincipalAccess: {
      type: 'structure',
      members: {
        AccountId: string,
        PrincipalType: string,
        Name: string,
        Arn: string,
        Action: string,
        Resource: string,
        Decision: string,
        EngineDecision: string,
        Explanation: string,
        ConditionKeys: { shape: 'Strings' },
        Outcomes: { shape: 'AccessOutcomes' },
        GrantedBy: { shape: 'AccessStatements' },
        DeniedBy: { shape: 'AccessStatements' },
        LimitedBy: { shape: 'Strings' },
        PermissionsBoundaryArn: string,
        AssumableBy: { shape: 'Strings' },
        Console: { shape: 'ConsoleGateVerdict' },
      },
    },
    ConsoleGateVerdict: {
      type: 'structure',
      members: { Verdict: string, Reason: string, ActionSet: string, Pages: { shape: 'Strings' } },
    },
    PrincipalAccessList: { type: 'list', member: { shape: 'PrincipalAccess' } },
    ListPrincipalsWithAccessResponse: {
      type: 'structure',
      members: { Principals: { shape: 'PrincipalAccessList' } },
    },
    AnalyzedPrincipal: {
      type: 'structure',
      members: { AccountId: string, PrincipalType: string, Name: string, Arn: string },
    },
    AccessLevelActions: {
      type: 'structure',
      members: { AccessLevel: string, Actions: { shape: 'PrincipalAccessList' } },
    },
    AccessLevelActionsList: { type: 'list', member: { shape: 'AccessLevelActions' } },
    ListActionsForPrincipalResponse: {
      type: 'structure',
      members: {
        Principal: { shape: 'AnalyzedPrincipal' },
        AccessLevels: { shape: 'AccessLevelActionsList' },
      },
    },
    ResourceNotFoundException: { type: 'structure', members: { message: string }, exception: true },
    ValidationException: { type: 'structure', members: { message: string }, exception: true },
    AccessDeniedException: { type: 'structure', members: { message: string }, exception: true },
  },
};
