/**
 * IAM wildcard matching, compiled once. `*` matches any run of characters and `?` exactly one.
 * In ARN mode (a pattern that starts with `arn:`), wildcards before the pattern's fifth colon stay inside
 * their segment (partition, service, region, account), while those in the resource part may span `/`
 * and `:` — the per-segment rule AWS documents for Resource and the Arn* condition operators.
 */
import { LITERAL_QUESTION, LITERAL_STAR } from './variables.js';

export type Matcher = (value: string) => boolean;

export interface GlobOptions {
  ignoreCase?: boolean;
  /** Apply the ARN segment rule when the pattern starts with `arn:`. */
  arn?: boolean;
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/;
const matchAll: Matcher = () => true;

function escapeChar(ch: string): string {
  return REGEX_SPECIAL.test(ch) ? `\\${ch}` : ch;
}

/** The pattern with LITERAL_* placeholders turned back into plain characters. */
function literalText(pattern: string): string {
  return pattern.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?');
}

export function compileGlob(pattern: string, options: GlobOptions = {}): Matcher {
  const ignoreCase = options.ignoreCase === true;
  if (pattern === '*') return matchAll;
  const hasWildcard = pattern.includes('*') || pattern.includes('?');
  if (!hasWildcard) {
    const literal = literalText(pattern);
    if (!ignoreCase) return (value) => value === literal;
    const lower = literal.toLowerCase();
    return (value) => value.length === lower.length && value.toLowerCase() === lower;
  }
  const arnMode = options.arn === true && pattern.startsWith('arn:');
  let source = '^';
  let colons = 0;
  let lastStarUnrestricted = false;
  let wildcardCount = 0;
  for (const ch of pattern) {
    const inSegment = arnMode && colons < 5;
    if (ch === '*') {
      source += inSegment ? '[^:]*' : '.*';
      lastStarUnrestricted = !inSegment;
      wildcardCount += 1;
    } else if (ch === '?') {
      source += inSegment ? '[^:]' : '.';
      wildcardCount += 1;
    } else {
      if (ch === ':') colons += 1;
      source += ch === LITERAL_STAR ? '\\*' : ch === LITERAL_QUESTION ? '\\?' : escapeChar(ch);
    }
  }
  // A trailing unrestricted `*` as the only wildcard is the common `prefix*` shape: no regex needed.
  if (!ignoreCase && wildcardCount === 1 && pattern.endsWith('*') && lastStarUnrestricted) {
    const prefix = literalText(pattern.slice(0, -1));
    return (value) => value.startsWith(prefix);
  }
  const regex = new RegExp(`${source}$`, ignoreCase ? 'is' : 's');
  return (value) => regex.test(value);
}
