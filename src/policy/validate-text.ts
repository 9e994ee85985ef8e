/**
 * Text helpers of the validator and the catalog: IAM wildcard matching (the engine's linear matcher, never a
 * regular expression: a policy may hold `*a*a*a*…`) and "did you mean" suggestions.
 */
import { compileGlob } from './glob.js';

/** IAM glob match, case-insensitive: `*` any run (also across `/` and `:`), `?` one character. The engine's matcher. */
export function wildcardMatch(pattern: string, text: string): boolean {
  return wildcardMatcher(pattern)(text);
}

/** `wildcardMatch` compiled once, for a pattern tried against many names (a catalog's actions). */
export function wildcardMatcher(pattern: string): (text: string) => boolean {
  return compileGlob(pattern, { ignoreCase: true });
}

export const hasWildcard = (text: string): boolean => text.includes('*') || text.includes('?');

/** Levenshtein distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[y.length] ?? 0;
}

/** The candidate nearest to `word`, when it is near enough to be a plausible typo. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  // Long inputs are not typos, and comparing them against hundreds of names would be slow.
  if (word.length === 0 || word.length > 128) return undefined;
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
