import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary files and folders are named with the pid of the process that writes them; the ones a
 * process killed outright (SIGKILL, out of memory, power) leaves behind are removed by the next one,
 * with this: every entry of a folder whose name holds the pid of a process that no longer runs.
 *
 * Call it before this process makes any of its own: an entry with this process's pid is then stale
 * too — a container's restarted server is often pid 1 again, like the one that crashed.
 */
export function removeStaleTemporaries(dir: string, pidOf: (name: string) => number | undefined): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = pidOf(name);
    if (pid === undefined || (pid !== process.pid && isProcessRunning(pid))) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(join(dir, name));
  }
  return removed;
}

/** Whether a process with this pid runs (EPERM: it does, as another user). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in `name` when it is `<prefix><pid>`, e.g. `lifecircle-graphs-1234`. */
function pidAfterPrefix(prefix: string): (name: string) => number | undefined {
  return (name) => {
    if (!name.startsWith(prefix)) return undefined;
    const rest = name.slice(prefix.length);
    return /^\d+$/.test(rest) ? Number(rest) : undefined;
  };
}

/**
 * A folder `<tmpdir>/<prefix><pid>` for this process's throwaway files (a `memory://` store's graph
 * files): the ones of processes no longer running are removed first, and this one when the process
 * exits — normally, on SIGTERM or SIGINT (server.ts exits), on an uncaught error. A process killed
 * outright leaves it to the next start. Not created here: whoever writes to it does.
 */
export function processScratchDir(prefix: string): string {
  const parent = tmpdir();
  removeStaleTemporaries(parent, pidAfterPrefix(prefix));
  const path = join(parent, `${prefix}${process.pid}`);
  process.on('exit', () => rmSync(path, { recursive: true, force: true }));
  return path;
}
