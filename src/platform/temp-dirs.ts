/**
 * Bursar's temporary directories (the cost engine's Parquet scratch space, uploaded import files) carry the
 * id of the process that made them, so a start can remove those a killed process left behind — and only
 * those: a directory whose process still runs belongs to another server or import on this machine.
 */
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TempDirKind = 'costs' | 'import';

const OWNED = /^bursar-(?:costs|import)-(\d+)-/;

/** The prefix for `mkdtemp`: `<tmp>/bursar-<kind>-<pid>-`. */
export function tempDirPrefix(kind: TempDirKind, directory = tmpdir()): string {
  return join(directory, `bursar-${kind}-${process.pid}-`);
}

/** Whether a process with this id runs on this machine. */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporary directories of processes that are gone; returns their paths. */
export function removeOrphanedTempDirs(directory = tmpdir()): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(directory)) {
    const pid = OWNED.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || processRuns(Number(pid))) continue;
    const path = join(directory, name);
    rmSync(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}
