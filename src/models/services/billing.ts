/**
 * The wire model of `GetCredits` (src/operations/bills/credits.ts) and of the IAM-access switch
 * (`Get`/`UpdateIAMAccessPreference`, src/operations/billing-console/operations.ts, which `bursar scenario`
 * sets): AWS's Billing service endpoint (JSON 1.0, `AWSBilling.*`, signing name `billing`) with these Bursar
 * operations; AWS's own Billing API operations (billing views) are not served, and AWS has no API for the switch.
 */
import type { ServiceModel } from '../model.js';

const string = { shape: 'String' };
export const billingServiceModel: ServiceModel = {
  metadata: {
    apiVersion: '2023-09-07',
    endpointPrefix: 'billing',
    protocol: 'json',
    jsonVersion: '1.0',
    targetPrefix: 'AWSBilling',
    signingName: 'billing',
    serviceId: 'Billing',
  },
  operations: {
    GetCredits: {
      name: 'GetCredits',
      http: { method: 'POST', requestUri: '/' },
      input: { shape: 'GetCreditsRequest' },
      output: { shape: 'GetCreditsResponse' },
      errors: [{ shape: 'ValidationException' }, { shape: 'AccessDeniedException' }],
    },
    GetIAMAccessPreference: {
      name: 'GetIAMAccessPreference',
      http: { method: 'POST', requestUri: '/' },
      input: { shape: 'Empty' },
      output: { shape: 'IAMAccessPreference' },
      errors: [{ shape: 'AccessDeniedException' }],
    },
    UpdateIAMAccessPreference: {
      name: 'UpdateIAMAccessPreference',
      http: { method: 'POST', requestUri: '/' },
      input: { shape: 'IAMAccessPreference' },
      output: { shape: 'IAMAccessPreference' },
      errors: [{ shape: 'ValidationException' }, { shape: 'AccessDeniedException' }],
    },
  },
  shapes: {
    String: { type: 'string' },
    Empty: { type: 'structure', members: {} },
    IamUserAccessToBilling: { type: 'string', enum: ['ALLOW', 'DENY'] },
    IAMAccessPreference: {
      type: 'structure',
      required: ['IamUserAccessToBilling'],
      members: { IamUserAccessToBilling: { shape: 'IamUserAccessToBilling' } },
    },
    YearMonthDay: { type: 'string', pattern: '(\\d{4}-\\d{2}-\\d{2})' },
    DateInterval: {
      type: 'structure',
      required: ['Start', 'End'],
      members: { Start: { shape: 'YearMonthDay' }, End: { shape: 'YearMonthDay' } },
    },
    GetCreditsRequest: { type: 'structure', members: { TimePeriod: { shape: 'DateInterval' } } },
    Money: { type: 'structure', required: ['Amount', 'Unit'], members: { Amount: string, Unit: string } },
    ServiceCredit: { type: 'structure', required: ['Service', 'Amount'], members: { Service: string, Amount: string } },
    ServiceCredits: { type: 'list', member: { shape: 'ServiceCredit' } },
    AccountCredit: {
      type: 'structure',
      required: ['AccountId', 'Amount'],
      members: { AccountId: string, AccountName: string, Amount: string },
    },
    AccountCredits: { type: 'list', member: { shape: 'AccountCredit' } },
    PeriodCredits: {
      type: 'structure',
      required: ['BillingPeriod', 'Amount', 'Unit', 'ByService'],
      members: {
        BillingPeriod: string,
        Amount: string,
        Unit: string,
        ByService: { shape: 'ServiceCredits' },
        ByAccount: { shape: 'AccountCredits' },
      },
    },
    PeriodCreditsList: { type: 'list', member: { shape: 'PeriodCredits' } },
    GetCreditsResponse: {
      type: 'structure',
      required: ['TimePeriod', 'Total', 'CreditsByPeriod'],
      members: {
        TimePeriod: { shape: 'DateInterval' },
        Total: { shape: 'Money' },
        CreditsByPeriod: { shape: 'PeriodCreditsList' },
      },
    },
    ValidationException: { type: 'structure', members: { message: string }, exception: true },
    AccessDeniedException: { type: 'structure', members: { message: string }, exception: true },
  },
};
