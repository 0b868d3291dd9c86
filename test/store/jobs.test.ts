import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
  type Sql,
  cancelJob,
  claimNextJob,
  completeJob,
  createApiKey,
  enqueueJob,
  failJob,
  getJob,
  getRun,
  heartbeat,
  listJobs,
  listRuns,
  recordProgress,
} from '../../src/runtime/store/index.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { describeBackends, openFreshStore } from './backends.ts';

const params = { communities: 'ds_estates', facilities: 'ds_clinics', network: 'ds_city', standards: ['gz-urban'] };
const result = { summary: { met: 3 }, report: { communities: [{ id: 'e1' }], summary: { met: 3 } }, communities: [{ id: 'e1', geometry: null }] };
const LONG = 60_000;
// Leases that run out are on a test clock (src/runtime/clock.ts), moved past them rather than slept through:
// a slow machine can neither expire one early nor make the test wait.
const SHORT = 300;
// The lease's own guarantees (racing claimers, lapsed leases, renewals, attempts, giving back) are
// tested once for every leased table in leases.test.ts; here, what a job adds to them.

describeBackends('jobs and runs', (backend) => {
  let sql: Sql;
  let done: () => Promise<void>;
  let a: string;
  let b: string;
  beforeAll(async () => {
    ({ sql, done } = await openFreshStore(backend));
    a = (await createApiKey(sql, 'a')).id;
    b = (await createApiKey(sql, 'b')).id;
  });
  afterAll(() => done());
  // Claims see every job in the database: each test starts from an empty queue.
  beforeEach(async () => {
    await sql.query('DELETE FROM jobs');
  });

  it('an enqueued job is queued, visible to its owner only', async () => {
    const job = await enqueueJob(sql, a, { kind: 'coverage', params });
    expect(job).toMatchObject({ owner: a, state: 'queued', params, progress: { done: 0, total: 0 }, attempts: 0, leaseOwner: null, runId: null });
    expect(await getJob(sql, a, job.id)).toEqual(job);
    expect(await getJob(sql, b, job.id)).toBeNull();
    expect((await listJobs(sql, a)).map((j) => j.id)).toEqual([job.id]);
    expect(await listJobs(sql, b)).toEqual([]);
  });

  it('a crashed worker’s job is taken again once its lease expires, and the old worker is locked out', async () => {
    const clock = new ManualClock();
    const job = await enqueueJob(sql, a, { kind: 'coverage', params });
    expect((await claimNextJob(sql, 'w1', SHORT, clock))?.id).toBe(job.id);
    expect(await recordProgress(sql, job.id, 'w1', { done: 40, total: 100 })).toBe(true);
    clock.advance(SHORT);
    expect(await claimNextJob(sql, 'w2', LONG, clock)).toBeNull(); // the lease still holds, to its last millisecond

    clock.advance(1); // w1 "crashed": no heartbeat
    expect(await getJob(sql, a, job.id)).toMatchObject({ state: 'running', leaseOwner: 'w1' });
    const retaken = await claimNextJob(sql, 'w2', LONG, clock);
    expect(retaken).toMatchObject({ id: job.id, state: 'running', leaseOwner: 'w2', attempts: 2, progress: { done: 0, total: 100 } });

    // w1 comes back: every call is refused and changes nothing.
    expect(await heartbeat(sql, job.id, 'w1', LONG)).toBe(false);
    expect(await recordProgress(sql, job.id, 'w1', { done: 100, total: 100 })).toBe(false);
    await expect(completeJob(sql, job.id, 'w1', result)).rejects.toMatchObject({
      code: 'LEASE_LOST', message: `job ${job.id}: got running, held by w2, expected running and held by w1; the result is discarded`,
    });
    expect(await failJob(sql, job.id, 'w1', { code: 'X', message: 'late' })).toBe(false);
    expect(await getJob(sql, a, job.id)).toMatchObject({ state: 'running', leaseOwner: 'w2', runId: null });
    expect(await listRuns(sql, a)).toEqual([]);

    const run = await completeJob(sql, job.id, 'w2', result);
    expect(await getJob(sql, a, job.id)).toMatchObject({ state: 'succeeded', runId: run.id, leaseOwner: null });
  });

  it('completeJob stores the run and marks the job succeeded together; the run takes owner and params from the job', async () => {
    const job = await enqueueJob(sql, a, { kind: 'coverage', params });
    await claimNextJob(sql, 'w1', LONG);
    expect(await recordProgress(sql, job.id, 'w1', { done: 7, total: 7 })).toBe(true);
    const run = await completeJob(sql, job.id, 'w1', result);
    expect(run).toMatchObject({ owner: a, jobId: job.id, params, ...result });
    expect(run.id).toMatch(/^run_/);
    expect(await getJob(sql, a, job.id)).toMatchObject({ state: 'succeeded', runId: run.id, progress: { done: 7, total: 7 }, error: null });
    expect(await getRun(sql, a, run.id)).toEqual(run);
    expect(await listRuns(sql, a)).toEqual([{ id: run.id, owner: a, jobId: job.id, kind: 'coverage', createdAt: run.createdAt, params, summary: result.summary }]);

    // Exactly one run per job: a second completion is refused.
    await expect(completeJob(sql, job.id, 'w1', result)).rejects.toMatchObject({ code: 'LEASE_LOST' });
    expect(await sql.query('SELECT id FROM runs WHERE job_id = $1', [job.id])).toHaveLength(1);
  });

  it('when storing the run fails, the job is not succeeded and no run exists', async () => {
    const job = await enqueueJob(sql, a, { kind: 'coverage', params });
    await claimNextJob(sql, 'w1', LONG);
    // PostgreSQL's jsonb refuses \u0000: the run insert fails after the job update in the same transaction.
    await expect(completeJob(sql, job.id, 'w1', { ...result, report: { note: 'nul \u0000 byte' } })).rejects.toThrow(/\\u0000|unicode/i);
    expect(await getJob(sql, a, job.id)).toMatchObject({ state: 'running', leaseOwner: 'w1', runId: null });
    expect(await listRuns(sql, a)).toEqual([]);
    // The worker still holds it and can report the failure.
    expect(await failJob(sql, job.id, 'w1', { code: 'STORE_FAILED', message: 'could not store the run' })).toBe(true);
    expect(await getJob(sql, a, job.id)).toMatchObject({ state: 'failed', error: { code: 'STORE_FAILED' } });
  });

  it('the schema itself refuses a succeeded job without a run, or a running one without a lease', async () => {
    const job = await enqueueJob(sql, a, { kind: 'coverage', params });
    await expect(sql.query(`UPDATE jobs SET state = 'succeeded' WHERE id = $1`, [job.id])).rejects.toThrow(/check constraint/);
    await expect(sql.query(`UPDATE jobs SET state = 'running' WHERE id = $1`, [job.id])).rejects.toThrow(/check constraint/);
  });

  it('a failed job stays failed with its error and is not claimed again', async () => {
    const job = await enqueueJob(sql, a, { kind: 'coverage', params });
    await claimNextJob(sql, 'w1', LONG);
    expect(await failJob(sql, job.id, 'w1', { code: 'INVALID_GEOJSON', message: 'communities feature 3: no geometry' })).toBe(true);
    expect(await getJob(sql, a, job.id)).toMatchObject({ state: 'failed', leaseOwner: null, error: { code: 'INVALID_GEOJSON', message: 'communities feature 3: no geometry' } });
    expect(await claimNextJob(sql, 'w2', LONG)).toBeNull();
  });

  it('cancelling a running job stops its worker at the next heartbeat and refuses its result', async () => {
    const job = await enqueueJob(sql, a, { kind: 'coverage', params });
    await claimNextJob(sql, 'w1', LONG);
    expect(await cancelJob(sql, a, job.id)).toMatchObject({ state: 'cancelled', leaseOwner: null });
    expect(await heartbeat(sql, job.id, 'w1', LONG)).toBe(false);
    await expect(completeJob(sql, job.id, 'w1', result)).rejects.toMatchObject({ code: 'LEASE_LOST', message: expect.stringContaining('got cancelled') });
    expect(await claimNextJob(sql, 'w2', LONG)).toBeNull();
    // Cancelling a finished job changes nothing.
    expect(await cancelJob(sql, a, job.id)).toMatchObject({ state: 'cancelled' });
  });

  it('another owner cannot see, list or cancel a job, nor see or list its run', async () => {
    const job = await enqueueJob(sql, a, { kind: 'coverage', params });
    expect(await cancelJob(sql, b, job.id)).toBeNull();
    expect(await getJob(sql, a, job.id)).toMatchObject({ state: 'queued' });
    await claimNextJob(sql, 'w1', LONG);
    const run = await completeJob(sql, job.id, 'w1', result);
    expect(await getJob(sql, b, job.id)).toBeNull();
    expect(await listJobs(sql, b)).toEqual([]);
    expect(await getRun(sql, b, run.id)).toBeNull();
    expect(await listRuns(sql, b)).toEqual([]);
    expect(await getRun(sql, a, run.id)).toEqual(run);
  });
});
