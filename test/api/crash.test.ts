import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeGraphFile } from '../../src/runtime/files/graph-file.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import { findApiKeyByKey, getJob, openStore } from '../../src/runtime/store/index.ts';
import { SMALL_TOWN_STANDARD } from '../helpers/small-town.ts';
import { freshDataDir } from '../helpers/store.ts';
import { gridNetwork, gridPoint } from './grid-network.ts';
import { townNetwork } from './helpers.ts';
import { type ServerProcess, freePort, startServer } from './server-process.ts';

/*
 * The real server (src/server.ts) running a coverage job over stored datasets on its embedded store,
 * stopped mid-job and started again on the same DATA_DIR:
 *  - SIGKILL (a crash, the OOM killer): nothing is released; the job stays `running` under the dead
 *    process's lease, the restarted runner takes it once the lease expires and runs it again from the
 *    start: one run, complete, attempts 2. The servers run with the shortest lease JOB_LEASE_MS allows
 *    (1 s), so the lease has run out by the time the second server is up: nothing waits for it. That a
 *    live lease is never taken, to the millisecond, is test/jobs/runner.test.ts's, on a test clock;
 *  - SIGTERM: the runner releases the job at its next chunk (queued, the attempt not counted), and
 *    the restarted server runs it: one run, attempts 1.
 *
 * The job is sized to be caught mid-way, not to be long: 1,500 communities on an 80×80 grid (50 m
 * blocks) against a custom 45-minute walking standard (each search covers most of the grid), stored
 * in 60 pieces of 25 with progress recorded after each, polled every 25 ms.
 */
const KEY = 'crash-tester-key-0123456789abcdef';
const auth = { 'x-api-key': KEY };
const SIZE = 80;
const COMMUNITIES = 1500;
const STANDARD = { ...SMALL_TOWN_STANDARD, id: 'crash-45', minutes: 45 };

const root = mkdtempSync(join(tmpdir(), 'lifecircle-api-crash-'));
const defaultNetwork = join(root, 'town.lcg');
writeGraphFile(defaultNetwork, graphFromGeoJson(townNetwork, { source: 'town' }));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const network = gridNetwork(SIZE);
const facilities = {
  type: 'FeatureCollection',
  features: Array.from({ length: 200 }, (_, k) => ({
    type: 'Feature',
    properties: { id: `f${k}`, category: k % 2 ? 'clinic' : 'park' },
    geometry: { type: 'Point', coordinates: gridPoint((k * 7) % SIZE, (k * 13) % SIZE) },
  })),
};
const communityIds = Array.from({ length: COMMUNITIES }, (_, k) => `c${k}`);
const communities = {
  type: 'FeatureCollection',
  features: communityIds.map((id, k) => ({
    type: 'Feature',
    properties: { id, type: 'urban' },
    geometry: { type: 'Point', coordinates: gridPoint(((k * 17) % SIZE) + 0.3, ((k * 31) % SIZE) + 0.2) },
  })),
};

const servers: ServerProcess[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.kill()));
});

async function start(dataDir: string, port: number): Promise<ServerProcess> {
  const server = await startServer(port, {
    DATA_DIR: dataDir,
    API_KEYS: `tester:${KEY}`,
    // The shortest lease: the job of the killed server can be taken over by the time its successor is up.
    JOB_LEASE_MS: '1000',
    NETWORK: defaultNetwork,
    NETWORK_CACHE_DIR: join(root, 'cache'),
    RATE_LIMIT_PER_MINUTE: '0',
  });
  servers.push(server);
  await server.logged(/^ready$/);
  return server;
}

async function call(server: ServerProcess, method: string, path: string, body?: unknown, contentType = 'application/json', retries = 40): Promise<{ status: number; json: any }> {
  let res: Response;
  try {
    res = await fetch(`${server.base}${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    // The server is gone: say why (its exit code, last log lines and stderr).
    const code = server.child.exitCode ?? server.child.signalCode;
    throw new Error(`${method} ${path}: ${(err as Error).message} (${(err as Error).cause ?? ''}); server exit: ${code}; last log lines: ${JSON.stringify(server.lines.slice(-5))}; stderr: ${server.stderr().slice(-2000)}`);
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  // Load shedding (503 SERVER_BUSY, Retry-After): on a busy CI machine a just-started server can
  // measure a long event-loop delay. A client retries a GET; so does this one, sooner than told.
  if (res.status === 503 && json?.code === 'SERVER_BUSY' && method === 'GET' && retries > 0) {
    await new Promise((r) => setTimeout(r, 250));
    return call(server, method, path, body, contentType, retries - 1);
  }
  return { status: res.status, json };
}

/** Uploads the three datasets and queues the job; returns the job id. */
async function queueJob(server: ServerProcess): Promise<string> {
  const uploaded: Record<string, string> = {};
  for (const [path, body] of [['networks', network], ['facilities', facilities], ['communities', communities]] as const) {
    const res = await call(server, 'POST', `/v1/datasets/${path}?name=${path}`, body);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    uploaded[path] = res.json.id;
  }
  const queued = await call(server, 'POST', '/v1/jobs', { kind: 'coverage', network: uploaded.networks, facilities: uploaded.facilities, communities: uploaded.communities, standard: STANDARD });
  expect(queued.status, JSON.stringify(queued.json)).toBe(202);
  return queued.json.id;
}

/**
 * Polls until the job is running and its progress has been seen at two different points (so it is
 * mid-job, and advancing): the city-wide searches done, then the communities stored, as one count.
 */
async function untilMidJob(server: ServerProcess, jobId: string): Promise<number[]> {
  const seen: number[] = [];
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const job = (await call(server, 'GET', `/v1/jobs/${jobId}`)).json;
    if (job.state !== 'queued' && job.state !== 'running') throw new Error(`job ended before it could be interrupted (progress seen: ${seen}): ${JSON.stringify(job)}`);
    const at = (job.progress.searches?.done ?? 0) + job.progress.done;
    if (job.state === 'running' && at > 0 && job.progress.done < COMMUNITIES && !seen.includes(at)) seen.push(at);
    if (seen.length >= 2) {
      expect(job.progress.total).toBe(COMMUNITIES);
      expect(seen[1]).toBeGreaterThan(seen[0]);
      return seen;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${jobId} did not progress within 60 s (seen: ${seen})`);
}

/** Polls answered 503 SERVER_BUSY (reported by the test run, not a failure). */
const busy: string[] = [];
afterAll(() => {
  if (busy.length > 0) console.warn(`job polls answered 503 SERVER_BUSY while a run was being stored: ${busy.length}`);
});

async function untilFinished(server: ServerProcess, jobId: string, ms: number): Promise<any> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const res = await call(server, 'GET', `/v1/jobs/${jobId}`);
    // Storing a finished run blocks the event loop for a while: load shedding may answer 503 meanwhile.
    if (res.status === 503 && res.json?.code === 'SERVER_BUSY') busy.push(jobId);
    else {
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      if (res.json.state !== 'queued' && res.json.state !== 'running') return res.json;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`job ${jobId} did not finish within ${ms} ms`);
}

/** Exactly one run for the job, and it is whole: every community reported once, the summary counting them all. */
async function expectOneCompleteRun(server: ServerProcess, job: any): Promise<void> {
  const runs = (await call(server, 'GET', '/v1/runs')).json.runs.filter((r: any) => r.jobId === job.id);
  expect(runs).toHaveLength(1);
  expect(runs[0].id).toBe(job.runId);
  const run = await call(server, 'GET', `/v1/runs/${job.runId}`);
  expect(run.status).toBe(200);
  const report = run.json;
  expect(report.communities).toHaveLength(COMMUNITIES);
  expect(new Set(report.communities.map((c: any) => c.id))).toEqual(new Set(communityIds));
  expect(report.communities.every((c: any) => c.standards.length === 1 && c.standards[0].standardId === STANDARD.id)).toBe(true);
  expect(report.summary.communities).toMatchObject({ total: COMMUNITIES, urban: COMMUNITIES, rural: 0 });
  const standard = report.summary.standards[0];
  expect(standard.standardId).toBe(STANDARD.id);
  // Every community in the denominator, none left out as not assessed.
  expect(standard.communities).toBe(COMMUNITIES);
  expect(standard.notAssessed).toEqual([]);
  expect(runs[0].summary).toEqual(report.summary);
}

describe('the server stopped mid-job and started again on the same DATA_DIR', () => {
  it('SIGKILL: the job stays running under the dead lease, is taken again when it expires, and leaves one complete run (attempts 2)', async () => {
    const dataDir = join(root, 'killed');
    // As a started server leaves it (the cached template, migrated): no initdb's or migrations' seconds.
    freshDataDir(dataDir, 'migrated');
    const port = await freePort();
    const first = await start(dataDir, port);
    const jobId = await queueJob(first);
    await untilMidJob(first, jobId);

    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull(); // killed, no exit code
    expect(first.lines.map((l) => l.msg)).not.toContain('released a job at shutdown');

    // While no server runs: nothing released it, it is still running under the dead process's lease,
    // first attempt, its progress kept (whether that lease has run out yet or not: no one has claimed it).
    const sql = await openStore({ dataDir });
    try {
      const owner = await findApiKeyByKey(sql, KEY);
      const after = (await getJob(sql, owner!.id, jobId))!;
      expect(after).toMatchObject({ state: 'running', attempts: 1, leaseOwner: expect.stringMatching(new RegExp(`:${first.child.pid}$`)), runId: null });
      expect(after.progress.done + (after.progress.searches?.done ?? 0)).toBeGreaterThan(0);
    } finally {
      await sql.close();
    }

    const second = await start(dataDir, port);
    const job = await untilFinished(second, jobId, 75_000);
    expect(job).toMatchObject({ state: 'succeeded', attempts: 2, progress: { done: COMMUNITIES, total: COMMUNITIES }, error: null });
    await expectOneCompleteRun(second, job);
    expect(second.lines.filter((l) => l.msg === 'job succeeded' && l.jobId === jobId)).toHaveLength(1);
  }, 150_000);

  it('SIGTERM: the job is released back to the queue (attempt not counted) and completes after the restart with attempts 1', async () => {
    const dataDir = join(root, 'terminated');
    freshDataDir(dataDir, 'migrated');
    const port = await freePort();
    const first = await start(dataDir, port);
    const jobId = await queueJob(first);
    await untilMidJob(first, jobId);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const released = first.lines.find((l) => l.msg === 'released a job at shutdown');
    expect(released).toMatchObject({ jobId, total: COMMUNITIES });
    expect(released.done + (released.searches?.done ?? 0)).toBeGreaterThan(0);
    expect(released.done).toBeLessThan(COMMUNITIES);

    // While no server runs: the job is back in the queue, holding no lease, its attempt given back.
    const sql = await openStore({ dataDir });
    try {
      const owner = await findApiKeyByKey(sql, KEY);
      expect(await getJob(sql, owner!.id, jobId)).toMatchObject({ state: 'queued', attempts: 0, leaseOwner: null, leaseExpiresAt: null, runId: null });
    } finally {
      await sql.close();
    }

    const second = await start(dataDir, port);
    const job = await untilFinished(second, jobId, 60_000);
    expect(job).toMatchObject({ state: 'succeeded', attempts: 1, progress: { done: COMMUNITIES, total: COMMUNITIES }, error: null });
    await expectOneCompleteRun(second, job);
  }, 120_000);
});
