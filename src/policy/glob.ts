/**
 * IAM wildcard matching, compiled once. `*` matches any run of characters and `?` exactly one.
 * In ARN mode (a pattern that starts with `arn:`), wildcards before the pattern's fifth colon stay inside
 * their segment (partition, service, region, account), while those in the resource part may span `/`
 * and `:` — the per-segment rule AWS documents for Resource and the Arn* condition operators.
 *
 * Matching is a linear-backtracking scan (one remembered star), never a regular expression: a policy
 * author must not be able to make evaluation slow with a pattern like `*a*a*a*a*b`.
 */
import { LITERAL_QUESTION, LITERAL_STAR } from './variables.js';

export type Matcher = (value: string) => boolean;

export interface GlobOptions {
  ignoreCase?: boolean;
  /** Apply the ARN segment rule when the pattern starts with `arn:`. */
  arn?: boolean;
}

/** Pattern codes: a UTF-16 code unit to match literally, or one of the two wildcards. */
const ANY_RUN = -1;
const ANY_ONE = -2;

const matchAll: Matcher = () => true;

function toCodes(pattern: string): number[] {
  const codes: number[] = [];
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i];
    if (ch === '*') codes.push(ANY_RUN);
    else if (ch === '?') codes.push(ANY_ONE);
    else if (ch === LITERAL_STAR) codes.push(42);
    else if (ch === LITERAL_QUESTION) codes.push(63);
    else codes.push(pattern.charCodeAt(i));
  }
  return codes;
}

/** Whether `codes` matches value[start, end): at most O(pattern × value) steps. */
function matchRange(codes: number[], value: string, start: number, end: number): boolean {
  let p = 0;
  let v = start;
  let starP = -1;
  let starV = 0;
  const n = codes.length;
  while (v < end) {
    if (p < n) {
      const c = codes[p]!;
      if (c === ANY_RUN) {
        starP = p;
        p += 1;
        starV = v;
        continue;
      }
      if (c === ANY_ONE || c === value.charCodeAt(v)) {
        p += 1;
        v += 1;
        continue;
      }
    }
    if (starP < 0) return false;
    p = starP + 1;
    starV += 1;
    v = starV;
  }
  while (p < n && codes[p] === ANY_RUN) p += 1;
  return p === n;
}

function literalText(pattern: string): string {
  return pattern.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?');
}

/** One ARN segment: free (`*`), a literal, or a wildcard pattern. */
type Segment = { kind: 'free' } | { kind: 'literal'; text: string } | { kind: 'glob'; codes: number[] };

function segment(text: string): Segment {
  if (text === '*') return { kind: 'free' };
  if (!text.includes('*') && !text.includes('?')) return { kind: 'literal', text: literalText(text) };
  return { kind: 'glob', codes: toCodes(text) };
}

function matchSegment(s: Segment, value: string, start: number, end: number): boolean {
  if (s.kind === 'free') return true;
  if (s.kind === 'literal') return end - start === s.text.length && value.startsWith(s.text, start);
  return matchRange(s.codes, value, start, end);
}

/** ARN mode: segments split at the pattern's first five colons; all but a sixth (resource) part are closed. */
function compileArnGlob(pattern: string): Matcher {
  const segments: Segment[] = [];
  let rest = pattern;
  while (segments.length < 5) {
    const colon = rest.indexOf(':');
    if (colon < 0) break;
    segments.push(segment(rest.slice(0, colon)));
    rest = rest.slice(colon + 1);
  }
  segments.push(segment(rest));
  // Fewer than six parts: the last part is a closed segment too, so the value needs as many colons.
  const openLast = segments.length === 6;
  const last = segments.length - 1;
  return (value) => {
    let start = 0;
    for (let i = 0; i < last; i += 1) {
      const colon = value.indexOf(':', start);
      if (colon < 0 || !matchSegment(segments[i]!, value, start, colon)) return false;
      start = colon + 1;
    }
    if (!openLast && value.indexOf(':', start) >= 0) return false;
    return matchSegment(segments[last]!, value, start, value.length);
  };
}

function colonCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) n += 1;
  return n;
}

export function compileGlob(pattern: string, options: GlobOptions = {}): Matcher {
  const ignoreCase = options.ignoreCase === true;
  if (pattern === '*') return matchAll;
  const source = ignoreCase ? pattern.toLowerCase() : pattern;
  const fold = (value: string): string => (ignoreCase ? value.toLowerCase() : value);
  if (!source.includes('*') && !source.includes('?')) {
    const literal = literalText(source);
    if (!ignoreCase) return (value) => value === literal;
    return (value) => value.length === literal.length && value.toLowerCase() === literal;
  }
  const arnMode = options.arn === true && source.startsWith('arn:');
  const body = source.slice(0, -1);
  // `prefix*`, the most common shape, is a startsWith — for an ARN too once the prefix holds all five
  // colons, as the star then lies in the resource part.
  if (source.endsWith('*') && !body.includes('*') && !body.includes('?') && (!arnMode || colonCount(body) >= 5)) {
    const prefix = literalText(body);
    return ignoreCase ? (value) => value.toLowerCase().startsWith(prefix) : (value) => value.startsWith(prefix);
  }
  if (arnMode) {
    const arnMatcher = compileArnGlob(source);
    return ignoreCase ? (value) => arnMatcher(value.toLowerCase()) : arnMatcher;
  }
  const codes = toCodes(source);
  return (value) => {
    const v = fold(value);
    return matchRange(codes, v, 0, v.length);
  };
}
