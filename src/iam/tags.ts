/**
 * Tags on users, roles, policies, MFA devices, instance profiles, OIDC and SAML providers and server certificates:
 * at most 50 per resource; keys unique, without regard to case on users and roles (validation.ts checkTags).
 */
import { limitExceeded } from './errors.js';
import type { IamContext, Trx } from './context.js';
import type { Tag } from '../contracts/wire/iam.js';
import { caselessTagKeys, checkTags } from './validation.js';

export type TaggableType =
  'user' | 'role' | 'policy' | 'mfa' | 'instance-profile' | 'server-certificate' | 'oidc-provider' | 'saml-provider';

const TAGS_PER_RESOURCE = 50;

/** Sets tags on a fresh resource (create calls). */
export async function replaceTags(trx: Trx, type: TaggableType, id: string, tags: Tag[]): Promise<void> {
  await trx.deleteFrom('iam_tags').where('resource_type', '=', type).where('resource_id', '=', id).execute();
  if (tags.length > 0) {
    await trx
      .insertInto('iam_tags')
      .values(tags.map((t) => ({ resource_type: type, resource_id: id, tag_key: t.Key, tag_value: t.Value })))
      .execute();
  }
}

export class TagService {
  constructor(private readonly ctx: IamContext) {}

  /** Adds or overwrites tags; on a user or role, a key that differs only in case replaces the existing one. */
  async tag(trx: Trx, type: TaggableType, id: string, input: readonly Tag[] | undefined): Promise<void> {
    const tags = checkTags(input, type);
    const keyOf = (key: string) => (caselessTagKeys(type) ? key.toLowerCase() : key);
    const existing = await trx
      .selectFrom('iam_tags')
      .select(['tag_key', 'tag_value'])
      .where('resource_type', '=', type)
      .where('resource_id', '=', id)
      .execute();
    const merged = new Map(existing.map((t) => [keyOf(t.tag_key), { Key: t.tag_key, Value: t.tag_value }]));
    for (const tag of tags) merged.set(keyOf(tag.Key), tag);
    if (merged.size > TAGS_PER_RESOURCE)
      throw limitExceeded(`Cannot exceed quota for TagsPerResource: ${TAGS_PER_RESOURCE}`);
    await replaceTags(trx, type, id, [...merged.values()]);
  }

  async untag(trx: Trx, type: TaggableType, id: string, keys: readonly string[]): Promise<void> {
    const keyOf = (key: string) => (caselessTagKeys(type) ? key.toLowerCase() : key);
    const named = new Set(keys.map(keyOf));
    const existing = await trx
      .selectFrom('iam_tags')
      .select('tag_key')
      .where('resource_type', '=', type)
      .where('resource_id', '=', id)
      .execute();
    const doomed = existing.filter((t) => named.has(keyOf(t.tag_key))).map((t) => t.tag_key);
    if (doomed.length > 0) {
      await trx
        .deleteFrom('iam_tags')
        .where('resource_type', '=', type)
        .where('resource_id', '=', id)
        .where('tag_key', 'in', doomed)
        .execute();
    }
  }

  async list(type: TaggableType, id: string): Promise<Tag[]> {
    const rows = await this.ctx.db
      .selectFrom('iam_tags')
      .select(['tag_key', 'tag_value'])
      .where('resource_type', '=', type)
      .where('resource_id', '=', id)
      .orderBy('tag_key')
      .execute();
    return rows.map((r) => ({ Key: r.tag_key, Value: r.tag_value }));
  }
}
