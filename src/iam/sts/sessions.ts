/**
 * Temporary credentials (`ASIA…` keys with a session token and an expiry) issued by AssumeRole,
 * GetSessionToken and GetFederationToken, kept in `sts_sessions`. A request signed with one acts as the caller stored with it.
 */
import type { Kysely } from 'kysely';
import type { Caller } from '../../core/operation.js';
import type { Clock } from '../../platform/clock.js';
import { accessKeyId, secretAccessKey, sessionToken, type IdSource } from '../../platform/ids.js';
import { sealedContext, type SecretBox } from '../../platform/secrets.js';
import type { Database } from '../../store/schema.js';

export interface TemporaryCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

export interface IssueInput {
  /** Who requests signed with the credentials act as (its accessKeyId is replaced by the new key's). */
  caller: Caller;
  kind: 'assumed-role' | 'session-token' | 'federated-user';
  durationSeconds: number;
  sessionPolicy?: string;
  sessionPolicyArns?: string[];
  /** Session tags, key → value; they are the session's principal tags, above its role's. */
  sessionTags?: Record<string, string>;
  /** Keys of `sessionTags` passed on to the sessions this one assumes (role chaining). */
  transitiveTagKeys?: string[];
}

export interface StoredSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  caller: Caller;
  sessionPolicy?: string;
  sessionPolicyArns?: string[];
  sessionTags?: Record<string, string>;
  transitiveTagKeys?: string[];
}

/** JSON text of a list or record, or null when it is absent or empty (the column's "none"). */
const jsonOrNull = (value: readonly string[] | Record<string, string> | undefined): string | null =>
  value === undefined || Object.keys(value).length === 0 ? null : JSON.stringify(value);

export class StsSessions {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly secrets: SecretBox,
  ) {}

  async issue(input: IssueInput): Promise<TemporaryCredentials> {
    const now = this.clock.now();
    const expiration = new Date(now.getTime() + input.durationSeconds * 1000);
    const credentials: TemporaryCredentials = {
      AccessKeyId: accessKeyId(this.ids, 'ASIA'),
      SecretAccessKey: secretAccessKey(this.ids),
      SessionToken: sessionToken(this.ids),
      Expiration: expiration,
    };
    const { caller } = input;
    // A transaction, not a lone autocommitted insert: the audit trail's before-commit hook writes the call's
    // event in it, so a session is never issued without its event.
    await this.db.transaction().execute((trx) =>
      trx
        .insertInto('sts_sessions')
        .values({
          access_key_id: credentials.AccessKeyId,
          secret_access_key: this.secrets.seal(
            credentials.SecretAccessKey,
            sealedContext.stsSession(credentials.AccessKeyId),
          ),
          session_token: credentials.SessionToken,
          account_id: caller.accountId,
          kind: input.kind,
          principal_arn: caller.arn,
          principal_id: caller.userId,
          principal_name: caller.name ?? null,
          role_arn: caller.roleArn ?? null,
          session_name: caller.sessionName ?? null,
          session_policy: input.sessionPolicy ?? null,
          session_policy_arns: jsonOrNull(input.sessionPolicyArns),
          session_tags: jsonOrNull(input.sessionTags),
          transitive_tag_keys: jsonOrNull(input.transitiveTagKeys),
          mfa_authenticated: caller.mfaAuthenticated === true ? 1 : 0,
          federated_by: caller.federatedBy ?? null,
          created_at: now.toISOString(),
          expires_at: expiration.toISOString(),
        })
        .execute(),
    );
    return credentials;
  }

  async find(accessKeyIdValue: string): Promise<StoredSession | undefined> {
    const row = await this.db
      .selectFrom('sts_sessions')
      .selectAll()
      .where('access_key_id', '=', accessKeyIdValue)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const kind: Caller['kind'] =
      row.kind === 'assumed-role' || row.kind === 'federated-user'
        ? row.kind
        : row.principal_name === null
          ? 'root'
          : 'user';
    const caller: Caller = {
      kind,
      accountId: row.account_id,
      arn: row.principal_arn,
      userId: row.principal_id,
      ...(row.principal_name === null ? {} : { name: row.principal_name }),
      ...(row.role_arn === null ? {} : { roleArn: row.role_arn }),
      ...(row.session_name === null ? {} : { sessionName: row.session_name }),
      ...(row.federated_by === null ? {} : { federatedBy: row.federated_by }),
      accessKeyId: row.access_key_id,
      mfaAuthenticated: Number(row.mfa_authenticated) === 1,
    };
    return {
      accessKeyId: row.access_key_id,
      secretAccessKey: this.secrets.open(row.secret_access_key, sealedContext.stsSession(row.access_key_id)),
      sessionToken: row.session_token,
      expiration: new Date(row.expires_at),
      caller,
      ...(row.session_policy === null ? {} : { sessionPolicy: row.session_policy }),
      ...(row.session_policy_arns === null
        ? {}
        : { sessionPolicyArns: JSON.parse(row.session_policy_arns) as string[] }),
      ...(row.session_tags === null ? {} : { sessionTags: JSON.parse(row.session_tags) as Record<string, string> }),
      ...(row.transitive_tag_keys === null
        ? {}
        : { transitiveTagKeys: JSON.parse(row.transitive_tag_keys) as string[] }),
    };
  }

  /** Forgets credentials that expired before `before` (housekeeping; expired keys are refused anyway). */
  async purgeExpired(before: Date): Promise<void> {
    await this.db.deleteFrom('sts_sessions').where('expires_at', '<', before.toISOString()).execute();
  }
}
