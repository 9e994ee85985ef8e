import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function bursar(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bursar policy validate', () => {
  it('prints no findings and exits 0 for the tutorial’s policy', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'VisualEditor0', Effect: 'Allow', Action: 'aws-portal:*', Resource: '*' }],
    });
    const result = bursar(['policy', 'validate'], policy);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });

  it('prints findings as JSON and exits 1 when one is an ERROR', () => {
    const policy =
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"aws-portal:ViewBudget","Resource":"*","Principal":"*"}}';
    const result = bursar(['policy', 'validate', '--kind', 'inline-user'], policy);
    assert.equal(result.status, 1);
    const findings = JSON.parse(result.stdout) as { findingType: string; issueCode: string; path: unknown[] }[];
    assert.deepEqual(findings.map((f) => f.issueCode).sort(), ['INVALID_ACTION', 'UNSUPPORTED_PRINCIPAL']);
    assert.ok(findings.every((f) => f.findingType === 'ERROR' && Array.isArray(f.path)));
  });

  it('exits 0 when the findings are only warnings', () => {
    const result = bursar(
      ['policy', 'validate'],
      '{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}',
    );
    assert.equal(result.status, 0);
    assert.deepEqual(
      (JSON.parse(result.stdout) as { issueCode: string }[]).map((f) => f.issueCode),
      ['MISSING_VERSION'],
    );
  });

  it('applies the kind’s rules: a trust policy needs a Principal', () => {
    const result = bursar(
      ['policy', 'validate', '--kind', 'trust'],
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}',
    );
    assert.equal(result.status, 1);
    assert.deepEqual(
      (JSON.parse(result.stdout) as { issueCode: string }[]).map((f) => f.issueCode),
      ['MISSING_PRINCIPAL'],
    );
  });

  it('reports malformed JSON with its position', () => {
    const result = bursar(['policy', 'validate'], '{"Version": }');
    assert.equal(result.status, 1);
    const [finding] = JSON.parse(result.stdout) as { issueCode: string; findingDetails: string }[];
    assert.equal(finding?.issueCode, 'JSON_SYNTAX_ERROR');
    assert.match(finding?.findingDetails ?? '', /index 12 line 1 column 13/);
  });

  it('refuses an unknown kind with exit code 2', () => {
    const result = bursar(['policy', 'validate', '--kind', 'bucket'], '{}');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown --kind bucket/);
  });
});
