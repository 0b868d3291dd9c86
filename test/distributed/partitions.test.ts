import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCity } from '../../scripts/lib/city.ts';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { computeCityCoverageSync } from '../../src/core/coverage/city-wide/city-coverage.ts';
import type { CoverageReport } from '../../src/core/coverage/coverage.ts';
import { type DistributedInput, runDistributed } from '../../src/runtime/distributed/coordinator.ts';
import { deleteRun, listAttempts } from '../../src/runtime/distributed/tables.ts';
import { startWorker } from '../../src/runtime/distributed/worker.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import { listStandards } from '../../src/runtime/files/standards-catalogue.ts';
import { openPostgres } from '../../src/runtime/store/postgres.ts';
import { compiledEntry } from '../helpers/compiled-source.ts';
import { type TestDatabase, freshDatabase } from './postgres-server.ts';

/**
 * A distributed run end to end: two worker processes against one PostgreSQL server — worker A (the
 * test's wrapper around `startWorker`) and worker B (`lifecircle worker`, the CLI) — and the
 * coordinator in this process. A computes one partition, then is SIGKILLed in the middle of its
 * second; B computes the rest and, once A's job expires, A's lost partition.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEED = 5;
const EXPIRE_S = 8; // long enough for B to start while A is still holding its partition

const fc = <T>(features: Iterable<T>) => ({ type: 'FeatureCollection', features: [...features] });

function cityInput(): DistributedInput {
  const city = generateCity({ edges: 5000, pois: 1000, communities: 80, origins: 1, seed: SEED });
  return {
    graph: graphFromGeoJson(fc(city.network())),
    communities: readCommunities(fc(city.communities())).communities,
    facilities: readFacilities(fc(city.facilities())).facilities,
    standards: listStandards(),
    travel: { maxSnapM: 300 },
  };
}

describe('coverage partitions distributed through pg-boss to two worker processes', () => {
  let db: TestDatabase;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    db = await freshDatabase();
  }, 60_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    await db?.dispose();
  }, 60_000);

  const input = cityInput();
  const runId = `test-${SEED}`;
  let merged: CoverageReport;

  it('does each partition once, takes over a killed worker’s partition, and merges the single-process report', async () => {
    const run = runDistributed(input, {
      databaseUrl: db.url,
      runId,
      jobs: { expireInSeconds: EXPIRE_S, retryLimit: 3 },
      queue: { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 },
      pollMs: 200,
      timeoutMs: 90_000,
    });
    run.catch(() => {}); // awaited below; an early failure must not go unhandled meanwhile

    // A alone takes its first partition (and finishes it), then stalls in its second.
    const a = spawnLogged(['--import', 'tsx', 'test/distributed/worker-process.ts', db.url, 'worker-a', '2']);
    children.push(a.child);
    const stalled = await a.waitFor((e) => e.event === 'stalling', 'worker A to stall in its second partition');
    const lost = a.events.filter((e) => e.event === 'started').at(-1).partition as number;

    // B — the CLI — starts and stores partitions while A still holds its one.
    const b = spawnLogged([compiledEntry('src/edge/cli/main.ts'), 'worker', '--queue', db.url, '--id', 'worker-b', '--poll-s', '0.5', '--maintenance-s', '1']);
    children.push(b.child);
    await b.waitFor((e) => / stored /.test(e.line ?? ''), 'worker B to store a partition');

    a.child.kill('SIGKILL');
    await new Promise((resolve) => a.child.once('exit', resolve));
    expect(stalled).toBeTruthy();

    merged = await run;
    // The CLI worker stops cleanly on SIGTERM.
    const bExit = new Promise((resolve) => b.child.once('exit', resolve));
    b.child.kill('SIGTERM');
    expect(await bExit).toBe(0);

    const sql = await openPostgres(db.url, { maxConnections: 1 });
    try {
      const [{ partitions }] = await sql.query<{ partitions: number }>('SELECT partitions FROM distributed_runs WHERE run_id = $1', [runId]);
      const [{ results }] = await sql.query<{ results: string }>('SELECT count(*) AS results FROM distributed_results WHERE run_id = $1', [runId]);
      expect(partitions).toBeGreaterThanOrEqual(6);
      expect(Number(results)).toBe(partitions);

      const attempts = await listAttempts(sql, runId);
      for (let p = 0; p < partitions; p++) {
        const of = attempts.filter((t) => t.partition === p);
        // Computed and stored exactly once: no attempt computed a second result.
        expect(of.filter((t) => t.outcome === 'stored'), `partition ${p}`).toHaveLength(1);
        expect(of.filter((t) => t.outcome === 'duplicate' || t.outcome === 'failed'), `partition ${p}`).toEqual([]);
      }
      // A stored its first partition; its second was never finished, and B took it over.
      expect(attempts.filter((t) => t.worker === 'worker-a').map((t) => t.outcome)).toEqual(['stored', null]);
      expect(attempts.filter((t) => t.partition === lost).map((t) => [t.worker, t.outcome])).toEqual([
        ['worker-a', null],
        ['worker-b', 'stored'],
      ]);
      expect(attempts.filter((t) => t.worker === 'worker-b' && t.outcome === 'stored')).toHaveLength(partitions - 1);
    } finally {
      await sql.close();
    }

    // The merged report is the single-process report: every community, standard and item, the
    // summary and the facilities section — key for key.
    const { detail: _detail, ...single } = computeCityCoverageSync(input.graph, input.communities, input.facilities, input.standards, { ...input.travel, threads: 1 });
    expect(merged.communities.map((c) => c.id)).toEqual(single.communities.map((c) => c.id));
    merged.communities.forEach((c, i) => expect(c.standards, `community ${c.id}`).toEqual(single.communities[i].standards));
    expect(JSON.stringify(merged)).toBe(JSON.stringify(single));
  }, 120_000);

  it('is idempotent per run id: running the coordinator again merges the stored results, computing nothing', async () => {
    expect(merged).toBeDefined();
    const sql = await openPostgres(db.url, { maxConnections: 1 });
    try {
      const before = await listAttempts(sql, runId);
      const again = await runDistributed(input, { databaseUrl: db.url, runId, pollMs: 100, timeoutMs: 10_000 });
      expect(JSON.stringify(again)).toBe(JSON.stringify(merged));
      expect(await listAttempts(sql, runId)).toEqual(before);
      // Once the report is kept elsewhere, the run's rows go, graphs and all.
      expect(await deleteRun(sql, runId)).toBe(true);
      const left = await sql.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM distributed_partitions WHERE run_id = $1) + (SELECT count(*) FROM distributed_results WHERE run_id = $1)
              + (SELECT count(*) FROM distributed_attempts WHERE run_id = $1) AS n`,
        [runId],
      );
      expect(Number(left[0].n)).toBe(0);
    } finally {
      await sql.close();
    }
  }, 60_000);

  it('fails the run when a partition fails for good, naming it and the error', async () => {
    const failing = await startWorker({
      databaseUrl: db.url,
      workerId: 'failing',
      pollingIntervalSeconds: 0.5,
      compute: () => {
        throw new Error('simulated: out of memory');
      },
    });
    try {
      const run = runDistributed(input, { databaseUrl: db.url, runId: 'test-failing', jobs: { retryLimit: 1 }, pollMs: 200, timeoutMs: 60_000 });
      await expect(run).rejects.toThrow(/^run "test-failing": partition \d+ \(district:D\d\) failed after 2 attempt\(s\): simulated: out of memory$/);
    } finally {
      await failing.stop();
    }
    const sql = await openPostgres(db.url, { maxConnections: 1 });
    try {
      const attempts = await listAttempts(sql, 'test-failing');
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      expect(attempts.every((t) => t.outcome === 'failed' && t.error === 'simulated: out of memory')).toBe(true);
    } finally {
      await sql.close();
    }
  }, 60_000);
});

/** A child process whose stdout JSON lines (and stderr lines, as `{ line }`) are collected as events. */
function spawnLogged(args: string[]) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: any[] = [];
  const waiters: { test: (e: any) => boolean; resolve: (e: any) => void }[] = [];
  let output = '';
  const collect = (json: boolean) => {
    let buffered = '';
    return (chunk: Buffer) => {
      output += chunk.toString();
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        let event: any;
        try {
          event = json ? JSON.parse(line) : { line };
        } catch {
          event = { line };
        }
        events.push(event);
        for (const w of waiters.filter((w) => w.test(event))) w.resolve(event);
      }
    };
  };
  child.stdout!.on('data', collect(true));
  child.stderr!.on('data', collect(false));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    events,
    waitFor(test: (e: any) => boolean, what: string): Promise<any> {
      return new Promise((resolve, reject) => {
        const seen = events.find(test);
        if (seen) return resolve(seen);
        waiters.push({ test, resolve });
        exited.then((code) => reject(new Error(`waiting for ${what}, the process exited (${code}); its output:\n${output}`)));
        setTimeout(() => reject(new Error(`waiting for ${what}: not within 60 s; output so far:\n${output}`)), 60_000).unref();
      });
    },
  };
}
