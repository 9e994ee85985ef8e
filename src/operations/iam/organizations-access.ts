/**
 * IAM's organizations access report: GenerateOrganizationsAccessReport combines Organizations (which
 * accounts an entity path holds, the SCP the report is limited to) with the audit trail (what those accounts'
 * principals attempted) and has IAM keep the report; GetOrganizationsAccessReport pages and sorts it. The
 * combining is here because IAM sits below both. Only the organization's management account gets a report:
 * anyone else's job, or one for a path not in the organization, completes as FAILED with the reason in
 * ErrorDetails (the model gives GenerateOrganizationsAccessReport no refusal of its own for these).
 */
import type { AuditTrail } from '../../audit/trail.js';
import { ServiceError } from '../../core/errors.js';
import type { Operation } from '../../core/operation.js';
import type {
  GenerateOrganizationsAccessReportRequest,
  GenerateOrganizationsAccessReportResponse,
  GetOrganizationsAccessReportRequest,
  GetOrganizationsAccessReportResponse,
} from '../../contracts/wire/iam.js';
import { TRACKING_DAYS } from '../../iam/last-accessed.js';
import type { Organizations } from '../../organizations/organizations.js';
import type { OperationWith } from '../registry.js';
import type { IamOperationServices } from './common.js';
import { paginate } from './pagination.js';

export type OrganizationsAccessServices = IamOperationServices & { audit: AuditTrail; organizations: Organizations };

type Op<I, O> = Operation<OrganizationsAccessServices, I, O>;

const DAY_MS = 24 * 60 * 60 * 1000;

const generate: Op<GenerateOrganizationsAccessReportRequest, GenerateOrganizationsAccessReportResponse> = {
  service: 'iam',
  name: 'GenerateOrganizationsAccessReport',
  mutates: false,
  access: (i, c) => [
    {
      action: 'iam:GenerateOrganizationsAccessReport',
      resource: `arn:aws:iam::${c.caller.accountId}:access-report/${i.EntityPath}`,
      ...(i.OrganizationsPolicyId === undefined
        ? {}
        : { context: { 'organizations:PolicyId': i.OrganizationsPolicyId } }),
    },
  ],
  handler: async (i, c) => {
    const reports = c.services.iam.organizationsAccess;
    const account = c.caller.accountId;
    const failed = (Code: string, Message: string) => reports.fail(account, i.EntityPath, { Code, Message });
    let accounts: Awaited<ReturnType<Organizations['accountsUnderPath']>>;
    let scp: string | undefined;
    try {
      accounts = await c.services.organizations.accountsUnderPath(account, i.EntityPath);
      if (i.OrganizationsPolicyId !== undefined)
        scp = (await c.services.organizations.policies.describe(account, i.OrganizationsPolicyId)).Policy.Content;
    } catch (error) {
      // Not a member, not the management account, no such policy: the job fails with Organizations' reason.
      if (error instanceof ServiceError) return { JobId: await failed(error.code, error.message) };
      throw error;
    }
    if (accounts === undefined)
      return { JobId: await failed('InvalidInput', `The entity path ${i.EntityPath} is not in the organization.`) };
    const since = new Date(c.facts.now.getTime() - TRACKING_DAYS * DAY_MS);
    const seen = await c.services.audit.accountServiceAttempts(
      accounts.map((a) => a.accountId),
      since,
    );
    return { JobId: await reports.generate(account, i.EntityPath, accounts, scp, seen) };
  },
};

const get: Op<GetOrganizationsAccessReportRequest, GetOrganizationsAccessReportResponse> = {
  service: 'iam',
  name: 'GetOrganizationsAccessReport',
  mutates: false,
  access: () => [{ action: 'iam:GetOrganizationsAccessReport', resource: '*' }],
  handler: async (i, c) => {
    const { details, ...job } = await c.services.iam.organizationsAccess.get(c.caller.accountId, i.JobId, i.SortKey);
    if (job.JobStatus === 'FAILED') return job;
    return { ...job, ...paginate(details, i, 'AccessDetails') };
  },
};

export const organizationsAccessOperations: OperationWith<OrganizationsAccessServices>[] = [generate, get];
