/**
 * The `[{Key, Value}]` tag lists the billing services keep as JSON beside a resource (CUR report definitions,
 * Data Exports exports, budgets), and their TagResource/UntagResource arithmetic.
 */
export interface ResourceTag {
  Key: string;
  Value: string;
}

/** The stored list with `add` set (a key given again takes the new value) and `remove`'s keys dropped, as JSON. */
export function retagged(stored: string, add: readonly ResourceTag[], remove: readonly string[] = []): string {
  const tags = new Map((JSON.parse(stored) as ResourceTag[]).map((t) => [t.Key, t.Value]));
  for (const tag of add) tags.set(tag.Key, tag.Value);
  for (const key of remove) tags.delete(key);
  return JSON.stringify([...tags].map(([Key, Value]) => ({ Key, Value })));
}
