/**
 * Service last accessed data (IAM's access advisor): for a user, group, role or managed policy, the services
 * its policies allow, and when each was last attempted by the users and roles it reaches — the user or role
 * itself, a group's members, or every user and role a policy is attached to (directly or through a group).
 * The attempts come from the audit trail (src/audit/last-accessed.ts), passed in by the operation; a job's
 * report is computed when it is generated and kept, so GetServiceLastAccessedDetails pages a fixed answer.
 */
import { catalog } from '../catalog/index.js';
import { parseDocument } from '../policy/index.js';
import { hasWildcard, wildcardMatcher } from '../policy/validate-text.js';
import { uuid } from '../platform/ids.js';
import { invalidInput, noSuchEntity } from './errors.js';
import type { IamContext } from './context.js';
import { findPolicyByArn } from './records.js';
import type { Simulator } from './simulator.js';

/** AWS reports attempts of the last 400 days. */
export const TRACKING_DAYS = 400;
/** The services whose actions AWS tracks one by one (ACTION_LEVEL). */
const TRACKED_ACTION_SERVICES = new Set(['ec2', 'iam', 'lambda', 's3']);

export interface EntityInfo {
  Arn: string;
  Name: string;
  Type: 'USER' | 'ROLE' | 'GROUP';
  Id: string;
  Path: string;
}

/** What the audit trail saw of one service (the shape of src/audit's ServiceAttempts). */
export interface SeenService {
  last: { time: string; entity: string; region: string };
  byEntity: ReadonlyMap<string, string>;
  actions: ReadonlyMap<string, { time: string; entity: string; region: string; action: string }>;
}

/** Whose attempts count for a report, and which services its policies allow. */
export interface LastAccessedSubject {
  arn: string;
  entities: EntityInfo[];
  namespaces: string[];
}

interface StoredReport {
  services: {
    ServiceName: string;
    ServiceNamespace: string;
    LastAuthenticated?: string;
    LastAuthenticatedEntity?: string;
    LastAuthenticatedRegion?: string;
    TotalAuthenticatedEntities: number;
    TrackedActionsLastAccessed?: {
      ActionName: string;
      LastAccessedEntity: string;
      LastAccessedTime: string;
      LastAccessedRegion: string;
    }[];
  }[];
  entities: Record<string, { EntityInfo: EntityInfo; LastAuthenticated?: string }[]>;
}

/** The service namespaces the Allow statements of these documents name (a `NotAction` allows nearly all). */
export function allowedNamespaces(documents: readonly string[]): string[] {
  const all = catalog().servicePrefixes();
  const found = new Set<string>();
  for (const text of documents) {
    const parsed = parseDocument(text);
    if (!parsed.ok) continue;
    for (const statement of parsed.document.statements) {
      if (statement.effect !== 'Allow') continue;
      if (statement.notAction !== undefined) all.forEach((p) => found.add(p));
      for (const action of statement.action ?? []) {
        const prefix = action === '*' ? '*' : action.slice(0, action.indexOf(':')).toLowerCase();
        if (!hasWildcard(prefix)) {
          found.add(prefix);
          continue;
        }
        const matches = wildcardMatcher(prefix);
        for (const candidate of all) if (matches(candidate)) found.add(candidate);
      }
    }
  }
  return [...found].sort();
}

/**
 * Whether an Allow statement of the document grants any action of the service: an Action whose service part
 * matches the namespace, or a NotAction that does not exclude the whole service (`*`, `<service>:*`).
 */
function grantsService(document: string, namespace: string): boolean {
  const parsed = parseDocument(document);
  if (!parsed.ok) return false;
  const servicePart = (action: string) => (action === '*' ? '*' : action.slice(0, action.indexOf(':')));
  return parsed.document.statements.some((statement) => {
    if (statement.effect !== 'Allow') return false;
    if (statement.notAction !== undefined) {
      return !statement.notAction.some(
        (action) => action === '*' || (action.endsWith(':*') && wildcardMatcher(servicePart(action))(namespace)),
      );
    }
    return (statement.action ?? []).some((action) => wildcardMatcher(servicePart(action))(namespace));
  });
}

export class LastAccessedService {
  constructor(
    private readonly ctx: IamContext,
    private readonly simulator: Simulator,
  ) {}

  private async users(ids: string[]): Promise<EntityInfo[]> {
    if (ids.length === 0) return [];
    const rows = await this.ctx.db
      .selectFrom('iam_users')
      .select(['arn', 'name', 'user_id', 'path'])
      .where('user_id', 'in', ids)
      .orderBy('name_key')
      .execute();
    return rows.map((r) => ({ Arn: r.arn, Name: r.name, Type: 'USER', Id: r.user_id, Path: r.path }));
  }

  private async roles(ids: string[]): Promise<EntityInfo[]> {
    if (ids.length === 0) return [];
    const rows = await this.ctx.db
      .selectFrom('iam_roles')
      .select(['arn', 'name', 'role_id', 'path'])
      .where('role_id', 'in', ids)
      .orderBy('name_key')
      .execute();
    return rows.map((r) => ({ Arn: r.arn, Name: r.name, Type: 'ROLE', Id: r.role_id, Path: r.path }));
  }

  private async groupMembers(groupIds: string[]): Promise<string[]> {
    if (groupIds.length === 0) return [];
    const rows = await this.ctx.db
      .selectFrom('iam_group_members')
      .select('user_id')
      .where('group_id', 'in', groupIds)
      .execute();
    return [...new Set(rows.map((r) => r.user_id))];
  }

  /** The subject of a report on this ARN: AWS's InvalidInput for an ARN that is not one, NoSuchEntity for none. */
  async subject(accountId: string, arn: string): Promise<LastAccessedSubject> {
    const match = /^arn:aws:iam::(\d{12}|aws):(user|group|role|policy)\/(?:.*\/)?[^/]+$/.exec(arn);
    if (!match || (match[1] !== accountId && match[2] !== 'policy')) throw invalidInput(`Invalid ARN: ${arn}`);
    const kind = match[2] as 'user' | 'group' | 'role' | 'policy';
    if (kind === 'policy') {
      const policy = await findPolicyByArn(this.ctx.db, accountId, arn);
      if (!policy) throw noSuchEntity(`Policy ${arn} was not found.`);
      const version = await this.ctx.db
        .selectFrom('iam_policy_versions')
        .select('document')
        .where('policy_id', '=', policy.policy_id)
        .where('version_id', '=', policy.default_version_id)
        .executeTakeFirstOrThrow();
      const attached = await this.ctx.db
        .selectFrom('iam_policy_attachments')
        .select(['entity_type', 'entity_id'])
        .where('policy_id', '=', policy.policy_id)
        .execute();
      const of = (type: string) => attached.filter((a) => a.entity_type === type).map((a) => a.entity_id);
      const userIds = [...new Set([...of('user'), ...(await this.groupMembers(of('group')))])];
      // An AWS managed policy's attachments span accounts: only this account's users and roles are its entities.
      const entities = [...(await this.users(userIds)), ...(await this.roles(of('role')))].filter((e) =>
        e.Arn.startsWith(`arn:aws:iam::${accountId}:`),
      );
      return { arn, entities, namespaces: allowedNamespaces([version.document]) };
    }
    const { sources } = await this.simulator.principalPolicies(accountId, arn);
    const namespaces = allowedNamespaces(sources.filter((s) => s.policyType === 'identity').map((s) => s.document));
    if (kind === 'group') {
      const group = await this.ctx.db
        .selectFrom('iam_groups')
        .select('group_id')
        .where('arn', '=', arn)
        .executeTakeFirstOrThrow();
      return { arn, entities: await this.users(await this.groupMembers([group.group_id])), namespaces };
    }
    const table = kind === 'user' ? 'iam_users' : 'iam_roles';
    const row = await this.ctx.db
      .selectFrom(table)
      .select(kind === 'user' ? 'user_id as id' : 'role_id as id')
      .where('arn', '=', arn)
      .executeTakeFirstOrThrow();
    const entities = kind === 'user' ? await this.users([row.id]) : await this.roles([row.id]);
    return { arn, entities, namespaces };
  }

  /**
   * ListPoliciesGrantingServiceAccess: for each namespace, the identity policies of the user (with its groups'),
   * group or role that grant access to the service — managed ones by ARN, inline ones with their owner.
   */
  async policiesGrantingServiceAccess(accountId: string, arn: string, namespaces: readonly string[]) {
    const { sources } = await this.simulator.principalPolicies(accountId, arn);
    const identity = sources.filter((s) => s.policyType === 'identity');
    return namespaces.map((namespace) => ({
      ServiceNamespace: namespace,
      Policies: identity
        .filter((source) => grantsService(source.document, namespace))
        .map((source) =>
          source.embeddedIn
            ? {
                PolicyName: source.embeddedIn.policyName,
                PolicyType: 'INLINE' as const,
                EntityType: source.embeddedIn.type.toUpperCase() as 'USER' | 'GROUP' | 'ROLE',
                EntityName: source.embeddedIn.name,
              }
            : {
                PolicyName: source.policyId.slice(source.policyId.lastIndexOf('/') + 1),
                PolicyType: 'MANAGED' as const,
                PolicyArn: source.policyId,
              },
        ),
    }));
  }

  /** Builds and keeps the report of a subject from what the audit trail saw; returns the job's id. */
  async generate(
    accountId: string,
    subject: LastAccessedSubject,
    granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL',
    seen: ReadonlyMap<string, SeenService>,
  ): Promise<string> {
    const report: StoredReport = { services: [], entities: {} };
    for (const namespace of subject.namespaces) {
      const service = seen.get(namespace);
      const tracked =
        granularity === 'ACTION_LEVEL' && TRACKED_ACTION_SERVICES.has(namespace) && service !== undefined
          ? [...service.actions.values()].map((a) => ({
              ActionName: a.action.slice(a.action.indexOf(':') + 1),
              LastAccessedEntity: a.entity,
              LastAccessedTime: a.time,
              LastAccessedRegion: a.region,
            }))
          : undefined;
      report.services.push({
        ServiceName: catalog().describeService(namespace)?.name ?? namespace,
        ServiceNamespace: namespace,
        ...(service === undefined
          ? {}
          : {
              LastAuthenticated: service.last.time,
              LastAuthenticatedEntity: service.last.entity,
              LastAuthenticatedRegion: service.last.region,
            }),
        TotalAuthenticatedEntities: service?.byEntity.size ?? 0,
        ...(tracked === undefined ? {} : { TrackedActionsLastAccessed: tracked }),
      });
      report.entities[namespace] = subject.entities.map((entity) => {
        const time = service?.byEntity.get(entity.Arn);
        return { EntityInfo: entity, ...(time === undefined ? {} : { LastAuthenticated: time }) };
      });
    }
    const jobId = uuid(this.ctx.ids);
    const now = this.ctx.nowIso();
    await this.ctx.db
      .insertInto('iam_last_accessed_jobs')
      .values({
        job_id: jobId,
        account_id: accountId,
        entity_arn: subject.arn,
        granularity,
        created_at: now,
        completed_at: now,
        report: JSON.stringify(report),
      })
      .execute();
    return jobId;
  }

  private async job(accountId: string, jobId: string) {
    const row = await this.ctx.db
      .selectFrom('iam_last_accessed_jobs')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw noSuchEntity(`Job ${jobId} was not found.`);
    return { row, report: JSON.parse(row.report) as StoredReport };
  }

  /** GetServiceLastAccessedDetails: the job and every service of its report (the operation pages them). */
  async details(accountId: string, jobId: string) {
    const { row, report } = await this.job(accountId, jobId);
    return {
      JobStatus: 'COMPLETED' as const,
      JobType: row.granularity,
      JobCreationDate: new Date(row.created_at),
      JobCompletionDate: new Date(row.completed_at),
      services: report.services.map(({ LastAuthenticated, TrackedActionsLastAccessed, ...rest }) => ({
        ...rest,
        ...(LastAuthenticated === undefined ? {} : { LastAuthenticated: new Date(LastAuthenticated) }),
        ...(TrackedActionsLastAccessed === undefined
          ? {}
          : {
              TrackedActionsLastAccessed: TrackedActionsLastAccessed.map((a) => ({
                ...a,
                LastAccessedTime: new Date(a.LastAccessedTime),
              })),
            }),
      })),
    };
  }

  /** GetServiceLastAccessedDetailsWithEntities: the job and the entities of one service of its report. */
  async entities(accountId: string, jobId: string, namespace: string) {
    const { row, report } = await this.job(accountId, jobId);
    const entities = report.entities[namespace.toLowerCase()];
    if (entities === undefined)
      throw invalidInput(`The service namespace ${namespace} is not in the report of job ${jobId}.`);
    return {
      JobStatus: 'COMPLETED' as const,
      JobCreationDate: new Date(row.created_at),
      JobCompletionDate: new Date(row.completed_at),
      entities: entities.map((e) => ({
        EntityInfo: e.EntityInfo,
        ...(e.LastAuthenticated === undefined ? {} : { LastAuthenticated: new Date(e.LastAuthenticated) }),
      })),
    };
  }
}
