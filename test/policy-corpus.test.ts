/**
 * The policy corpus: named cases in `test/corpus/policy/<topic>/*.json`, written from AWS's documentation,
 * run through the engine's command-line entry point `evaluateCase`. A file holds one case or an array of them.
 * Case shape (unknown keys are rejected, as Cedar's `deny_unknown_fields` does, so a typo cannot silently
 * weaken an assertion):
 *   { name, doc?, request, policies, expected: { decision, blockedBy?, matched?, explanation?,
 *     missingContextKeys? }, only?: true, skip?: "<reason>" }
 * `blockedBy` and `missingContextKeys` compare as sets; `matched` compares as a set on the fields each
 * expected entry gives. `only: true` focuses a case locally and fails the run, so it never reaches CI.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { evaluateCase } from '../src/policy/index.js';
import type { EvaluationCase, EvaluationResult, StatementRef } from '../src/policy/types.js';

const CORPUS_DIR = fileURLToPath(new URL('./corpus/policy/', import.meta.url));
const MINIMUM_CASES = 300;

const CASE_KEYS = new Set(['name', 'doc', 'request', 'policies', 'expected', 'only', 'skip']);
const REQUEST_KEYS = new Set(['principal', 'action', 'resource', 'resourceAccount', 'context']);
const POLICIES_KEYS = new Set(['identity', 'resource', 'permissionBoundary', 'session', 'scps', 'rcps']);
const EXPECTED_KEYS = new Set(['decision', 'blockedBy', 'matched', 'explanation', 'missingContextKeys']);
const MATCHED_KEYS = new Set(['policyType', 'policyId', 'index', 'sid', 'effect']);
const DECISIONS = new Set(['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied']);

type ExpectedRef = Partial<StatementRef> & { policyId: string };

interface Expected {
  decision: EvaluationResult['decision'];
  blockedBy?: string[];
  matched?: ExpectedRef[];
  explanation?: string;
  missingContextKeys?: string[];
}

interface CorpusCase extends EvaluationCase {
  name: string;
  doc?: string;
  expected: Expected;
  only?: true;
  skip?: string;
}

/** A case as loaded: either well-formed, or the reasons it is not (reported as that case's failure). */
interface LoadedCase {
  label: string;
  value: CorpusCase;
  problems: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKeys(value: Record<string, unknown>, allowed: Set<string>, where: string): string[] {
  return Object.keys(value)
    .filter((key) => !allowed.has(key))
    .map((key) => `${where}: unknown key \`${key}\``);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((x) => typeof x === 'string');
}

function checkExpected(value: unknown): string[] {
  if (value === undefined) return ['`expected` is missing: every case must say what AWS decides'];
  if (!isRecord(value)) return ['`expected` must be an object'];
  const problems = unknownKeys(value, EXPECTED_KEYS, 'expected');
  if (typeof value.decision !== 'string' || !DECISIONS.has(value.decision)) {
    problems.push('expected.decision must be Allowed, ExplicitlyDenied or ImplicitlyDenied');
  }
  for (const key of ['blockedBy', 'missingContextKeys'] as const) {
    if (value[key] !== undefined && !isStringArray(value[key]))
      problems.push(`expected.${key} must be an array of strings`);
  }
  if (value.explanation !== undefined && typeof value.explanation !== 'string') {
    problems.push('expected.explanation must be a string');
  }
  if (value.matched !== undefined) {
    if (!Array.isArray(value.matched)) problems.push('expected.matched must be an array');
    else {
      value.matched.forEach((ref: unknown, i) => {
        if (!isRecord(ref) || typeof ref.policyId !== 'string') {
          problems.push(`expected.matched[${i}] must be an object with a policyId`);
        } else problems.push(...unknownKeys(ref, MATCHED_KEYS, `expected.matched[${i}]`));
      });
    }
  }
  return problems;
}

function checkCase(value: unknown): string[] {
  if (!isRecord(value)) return ['a case must be an object'];
  const problems = unknownKeys(value, CASE_KEYS, 'case');
  if (typeof value.name !== 'string' || value.name === '') problems.push('`name` must be a non-empty string');
  if (value.doc !== undefined && typeof value.doc !== 'string') problems.push('`doc` must be a string');
  if (value.only !== undefined && value.only !== true) problems.push('`only` must be true when present');
  if (value.skip !== undefined && (typeof value.skip !== 'string' || value.skip === '')) {
    problems.push('`skip` must be a non-empty reason');
  }
  if (!isRecord(value.request)) problems.push('`request` must be an object');
  else problems.push(...unknownKeys(value.request, REQUEST_KEYS, 'request'));
  if (!isRecord(value.policies)) problems.push('`policies` must be an object');
  else problems.push(...unknownKeys(value.policies, POLICIES_KEYS, 'policies'));
  problems.push(...checkExpected(value.expected));
  return problems;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return jsonFiles(path);
      return entry.isFile() && entry.name.endsWith('.json') ? [path] : [];
    })
    .sort();
}

function loadFile(path: string): LoadedCase[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [{ label: '(file does not parse)', value: {} as CorpusCase, problems: [`invalid JSON: ${message}`] }];
  }
  const values = Array.isArray(parsed) ? parsed : [parsed];
  return values.map((value: unknown, i) => {
    const name = isRecord(value) && typeof value.name === 'string' && value.name !== '' ? value.name : `(case ${i})`;
    return { label: name, value: value as CorpusCase, problems: checkCase(value) };
  });
}

function sameSet(actual: readonly string[], expected: readonly string[], what: string): void {
  assert.deepEqual([...new Set(actual)].sort(), [...new Set(expected)].sort(), `${what} differ`);
}

function refMatches(actual: StatementRef, expected: ExpectedRef): boolean {
  return (Object.keys(expected) as (keyof StatementRef)[]).every((key) => actual[key] === expected[key]);
}

/** Set equality on the fields each expected entry gives: every actual ref is expected and every expected ref occurs. */
function assertMatched(actual: readonly StatementRef[], expected: readonly ExpectedRef[]): void {
  const unexpected = actual.filter((ref) => !expected.some((e) => refMatches(ref, e)));
  const absent = expected.filter((e) => !actual.some((ref) => refMatches(ref, e)));
  assert.ok(
    unexpected.length === 0 && absent.length === 0,
    `matched statements differ\n  unexpected: ${JSON.stringify(unexpected)}\n  absent: ${JSON.stringify(absent)}`,
  );
}

function check(result: EvaluationResult, expected: Expected): void {
  assert.equal(result.decision, expected.decision, `decision (explanation: ${result.explanation})`);
  if (expected.blockedBy !== undefined) sameSet(result.blockedBy, expected.blockedBy, 'blockedBy');
  if (expected.matched !== undefined) assertMatched(result.matched, expected.matched);
  if (expected.explanation !== undefined) assert.equal(result.explanation, expected.explanation, 'explanation');
  if (expected.missingContextKeys !== undefined) {
    sameSet(result.missingContextKeys, expected.missingContextKeys, 'missingContextKeys');
  }
}

const files = jsonFiles(CORPUS_DIR).map((path) => ({ path: relative(CORPUS_DIR, path), cases: loadFile(path) }));
const all = files.flatMap((f) => f.cases);
const focused = all.some((c) => c.value.only === true);

describe('policy corpus', () => {
  it(`holds at least ${MINIMUM_CASES} cases`, () => {
    assert.ok(all.length >= MINIMUM_CASES, `only ${all.length} cases were loaded from ${CORPUS_DIR}`);
  });

  it('gives every case a unique name', () => {
    const seen = new Set<string>();
    const duplicates = all.map((c) => c.label).filter((name) => seen.has(name) || !seen.add(name));
    assert.deepEqual(duplicates, []);
  });

  it('has no case focused with `only` (a local debugging aid only)', () => {
    assert.deepEqual(
      all.filter((c) => c.value.only === true).map((c) => c.label),
      [],
    );
  });

  for (const file of files) {
    describe(file.path, () => {
      for (const c of file.cases) {
        const skip = c.value.skip ?? (focused && c.value.only !== true ? 'another case is focused with `only`' : false);
        it(c.label, { skip }, () => {
          assert.deepEqual(c.problems, [], 'malformed case');
          check(evaluateCase({ request: c.value.request, policies: c.value.policies }), c.value.expected);
        });
      }
    });
  }
});
