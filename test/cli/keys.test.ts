import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openStore } from '../../src/runtime/store/index.ts';
import { testApp } from '../api/helpers.ts';
import { describeBackends } from '../store/backends.ts';
import { cliInProcess, cliWithEnv } from './run-cli.ts';

/*
 * `lifecircle keys list|add|revoke` against the store a server runs on: on PostgreSQL while the
 * server runs (a revoked key is refused within seconds, an added one accepted); on the embedded
 * store, which the running server locks, a clear error naming the lock, and the change once it stops.
 * The commands run in this process, but `keys list` beside the running server: a process of its own,
 * as a user's would be (the lock names another process).
 */
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-cli-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeBackends('lifecircle keys', (backend) => {
  it('adds, lists and revokes the keys of a running server\'s store', async () => {
    const target = await backend.freshTarget({ persistent: true });
    const env = target.options.databaseUrl ? { DATABASE_URL: target.options.databaseUrl } : { DATABASE_URL: undefined, DATA_DIR: target.options.dataDir };
    const keys = (...args: string[]) => cliInProcess(env, 'keys', ...args);
    const keysProcess = (...args: string[]) => cliWithEnv(env, 'keys', ...args);
    const startServer = async () => {
      const store = await openStore(target.options);
      const app = testApp({ store, dataDir: join(dir, 'graphs'), runJobs: false });
      await app.ready();
      const status = async (key: string) => (await app.inject({ method: 'GET', url: '/v1/datasets', headers: { 'x-api-key': key } })).statusCode;
      return { status, stop: async () => (await app.close(), await store.close()) };
    };
    const eventually = async (probe: () => Promise<number>, expected: number) => {
      const started = performance.now();
      let got = await probe();
      while (got !== expected && performance.now() - started < 30_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        got = await probe();
      }
      return got;
    };
    try {
      const added = await keys('add', 'ops');
      expect(added.code).toBe(0);
      const key = added.stdout.trim();
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(added.stderr).toMatch(/^keys: added ops \(key_\S+\); the key above is shown this once\. If the server runs with API_KEYS, add "ops:<key>" there too/m);
      expect(await keys('add', 'ops')).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('error: keys add: an enabled key is already named "ops"') });

      let server = await startServer();
      expect(await server.status(key)).toBe(200);
      if (backend.name === 'postgres') {
        const listed = await keysProcess('list');
        expect(listed.code).toBe(0);
        expect(listed.stdout).toMatch(/^key_\S+ {2}ops {2}enabled {2}created \d{4}-\S+$/m);
        const revoked = await keys('revoke', 'ops');
        expect(revoked).toMatchObject({ code: 0, stdout: expect.stringMatching(/^revoked ops \(key_\S+\)\n$/) });
        expect(await eventually(() => server.status(key), 401)).toBe(401);
      } else {
        const locked = await keysProcess('list');
        expect(locked.code).toBe(1);
        expect(locked.stderr).toMatch(/^error: keys: store \S+: in use by process \d+, .*\(lock file \S+\/\.lifecircle\.lock\)\. The embedded store has one process at a time: stop the server/m);
        await server.stop();
        expect((await keys('revoke', 'ops')).code).toBe(0);
        server = await startServer();
        expect(await server.status(key)).toBe(401);
      }
      await server.stop();
      const json = await keys('list', '--json');
      expect(JSON.parse(json.stdout)).toEqual([{ id: expect.stringMatching(/^key_/), name: 'ops', createdAt: expect.any(String), disabledAt: expect.any(String) }]);
      expect(await keys('revoke', 'ops')).toMatchObject({ code: 2, stderr: 'error: keys revoke: no enabled key with id or name "ops" (see lifecircle keys list)\n' });
    } finally {
      await target.dispose();
    }
  });
});

it('refuses a bad command line before opening any store (exit 2)', async () => {
  const env = { DATABASE_URL: undefined, DATA_DIR: join(dir, 'never-created') };
  expect(await cliInProcess(env, 'keys', 'rotate')).toMatchObject({ code: 2, stderr: 'error: keys: unknown action "rotate": expected list, add or revoke (see --help)\n' });
  expect(await cliInProcess(env, 'keys', 'add')).toMatchObject({ code: 2, stderr: 'error: keys add: expected <name> (see --help)\n' });
  expect(await cliInProcess({ DATABASE_URL: undefined, DATA_DIR: 'memory://' }, 'keys', 'list')).toMatchObject({ code: 2, stderr: expect.stringContaining('is a throwaway store') });
});
