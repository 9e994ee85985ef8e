/**
 * What IAM's access advisor (GenerateServiceLastAccessedDetails) reads from the audit trail: for the given IAM
 * users and roles, when each last attempted each service, and each action. AWS counts attempts, allowed or
 * denied ("an unexpected entry … does not mean that your account has been compromised, because the request
 * might have been denied"); the trail holds every state change and every denial, so the one kind of attempt
 * it cannot show is an allowed read. A role's attempts are its sessions' (the event's session issuer).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { CloudTrailEvent } from './trail.js';

export interface Attempt {
  /** ISO-8601 time of the attempt. */
  time: string;
  /** The user's or role's ARN. */
  entity: string;
  region: string;
}

export interface ServiceAttempts {
  /** The latest attempt on the service. */
  last: Attempt;
  /** Each entity's latest attempt on the service. */
  byEntity: Map<string, string>;
  /** The latest attempt on each action (`iam:CreateUser`), by lower-cased action. */
  actions: Map<string, Attempt & { action: string }>;
}

const BATCH = 1000;

function entityOf(event: CloudTrailEvent): string | undefined {
  if (event.userIdentity.type === 'IAMUser') return event.userIdentity.arn;
  if (event.userIdentity.type === 'AssumedRole') return event.userIdentity.sessionContext?.sessionIssuer.arn;
  return undefined;
}

/**
 * The attempts since `since` of the given users and roles, by lower-cased service namespace. Read newest
 * first in batches, so the first attempt seen of each service, entity and action is its latest.
 */
export async function serviceAttempts(
  db: Kysely<Database>,
  accountId: string,
  since: Date,
  entities: ReadonlySet<string>,
): Promise<Map<string, ServiceAttempts>> {
  const services = new Map<string, ServiceAttempts>();
  if (entities.size === 0) return services;
  let after: { time: string; id: string } | undefined;
  for (;;) {
    let query = db
      .selectFrom('audit_events')
      .select(['event_id', 'event_time', 'event'])
      .where('account_id', '=', accountId)
      .where('event_time', '>=', since.toISOString());
    if (after !== undefined) {
      const { time, id } = after;
      query = query.where((eb) =>
        eb.or([eb('event_time', '<', time), eb.and([eb('event_time', '=', time), eb('event_id', '<', id)])]),
      );
    }
    const rows = await query.orderBy('event_time', 'desc').orderBy('event_id', 'desc').limit(BATCH).execute();
    for (const row of rows) {
      const event = JSON.parse(row.event) as CloudTrailEvent;
      const entity = entityOf(event);
      if (entity === undefined || !entities.has(entity)) continue;
      const attempt = { time: row.event_time, entity, region: event.awsRegion };
      const actions = event.evaluatedActions ?? [`${event.eventSource.split('.')[0]}:${event.eventName}`];
      for (const action of actions) {
        const namespace = action.slice(0, action.indexOf(':')).toLowerCase();
        let service = services.get(namespace);
        if (service === undefined) {
          service = { last: attempt, byEntity: new Map(), actions: new Map() };
          services.set(namespace, service);
        }
        if (!service.byEntity.has(entity)) service.byEntity.set(entity, attempt.time);
        if (!service.actions.has(action.toLowerCase()))
          service.actions.set(action.toLowerCase(), { ...attempt, action });
      }
    }
    if (rows.length < BATCH) return services;
    const last = rows[rows.length - 1]!;
    after = { time: last.event_time, id: last.event_id };
  }
}

/** One service's attempts across accounts (IAM's organizations access report). */
export interface AccountServiceAttempts {
  /** The latest attempt: when, from which account, in which region. */
  last: { time: string; accountId: string; region: string };
  /** The accounts whose principals (root, users, roles, federated users) attempted the service. */
  accounts: Set<string>;
}

/**
 * The attempts since `since` of every principal of the given accounts, by lower-cased service namespace. An
 * unsigned call's event (a web identity's) is not an account principal's and does not count.
 */
export async function accountServiceAttempts(
  db: Kysely<Database>,
  accountIds: readonly string[],
  since: Date,
): Promise<Map<string, AccountServiceAttempts>> {
  const services = new Map<string, AccountServiceAttempts>();
  if (accountIds.length === 0) return services;
  let after: { time: string; id: string } | undefined;
  for (;;) {
    let query = db
      .selectFrom('audit_events')
      .select(['event_id', 'event_time', 'account_id', 'event'])
      .where('account_id', 'in', [...accountIds])
      .where('event_time', '>=', since.toISOString());
    if (after !== undefined) {
      const { time, id } = after;
      query = query.where((eb) =>
        eb.or([eb('event_time', '<', time), eb.and([eb('event_time', '=', time), eb('event_id', '<', id)])]),
      );
    }
    const rows = await query.orderBy('event_time', 'desc').orderBy('event_id', 'desc').limit(BATCH).execute();
    for (const row of rows) {
      const event = JSON.parse(row.event) as CloudTrailEvent;
      if (event.userIdentity.type === 'WebIdentityUser') continue;
      const actions = event.evaluatedActions ?? [`${event.eventSource.split('.')[0]}:${event.eventName}`];
      for (const namespace of new Set(actions.map((a) => a.slice(0, a.indexOf(':')).toLowerCase()))) {
        let service = services.get(namespace);
        if (service === undefined) {
          service = {
            last: { time: row.event_time, accountId: row.account_id, region: event.awsRegion },
            accounts: new Set(),
          };
          services.set(namespace, service);
        }
        service.accounts.add(row.account_id);
      }
    }
    if (rows.length < BATCH) return services;
    const last = rows[rows.length - 1]!;
    after = { time: last.event_time, id: last.event_id };
  }
}
