/** Suggestions about repetition: a value another covers, a statement another duplicates. */
import type { FindingSink } from './validate-sink.js';
import { type Path } from './validate-sink.js';
import type { JsonNode } from './validate-json.js';
import { hasWildcard, wildcardMatch } from './validate-text.js';

/** `Statement` as an object is one statement at path ['Statement']; as an array, each at ['Statement', i]. */
export interface StatementAt {
  node: JsonNode;
  path: Path;
}

/** Lists longer than this skip the pairwise redundancy check, which is quadratic. */
const REDUNDANCY_CHECK_LIMIT = 200;

/** Reports values that repeat another value, or that a wildcard value in the same list already covers. */
export function checkRedundantValues(
  sink: FindingSink,
  values: { value: string; path: Path }[],
  issueCode: string,
  noun: string,
): void {
  if (values.length > REDUNDANCY_CHECK_LIMIT) return;
  values.forEach((candidate, i) => {
    const coveredBy = values.find((other, j) => {
      if (i === j) return false;
      const same = other.value.toLowerCase() === candidate.value.toLowerCase();
      // Of two equal values the later one is the redundant copy.
      if (same) return j < i;
      return hasWildcard(other.value) && !hasWildcard(candidate.value) && wildcardMatch(other.value, candidate.value);
    });
    if (coveredBy !== undefined) {
      sink.report(
        'SUGGESTION',
        issueCode,
        `The ${noun} ${candidate.value} is redundant because ${coveredBy.value} in the same statement already covers it. Remove ${candidate.value}.`,
        candidate.path,
      );
    }
  });
}

function canonical(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return `{${[...node.entries]
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((e) => `${JSON.stringify(e.key)}:${canonical(e.value)}`)
        .join(',')}}`;
    case 'array':
      return `[${node.items.map(canonical).join(',')}]`;
    case 'null':
      return 'null';
    default:
      return JSON.stringify(node.value);
  }
}

export function checkRedundantStatements(sink: FindingSink, statements: StatementAt[]): void {
  const seen = new Map<string, Path>();
  for (const { node, path } of statements) {
    if (node.kind !== 'object') continue;
    // Two statements that differ only in Sid grant the same.
    const key = canonical({ kind: 'object', entries: node.entries.filter((e) => e.key !== 'Sid') });
    const first = seen.get(key);
    if (first !== undefined) {
      sink.report(
        'SUGGESTION',
        'REDUNDANT_STATEMENT',
        `This statement repeats the statement at ${first.join('.')}. Remove one of them.`,
        path,
      );
    } else {
      seen.set(key, path);
    }
  }
}
