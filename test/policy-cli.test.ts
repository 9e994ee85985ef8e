/**
 * `bursar policy evaluate` on the command line: the corpus's cases go in as JSON Lines through one process,
 * and each output line must be the library's answer for the input line at the same position. A malformed
 * line in the middle answers `{"error": "..."}` on its own line and the lines after it still get answers.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { evaluateCase } from '../src/policy/index.js';
import type { EvaluationCase, EvaluationResult } from '../src/policy/types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS_DIR = join(ROOT, 'test', 'corpus', 'policy');
/** The command line's output contract (the README's): these fields, with the library's values. */
const CONTRACT_FIELDS = ['decision', 'explanation', 'matched', 'blockedBy'] as const;
const RESULT_FIELDS = new Set<string>([...CONTRACT_FIELDS, 'missingContextKeys']);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runEvaluate(stdin: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'policy', 'evaluate'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

function corpusCases(dir: string): EvaluationCase[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry): EvaluationCase[] => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return corpusCases(path);
      if (!entry.name.endsWith('.json')) return [];
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      const cases = (Array.isArray(parsed) ? parsed : [parsed]) as EvaluationCase[];
      return cases.map(({ request, policies }) => ({ request, policies }));
    });
}

/** What the command line must print for one case: the library's result, or the error the library throws. */
function libraryAnswer(c: EvaluationCase): { result: EvaluationResult } | { error: true } {
  try {
    return { result: evaluateCase(c) };
  } catch {
    return { error: true };
  }
}

function assertSameAnswer(line: string, c: EvaluationCase, position: number): void {
  const printed: unknown = JSON.parse(line);
  assert.ok(typeof printed === 'object' && printed !== null, `line ${position} is not a JSON object`);
  const answer = libraryAnswer(c);
  if ('error' in answer) {
    assert.equal(typeof (printed as { error?: unknown }).error, 'string', `line ${position} should be an error`);
    return;
  }
  const fields = printed as Record<string, unknown>;
  const extra = Object.keys(fields).filter((key) => !RESULT_FIELDS.has(key));
  assert.deepEqual(extra, [], `line ${position} carries fields outside the result contract`);
  const expected = JSON.parse(JSON.stringify(answer.result)) as Record<string, unknown>;
  for (const field of CONTRACT_FIELDS) {
    assert.deepEqual(fields[field], expected[field], `line ${position}: ${field}`);
  }
  if ('missingContextKeys' in fields) {
    assert.deepEqual(fields.missingContextKeys, expected.missingContextKeys, `line ${position}: missingContextKeys`);
  }
}

describe('bursar policy evaluate', () => {
  it('answers JSON Lines one line per case, in order, with an error line for a malformed case', async () => {
    const cases = corpusCases(CORPUS_DIR);
    assert.ok(cases.length >= 300, `expected the corpus's cases, found ${cases.length}`);
    const malformedAt = Math.floor(cases.length / 2);
    const lines = cases.map((c) => JSON.stringify(c));
    lines.splice(malformedAt, 0, '{"request": {"principal": "arn:aws:iam::123456789012:user/Alice",');

    const run = await runEvaluate(`${lines.join('\n')}\n`);
    const output = run.stdout.split('\n');
    if (output.at(-1) === '') output.pop();
    assert.equal(output.length, lines.length, `one output line per input line (stderr: ${run.stderr})`);

    const errorLine: unknown = JSON.parse(output[malformedAt] ?? '');
    assert.ok(
      typeof errorLine === 'object' && errorLine !== null && Object.keys(errorLine).join() === 'error',
      `the malformed line answers {"error": ...}, got ${output[malformedAt]}`,
    );
    assert.equal(typeof (errorLine as { error: unknown }).error, 'string');

    const answered = output.filter((_, i) => i !== malformedAt);
    cases.forEach((c, i) => assertSameAnswer(answered[i] ?? '', c, i < malformedAt ? i : i + 1));
  });

  it('answers a single pretty-printed case with one result', async () => {
    const seed: EvaluationCase = {
      request: {
        principal: 'arn:aws:iam::123456789012:user/FinanceUser',
        action: 'aws-portal:ModifyBilling',
        resource: '*',
      },
      policies: {
        identity: [
          { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'aws-portal:View*', Resource: '*' }] },
        ],
      },
    };
    const run = await runEvaluate(JSON.stringify(seed, null, 2));
    assert.equal(run.code, 0, run.stderr);
    const printed = JSON.parse(run.stdout) as EvaluationResult;
    assert.equal(printed.decision, 'ImplicitlyDenied');
    assert.equal(
      printed.explanation,
      'User: arn:aws:iam::123456789012:user/FinanceUser is not authorized to perform: aws-portal:ModifyBilling on resource: * because no identity-based policy allows the aws-portal:ModifyBilling action',
    );
  });
});
