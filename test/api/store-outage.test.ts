import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGraphFile } from '../../src/runtime/files/graph-file.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import { SMALL_TOWN_STANDARD } from '../helpers/small-town.ts';
import { gridNetwork, gridPoint } from './grid-network.ts';
import { fc, town, townNetwork } from './helpers.ts';
import { type ServerProcess, freePort, startServer } from './server-process.ts';

/*
 * The real server (src/server.ts) on a real PostgreSQL server of its own, which is stopped
 * (`pg_ctl stop -m fast`: sessions ended with 57P01, new connections refused) while a coverage job
 * runs, and started again. The server must live through it and tell its clients: store routes answer
 * 503 STORE_UNAVAILABLE with Retry-After, /ready 503 STORE_UNAVAILABLE, /health 200 and the compute
 * routes keep working; once PostgreSQL is back, /ready is 200 again and the job completes — once,
 * under the lease of its first claim — without restarting the service.
 *
 * Always its own server (scripts/postgres-test.sh in its own directory and port), never DATABASE_URL:
 * the test stops it. No PostgreSQL installed is a failure, not a skip.
 *
 * The job (4,000 communities on an 80×80 grid, as in crash.test.ts) is caught mid-way
 * without timing anything: once it has recorded some progress, the test locks the job's row
 * (`SELECT … FOR UPDATE` in a transaction it keeps open), so the runner's next store call on it waits
 * on the lock — visible in pg_stat_activity — and the job can go no further. Then PostgreSQL is
 * stopped, which ends both sessions.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const KEY = 'outage-tester-key-0123456789abcdef';
const auth = { 'x-api-key': KEY };
const SIZE = 80;
const COMMUNITIES = 4000;
const STANDARD = { ...SMALL_TOWN_STANDARD, id: 'outage-45', minutes: 45 };

const root = mkdtempSync(join(tmpdir(), 'lifecircle-api-outage-'));
const defaultNetwork = join(root, 'town.lcg');
writeGraphFile(defaultNetwork, graphFromGeoJson(townNetwork, { source: 'town' }));

const network = gridNetwork(SIZE);
const facilities = {
  type: 'FeatureCollection',
  features: Array.from({ length: 200 }, (_, k) => ({
    type: 'Feature',
    properties: { id: `f${k}`, category: k % 2 ? 'clinic' : 'park' },
    geometry: { type: 'Point', coordinates: gridPoint((k * 7) % SIZE, (k * 13) % SIZE) },
  })),
};
const communities = {
  type: 'FeatureCollection',
  features: Array.from({ length: COMMUNITIES }, (_, k) => ({
    type: 'Feature',
    properties: { id: `c${k}`, type: 'urban' },
    geometry: { type: 'Point', coordinates: gridPoint(((k * 17) % SIZE) + 0.3, ((k * 31) % SIZE) + 0.2) },
  })),
};

/** This test's own PostgreSQL server: start, pause (stop, data kept), resume, stop (data deleted). */
let pgEnv: NodeJS.ProcessEnv;
let databaseUrl: string;
const postgres = async (command: 'start' | 'pause' | 'resume' | 'stop') =>
  (await run('bash', ['scripts/postgres-test.sh', command], { cwd: ROOT, env: pgEnv })).stdout.trim();

let server: ServerProcess | undefined;
beforeAll(async () => {
  // Not under `root`: mkdtemp's directory is private, and the server runs as the `postgres` user when root.
  pgEnv = { ...process.env, PGTEST_DIR: `/tmp/lifecircle-pgtest-outage-${process.pid}`, PGTEST_PORT: String(await freePort()) };
  try {
    databaseUrl = await postgres('start');
  } catch (err) {
    throw new Error(`scripts/postgres-test.sh could not start a PostgreSQL server (this test stops and restarts its own): ${(err as { stderr?: string }).stderr ?? (err as Error).message}`);
  }
});
afterAll(async () => {
  try {
    await server?.kill();
  } finally {
    await postgres('stop').catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
});

interface Answer {
  status: number;
  headers: Headers;
  json: any;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = auth): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(`${server!.base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    const code = server!.child.exitCode ?? server!.child.signalCode;
    throw new Error(`${method} ${path}: ${(err as Error).message}; server exit: ${code}; last log lines: ${JSON.stringify(server!.lines.slice(-5))}; stderr: ${server!.stderr().slice(-2000)}`);
  }
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

/** Polls `probe` until it returns a value (not undefined); what it throws fails the test. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const got = await probe();
    if (got !== undefined) return got;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not within ${ms} ms; last log lines: ${JSON.stringify(server?.lines.slice(-5))}`);
}

async function runsOfJob(jobId: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*) AS n FROM runs WHERE job_id = $1', [jobId])).rows[0].n);
  } finally {
    await client.end();
  }
}

describe('PostgreSQL stopped and started again while the server runs a job', () => {
  it('answers 503 STORE_UNAVAILABLE meanwhile, stays alive, and completes the job exactly once without a restart', async () => {
    const port = await freePort();
    server = await startServer(port, {
      DATABASE_URL: databaseUrl,
      DATA_DIR: join(root, 'data'),
      API_KEYS: `tester:${KEY}`,
      NETWORK: defaultNetwork,
      NETWORK_CACHE_DIR: join(root, 'cache'),
      RATE_LIMIT_PER_MINUTE: '0',
    });
    await server.logged(/^ready$/);
    const pid = server.child.pid;

    const ids: Record<string, string> = {};
    for (const [path, body] of [['networks', network], ['facilities', facilities], ['communities', communities]] as const) {
      const res = await call('POST', `/v1/datasets/${path}?name=${path}`, body);
      expect(res.status, `${JSON.stringify(res.json)}; errors logged: ${JSON.stringify(server.lines.filter((l) => l.level >= 50))}`).toBe(201);
      ids[path] = res.json.id;
    }
    const queued = await call('POST', '/v1/jobs', { kind: 'coverage', network: ids.networks, facilities: ids.facilities, communities: ids.communities, standard: STANDARD });
    expect(queued.status, JSON.stringify(queued.json)).toBe(202);
    const jobId: string = queued.json.id;

    // Mid-job, held there: the job's row locked once it has made some progress, and the runner
    // seen waiting for the lock.
    const holder = new pg.Client({ connectionString: databaseUrl });
    holder.on('error', () => {}); // the stop below ends its session (57P01)
    await holder.connect();
    const held = await until('the job locked mid-way', async () => {
      await holder.query('BEGIN');
      const [job] = (await holder.query('SELECT state, progress FROM jobs WHERE id = $1 FOR UPDATE', [jobId])).rows;
      if (job.state !== 'queued' && job.state !== 'running') throw new Error(`the job ended before it could be held: ${JSON.stringify(job)}`);
      if (job.state === 'running' && job.progress.done > 0 && job.progress.done < COMMUNITIES) return job.progress.done as number;
      await holder.query('COMMIT');
      return undefined;
    });
    const observer = new pg.Client({ connectionString: databaseUrl });
    await observer.connect();
    await until('the runner waiting on the lock', async () => {
      const { rows } = await observer.query(
        // Its next piece or progress record, whichever statement touches the job's row first.
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      return rows[0].n > 0 ? true : undefined;
    });
    await observer.end();

    await postgres('pause');
    await holder.end().catch(() => undefined);

    // The runner meets the outage in the job's next store call, and waits under its lease.
    const waiting = await server.logged(/^the store is unavailable: the job waits for it under its lease$/);
    expect(waiting).toMatchObject({ jobId, level: 40 });

    // Store routes: 503 STORE_UNAVAILABLE with Retry-After, whether the key was looked up before or not.
    for (const path of [`/v1/jobs/${jobId}`, '/v1/datasets', '/v1/runs']) {
      const res = await call('GET', path);
      expect(res.status, `${path}: ${JSON.stringify(res.json)}`).toBe(503);
      expect(res.json).toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503, type: 'urn:lifecircle:error:STORE_UNAVAILABLE' });
      expect(res.json.detail).toMatch(/^the store is unavailable: /);
      expect(res.json.detail).not.toContain(String(pgEnv.PGTEST_PORT)); // no host or port in answers
      expect(res.headers.get('retry-after')).toBe('5');
    }
    const unknownKey = await call('GET', '/v1/datasets', undefined, { 'x-api-key': 'never-seen-key-0123456789abcdef' });
    expect(unknownKey.status).toBe(503);
    expect(unknownKey.json.code).toBe('STORE_UNAVAILABLE');
    // /ready says so (its probe is renewed once a second); /health stays 200: a restart would not help.
    const ready = await until('/ready to say the store is unavailable', async () => {
      const res = await call('GET', '/ready');
      return res.status === 503 ? res : undefined;
    });
    expect(ready.json).toMatchObject({ code: 'STORE_UNAVAILABLE', detail: expect.stringMatching(/^the store is unavailable: /) });
    expect(ready.headers.get('retry-after')).toBe('5');
    expect((await call('GET', '/health')).status).toBe(200);
    // What needs no store goes on: an anonymous isochrone on the default network.
    const isochrone = await call('POST', '/v1/isochrones', { origins: fc(town.point('A', town.at('a'))), minutes: [5] }, {});
    expect(isochrone.status, JSON.stringify(isochrone.json)).toBe(200);
    expect(server.child.exitCode).toBeNull();

    await postgres('resume');

    await until('/ready 200 again', async () => ((await call('GET', '/ready')).status === 200 ? true : undefined));
    const job = await until(
      'the job to finish',
      async () => {
        const res = await call('GET', `/v1/jobs/${jobId}`);
        return res.status === 200 && res.json.state !== 'running' && res.json.state !== 'queued' ? res.json : undefined;
      },
      120_000,
    );
    // Finished by the same claim (attempts 1: never taken over, never run again), its work kept.
    expect(held).toBeLessThan(COMMUNITIES);
    expect(job).toMatchObject({ state: 'succeeded', attempts: 1, progress: { done: COMMUNITIES, total: COMMUNITIES }, error: null });
    expect(server.lines.find((l) => l.msg === 'the store answers again: the job goes on')).toMatchObject({ jobId });
    expect(await runsOfJob(jobId)).toBe(1);
    const runs = (await call('GET', '/v1/runs')).json.runs.filter((r: any) => r.jobId === jobId);
    expect(runs.map((r: any) => r.id)).toEqual([job.runId]);
    expect(server.lines.filter((l) => l.msg === 'job succeeded' && l.jobId === jobId)).toHaveLength(1);
    expect(server.lines.filter((l) => l.msg === 'job failed')).toEqual([]);

    // The same process throughout, alive, started once.
    expect(server.child.pid).toBe(pid);
    expect(server.child.exitCode).toBeNull();
    expect(server.lines.filter((l) => l.msg === 'ready')).toHaveLength(1);
    expect(server.stderr()).not.toMatch(/Unhandled|unhandled/);
  }, 240_000);
});
