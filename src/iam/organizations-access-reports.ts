/**
 * IAM's organizations access reports (GenerateOrganizationsAccessReport): for an organization entity path, the
 * services its accounts' principals may use — those the given SCP allows, else every service in the catalog —
 * and when each was last attempted by any of them. The attempts and the accounts come from the audit trail and
 * Organizations, passed in by the operation (IAM sits below both). A job's report is made when it is
 * generated and kept, so GetOrganizationsAccessReport pages and sorts a fixed answer; a report that could not
 * be made (the caller does not manage the organization, the path is not in it) is kept as a FAILED job.
 */
import { catalog } from '../catalog/index.js';
import { uuid } from '../platform/ids.js';
import type { IamContext } from './context.js';
import { noSuchEntity } from './errors.js';
import { allowedNamespaces } from './last-accessed.js';

export interface AccessDetail {
  ServiceName: string;
  ServiceNamespace: string;
  Region?: string;
  EntityPath?: string;
  LastAuthenticatedTime?: string;
  TotalAuthenticatedEntities?: number;
}

/** What the trail saw of one service across the accounts (src/audit's AccountServiceAttempts). */
export interface SeenAcrossAccounts {
  last: { time: string; accountId: string; region: string };
  accounts: ReadonlySet<string>;
}

type StoredReport = { details: AccessDetail[] } | { error: { Code: string; Message: string } };

export type OrganizationsAccessSortKey =
  | 'SERVICE_NAMESPACE_ASCENDING'
  | 'SERVICE_NAMESPACE_DESCENDING'
  | 'LAST_AUTHENTICATED_TIME_ASCENDING'
  | 'LAST_AUTHENTICATED_TIME_DESCENDING';

function sorted(details: AccessDetail[], key: OrganizationsAccessSortKey | undefined): AccessDetail[] {
  const byName = (a: AccessDetail, b: AccessDetail) => a.ServiceNamespace.localeCompare(b.ServiceNamespace);
  // Never accessed sorts after every time, whichever the direction (AWS lists them last).
  const byTime = (a: AccessDetail, b: AccessDetail, sign: number) => {
    if (a.LastAuthenticatedTime === b.LastAuthenticatedTime) return byName(a, b);
    if (a.LastAuthenticatedTime === undefined) return 1;
    if (b.LastAuthenticatedTime === undefined) return -1;
    return sign * a.LastAuthenticatedTime.localeCompare(b.LastAuthenticatedTime);
  };
  const copy = [...details];
  switch (key) {
    case 'SERVICE_NAMESPACE_DESCENDING':
      return copy.sort((a, b) => byName(b, a));
    case 'LAST_AUTHENTICATED_TIME_ASCENDING':
      return copy.sort((a, b) => byTime(a, b, 1));
    case 'LAST_AUTHENTICATED_TIME_DESCENDING':
      return copy.sort((a, b) => byTime(a, b, -1));
    default:
      return copy.sort(byName);
  }
}

export class OrganizationsAccessReports {
  constructor(private readonly ctx: IamContext) {}

  /**
   * Keeps the report of the accounts under `entityPath` (each with its own path), over the services `scp`
   * allows (every service without one); returns the job's id.
   */
  async generate(
    accountId: string,
    entityPath: string,
    accounts: ReadonlyArray<{ accountId: string; path: string }>,
    scp: string | undefined,
    seen: ReadonlyMap<string, SeenAcrossAccounts>,
  ): Promise<string> {
    const pathOf = new Map(accounts.map((a) => [a.accountId, a.path]));
    const namespaces = scp === undefined ? catalog().servicePrefixes() : allowedNamespaces([scp]);
    const details = namespaces.map((namespace): AccessDetail => {
      const service = seen.get(namespace);
      return {
        ServiceName: catalog().describeService(namespace)?.name ?? namespace,
        ServiceNamespace: namespace,
        ...(service === undefined
          ? {}
          : {
              Region: service.last.region,
              EntityPath: pathOf.get(service.last.accountId) ?? entityPath,
              LastAuthenticatedTime: service.last.time,
              TotalAuthenticatedEntities: service.accounts.size,
            }),
      };
    });
    return this.keep(accountId, entityPath, { details });
  }

  /** Keeps a job that could not make its report, with the reason GetOrganizationsAccessReport answers. */
  async fail(accountId: string, entityPath: string, error: { Code: string; Message: string }): Promise<string> {
    return this.keep(accountId, entityPath, { error });
  }

  private async keep(accountId: string, entityPath: string, report: StoredReport): Promise<string> {
    const jobId = uuid(this.ctx.ids);
    const now = this.ctx.nowIso();
    await this.ctx.db
      .insertInto('iam_organizations_access_jobs')
      .values({
        job_id: jobId,
        account_id: accountId,
        entity_path: entityPath,
        created_at: now,
        completed_at: now,
        report: JSON.stringify(report),
      })
      .execute();
    return jobId;
  }

  /** GetOrganizationsAccessReport: the job and its details in the order asked (the operation pages them). */
  async get(accountId: string, jobId: string, sortKey: OrganizationsAccessSortKey | undefined) {
    const row = await this.ctx.db
      .selectFrom('iam_organizations_access_jobs')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (row === undefined) throw noSuchEntity(`Job ${jobId} was not found.`);
    const report = JSON.parse(row.report) as StoredReport;
    const job = { JobCreationDate: new Date(row.created_at), JobCompletionDate: new Date(row.completed_at) };
    if ('error' in report) return { ...job, JobStatus: 'FAILED' as const, ErrorDetails: report.error, details: [] };
    const accessed = report.details.filter((d) => d.LastAuthenticatedTime !== undefined).length;
    return {
      ...job,
      JobStatus: 'COMPLETED' as const,
      NumberOfServicesAccessible: report.details.length,
      NumberOfServicesNotAccessed: report.details.length - accessed,
      details: sorted(report.details, sortKey).map(({ LastAuthenticatedTime, ...rest }) => ({
        ...rest,
        ...(LastAuthenticatedTime === undefined ? {} : { LastAuthenticatedTime: new Date(LastAuthenticatedTime) }),
      })),
    };
  }
}
