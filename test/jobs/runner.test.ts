import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { computeCoverage } from '../../src/core/coverage/coverage.ts';
import { readRunBatches } from '../../src/runtime/jobs/run-reader.ts';
import { JobRunner, type JobInputs } from '../../src/runtime/jobs/runner.ts';
import { resolveStandards } from '../../src/runtime/files/standards-catalogue.ts';
import { type Run, type Sql, claimNextJob, createApiKey, enqueueJob, getJob, getRun, listRuns, storeRunPiece } from '../../src/runtime/store/index.ts';
import { graphOf } from '../helpers/build.ts';
import { until } from '../helpers/until.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { memoryStore } from '../helpers/store.ts';

/**
 * Coverage jobs on the embedded store: a job runs to exactly one complete run; a runner that dies
 * mid-job leaves a lease that expires and another runner completes the job; a runner asked to stop
 * puts its job back in the queue. 60 communities in chunks of 10 so that a job has several steps.
 */
const graph = graphOf(town.network);
const communities = readCommunities(fc(Array.from({ length: 60 }, (_, i) => town.point(`c${i}`, town.between('a', 'd', i / 60), { type: 'urban' })))).communities;
const facilities = readFacilities(TOWN_FACILITIES).facilities;
const inputs: JobInputs = {
  network: async () => graph,
  facilities: async () => facilities,
  communities: async (_owner, id) => {
    if (id !== 'ds_town') throw new Error(`no dataset ${id}`);
    return communities;
  },
};
const params = { communities: 'ds_town', standard: SMALL_TOWN_STANDARD };

let sql: Sql;
let owner: string;
beforeAll(async () => {
  // A migrated in-memory store of its own, copied from the template (not initdb's seconds in this process).
  sql = await memoryStore();
  owner = (await createApiKey(sql, 'planner')).id;
});
afterAll(() => sql.close());


/** Every community of a run, read back piece by piece. */
async function communitiesOf(run: Run) {
  const all = [];
  for await (const batch of readRunBatches(sql, run, { offset: 0 }, { geometries: true })) {
    expect(batch.geometries).toHaveLength(batch.reports.length);
    all.push(...batch.reports);
  }
  return all;
}

describe('the job runner', () => {
  it('runs a coverage job to exactly one complete run', async () => {
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params });
    const runner = new JobRunner(sql, inputs, { workerId: 'w1', pollMs: 20, chunk: 10 });
    runner.start();
    await until('the job', async () => (await getJob(sql, owner, job.id))!.state === 'succeeded');
    await runner.stop();
    const done = (await getJob(sql, owner, job.id))!;
    // Communities stored, of all; and the searches before them, all done.
    expect(done.progress).toMatchObject({ done: 60, total: 60 });
    expect(done.progress.searches!.done).toBe(done.progress.searches!.total);
    const run = (await getRun(sql, owner, done.runId!))!;
    // Six pieces of 10, and the same report as the per-community method computes in one go.
    expect(run.pieces).toMatchObject({ jobId: job.id, attempt: 1, communities: 60 });
    expect((await sql.query('SELECT first FROM run_pieces WHERE job_id = $1 ORDER BY first', [job.id])).map((r) => r.first)).toEqual([0, 10, 20, 30, 40, 50]);
    const expected = computeCoverage(graph, communities, facilities, resolveStandards(undefined, SMALL_TOWN_STANDARD), { maxSnapM: 500 });
    expect(await communitiesOf(run)).toEqual(expected.communities);
    expect(run.summary).toEqual(expected.summary);
    expect((run.summary as typeof expected.summary).standards[0].communities).toBe(60);
    // The inputs it used: here the server's network and facilities, and a communities set the test
    // serves itself (so not stored, no version).
    expect(run.report).toEqual({
      facilities: expected.facilities,
      detail: 'full',
      inputs: { network: { dataset: null, version: null }, facilities: { dataset: null, version: null }, communities: { dataset: 'ds_town', version: null } },
    });
    expect((await listRuns(sql, owner)).filter((r) => r.jobId === job.id)).toHaveLength(1);
  });

  it('takes over the job of a runner that died, once its lease expired', async () => {
    const clock = new ManualClock();
    const lease = 30_000;
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params });
    // A runner claims the job and dies: no heartbeat, no progress, the lease runs out.
    const claimed = await claimNextJob(sql, 'dead-worker', lease, clock);
    expect(claimed?.id).toBe(job.id);
    expect(Date.parse(claimed!.leaseExpiresAt!)).toBe(clock.now() + lease);
    // It had stored a piece of its attempt before dying.
    const junk = { first: 0, count: 10, reports: new Uint8Array([1, 2, 3]), geometries: new Uint8Array([4]) };
    expect(await storeRunPiece(sql, job.id, 'dead-worker', claimed!.attempts, junk)).toBe(true);
    const survivor = new JobRunner(sql, inputs, { workerId: 'w2', pollMs: 1_000, chunk: 10, leaseMs: lease, clock });
    survivor.start();
    // The survivor polls on the test's clock: a poll that finds nothing to claim leaves it waiting on a timer.
    const polledInVain = () => until('a poll that finds nothing', async () => clock.pending === 1);
    await polledInVain();
    // A millisecond before the lease runs out, the job is still the dead worker's.
    clock.advance(lease - 1);
    await polledInVain();
    expect(await getJob(sql, owner, job.id)).toMatchObject({ state: 'running', leaseOwner: 'dead-worker', attempts: 1 });
    // Past it, the next poll takes the job over.
    clock.advance(1_000);
    await until('the job', async () => (await getJob(sql, owner, job.id))!.state === 'succeeded');
    await survivor.stop();
    const done = (await getJob(sql, owner, job.id))!;
    expect(done.attempts).toBe(2);
    expect((await listRuns(sql, owner)).filter((r) => r.jobId === job.id)).toHaveLength(1);
    // One set of pieces, the second attempt's; the dead worker's is gone.
    const pieces = await sql.query<{ attempt: number }>('SELECT attempt FROM run_pieces WHERE job_id = $1', [job.id]);
    expect(pieces.map((p) => p.attempt)).toEqual([2, 2, 2, 2, 2, 2]);
    expect((await communitiesOf((await getRun(sql, owner, done.runId!))!)).map((c) => c.id)).toEqual(communities.map((c) => c.id));
  });

  it('puts its job back in the queue when stopped mid-job, and never stores a partial run', async () => {
    const slow: JobInputs = { ...inputs, communities: async () => [...communities, ...communities, ...communities] };
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params });
    const runner = new JobRunner(sql, slow, { workerId: 'w3', pollMs: 20, chunk: 1 });
    runner.start();
    await until('the job', async () => ((await getJob(sql, owner, job.id))!.progress?.done ?? 0) > 0);
    await runner.stop();
    const released = (await getJob(sql, owner, job.id))!;
    expect(released.state).toBe('queued');
    expect(released.runId).toBeNull();
    expect(released.attempts).toBe(0);
    expect((await listRuns(sql, owner)).filter((r) => r.jobId === job.id)).toHaveLength(0);
  });

  it('fails a job whose inputs are wrong, saying why', async () => {
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params: { communities: 42 } });
    const runner = new JobRunner(sql, inputs, { workerId: 'w4', pollMs: 20 });
    runner.start();
    await until('the job', async () => (await getJob(sql, owner, job.id))!.state === 'failed');
    await runner.stop();
    expect((await getJob(sql, owner, job.id))!.error).toEqual({ code: 'INVALID_PARAMETER', message: 'job params: communities: got 42, expected a string' });
  });
});
