/**
 * The audit trail: a CloudTrail-shaped event for every state change and every denial, stored in the
 * `audit_events` table and looked up newest first (LookupEvents, `bursar events`).
 */
import type { Kysely } from 'kysely';
import { requestId as newEventId, type IdSource } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import { withBeforeCommit, type BeforeCommit } from '../store/commit-hooks.js';
import type { Database } from '../store/schema.js';
import type { AccessChangeRecord, Caller, RequestFacts } from '../core/operation.js';
import { accountServiceAttempts, serviceAttempts } from './last-accessed.js';

/** CloudTrail prints this in place of values it will not record. */
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

// Members whose values are secrets. Policy documents are not secrets and stay.
const SECRET_MEMBER =
  /password|secret|sessiontoken|identitytoken|privatekey|tokencode|authenticationcode|credentials$/i;

export interface CloudTrailUserIdentity {
  type: 'Root' | 'IAMUser' | 'AssumedRole' | 'FederatedUser' | 'WebIdentityUser';
  principalId: string;
  arn: string;
  accountId: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: {
    sessionIssuer: { type: 'Role'; principalId: string; arn: string; accountId: string; userName: string };
    attributes: { mfaAuthenticated: 'true' | 'false' };
  };
}

export interface CloudTrailEvent {
  eventVersion: '1.08';
  userIdentity: CloudTrailUserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall';
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: 'Management';
  /** Bursar's addition: what authorization decided (`NotRequired` for operations that need no permission). */
  decision: string;
  /** Bursar's addition: the actions authorization asked about (the page's, for a console call of a gated operation). */
  evaluatedActions?: string[];
  /** Bursar's addition: for a change to who may do what, the Billing console access each principal gained and lost. */
  accessChanges?: AccessChangeRecord[];
}

export interface AuditInput {
  caller: Caller;
  facts: RequestFacts & { region?: string };
  service: string;
  operation: string;
  input: Record<string, unknown>;
  output?: Record<string, unknown>;
  error?: { code: string; message: string };
  decision: string;
  evaluatedActions?: string[];
  accessChanges?: AccessChangeRecord[];
  readOnly: boolean;
}

export interface LookupQuery {
  attribute?: { key: string; value: string };
  startTime?: Date;
  endTime?: Date;
  maxResults?: number;
  nextToken?: string;
}

export interface StoredEvent {
  event: CloudTrailEvent;
  username: string | null;
  accessKeyId: string | null;
}

/** CloudTrail drops secrets from what it records; so do we, at any depth. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return HIDDEN;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, SECRET_MEMBER.test(key) ? HIDDEN : redact(inner)]),
    );
  }
  return value;
}

function lowerFirstKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerFirstKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key.charAt(0).toLowerCase() + key.slice(1), lowerFirstKeys(inner)]),
    );
  }
  return value;
}

export function userIdentity(caller: Caller): CloudTrailUserIdentity {
  const key = caller.accessKeyId === undefined ? {} : { accessKeyId: caller.accessKeyId };
  // An unsigned call (AssumeRoleWithWebIdentity), known by the identity provider that vouched for it.
  if (caller.kind === 'anonymous') {
    return { type: 'WebIdentityUser', principalId: caller.arn, arn: caller.arn, accountId: caller.accountId };
  }
  if (caller.kind === 'root') {
    return { type: 'Root', principalId: caller.accountId, arn: caller.arn, accountId: caller.accountId, ...key };
  }
  if (caller.kind === 'user') {
    return {
      type: 'IAMUser',
      principalId: caller.userId,
      arn: caller.arn,
      accountId: caller.accountId,
      ...key,
      userName: caller.name ?? '',
    };
  }
  // GetFederationToken's session: CloudTrail names it by its `ACCOUNT:name` id and federated-user ARN.
  if (caller.kind === 'federated-user') {
    return { type: 'FederatedUser', principalId: caller.userId, arn: caller.arn, accountId: caller.accountId, ...key };
  }
  const roleName = caller.roleArn?.split('/').at(-1) ?? caller.name ?? '';
  return {
    type: 'AssumedRole',
    principalId: caller.userId,
    arn: caller.arn,
    accountId: caller.accountId,
    ...key,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: caller.userId.split(':')[0]!,
        arn: caller.roleArn ?? '',
        accountId: caller.accountId,
        userName: roleName,
      },
      attributes: { mfaAuthenticated: caller.mfaAuthenticated ? 'true' : 'false' },
    },
  };
}

/** CloudTrail's `Username` lookup attribute: the user name, `root`, or the role session name. */
function lookupUsername(caller: Caller): string {
  if (caller.kind === 'root') return 'root';
  if (caller.kind === 'assumed-role') return caller.sessionName ?? caller.name ?? '';
  return caller.name ?? '';
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface PageToken {
  time: string;
  id: string;
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: string): PageToken | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as PageToken;
    return typeof value.time === 'string' && typeof value.id === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

export class InvalidNextToken extends Error {}

/** An audit event begun before a state-changing call runs (see AuditTrail.begin). */
export interface PendingAuditEvent {
  /** Runs the call: its first committed transaction carries the event. */
  during<T>(work: () => Promise<T>): Promise<T>;
  /** Completes the event with what the call returned or threw, and the decision to record. */
  finish(outcome: Pick<AuditInput, 'decision' | 'output' | 'error'>): Promise<void>;
}

export class AuditTrail {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ids: IdSource,
    private readonly logger: Logger,
  ) {}

  /** The attempts of these IAM users and roles on each service since a time (see last-accessed.ts). */
  serviceAttempts(accountId: string, since: Date, entities: ReadonlySet<string>) {
    return serviceAttempts(this.db, accountId, since, entities);
  }

  /** What every principal of these accounts attempted since `since`, by service (organizations access report). */
  accountServiceAttempts(accountIds: readonly string[], since: Date) {
    return accountServiceAttempts(this.db, accountIds, since);
  }

  build(entry: AuditInput, eventId = newEventId(this.ids)): CloudTrailEvent {
    const { caller, facts } = entry;
    return {
      eventVersion: '1.08',
      userIdentity: userIdentity(caller),
      eventTime: isoSeconds(facts.now),
      eventSource: `${entry.service}.amazonaws.com`,
      eventName: entry.operation,
      awsRegion: facts.region ?? 'us-east-1',
      sourceIPAddress: facts.sourceIp,
      userAgent: facts.userAgent,
      requestParameters:
        Object.keys(entry.input).length === 0 ? null : (lowerFirstKeys(redact(entry.input)) as Record<string, unknown>),
      responseElements:
        entry.readOnly || entry.output === undefined || Object.keys(entry.output).length === 0
          ? null
          : (lowerFirstKeys(redact(entry.output)) as Record<string, unknown>),
      ...(entry.error === undefined ? {} : { errorCode: entry.error.code, errorMessage: entry.error.message }),
      requestID: facts.requestId,
      eventID: eventId,
      readOnly: entry.readOnly,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: caller.accountId,
      eventCategory: 'Management',
      decision: entry.decision,
      ...(entry.evaluatedActions === undefined ? {} : { evaluatedActions: entry.evaluatedActions }),
      ...(entry.accessChanges === undefined ? {} : { accessChanges: entry.accessChanges }),
    };
  }

  private insert(entry: AuditInput, event: CloudTrailEvent) {
    return this.db.insertInto('audit_events').values({
      event_id: event.eventID,
      event_time: entry.facts.now.toISOString(),
      account_id: entry.caller.accountId,
      event_source: event.eventSource,
      event_name: event.eventName,
      username: lookupUsername(entry.caller),
      access_key_id: entry.caller.accessKeyId ?? null,
      read_only: event.readOnly ? 1 : 0,
      decision: event.decision,
      error_code: event.errorCode ?? null,
      event: JSON.stringify(event),
    });
  }

  /** Records an event. A failure to write is logged, not thrown: the call's outcome has already happened. */
  async record(entry: AuditInput, eventId?: string): Promise<CloudTrailEvent> {
    const event = this.build(entry, eventId);
    try {
      await this.insert(entry, event).execute();
    } catch (error) {
      this.logger.error('audit event not recorded', { eventID: event.eventID, error: String(error) });
    }
    return event;
  }

  /**
   * The event of a state-changing call, written inside the first transaction the call commits (so the change
   * is never durable without it) and completed with the outcome afterwards: the response elements, or the
   * error of a call that failed after committing. A call that commits no transaction (a single autocommitted
   * statement, or none) has its event written when it finishes, as `record` does.
   */
  begin(entry: AuditInput): PendingAuditEvent {
    const eventId = newEventId(this.ids);
    const provisional = this.build(entry, eventId);
    let written = false;
    const beforeCommit: BeforeCommit = async (execute) => {
      if (written) return;
      // Claimed before the insert runs: two transactions of one call committing together write it once.
      written = true;
      await execute(this.insert(entry, provisional).compile());
    };
    return {
      during: (work) => withBeforeCommit(beforeCommit, work),
      finish: async (outcome) => {
        const final: AuditInput = { ...entry, ...outcome };
        const event = this.build(final, eventId);
        if (written) {
          if (JSON.stringify(event) === JSON.stringify(provisional)) return;
          try {
            const updated = await this.db
              .updateTable('audit_events')
              .set({ decision: event.decision, error_code: event.errorCode ?? null, event: JSON.stringify(event) })
              .where('event_id', '=', eventId)
              .executeTakeFirst();
            // No row: the transaction that carried the event rolled back after all.
            if (Number(updated.numUpdatedRows) > 0) return;
          } catch (error) {
            this.logger.error('audit event not completed', { eventID: eventId, error: String(error) });
            return;
          }
        }
        await this.record(final, eventId);
      },
    };
  }

  /**
   * Events of one account (every account when undefined: the operator's `bursar events --data-dir`),
   * newest first, with CloudTrail's lookup attributes and paging.
   */
  async lookup(
    accountId: string | undefined,
    query: LookupQuery,
  ): Promise<{ events: StoredEvent[]; nextToken?: string }> {
    const limit = Math.min(Math.max(query.maxResults ?? 50, 1), 50);
    let select = this.db.selectFrom('audit_events').selectAll();
    if (accountId !== undefined) select = select.where('account_id', '=', accountId);
    if (query.startTime !== undefined) select = select.where('event_time', '>=', query.startTime.toISOString());
    if (query.endTime !== undefined) select = select.where('event_time', '<=', query.endTime.toISOString());
    const attribute = query.attribute;
    if (attribute !== undefined) {
      switch (attribute.key) {
        case 'EventId':
          select = select.where('event_id', '=', attribute.value);
          break;
        case 'EventName':
          select = select.where('event_name', '=', attribute.value);
          break;
        case 'EventSource':
          select = select.where('event_source', '=', attribute.value);
          break;
        case 'Username':
          select = select.where('username', '=', attribute.value);
          break;
        case 'AccessKeyId':
          select = select.where('access_key_id', '=', attribute.value);
          break;
        case 'ReadOnly':
          select = select.where('read_only', '=', attribute.value === 'true' ? 1 : 0);
          break;
        default:
          // Resource lookups need per-operation resource extraction, which the trail does not keep.
          return { events: [] };
      }
    }
    if (query.nextToken !== undefined) {
      const token = decodeToken(query.nextToken);
      if (token === undefined) throw new InvalidNextToken('Invalid NextToken');
      select = select.where((eb) =>
        eb.or([
          eb('event_time', '<', token.time),
          eb.and([eb('event_time', '=', token.time), eb('event_id', '<', token.id)]),
        ]),
      );
    }
    const rows = await select
      .orderBy('event_time', 'desc')
      .orderBy('event_id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      events: page.map((row) => ({
        event: JSON.parse(row.event) as CloudTrailEvent,
        username: row.username,
        accessKeyId: row.access_key_id,
      })),
      ...(rows.length > limit && last !== undefined
        ? { nextToken: encodeToken({ time: last.event_time, id: last.event_id }) }
        : {}),
    };
  }
}

export interface AuditServices {
  audit: AuditTrail;
}
