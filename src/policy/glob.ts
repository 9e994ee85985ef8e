/**
 * IAM wildcard matching, compiled once. `*` matches any run of characters and `?` exactly one.
 * In ARN mode (a pattern that starts with `arn:`), wildcards before the pattern's fifth colon stay inside
 * their segment (partition, service, region, account), while those in the resource part may span `/`
 * and `:` — the per-segment rule AWS documents for the Arn* condition operators; in the Resource element a
 * `*` ending a part expands past the colons (GlobOptions.arn).
 *
 * Matching never backtracks and never builds a regular expression: a policy author must not be able to make
 * evaluation slow with a pattern like `*a*a*a*a*b` or `*aaaa…ab` against a long value. The pieces between
 * stars are found left to right, each once, so a pattern of stars and literals costs time linear in the value
 * (plus the pattern, once, when compiled); a piece holding `?` costs a machine word per 32 of its characters
 * for each character searched.
 */
import { LITERAL_QUESTION, LITERAL_STAR } from './variables.js';

export type Matcher = (value: string) => boolean;

export interface GlobOptions {
  ignoreCase?: boolean;
  /**
   * Apply the ARN segment rule when the pattern starts with `arn:`: `condition` for the Arn* operators, which
   * compare the six parts one by one; `resource` for the Resource element, where a `*` ending a part may
   * match past that part's colons (AWS: "If the * wildcard is the last character of a resource ARN segment, it
   * can expand to match beyond the colon boundaries", so `arn:aws:s3:*` matches `arn:aws:s3:::bucket`).
   */
  arn?: 'resource' | 'condition';
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

/**
 * A compiled wildcard pattern: the literal-or-`?` pieces between its stars. With no star the single piece
 * must cover the whole range; otherwise the first piece is anchored at the start, the last at the end, and
 * each middle piece is found at its leftmost place after the previous one — for `*`-separated pieces the
 * leftmost choice never loses a match, so nothing is ever retried.
 */
interface Glob {
  pieces: Piece[];
  starred: boolean;
  /** The fewest characters a match needs: a longer pattern is refused without looking at the value. */
  minLength: number;
}

/**
 * One piece between stars. A piece without `?` is found with Knuth–Morris–Pratt (linear in the text searched);
 * one with `?` is found with the bit-parallel shift-and scan (the text searched times a word per 32 codes).
 */
interface Piece {
  codes: number[];
  /** KMP failure table; undefined when the piece holds a `?`. */
  failure: Int32Array | undefined;
  /** Shift-and masks per code unit seen in the piece (bit i set where the piece accepts it at i); `?` in `any`. */
  masks: Map<number, Uint32Array> | undefined;
  any: Uint32Array | undefined;
}

const WORD = 32;

function piece(codes: number[]): Piece {
  if (!codes.includes(ANY_ONE)) {
    const failure = new Int32Array(codes.length);
    for (let i = 1, k = 0; i < codes.length; i += 1) {
      while (k > 0 && codes[i] !== codes[k]) k = failure[k - 1]!;
      if (codes[i] === codes[k]) k += 1;
      failure[i] = k;
    }
    return { codes, failure, masks: undefined, any: undefined };
  }
  const words = Math.ceil(codes.length / WORD);
  const any = new Uint32Array(words);
  codes.forEach((c, i) => {
    if (c === ANY_ONE) any[(i / WORD) | 0]! |= 1 << (i % WORD);
  });
  const masks = new Map<number, Uint32Array>();
  codes.forEach((c, i) => {
    if (c === ANY_ONE) return;
    let mask = masks.get(c);
    if (mask === undefined) {
      mask = Uint32Array.from(any);
      masks.set(c, mask);
    }
    mask[(i / WORD) | 0]! |= 1 << (i % WORD);
  });
  return { codes, failure: undefined, masks, any };
}

function compileCodes(codes: number[]): Glob {
  const pieces: Piece[] = [];
  let current: number[] = [];
  let starred = false;
  for (const c of codes) {
    if (c !== ANY_RUN) {
      current.push(c);
      continue;
    }
    starred = true;
    pieces.push(piece(current));
    current = [];
  }
  pieces.push(piece(current));
  return { pieces, starred, minLength: pieces.reduce((n, p) => n + p.codes.length, 0) };
}

/** Whether the piece matches value[at, at + length) exactly. */
function matchesAt(p: Piece, value: string, at: number): boolean {
  const codes = p.codes;
  for (let i = 0; i < codes.length; i += 1) {
    const c = codes[i]!;
    if (c !== ANY_ONE && c !== value.charCodeAt(at + i)) return false;
  }
  return true;
}

/** The leftmost start of the piece wholly inside value[from, end), or -1. */
function find(p: Piece, value: string, from: number, end: number): number {
  const codes = p.codes;
  const n = codes.length;
  if (n === 0) return from;
  if (p.failure !== undefined) {
    const failure = p.failure;
    for (let v = from, k = 0; v < end; v += 1) {
      const c = value.charCodeAt(v);
      while (k > 0 && codes[k] !== c) k = failure[k - 1]!;
      if (codes[k] === c) k += 1;
      if (k === n) return v - n + 1;
    }
    return -1;
  }
  // Shift-and: bit i of the state says the last i + 1 characters match the piece's first i + 1 codes.
  const masks = p.masks!;
  const any = p.any!;
  const words = any.length;
  if (words === 1) {
    // The usual piece (`Get?bject`) fits one word: no state to allocate.
    const last = 1 << (n - 1);
    for (let v = from, state = 0; v < end; v += 1) {
      state = ((state << 1) | 1) & (masks.get(value.charCodeAt(v)) ?? any)[0]!;
      if ((state & last) !== 0) return v - n + 1;
    }
    return -1;
  }
  const state = new Uint32Array(words);
  const lastWord = words - 1;
  const lastBit = 1 << ((n - 1) % WORD);
  for (let v = from; v < end; v += 1) {
    const mask = masks.get(value.charCodeAt(v)) ?? any;
    let carry = 1;
    for (let w = 0; w < words; w += 1) {
      const shifted = ((state[w]! << 1) | carry) >>> 0;
      carry = state[w]! >>> 31;
      state[w] = shifted & mask[w]!;
    }
    if ((state[lastWord]! & lastBit) !== 0) return v - n + 1;
  }
  return -1;
}

/** Whether the glob matches value[start, end): linear in the range for star-separated literal pieces. */
function matchRange(glob: Glob, value: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < glob.minLength) return false;
  const pieces = glob.pieces;
  const first = pieces[0]!;
  if (!glob.starred) return length === first.codes.length && matchesAt(first, value, start);
  const last = pieces[pieces.length - 1]!;
  const tail = end - last.codes.length;
  if (!matchesAt(first, value, start) || !matchesAt(last, value, tail)) return false;
  let at = start + first.codes.length;
  for (let i = 1; i < pieces.length - 1; i += 1) {
    const p = pieces[i]!;
    const found = find(p, value, at, tail);
    if (found < 0) return false;
    at = found + p.codes.length;
  }
  return true;
}

function literalText(pattern: string): string {
  return pattern.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?');
}

/** One ARN segment: free (`*`), a literal, or a wildcard pattern. */
type Segment = { kind: 'free' } | { kind: 'literal'; text: string } | { kind: 'glob'; glob: Glob };

function segment(text: string): Segment {
  if (text === '*') return { kind: 'free' };
  if (!text.includes('*') && !text.includes('?')) return { kind: 'literal', text: literalText(text) };
  return { kind: 'glob', glob: compileCodes(toCodes(text)) };
}

function matchSegment(s: Segment, value: string, start: number, end: number): boolean {
  if (s.kind === 'free') return true;
  if (s.kind === 'literal') return end - start === s.text.length && value.startsWith(s.text, start);
  return matchRange(s.glob, value, start, end);
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

/**
 * Whether every wildcard of an ARN pattern's first five parts is a `*` ending its part. AWS lets such a star
 * "expand to match beyond the colon boundaries" in the Resource element (its example: `arn:aws:ec2:*:111122223333:
 * finance/*` matches `arn:aws:ec2:us-east-2:999999999999:store/abc:111122223333:finance/document.txt`), so the
 * pattern then matches as a plain glob; a `?` or a star inside a part keeps the per-part rule.
 */
function onlySegmentEndStars(pattern: string): boolean {
  const parts = pattern.split(':');
  for (const part of parts.slice(0, 5)) {
    if (part.includes('?')) return false;
    const star = part.indexOf('*');
    if (star >= 0 && star !== part.length - 1) return false;
  }
  return true;
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
  const arnMode =
    options.arn !== undefined &&
    source.startsWith('arn:') &&
    !(options.arn === 'resource' && onlySegmentEndStars(source));
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
  const glob = compileCodes(toCodes(source));
  return (value) => {
    const v = fold(value);
    return matchRange(glob, v, 0, v.length);
  };
}
