import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { throwawayDatabase } from '../../scripts/lib/throwaway-database.ts';
import { freePort } from '../api/server-process.ts';

/**
 * A PostgreSQL server for the distributed tests, which cannot run without one (the queue and the
 * partitions live there): `DATABASE_URL` when set (CI always sets it), else a throwaway server started
 * with scripts/postgres-test.sh in its own directory and port, stopped afterwards. Never a skip: when
 * no server can be had, the error says why and the test fails.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

export interface TestDatabase {
  /** A new, empty database on the server. */
  url: string;
  /** Drops the database (and stops the server if this file started it). */
  dispose(): Promise<void>;
}

export async function freshDatabase(): Promise<TestDatabase> {
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  if (!serverUrl) {
    const port = await freePort();
    const env = { ...process.env, PGTEST_DIR: `/tmp/lifecircle-pgtest-distributed-${process.pid}`, PGTEST_PORT: String(port) };
    try {
      serverUrl = (await run('bash', ['scripts/postgres-test.sh', 'start'], { cwd: ROOT, env })).stdout.trim();
    } catch (err) {
      throw new Error(`DATABASE_URL is not set and scripts/postgres-test.sh could not start a server (the distributed tests need PostgreSQL): ${(err as { stderr?: string }).stderr ?? (err as Error).message}`);
    }
    stopServer = async () => void (await run('bash', ['scripts/postgres-test.sh', 'stop'], { cwd: ROOT, env }));
  }
  let database: Awaited<ReturnType<typeof throwawayDatabase>>;
  try {
    database = await throwawayDatabase(serverUrl, 'lc_distributed');
  } catch (err) {
    await stopServer();
    throw err;
  }
  return {
    url: database.url,
    async dispose() {
      try {
        await database.drop();
      } finally {
        await stopServer();
      }
    },
  };
}
