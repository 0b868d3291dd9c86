import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessRunning } from '../files/stale-temporaries.ts';
import { StoreError } from './errors.ts';

/** The lock's file name inside the data directory. */
export const LOCK_FILE = '.lifecircle.lock';

/** Directories this process has open: a lock naming our own pid is live only if it is one of these. */
const heldHere = new Set<string>();

/**
 * Takes an exclusive lock on a PGlite data directory: a file holding our pid. It is written aside and
 * hard-linked into place, so it appears atomically and never empty. A lock left by a process that no
 * longer runs (a crash) is taken over. Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, String(process.pid));
  try {
    return takeLock(dir, path, draft);
  } finally {
    rmSync(draft, { force: true });
  }
}

function takeLock(dir: string, path: string, draft: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      linkSync(draft, path);
      heldHere.add(dir);
      return () => {
        if (heldHere.delete(dir)) rmSync(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(path);
      if (holder !== null && isRunning(holder, dir)) {
        throw new StoreError('STORE_LOCKED', `store ${dir}: in use by process ${holder}${holder === process.pid ? ' (this one)' : ''}, expected no other store on it; close it first or use DATABASE_URL to share a PostgreSQL server`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new StoreError('STORE_LOCKED', `store ${dir}: could not take ${LOCK_FILE}, another process keeps creating it`);
}

function readHolder(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number, dir: string): boolean {
  // In a container the restarted server often gets the crashed one's pid (1): our own pid in the file
  // means a live lock only if this process really opened the directory.
  if (pid === process.pid) return heldHere.has(dir);
  return isProcessRunning(pid);
}
