/**
 * The condition keys AWS's Service Authorization Reference lists for a call that sets or removes tags:
 * `aws:TagKeys` (the keys given) and `aws:RequestTag/KEY` (each value given). Shared by the billing services'
 * Create…/TagResource/UntagResource operations.
 */
import type { ContextValue } from '../policy/types.js';

/** The context for tags set (`tags`) or keys removed (`keys`); undefined when the call names neither. */
export function tagRequestContext(
  tags: readonly { Key: string; Value: string }[] | undefined,
  keys?: readonly string[],
): Record<string, ContextValue> | undefined {
  if (tags === undefined && keys === undefined) return undefined;
  const context: Record<string, ContextValue> = { 'aws:TagKeys': [...(keys ?? (tags ?? []).map((t) => t.Key))] };
  for (const tag of tags ?? []) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  return context;
}
