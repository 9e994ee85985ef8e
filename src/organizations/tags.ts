/** Tags on roots, OUs, accounts and customer managed policies (TagResource, UntagResource, ListTagsForResource). */
import type { Tag } from '../contracts/wire/organizations.js';
import type { OrgCore } from './core.js';

export class OrgTags {
  constructor(private readonly core: OrgCore) {}

  async tag(caller: string, resourceId: string, tags: Tag[]): Promise<void> {
    await this.core.write(async (trx) => {
      const org = await this.core.managedOrg(trx, caller);
      await this.core.requireTaggable(trx, org, resourceId);
      await this.core.putTags(trx, org, resourceId, tags);
    });
  }

  async untag(caller: string, resourceId: string, keys: string[]): Promise<void> {
    await this.core.write(async (trx) => {
      const org = await this.core.managedOrg(trx, caller);
      await this.core.requireTaggable(trx, org, resourceId);
      if (keys.length > 0) {
        await trx.deleteFrom('org_tags').where('resource_id', '=', resourceId).where('tag_key', 'in', keys).execute();
      }
    });
  }

  async list(caller: string, resourceId: string): Promise<Tag[]> {
    const org = await this.core.managedOrg(this.core.db, caller);
    await this.core.requireTaggable(this.core.db, org, resourceId);
    const rows = await this.core.db
      .selectFrom('org_tags')
      .select(['tag_key', 'tag_value'])
      .where('resource_id', '=', resourceId)
      .orderBy('tag_key')
      .execute();
    return rows.map((r) => ({ Key: r.tag_key, Value: r.tag_value }));
  }
}
