import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { type JobInputs, JobRunner } from '../../src/runtime/jobs/runner.ts';
import { type Sql, cancelJob, claimNextJob, createApiKey, enqueueJob, getJob, getRun, listRuns } from '../../src/runtime/store/index.ts';
import { memoryStore } from '../helpers/store.ts';
import { graphOf } from '../helpers/build.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { until } from '../helpers/until.ts';

/**
 * Siting jobs under the runner's lease, as coverage jobs are (test/jobs/runner.test.ts): one run
 * per job; a runner stopped mid-job puts it back in the queue; a job cancelled while it runs stores
 * nothing; a dead runner's job is taken over once its lease expires. A gate on the communities'
 * loading holds the job at a known point, so nothing depends on timing.
 */
const graph = graphOf(town.network);
const facilities = readFacilities(TOWN_FACILITIES).facilities;
const communities = () =>
  readCommunities(
    fc([
      town.point('north', town.at('b'), { type: 'urban', population: 1000 }),
      town.point('south', town.at('f'), { type: 'urban', population: 3000 }),
      town.point('east', town.at('h'), { type: 'urban', population: 500 }),
    ]),
  ).communities;
const params = { communities: 'ds_town', standard: SMALL_TOWN_STANDARD, item: 'park', candidates: fc([town.point('at-c', town.at('c')), town.point('at-h', town.at('h'))]), k: 1 };

/** Inputs whose communities wait for `open()` when gated. */
function gatedInputs() {
  let open = () => {};
  let reached = false;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const inputs: JobInputs = {
    network: async () => graph,
    facilities: async () => facilities,
    communities: async () => {
      reached = true;
      await gate;
      return communities();
    },
  };
  return { inputs, open: () => open(), reached: () => reached };
}

let sql: Sql;
let owner: string;
beforeAll(async () => {
  sql = await memoryStore();
  owner = (await createApiKey(sql, 'planner')).id;
}, 60_000);
afterAll(() => sql.close());

const runsOf = async (jobId: string) => (await listRuns(sql, owner)).filter((r) => r.jobId === jobId);

describe('a siting job under the runner', () => {
  it('runs to exactly one run holding the answer (north is the better site)', async () => {
    const job = await enqueueJob(sql, owner, { kind: 'siting', params });
    const { inputs, open } = gatedInputs();
    open();
    const runner = new JobRunner(sql, inputs, { workerId: 'w1', pollMs: 20, threads: 1 });
    runner.start();
    await until('the job', async () => (await getJob(sql, owner, job.id))!.state !== 'queued' && (await getJob(sql, owner, job.id))!.state !== 'running', 60_000);
    await runner.stop();
    const done = (await getJob(sql, owner, job.id))!;
    expect(done).toMatchObject({ state: 'succeeded', error: null, progress: { done: 3, total: 3 } });
    const run = (await getRun(sql, owner, done.runId!))!;
    expect(run.kind).toBe('siting');
    expect(run.pieces).toBeNull();
    expect((run.report as { sites: { id: string }[] }).sites.map((s) => s.id)).toEqual(['at-c']);
    expect(run.summary).toMatchObject({ method: 'exact', optimal: true, sites: 1 });
    expect(await runsOf(job.id)).toHaveLength(1);
  });

  it('is put back in the queue when the runner stops mid-job, with no run', async () => {
    const job = await enqueueJob(sql, owner, { kind: 'siting', params });
    const { inputs, open, reached } = gatedInputs();
    const runner = new JobRunner(sql, inputs, { workerId: 'w2', pollMs: 20, threads: 1 });
    runner.start();
    await until('the job to load its inputs', async () => reached());
    expect((await getJob(sql, owner, job.id))!.state).toBe('running');
    const stopped = runner.stop();
    open();
    await stopped;
    expect(await getJob(sql, owner, job.id)).toMatchObject({ state: 'queued', attempts: 0, runId: null });
    expect(await runsOf(job.id)).toHaveLength(0);
    await cancelJob(sql, owner, job.id); // out of the next tests' queue
  });

  it('stores nothing when cancelled while it runs', async () => {
    const job = await enqueueJob(sql, owner, { kind: 'siting', params });
    const { inputs, open, reached } = gatedInputs();
    const logged: string[] = [];
    const runner = new JobRunner(sql, inputs, { workerId: 'w3', pollMs: 20, threads: 1, log: (message) => logged.push(message) });
    runner.start();
    await until('the job to load its inputs', async () => reached());
    expect((await cancelJob(sql, owner, job.id))!.state).toBe('cancelled');
    open();
    await until('the runner to learn it lost the job', async () => logged.some((m) => m.startsWith('lost the lease')), 60_000);
    await runner.stop();
    expect(await getJob(sql, owner, job.id)).toMatchObject({ state: 'cancelled', runId: null });
    expect(await runsOf(job.id)).toHaveLength(0);
  });

  it('is taken over from a runner that died, once its lease expired', async () => {
    const clock = new ManualClock();
    const lease = 30_000;
    const job = await enqueueJob(sql, owner, { kind: 'siting', params });
    expect((await claimNextJob(sql, 'dead-worker', lease, clock))?.id).toBe(job.id);
    const { inputs, open } = gatedInputs();
    open();
    const survivor = new JobRunner(sql, inputs, { workerId: 'w4', pollMs: 1_000, leaseMs: lease, clock, threads: 1 });
    survivor.start();
    await until('a poll that finds nothing', async () => clock.pending === 1);
    expect(await getJob(sql, owner, job.id)).toMatchObject({ state: 'running', leaseOwner: 'dead-worker', attempts: 1 });
    clock.advance(lease + 1_000);
    await until('the job', async () => (await getJob(sql, owner, job.id))!.state === 'succeeded', 60_000);
    await survivor.stop();
    expect((await getJob(sql, owner, job.id))!.attempts).toBe(2);
    expect(await runsOf(job.id)).toHaveLength(1);
  });
});
