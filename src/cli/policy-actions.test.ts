import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function bursar(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bursar policy actions', () => {
  it('lists the Read-level aws-portal actions', () => {
    const result = bursar(['policy', 'actions', 'aws-portal', '--access-level', 'Read']);
    assert.equal(result.status, 0, result.stderr);
    const actions = JSON.parse(result.stdout) as { action: string; accessLevel: string }[];
    // The seed tutorial (written before 2023) shows four Read actions; the data (iam-data 2026-09) has a fifth,
    // GetConsoleActionSetEnforced, added by AWS in 2023 for the fine-grained migration. The data is asserted.
    assert.deepEqual(
      actions.map((a) => a.action),
      [
        'aws-portal:GetConsoleActionSetEnforced',
        'aws-portal:ViewAccount',
        'aws-portal:ViewBilling',
        'aws-portal:ViewPaymentMethods',
        'aws-portal:ViewUsage',
      ],
    );
    assert.ok(actions.every((a) => a.accessLevel === 'Read'));
  });

  it('expands an action pattern and prints a table on request', () => {
    const result = bursar(['policy', 'actions', 'aws-portal:Modify*', '--format', 'table']);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^ACTION\s+ACCESS LEVEL\s+DESCRIPTION$/);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
      ['aws-portal:ModifyAccount Write', 'aws-portal:ModifyBilling Write', 'aws-portal:ModifyPaymentMethods Write'],
    );
  });

  it('exits 1 for an unknown service and 2 for an unknown access level', () => {
    const unknown = bursar(['policy', 'actions', 'no-such-service']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /unknown service no-such-service/);
    const badLevel = bursar(['policy', 'actions', 'aws-portal', '--access-level', 'Readish']);
    assert.equal(badLevel.status, 2);
  });
});

describe('bursar policy actions by service name', () => {
  it('accepts the visual editor’s name', () => {
    const result = bursar(['policy', 'actions', 'Billing Console', '--access-level', 'write']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as unknown[]).length, 4);
  });
});
