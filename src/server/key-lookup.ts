/**
 * Finds the key a request was signed with: a long-term `AKIA…` key of a user or root (IAM), or a
 * temporary `ASIA…` key (STS). Long-term keys are cached under their account's policy generation, which
 * every IAM write bumps, so deactivating or deleting a key takes effect on the next request; temporary
 * keys never change once issued (expiry is checked at verification).
 */
import type { ApiKey } from '../api/handler.js';
import type { AccessKeyRecord, AccessKeyService } from '../iam/access-keys.js';
import type { IamContext } from '../iam/context.js';
import type { ResolveOptions } from '../iam/principal-resolution.js';
import type { StsSessions } from '../iam/sts/sessions.js';
import type { Caller } from '../core/operation.js';
import { BoundedCache } from '../platform/bounded-cache.js';

interface CachedKey {
  key: ApiKey;
  generation: number;
  session?: SessionFacts;
}

/** What a temporary-credential caller's session adds to its principal: session policies and session tags. */
export interface SessionFacts {
  policies: ResolveOptions;
  tags: Record<string, string>;
}

const NO_SESSION: SessionFacts = { policies: {}, tags: {} };

const CACHE_LIMIT = 10_000;

export interface KeyLookup {
  lookup(accessKeyId: string): Promise<ApiKey | undefined>;
  /** The session policies and tags bound to a temporary-credential caller; none for any other. */
  sessionOf(caller: Caller): Promise<SessionFacts>;
}

function apiKey(accessKeyId: string, record: AccessKeyRecord): ApiKey {
  return {
    accessKeyId,
    secretAccessKey: record.secretAccessKey,
    active: record.status === 'Active',
    caller: record.caller,
  };
}

export function createKeyLookup(ctx: IamContext, accessKeys: AccessKeyService, sts: StsSessions): KeyLookup {
  const cache = new BoundedCache<string, CachedKey>(CACHE_LIMIT);

  function remember(id: string, entry: CachedKey): void {
    cache.set(id, entry);
  }

  async function load(accessKeyId: string): Promise<CachedKey | undefined> {
    const cached = cache.get(accessKeyId);
    if (cached !== undefined) {
      if (accessKeyId.startsWith('ASIA')) return cached;
      if (!ctx.sharedStore && cached.generation === ctx.localGeneration(cached.key.caller.accountId)) return cached;
    }
    if (accessKeyId.startsWith('ASIA')) {
      const session = await sts.find(accessKeyId);
      if (session === undefined) return undefined;
      const entry: CachedKey = {
        key: {
          accessKeyId,
          secretAccessKey: session.secretAccessKey,
          active: true,
          sessionToken: session.sessionToken,
          expiration: session.expiration,
          caller: session.caller,
        },
        generation: 0,
        session: {
          policies: {
            ...(session.sessionPolicy === undefined ? {} : { sessionPolicy: session.sessionPolicy }),
            ...(session.sessionPolicyArns === undefined ? {} : { sessionPolicyArns: session.sessionPolicyArns }),
          },
          tags: session.sessionTags ?? {},
        },
      };
      remember(accessKeyId, entry);
      return entry;
    }
    const first = await accessKeys.find(accessKeyId);
    if (first === undefined) return undefined;
    // A shared store's entries are never answered from the cache (above): the one read is the answer.
    if (ctx.sharedStore) return { key: apiKey(accessKeyId, first), generation: 0 };
    // The generation is read before the record that gets cached, so a write committing in between
    // leaves the entry already stale (and re-read next time) rather than cached as current.
    const generation = ctx.localGeneration(first.accountId);
    const record = await accessKeys.find(accessKeyId);
    if (record === undefined) return undefined;
    const entry: CachedKey = { key: apiKey(accessKeyId, record), generation };
    remember(accessKeyId, entry);
    return entry;
  }

  return {
    async lookup(accessKeyId) {
      return (await load(accessKeyId))?.key;
    },
    async sessionOf(caller) {
      if (caller.accessKeyId === undefined || !caller.accessKeyId.startsWith('ASIA')) return NO_SESSION;
      return (await load(caller.accessKeyId))?.session ?? NO_SESSION;
    },
  };
}
