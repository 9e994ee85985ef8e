/**
 * Scratch directories of a killed process are removed at the next start; those of running processes (this
 * one, another server) and anything not named by a process stay.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { test } from 'node:test';
import { removeOrphanedTempDirs, tempDirPrefix } from '../../src/platform/temp-dirs.js';

/** A child process that makes its scratch directory the way Bursar does and then waits to be killed. */
async function childWithScratch(directory: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { mkdtempSync, writeFileSync } = await import('node:fs');
       const { tempDirPrefix } = await import(${JSON.stringify(new URL('../../src/platform/temp-dirs.ts', import.meta.url).href)});
       const dir = mkdtempSync(tempDirPrefix('costs', ${JSON.stringify(directory)}));
       writeFileSync(dir + '/part.parquet', 'x');
       console.log(dir);
       setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return { child, dir: line.toString().trim() };
}

test('a start removes the scratch directories of killed processes only', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'reliability-tmp-'));
  try {
    const killed = await childWithScratch(directory);
    const running = await childWithScratch(directory);
    const mine = mkdtempSync(tempDirPrefix('import', directory));
    const unowned = join(directory, 'bursar-costs-legacy');
    mkdirSync(unowned);
    killed.child.kill('SIGKILL');
    await once(killed.child, 'exit');

    assert.deepEqual(removeOrphanedTempDirs(directory), [killed.dir]);
    assert.equal(existsSync(killed.dir), false);
    for (const kept of [running.dir, mine, unowned]) assert.equal(existsSync(kept), true, kept);

    running.child.kill('SIGKILL');
    await once(running.child, 'exit');
    assert.deepEqual(removeOrphanedTempDirs(directory), [running.dir]);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
