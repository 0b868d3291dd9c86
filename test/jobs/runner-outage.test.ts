import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { Backoff } from '../../src/runtime/jobs/backoff.ts';
import { JobRunner, type JobInputs } from '../../src/runtime/jobs/runner.ts';
import { type Queryable, type Sql, StoreError, createApiKey, enqueueJob, getJob, listRuns } from '../../src/runtime/store/index.ts';
import { graphOf } from '../helpers/build.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { memoryStore } from '../helpers/store.ts';

/**
 * The job runner through a store outage, on the embedded store seen through a switch that makes every
 * call fail STORE_UNAVAILABLE (as the backends report a lost PostgreSQL): the loop backs off and
 * claims again when the store is back; a job caught mid-way waits under its lease and completes once,
 * by the same claim; a runner stopped during the outage stops without waiting for the store. The real
 * PostgreSQL stopped under the real server is test/api/store-outage.test.ts.
 */
const graph = graphOf(town.network);
const communities = readCommunities(fc(Array.from({ length: 60 }, (_, i) => town.point(`c${i}`, town.between('a', 'd', i / 60), { type: 'urban' })))).communities;
const facilities = readFacilities(TOWN_FACILITIES).facilities;
const inputs: JobInputs = { network: async () => graph, facilities: async () => facilities, communities: async () => communities };
const params = { communities: 'ds_town', standard: SMALL_TOWN_STANDARD };

/** The store, failing every call while `down` (or from the statement `goDownAt` picks). */
class SwitchedStore implements Sql {
  down = false;
  failures = 0;
  goDownAt: ((text: string) => boolean) | undefined;
  readonly backend;
  readonly location;

  constructor(private readonly sql: Sql) {
    this.backend = sql.backend;
    this.location = sql.location;
  }

  private check(text: string): void {
    if (this.goDownAt?.(text)) {
      this.down = true;
      this.goDownAt = undefined;
    }
    if (this.down) {
      this.failures++;
      throw new StoreError('STORE_UNAVAILABLE', 'the store is unavailable: connection refused');
    }
  }

  private wrap(q: Queryable): Queryable {
    return {
      query: async <T>(text: string, params?: readonly unknown[]) => {
        this.check(text);
        return q.query<T>(text, params);
      },
      exec: async (script: string) => {
        this.check(script);
        return q.exec(script);
      },
    };
  }

  query<T>(text: string, params?: readonly unknown[]): Promise<T[]> {
    return this.wrap(this.sql).query<T>(text, params);
  }

  exec(script: string): Promise<void> {
    return this.wrap(this.sql).exec(script);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.check('BEGIN');
    return this.sql.transaction((tx) => fn(this.wrap(tx)));
  }

  async ping(): Promise<void> {
    this.check('SELECT 1');
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

let sql: Sql;
let store: SwitchedStore;
let owner: string;
let logged: { message: string; fields?: Record<string, unknown>; level?: string }[];
beforeAll(async () => {
  // A migrated in-memory store of its own, copied from the template (not initdb's seconds in this process).
  sql = await memoryStore();
  owner = (await createApiKey(sql, 'planner')).id;
});
afterAll(() => sql.close());
beforeEach(async () => {
  await sql.query('DELETE FROM jobs');
  store = new SwitchedStore(sql);
  logged = [];
});

function runner(workerId: string): JobRunner {
  return new JobRunner(store, inputs, {
    workerId,
    pollMs: 20,
    chunk: 10,
    leaseMs: 60_000,
    backoff: { initialMs: 5, maxMs: 40 },
    log: (message, fields, level) => logged.push({ message, fields, level }),
  });
}

async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms; logged: ${JSON.stringify(logged)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const said = (message: string) => logged.filter((l) => l.message === message);
const stateOf = async (id: string) => (await getJob(sql, owner, id))!;

describe('the job runner through a store outage', () => {
  it('backs off while claims fail and claims again, by itself, when the store answers', async () => {
    store.down = true;
    const w = runner('w1');
    w.start();
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params });
    await until('several failed claims', () => store.failures >= 5);
    expect((await stateOf(job.id)).state).toBe('queued');

    store.down = false;
    await until('the job done', async () => (await stateOf(job.id)).state === 'succeeded');
    await w.stop();
    expect(await stateOf(job.id)).toMatchObject({ attempts: 1, progress: { done: 60, total: 60 } });
    expect((await listRuns(sql, owner)).filter((r) => r.jobId === job.id)).toHaveLength(1);
    // Said once per outage, as a warning, not at every retry; and its end.
    expect(said('the store is unavailable: claiming jobs again once it answers')).toEqual([
      { message: 'the store is unavailable: claiming jobs again once it answers', fields: { reason: 'the store is unavailable: connection refused' }, level: 'warn' },
    ]);
    expect(said('the store answers again: claiming jobs')).toHaveLength(1);
  });

  it('keeps a job caught mid-way under its lease, and completes it once by the same claim', async () => {
    // Down at the third progress record: two pieces stored, the job running.
    let records = 0;
    store.goDownAt = (text) => /^UPDATE jobs SET progress/.test(text) && ++records === 3;
    const w = runner('w2');
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params });
    w.start();
    await until('the store down mid-job, and several retries', () => store.down && store.failures >= 5);
    const during = await stateOf(job.id);
    expect(during).toMatchObject({ state: 'running', leaseOwner: 'w2', attempts: 1 });
    expect(during.progress.done).toBeLessThan(60);

    store.down = false;
    await until('the job done', async () => (await stateOf(job.id)).state === 'succeeded');
    await w.stop();
    expect(await stateOf(job.id)).toMatchObject({ attempts: 1, progress: { done: 60, total: 60 }, error: null });
    expect((await listRuns(sql, owner)).filter((r) => r.jobId === job.id)).toHaveLength(1);
    expect(said('the store is unavailable: the job waits for it under its lease')).toEqual([
      { message: 'the store is unavailable: the job waits for it under its lease', fields: { jobId: job.id, reason: 'the store is unavailable: connection refused' }, level: 'warn' },
    ]);
    expect(said('the store answers again: the job goes on')[0].fields).toMatchObject({ jobId: job.id });
    expect(said('job failed')).toEqual([]);
  });

  it('stops at once when asked during the outage, leaving the job to its lease', async () => {
    let records = 0;
    store.goDownAt = (text) => /^UPDATE jobs SET progress/.test(text) && ++records === 3;
    const w = runner('w3');
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params });
    w.start();
    await until('the store down mid-job', () => store.down && store.failures >= 2);
    await w.stop();
    // Nothing could be released or recorded: the job is still running under w3's lease, which will expire.
    expect(await stateOf(job.id)).toMatchObject({ state: 'running', leaseOwner: 'w3', attempts: 1, runId: null });
    expect(said('left a job to its lease: the store is unavailable')).toHaveLength(1);
    expect(said('released a job at shutdown')).toEqual([]);
  });
});

describe('Backoff', () => {
  it('doubles from the initial delay to the cap, each delay in the upper half of its step', () => {
    const nominal = [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000];
    for (const random of [0, 0.999999]) {
      const backoff = new Backoff({ random: () => random });
      const delays = nominal.map(() => backoff.nextDelayMs());
      delays.forEach((d, k) => {
        expect(d).toBeGreaterThanOrEqual(nominal[k] / 2);
        expect(d).toBeLessThanOrEqual(nominal[k]);
      });
      expect(backoff.attempts).toBe(nominal.length);
    }
    const backoff = new Backoff({ random: () => 0.5 });
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.nextDelayMs()).toBe(375);
  });
});
