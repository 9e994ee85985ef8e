/**
 * One page of a name-ordered IAM list (users, groups, roles), read in SQL rather than by loading every
 * row and slicing: the query keeps rows after the previous page's last `name_key`, in `name_key` order,
 * and fetches one row more than the page holds so the caller can tell whether another page follows.
 * Continuing after a key (not an offset) also keeps pages stable while entities are created or deleted.
 */
import type { Expression, SqlBool } from 'kysely';
import { sql } from 'kysely';

export interface NamePage {
  /** The `name_key` of the last item of the previous page; absent on the first page. */
  after?: string;
  /** MaxItems, already validated. */
  limit: number;
}

export interface PageOf<T> {
  items: T[];
  /** The `name_key` to continue after, present only when more items follow. */
  nextAfter?: string;
}

/**
 * The WHERE condition for a page of one account's entities: the account, the path prefix (case-sensitive,
 * like `startsWith`) and the continuation key.
 */
export function namePageFilter(accountId: string, pathPrefix: string, page: NamePage): Expression<SqlBool> {
  const conditions = [sql`account_id = ${accountId}`];
  // Every path starts with '/', so the default prefix needs no condition.
  if (pathPrefix !== '/') conditions.push(sql`substr(path, 1, ${sql.lit(pathPrefix.length)}) = ${pathPrefix}`);
  if (page.after !== undefined) conditions.push(sql`name_key > ${page.after}`);
  return sql<SqlBool>`${sql.join(conditions, sql` and `)}`;
}

/** Cuts the `limit + 1` rows a page query returned down to the page, noting where the next one starts. */
export function pageOf<R extends { name_key: string }, T>(rows: R[], page: NamePage, shape: (row: R) => T): PageOf<T> {
  if (rows.length <= page.limit) return { items: rows.map(shape) };
  const kept = rows.slice(0, page.limit);
  return { items: kept.map(shape), nextAfter: kept[kept.length - 1]!.name_key };
}
