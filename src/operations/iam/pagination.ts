/**
 * IAM's Marker/MaxItems/IsTruncated pagination. Two forms, both with markers opaque to clients:
 * `paginate` over a fully computed list (IAM's lists are bounded by its quotas; the marker is the base64 of
 * the next item's index), and `namePage`/`pageResult` for lists the store pages itself in name order (the
 * marker is the base64 of the last returned item's name key).
 */
import { invalidInput } from '../../iam/errors.js';
import type { NamePage, PageOf } from '../../iam/name-page.js';

export interface PageInput {
  Marker?: string;
  /** 1–1000 (invoke() has refused anything else, as the model says); AWS's default is 100. */
  MaxItems?: number;
}

const DEFAULT_MAX_ITEMS = 100;

function hasMarker(input: PageInput): boolean {
  return input.Marker !== undefined && input.Marker !== null && input.Marker !== '';
}

export function paginate<T, K extends string>(
  items: readonly T[],
  input: PageInput,
  key: K,
): Record<K, T[]> & { IsTruncated: boolean; Marker?: string } {
  const maxItems = input.MaxItems ?? DEFAULT_MAX_ITEMS;
  let start = 0;
  if (hasMarker(input)) {
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

const AFTER = 'after:';

/** The page a request asks for; a marker this server did not issue is refused as AWS does. */
export function namePage(input: PageInput): NamePage {
  const limit = input.MaxItems ?? DEFAULT_MAX_ITEMS;
  if (!hasMarker(input)) return { limit };
  const marker = String(input.Marker);
  const decoded = Buffer.from(marker, 'base64').toString('utf8');
  // Round-tripping rejects strings that merely happen to decode to something starting with the prefix.
  if (!decoded.startsWith(AFTER) || Buffer.from(decoded, 'utf8').toString('base64') !== marker) {
    throw invalidInput('Invalid Marker.');
  }
  return { limit, after: decoded.slice(AFTER.length) };
}

export function pageResult<T, K extends string>(
  page: PageOf<T>,
  key: K,
): Record<K, T[]> & { IsTruncated: boolean; Marker?: string } {
  const truncated = page.nextAfter !== undefined;
  return {
    [key]: page.items,
    IsTruncated: truncated,
    ...(truncated ? { Marker: Buffer.from(AFTER + page.nextAfter, 'utf8').toString('base64') } : {}),
  } as Record<K, T[]> & { IsTruncated: boolean; Marker?: string };
}
