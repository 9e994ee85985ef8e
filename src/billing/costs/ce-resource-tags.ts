/**
 * Tags of Cost Explorer's resources — cost categories, anomaly monitors and anomaly subscriptions — for
 * ListTagsForResource, TagResource and UntagResource. Each resource keeps its `[{Key, Value}]` list as JSON in
 * its own row; the ARN says which table.
 */
import type { Kysely } from 'kysely';
import { validationException } from '../../core/errors.js';
import { accountWrite } from '../../store/locks.js';
import type { Database } from '../../store/schema.js';
import { retagged, type ResourceTag } from '../resource-tags.js';
import { idOf } from './anomalies.js';
import { resourceNotFound, tooManyTags } from './errors.js';

/**
 * AWS's limit: the model allows 200 tags, of which 50 are the user's (the rest are reserved for AWS), and user
 * tag keys may not start with `aws:`.
 */
export const USER_TAG_LIMIT = 50;

/** The tables holding each kind of resource, with the column its ARN's UUID is kept in. */
const KINDS = {
  costcategory: { table: 'ce_cost_category', id: 'category_id' },
  anomalymonitor: { table: 'ce_anomaly_monitor', id: 'monitor_id' },
  anomalysubscription: { table: 'ce_anomaly_subscription', id: 'subscription_id' },
} as const;

/** Refuses tags AWS refuses on a Cost Explorer resource: too many, or a key in the reserved `aws:` prefix. */
export function checkResourceTags(tags: readonly ResourceTag[]): void {
  for (const tag of tags) {
    if (tag.Key.toLowerCase().startsWith('aws:')) {
      throw validationException(`Tag keys starting with 'aws:' are reserved: ${tag.Key}`);
    }
  }
  if (new Set(tags.map((t) => t.Key)).size > USER_TAG_LIMIT) throw tooManyTags(USER_TAG_LIMIT);
}

export class CeResourceTags {
  constructor(private readonly db: Kysely<Database>) {}

  async list(accountId: string, arn: string): Promise<ResourceTag[]> {
    return JSON.parse(await this.stored(this.db, accountId, arn)) as ResourceTag[];
  }

  async tag(accountId: string, arn: string, tags: readonly ResourceTag[]): Promise<void> {
    await this.change(accountId, arn, (stored) => {
      checkResourceTags(tags);
      const next = retagged(stored, tags);
      if ((JSON.parse(next) as ResourceTag[]).length > USER_TAG_LIMIT) throw tooManyTags(USER_TAG_LIMIT);
      return next;
    });
  }

  async untag(accountId: string, arn: string, keys: readonly string[]): Promise<void> {
    await this.change(accountId, arn, (stored) => retagged(stored, [], keys));
  }

  private async change(accountId: string, arn: string, next: (stored: string) => string): Promise<void> {
    await accountWrite(this.db, accountId, async (trx) => {
      const { table, id, key } = this.locate(accountId, arn);
      const tags = next(await this.stored(trx, accountId, arn));
      // One statement for the three tables, which all have `account_id`, `tags` and their id column.
      await trx
        .updateTable(table as 'ce_cost_category')
        .set({ tags })
        .where('account_id', '=', accountId)
        .where(id as 'category_id', '=', key)
        .execute();
    });
  }

  private async stored(db: Kysely<Database>, accountId: string, arn: string): Promise<string> {
    const { table, id, key } = this.locate(accountId, arn);
    const row = await db
      .selectFrom(table as 'ce_cost_category')
      .select('tags')
      .where('account_id', '=', accountId)
      .where(id as 'category_id', '=', key)
      .executeTakeFirst();
    if (row === undefined) throw resourceNotFound(`No resource found with ARN ${arn}`);
    return row.tags;
  }

  private locate(accountId: string, arn: string) {
    for (const [kind, where] of Object.entries(KINDS)) {
      const key = idOf(accountId, kind as keyof typeof KINDS, arn);
      if (key !== undefined) return { ...where, key };
    }
    throw resourceNotFound(`No resource found with ARN ${arn}`);
  }
}
