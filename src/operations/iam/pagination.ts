/**
 * IAM's Marker/MaxItems/IsTruncated pagination over a fully computed list (IAM's lists are bounded by its
 * quotas). The marker is opaque to clients: the base64 of the next item's index.
 */
import { invalidInput } from '../errors.js';
import { checkMaxItems } from '../../iam/validation.js';

export interface PageInput {
  Marker?: unknown;
  MaxItems?: unknown;
}

export function paginate<T, K extends string>(
  items: readonly T[],
  input: PageInput,
  key: K,
): Record<K, T[]> & { IsTruncated: boolean; Marker?: string } {
  const maxItems = checkMaxItems(input.MaxItems);
  let start = 0;
  if (input.Marker !== undefined && input.Marker !== null && input.Marker !== '') {
    const decoded = Number(Buffer.from(String(input.Marker), 'base64').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0) throw invalidInput('Invalid Marker.');
    start = decoded;
  }
  const slice = items.slice(start, start + maxItems);
  const next = start + maxItems;
  const truncated = next < items.length;
  return {
    [key]: slice,
    IsTruncated: truncated,
    ...(truncated ? { Marker: Buffer.from(String(next), 'utf8').toString('base64') } : {}),
  } as Record<K, T[]> & { IsTruncated: boolean; Marker?: string };
}
