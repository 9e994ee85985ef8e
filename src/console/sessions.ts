/**
 * Server-side console sessions. The browser holds only a random 256-bit id; the table keys sessions by the
 * id's SHA-256, so whoever reads the database cannot ride a session. A session row exists only once a
 * password has been accepted: a visitor who has not signed in holds a CSRF cookie instead (see routes.ts),
 * so anonymous page loads store nothing. Every step of sign-in replaces the session with a fresh id, so an
 * id planted before sign-in is worthless after.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { IdSource } from '../platform/ids.js';
import type { Caller } from '../core/operation.js';
import type { Database } from '../store/schema.js';

/** What the console shows a visitor: `anonymous` is the state of having no session at all. */
export type SessionState = 'anonymous' | StoredSessionState;
export type StoredSessionState = 'mfa' | 'password-change' | 'active';

/** What a signed-in (or half signed-in) session remembers about its principal. */
export interface SessionPrincipal {
  caller: Caller;
  /** For a session waiting on its MFA code: must the password be changed after it? */
  passwordResetRequired?: boolean;
}

export interface Session {
  id: string;
  state: StoredSessionState;
  principal: SessionPrincipal;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface SessionLifetimes {
  /** A session unused this long is gone. */
  idleMs: number;
  /** A session older than this is gone, however busy. */
  absoluteMs: number;
}

/** AWS signs console users out after 12 hours at most; an hour of inactivity is our idle limit. */
export const DEFAULT_LIFETIMES: SessionLifetimes = { idleMs: 60 * 60 * 1000, absoluteMs: 12 * 60 * 60 * 1000 };

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

export class SessionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly lifetimes: SessionLifetimes = DEFAULT_LIFETIMES,
  ) {}

  async create(state: StoredSessionState, principal: SessionPrincipal): Promise<Session> {
    // Sessions nobody comes back to are swept here, so the table stays bounded without a timer.
    await this.purgeExpired();
    const now = this.clock.now();
    const session: Session = {
      id: this.ids.bytes(32).toString('base64url'),
      state,
      principal,
      csrfToken: this.ids.bytes(32).toString('base64url'),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.lifetimes.absoluteMs),
    };
    await this.db
      .insertInto('console_sessions')
      .values({
        id_hash: hashId(session.id),
        state,
        caller_json: JSON.stringify(principal),
        csrf_token: session.csrfToken,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: session.expiresAt.toISOString(),
      })
      .execute();
    return session;
  }

  /** The live session with this id, refreshing its idle timer; expired sessions are deleted on sight. */
  async find(id: string | undefined): Promise<Session | null> {
    if (id === undefined || id === '') return null;
    const idHash = hashId(id);
    const row = await this.db
      .selectFrom('console_sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    // Rows of the anonymous sessions older servers stored are no sessions.
    if (row === undefined || row.caller_json === null) return null;
    const now = this.clock.now();
    const idleDeadline = new Date(row.last_seen_at).getTime() + this.lifetimes.idleMs;
    if (now.getTime() >= new Date(row.expires_at).getTime() || now.getTime() >= idleDeadline) {
      await this.db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
      return null;
    }
    await this.db
      .updateTable('console_sessions')
      .set({ last_seen_at: now.toISOString() })
      .where('id_hash', '=', idHash)
      .execute();
    return {
      id,
      state: row.state as StoredSessionState,
      principal: JSON.parse(row.caller_json) as SessionPrincipal,
      csrfToken: row.csrf_token,
      createdAt: new Date(row.created_at),
      expiresAt: new Date(row.expires_at),
    };
  }

  /** Ends the old session and starts a new one in its place (new id, new CSRF token). */
  async replace(old: Session | null, state: StoredSessionState, principal: SessionPrincipal): Promise<Session> {
    if (old !== null) await this.delete(old.id);
    return this.create(state, principal);
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('id_hash', '=', hashId(id)).execute();
  }

  /** Housekeeping: drops every session past its absolute expiry. */
  async purgeExpired(): Promise<number> {
    const result = await this.db
      .deleteFrom('console_sessions')
      .where('expires_at', '<=', this.clock.now().toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
