import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NIGHTLY_LEASES } from '../../src/runtime/nightly/records.ts';
import { type Queryable, type Sql, createApiKey, enqueueJob, newId } from '../../src/runtime/store/index.ts';
import { JOB_LEASES } from '../../src/runtime/store/job-leases.ts';
import { keepLease } from '../../src/runtime/store/lease-keeper.ts';
import { type LeaseTable, claimById, claimNext, complete, giveBack, json, renew, settle } from '../../src/runtime/store/leases.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { describeBackends, openFreshStore } from './backends.ts';

/**
 * The guarantees of leased work (src/runtime/store/leases.ts), once for every table worked on that way — API
 * jobs (a queue: the next row is claimed) and nightly runs (claimed by id) — on PGlite and PostgreSQL.
 * Leases run out on a test clock, moved past them rather than slept through: a slow machine can
 * neither expire one early nor make the test wait. Job- and nightly-specific behaviour (runs, pieces,
 * cancelling, the nightly's refusal message) is tested in jobs.test.ts, run-pieces.test.ts and
 * test/nightly.
 */
const LONG = 60_000;
const SHORT = 300;

interface Subject {
  lease: LeaseTable;
  /** A new row, claimable. */
  add(): Promise<string>;
  /** The way this table's rows are claimed: the next in the queue, or by id. */
  claim(id: string, holder: string, leaseMs: number, clock?: ManualClock): Promise<boolean>;
  /** A succeeded row as the table's CHECKs want it, and a result written with it (counted by `results`). */
  succeeded: { state: string; set: Record<string, unknown> };
  write(tx: Queryable, id: string, holder: string): Promise<void>;
  results(id: string): Promise<number>;
}

describeBackends('leased work', (backend) => {
  let sql: Sql;
  let done: () => Promise<void>;
  let owner: string;
  beforeAll(async () => {
    ({ sql, done } = await openFreshStore(backend));
    owner = (await createApiKey(sql, 'leases')).id;
  });
  afterAll(() => done());
  // A queue's claim sees every row: each test starts from empty tables.
  beforeEach(async () => {
    await sql.query('DELETE FROM jobs');
    await sql.query('DELETE FROM nightly_runs');
  });

  const jobs: Subject = {
    lease: JOB_LEASES,
    add: async () => (await enqueueJob(sql, owner, { kind: 'coverage', params: {} })).id,
    async claim(id, holder, leaseMs, clock) {
      const { claimed } = await claimNext<{ id: string }>(sql, JOB_LEASES, holder, leaseMs, clock);
      if (claimed && claimed.id !== id) throw new Error(`claimed ${claimed.id}, expected ${id} or nothing`);
      return claimed !== null;
    },
    succeeded: { state: 'succeeded', set: { run_id: 'run_of_test' } },
    write: async (tx, id, holder) => {
      await tx.query(`INSERT INTO runs (id, owner, job_id, params, summary, report, communities) VALUES ($1, $2, $3, '{}', $4::jsonb, '{}', '[]')`, [
        newId('run'),
        owner,
        id,
        JSON.stringify({ by: holder }),
      ]);
    },
    results: async (id) => (await sql.query('SELECT 1 FROM runs WHERE job_id = $1', [id])).length,
  };

  let nightlyCount = 0;
  const nightlyRuns: Subject = {
    lease: NIGHTLY_LEASES,
    async add() {
      const id = `nightly_${++nightlyCount}`;
      // A failed run: the nightly takes it up again (a new one is inserted already held).
      await sql.query(`INSERT INTO nightly_runs (id, name, run_date, state, jobs) VALUES ($1, $1, '2026-03-01', 'failed', '[]')`, [id]);
      return id;
    },
    claim: async (id, holder, leaseMs, clock) => (await claimById(sql, NIGHTLY_LEASES, id, holder, leaseMs, clock)) !== null,
    succeeded: { state: 'succeeded', set: { summary: json({ ok: true }), finished_at: new Date() } },
    write: async (tx, id, holder) => {
      await tx.query(
        `INSERT INTO nightly_steps (run_id, job, state, inputs, summary, statuses, finished_at) VALUES ($1, 'town', 'succeeded', '{}', $2::jsonb, '{}', now())`,
        [id, JSON.stringify({ by: holder })],
      );
    },
    results: async (id) => (await sql.query('SELECT 1 FROM nightly_steps WHERE run_id = $1', [id])).length,
  };

  const holderOf = async (t: LeaseTable, id: string) => {
    const [row] = await sql.query<{ state: string; lease_owner: string | null; attempts: number }>(`SELECT state, lease_owner, attempts FROM ${t.table} WHERE id = $1`, [id]);
    return { state: row.state, holder: row.lease_owner, attempts: Number(row.attempts) };
  };

  describe.each([
    ['jobs', () => jobs],
    ['nightly runs', () => nightlyRuns],
  ])('%s', (_name, subject) => {
    it('two claimers racing for one row: exactly one holds it, and only its calls count', async () => {
      const s = subject();
      const id = await s.add();
      const won = await Promise.all([s.claim(id, 'w1', LONG), s.claim(id, 'w2', LONG)]);
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = won[0] ? 'w1' : 'w2';
      const loser = won[0] ? 'w2' : 'w1';
      expect(await holderOf(s.lease, id)).toMatchObject({ state: s.lease.held, holder: winner });
      expect(await renew(sql, s.lease, id, loser, LONG)).toBe(false);
      expect(await renew(sql, s.lease, id, winner, LONG)).toBe(true);
      // Nor can a third claim it while the lease holds.
      expect(await s.claim(id, 'w3', LONG)).toBe(false);
    });

    it('a lapsed lease is reclaimable, to its last millisecond and not before; a renewal counts from the renewal', async () => {
      const s = subject();
      const clock = new ManualClock();
      const id = await s.add();
      expect(await s.claim(id, 'w1', SHORT, clock)).toBe(true);
      const claims = (await holderOf(s.lease, id)).attempts;
      clock.advance(SHORT - 1);
      expect(await renew(sql, s.lease, id, 'w1', SHORT, clock)).toBe(true);
      clock.advance(SHORT);
      expect(await s.claim(id, 'w2', LONG, clock)).toBe(false); // renewed: holds to its new end
      clock.advance(1); // w1 "crashed": no renewal
      expect(await holderOf(s.lease, id)).toMatchObject({ state: s.lease.held, holder: 'w1' });
      expect(await s.claim(id, 'w2', LONG, clock)).toBe(true);
      expect(await holderOf(s.lease, id)).toEqual({ state: s.lease.held, holder: 'w2', attempts: claims + 1 });
      // w1 comes back: locked out.
      expect(await renew(sql, s.lease, id, 'w1', LONG, clock)).toBe(false);
      expect(await settle(sql, s.lease, id, 'w1', s.lease.failed, { error: json({ late: true }) })).toBe(false);
      expect(await holderOf(s.lease, id)).toMatchObject({ state: s.lease.held, holder: 'w2' });
    });

    it('a result is written once: a holder finishing late is refused, its write never runs, and so is a second completion', async () => {
      const s = subject();
      const clock = new ManualClock();
      const id = await s.add();
      await s.claim(id, 'w1', SHORT, clock);
      clock.advance(SHORT + 1);
      await s.claim(id, 'w2', LONG, clock);
      let lateWrites = 0;
      await expect(
        complete(sql, s.lease, id, 'w1', s.succeeded, async (tx) => {
          lateWrites++;
          await s.write(tx, id, 'w1');
        }),
      ).rejects.toMatchObject({
        code: 'LEASE_LOST',
        message: `${s.lease.noun} ${id}: got ${s.lease.held}, held by w2, expected ${s.lease.held} and held by w1; the result is discarded`,
      });
      expect(lateWrites).toBe(0);
      expect(await s.results(id)).toBe(0);

      await complete(sql, s.lease, id, 'w2', s.succeeded, (tx) => s.write(tx, id, 'w2'));
      expect(await holderOf(s.lease, id)).toMatchObject({ state: 'succeeded', holder: null });
      await expect(complete(sql, s.lease, id, 'w2', s.succeeded, (tx) => s.write(tx, id, 'w2'))).rejects.toMatchObject({ code: 'LEASE_LOST' });
      expect(await s.results(id)).toBe(1);
    });

    it('a result whose write fails is not written at all, and the holder still holds the row', async () => {
      const s = subject();
      const id = await s.add();
      await s.claim(id, 'w1', LONG);
      await expect(
        complete(sql, s.lease, id, 'w1', s.succeeded, async (tx) => {
          await s.write(tx, id, 'w1');
          throw new Error('the disk is full');
        }),
      ).rejects.toThrow('the disk is full');
      expect(await s.results(id)).toBe(0);
      expect(await holderOf(s.lease, id)).toMatchObject({ state: s.lease.held, holder: 'w1' });
      expect(await settle(sql, s.lease, id, 'w1', s.lease.failed, { error: json({ code: 'X', message: 'could not store' }) })).toBe(true);
      expect(await holderOf(s.lease, id)).toEqual({ state: s.lease.failed, holder: null, attempts: expect.any(Number) });
    });

    it('the holder of an attempt cannot complete it once a later attempt began', async () => {
      const s = subject();
      const clock = new ManualClock();
      const id = await s.add();
      await s.claim(id, 'w1', SHORT, clock);
      const first = (await holderOf(s.lease, id)).attempts;
      clock.advance(SHORT + 1);
      await s.claim(id, 'w1', LONG, clock); // the same holder's name, a new attempt (a restarted process)
      await expect(complete(sql, s.lease, id, 'w1', { ...s.succeeded, attempt: first }, async () => undefined)).rejects.toMatchObject({ code: 'LEASE_LOST' });
      await complete(sql, s.lease, id, 'w1', { ...s.succeeded, attempt: first + 1 }, async () => undefined);
    });
  });

  it('a given-back job is claimable at once, without using up an attempt', async () => {
    const id = await jobs.add();
    await jobs.claim(id, 'w1', LONG);
    expect(await giveBack(sql, JOB_LEASES, id, 'w2')).toBe(false); // not w2's to give
    expect(await giveBack(sql, JOB_LEASES, id, 'w1')).toBe(true);
    expect(await holderOf(JOB_LEASES, id)).toEqual({ state: 'queued', holder: null, attempts: 0 });
    expect(await jobs.claim(id, 'w2', LONG)).toBe(true);
    expect(await holderOf(JOB_LEASES, id)).toEqual({ state: 'running', holder: 'w2', attempts: 1 });
  });

  it('a table claimed by id has nothing to give back to, and says so', async () => {
    const id = await nightlyRuns.add();
    await nightlyRuns.claim(id, 'w1', LONG);
    await expect(giveBack(sql, NIGHTLY_LEASES, id, 'w1')).rejects.toThrow('nightly_runs: rows are claimed by id, expected a table with a waiting state to give one back to');
  });

  it('a row whose holders keep dying fails as INTERRUPTED after its attempts, and is never handed out again', async () => {
    const clock = new ManualClock();
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params: {}, maxAttempts: 2 });
    expect((await claimNext(sql, JOB_LEASES, 'w1', SHORT, clock)).claimed).toMatchObject({ id: job.id, attempts: 1 });
    clock.advance(SHORT + 1);
    expect((await claimNext(sql, JOB_LEASES, 'w2', SHORT, clock)).claimed).toMatchObject({ id: job.id, attempts: 2 });
    clock.advance(SHORT);
    // The last attempt's lease still holds: not failed yet.
    expect(await claimNext(sql, JOB_LEASES, 'w3', LONG, clock)).toEqual({ claimed: null, exhausted: [] });
    clock.advance(1);
    expect(await claimNext(sql, JOB_LEASES, 'w3', LONG, clock)).toEqual({ claimed: null, exhausted: [job.id] });
    const [row] = await sql.query<{ state: string; lease_owner: string | null; error: { code: string; message: string } }>('SELECT state, lease_owner, error FROM jobs WHERE id = $1', [job.id]);
    expect(row).toEqual({
      state: 'failed',
      lease_owner: null,
      error: { code: 'INTERRUPTED', message: 'the worker stopped 2 times without finishing (lease expired); giving up' },
    });
    expect(await claimNext(sql, JOB_LEASES, 'w3', LONG, clock)).toEqual({ claimed: null, exhausted: [] });
  });

  it('many claimers draining a queue claim every row exactly once, oldest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) ids.push(await jobs.add());
    const claimed = await Promise.all(
      ['w1', 'w2', 'w3', 'w4'].map(async (worker) => {
        const mine: string[] = [];
        for (;;) {
          const { claimed: row } = await claimNext<{ id: string }>(sql, JOB_LEASES, worker, LONG);
          if (!row) return mine;
          mine.push(row.id);
        }
      }),
    );
    expect(claimed.flat().sort()).toEqual([...ids].sort());
    const queueOrder = (await sql.query<{ id: string }>('SELECT id FROM jobs ORDER BY created_at, id')).map((r) => r.id);
    for (const mine of claimed) expect(mine).toEqual(queueOrder.filter((id) => mine.includes(id)));
  });
});

describe('keeping a lease', () => {
  it('renews on every beat of the clock, and says once that the lease is lost', async () => {
    const clock = new ManualClock();
    const answers = [true, true, false, false];
    let renewals = 0;
    let lost = 0;
    const kept = keepLease({ renew: async () => answers[renewals++], everyMs: 100, onLost: () => lost++, clock });
    const settled = () => new Promise((resolve) => setImmediate(resolve));
    clock.advance(99);
    await settled();
    expect(renewals).toBe(0);
    clock.advance(1);
    await settled();
    clock.advance(100);
    await settled();
    expect({ renewals, lost, isLost: kept.lost }).toEqual({ renewals: 2, lost: 0, isLost: false });
    clock.advance(100);
    await settled();
    expect({ renewals, lost, isLost: kept.lost }).toEqual({ renewals: 3, lost: 1, isLost: true });
    // Lost is final: no more renewals, no second call.
    clock.advance(1000);
    await settled();
    expect({ renewals, lost, pending: clock.pending }).toEqual({ renewals: 3, lost: 1, pending: 0 });
  });

  it('a renewal that fails is reported and tried again at the next beat; stop ends the beats', async () => {
    const clock = new ManualClock();
    const errors: string[] = [];
    let renewals = 0;
    const kept = keepLease({
      renew: async () => {
        renewals++;
        if (renewals === 1) throw new Error('the store is unavailable');
        return true;
      },
      everyMs: 100,
      onLost: () => {
        throw new Error('not lost');
      },
      onError: (err) => errors.push((err as Error).message),
      clock,
    });
    const settled = () => new Promise((resolve) => setImmediate(resolve));
    clock.advance(100);
    await settled();
    clock.advance(100);
    await settled();
    expect({ renewals, errors, lost: kept.lost }).toEqual({ renewals: 2, errors: ['the store is unavailable'], lost: false });
    kept.stop();
    clock.advance(1000);
    await settled();
    expect(renewals).toBe(2);
  });
});
