import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/communities/read-communities.ts';
import { readFacilities } from '../../src/facilities/read-facilities.ts';
import { JobRunner, type JobInputs } from '../../src/jobs/runner.ts';
import { type Sql, MEMORY_DATA_DIR, claimNextJob, createApiKey, enqueueJob, getJob, getRun, listRuns, openStore } from '../../src/store/index.ts';
import { graphOf } from '../helpers/build.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';

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
  sql = await openStore({ dataDir: MEMORY_DATA_DIR });
  owner = (await createApiKey(sql, 'planner')).id;
});
afterAll(() => sql.close());

async function until(condition: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the job runner', () => {
  it('runs a coverage job to exactly one complete run', async () => {
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params });
    const runner = new JobRunner(sql, inputs, { workerId: 'w1', pollMs: 20, chunk: 10 });
    runner.start();
    await until(async () => (await getJob(sql, owner, job.id))!.state === 'succeeded');
    await runner.stop();
    const done = (await getJob(sql, owner, job.id))!;
    expect(done.progress).toEqual({ done: 60, total: 60 });
    const run = (await getRun(sql, owner, done.runId!))!;
    const report = run.report as { communities: unknown[]; summary: { standards: { communities: number }[] } };
    expect(report.communities).toHaveLength(60);
    expect(report.summary.standards[0].communities).toBe(60);
    // The inputs it used: here the server's network and facilities, and a communities set the test
    // serves itself (so not stored, no version).
    expect(run.report).toMatchObject({ inputs: { network: { dataset: null, version: null }, facilities: { dataset: null, version: null }, communities: { dataset: 'ds_town', version: null } } });
    expect((await listRuns(sql, owner)).filter((r) => r.jobId === job.id)).toHaveLength(1);
  });

  it('takes over the job of a runner that died, once its lease expired', async () => {
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params });
    // A runner claims the job and dies: no heartbeat, no progress, the lease runs out.
    const claimed = await claimNextJob(sql, 'dead-worker', 150);
    expect(claimed?.id).toBe(job.id);
    const survivor = new JobRunner(sql, inputs, { workerId: 'w2', pollMs: 20, chunk: 10, leaseMs: 5_000 });
    survivor.start();
    await until(async () => (await getJob(sql, owner, job.id))!.state === 'succeeded');
    await survivor.stop();
    const done = (await getJob(sql, owner, job.id))!;
    expect(done.attempts).toBe(2);
    expect((await listRuns(sql, owner)).filter((r) => r.jobId === job.id)).toHaveLength(1);
  });

  it('puts its job back in the queue when stopped mid-job, and never stores a partial run', async () => {
    const slow: JobInputs = { ...inputs, communities: async () => [...communities, ...communities, ...communities] };
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params });
    const runner = new JobRunner(sql, slow, { workerId: 'w3', pollMs: 20, chunk: 1 });
    runner.start();
    await until(async () => ((await getJob(sql, owner, job.id))!.progress?.done ?? 0) > 0);
    await runner.stop();
    const released = (await getJob(sql, owner, job.id))!;
    expect(released.state).toBe('queued');
    expect(released.runId).toBeNull();
    expect((await listRuns(sql, owner)).filter((r) => r.jobId === job.id)).toHaveLength(0);
  });

  it('fails a job whose inputs are wrong, saying why', async () => {
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params: { communities: 42 } });
    const runner = new JobRunner(sql, inputs, { workerId: 'w4', pollMs: 20 });
    runner.start();
    await until(async () => (await getJob(sql, owner, job.id))!.state === 'failed');
    await runner.stop();
    expect((await getJob(sql, owner, job.id))!.error).toEqual({ code: 'INVALID_PARAMETER', message: 'job params: communities must be a communities dataset id' });
  });
});
