import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ClaimedPartition, PartitionQueue } from '../../src/runtime/distributed/queue.ts';
import { type Job, type Run, type RunInput, createApiKey, enqueueJob } from '../../src/runtime/store/index.ts';
import { jobQueue } from '../../src/runtime/store/job-leases.ts';
import type { LeasedQueue } from '../../src/runtime/store/leases.ts';
import { openPostgres } from '../../src/runtime/store/postgres.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { type Backend, describeBackends, openFreshStore } from '../store/backends.ts';

/**
 * The holder's side of leased work (`LeasedQueue`, src/runtime/store/leases.ts), written once and run
 * against every implementation, through the interface only:
 *  - the store's job queue (`jobQueue`, src/runtime/store/job-leases.ts) on PGlite and PostgreSQL;
 *  - the partition queue over pg-boss (`PartitionQueue`, src/runtime/distributed/queue.ts), on
 *    PostgreSQL only: skipped with the backend when DATABASE_URL is not set (test/store/backends.ts).
 * Each implementation is a `Subject`: its queue, and how an item is put into it.
 *
 * Where an implementation disagrees with the contract as the interface documents it, the guarantee is
 * still asserted as documented, and the implementation names the disagreement in `deviations`: that
 * test then runs as expected to fail (`it.fails`), with the reason in its name. It cannot pass quietly:
 * once the implementation conforms, the test fails until its deviation is struck out.
 *
 * Lease expiry is tested where a test clock drives it (the store's queue takes a `Clock`): the clock
 * is moved past the lease, never slept through. pg-boss's lease is the job's `expireInSeconds`, fixed
 * when the job is sent, in whole seconds, on the database's clock, and only noticed by pg-boss's
 * maintenance pass (every `maintenanceIntervalSeconds`): nothing a test can move, so testing it means
 * waiting for it. Expiry is left out for pg-boss here; test/distributed/partitions.test.ts covers the
 * take-over of a killed worker's partition end to end.
 *
 * pg-boss needs no polling here: each call is one or two SQL statements, done when it resolves.
 */
const LONG = 60_000;
const SHORT = 300;
const ERROR = { code: 'CONTRACT_TEST', message: 'failed on purpose' };

/** The contract's guarantees an implementation may be known to break (see `deviations`). */
type Guarantee =
  /** Calls naming a holder other than the item's do nothing. */
  | 'holder-named'
  /** `complete` after the holder's lease ended throws LEASE_LOST, ending nothing. */
  | 'complete-refused'
  /** `fail` ends the item for good: it is not claimable again. */
  | 'fail-for-good'
  /** A given-back item is claimable again however often it was given back (the attempt is not counted). */
  | 'give-back-uncounted';

interface Subject<Item, Result, Done> {
  queue: LeasedQueue<Item, Result, Done>;
  /** Puts a new item in the queue, claimable at once; its key. */
  add(): Promise<string>;
  /** What identifies an item across claims (a job's id, a partition's run and number). */
  key(item: Item): string;
  /** What `complete` is given. */
  result: Result;
  /** The clock the queue's leases run on, when a test can move it. */
  clock?: ManualClock;
  /** Empties the queue (a claim sees every item). */
  empty(): Promise<void>;
  close(): Promise<void>;
}

interface Implementation<Item, Result, Done> {
  name: string;
  /** Opens the queue on a store of its own. */
  open(): Promise<Subject<Item, Result, Done>>;
  /** Guarantees this implementation is known to break, and why. */
  deviations?: Partial<Record<Guarantee, string>>;
  /** Leases run on a test clock: expiry can be tested. */
  expires: boolean;
}

describeBackends('the LeasedQueue contract', (backend) => {
  contract(storeJobs(backend));
  if (backend.name === 'postgres') contract(pgBossPartitions(backend));
});

function storeJobs(backend: Backend): Implementation<Job, RunInput, Run> {
  return {
    name: 'jobQueue (the store)',
    expires: true,
    async open() {
      const { sql, done } = await openFreshStore(backend);
      const owner = (await createApiKey(sql, 'leased-queue-contract')).id;
      const clock = new ManualClock();
      return {
        queue: jobQueue(sql, clock),
        add: async () => (await enqueueJob(sql, owner, { kind: 'coverage', params: {} })).id,
        key: (job) => job.id,
        result: { summary: {}, report: {}, communities: [] },
        clock,
        empty: async () => void (await sql.query('DELETE FROM jobs')),
        close: done,
      };
    },
  };
}

function pgBossPartitions(backend: Backend): Implementation<ClaimedPartition, void, void> {
  return {
    name: 'PartitionQueue (pg-boss)',
    expires: false,
    deviations: {
      'fail-for-good': 'PartitionQueue.fail fails the attempt: pg-boss queues the job again until its retryLimit (3 by default) is used up',
      'give-back-uncounted': 'PartitionQueue.giveBack is fail: each give-back uses one of the job’s retries, and once they are used up the job is failed for good',
    },
    async open() {
      const target = await backend.freshTarget();
      const url = target.options.databaseUrl!;
      const errors: Error[] = [];
      const queue = await PartitionQueue.open(url, { onError: (err) => errors.push(err) });
      const sql = await openPostgres(url, { maxConnections: 1 });
      let partitions = 0;
      return {
        queue,
        // As the coordinator sends a partition (default settings: 900 s to expire, 3 retries).
        async add() {
          const job = { runId: 'contract', partition: partitions++ };
          await queue.send(job);
          return `${job.runId}/${job.partition}`;
        },
        key: (claim) => `${claim.runId}/${claim.partition}`,
        result: undefined,
        empty: async () => void (await sql.query('DELETE FROM pgboss.job')),
        async close() {
          try {
            expect(errors.map((e) => e.message), 'pg-boss background errors').toEqual([]);
          } finally {
            await queue.stop();
            await sql.close();
            await target.dispose();
          }
        },
      };
    },
  };
}

function contract<Item, Result, Done>(impl: Implementation<Item, Result, Done>): void {
  describe(impl.name, () => {
    let s: Subject<Item, Result, Done>;
    beforeAll(async () => {
      s = await impl.open();
    });
    afterAll(() => s?.close());
    beforeEach(() => s.empty());

    /** The test of a guarantee; expected to fail, saying why, where the implementation is known to break it. */
    const guarantee = (g: Guarantee, title: string, fn: () => Promise<void>) => {
      const why = impl.deviations?.[g];
      if (why) it.fails(`${title} — KNOWN DEVIATION: ${why}`, fn);
      else it(title, fn);
    };

    const claimOne = async (holder: string, leaseMs = LONG): Promise<Item> => {
      const item = await s.queue.claim(holder, leaseMs);
      expect(item, `a claim by ${holder}`).not.toBeNull();
      return item!;
    };

    /** The holder's calls on `item` once its lease ended: renew, fail and giveBack return false. */
    const expectEnded = async (item: Item, holder: string) => {
      expect({
        renew: await s.queue.renew(item, holder, LONG),
        fail: await s.queue.fail(item, holder, ERROR),
        giveBack: await s.queue.giveBack(item, holder),
      }).toEqual({ renew: false, fail: false, giveBack: false });
    };

    it('an item is held by one holder at a time: a second claim gets another item or nothing, never the held one', async () => {
      const added = [await s.add(), await s.add()];
      const first = await claimOne('w1');
      const second = await claimOne('w2');
      expect([s.key(first), s.key(second)].sort()).toEqual([...added].sort());
      expect(await s.queue.claim('w3', LONG)).toBeNull();
      expect(await s.queue.claim('w1', LONG)).toBeNull(); // nor the same holder, claiming again
    });

    it('claimers racing: each item goes to exactly one of them', async () => {
      const added = [await s.add(), await s.add(), await s.add()];
      const claims = await Promise.all(['w1', 'w2', 'w3', 'w4', 'w5', 'w6'].map((w) => s.queue.claim(w, LONG)));
      const won = claims.flatMap((c) => (c === null ? [] : [s.key(c)]));
      expect(won.sort()).toEqual([...added].sort());
    });

    it('the holder renews its lease, as often as it likes, and keeps the item', async () => {
      await s.add();
      const item = await claimOne('w1');
      for (let i = 0; i < 3; i++) expect(await s.queue.renew(item, 'w1', LONG)).toBe(true);
      expect(await s.queue.claim('w2', LONG)).toBeNull();
      await s.queue.complete(item, 'w1', s.result);
    });

    guarantee('holder-named', 'calls naming another holder do nothing: renew, fail and giveBack return false, complete throws LEASE_LOST', async () => {
      await s.add();
      const item = await claimOne('w1');
      expect(await s.queue.renew(item, 'w2', LONG)).toBe(false);
      expect(await s.queue.fail(item, 'w2', ERROR)).toBe(false);
      expect(await s.queue.giveBack(item, 'w2')).toBe(false);
      await expect(s.queue.complete(item, 'w2', s.result)).rejects.toMatchObject({ code: 'LEASE_LOST' });
      // w1 still holds it.
      expect(await s.queue.renew(item, 'w1', LONG)).toBe(true);
      expect(await s.queue.claim('w2', LONG)).toBeNull();
    });

    /** Ways a holder's lease ends; `after` returns the item as another holder now holds it, if one does. */
    const endings: [string, (item: Item) => Promise<Item | null>][] = [
      [
        'completed',
        async (item) => {
          await s.queue.complete(item, 'w1', s.result);
          return null;
        },
      ],
      [
        'failed',
        async (item) => {
          expect(await s.queue.fail(item, 'w1', ERROR)).toBe(true);
          return null;
        },
      ],
      [
        'given back',
        async (item) => {
          expect(await s.queue.giveBack(item, 'w1')).toBe(true);
          return null;
        },
      ],
      [
        'given back and claimed by another',
        async (item) => {
          expect(await s.queue.giveBack(item, 'w1')).toBe(true);
          const next = await claimOne('w2');
          expect(s.key(next)).toBe(s.key(item));
          return next;
        },
      ],
    ];

    describe.each(endings)('once the lease was %s', (_how, end) => {
      it('renew, fail and giveBack by the former holder return false', async () => {
        await s.add();
        const item = await claimOne('w1');
        const successor = await end(item);
        await expectEnded(item, 'w1');
        if (successor) expect(await s.queue.renew(successor, 'w2', LONG)).toBe(true);
      });

      guarantee('complete-refused', 'complete by the former holder throws LEASE_LOST', async () => {
        await s.add();
        const item = await claimOne('w1');
        const successor = await end(item);
        await expect(s.queue.complete(item, 'w1', s.result)).rejects.toMatchObject({ code: 'LEASE_LOST' });
        if (successor) expect(await s.queue.renew(successor, 'w2', LONG)).toBe(true);
      });
    });

    it('a completed item is not claimable again', async () => {
      await s.add();
      const item = await claimOne('w1');
      await s.queue.complete(item, 'w1', s.result);
      expect(await s.queue.claim('w2', LONG)).toBeNull();
    });

    guarantee('fail-for-good', 'fail ends the item for good: it is not claimable again', async () => {
      await s.add();
      const item = await claimOne('w1');
      expect(await s.queue.fail(item, 'w1', ERROR)).toBe(true);
      expect(await s.queue.claim('w2', LONG)).toBeNull();
    });

    it('a given-back item is claimable again at once by another holder, who then holds it and can complete it', async () => {
      const key = await s.add();
      const item = await claimOne('w1');
      expect(await s.queue.giveBack(item, 'w1')).toBe(true);
      const next = await claimOne('w2');
      expect(s.key(next)).toBe(key);
      expect(await s.queue.renew(next, 'w2', LONG)).toBe(true);
      expect(await s.queue.claim('w3', LONG)).toBeNull();
      await s.queue.complete(next, 'w2', s.result);
      expect(await s.queue.claim('w3', LONG)).toBeNull();
    });

    guarantee('give-back-uncounted', 'an item given back more often than any attempt limit is still claimable', async () => {
      // More than jobs' default max_attempts (3) and pg-boss's default retryLimit (3) allow.
      const key = await s.add();
      for (let i = 0; i < 6; i++) {
        const item = await claimOne(`w${i}`);
        expect(s.key(item)).toBe(key);
        expect(await s.queue.giveBack(item, `w${i}`)).toBe(true);
      }
      expect(s.key(await claimOne('w6'))).toBe(key);
    });

    if (impl.expires) {
      it('a lapsed lease is claimable by another holder, not a millisecond before; the former holder is then refused', async () => {
        const clock = s.clock!;
        const key = await s.add();
        const item = await claimOne('w1', SHORT);
        clock.advance(SHORT - 1);
        expect(await s.queue.renew(item, 'w1', SHORT)).toBe(true); // a renewal counts from the renewal
        clock.advance(SHORT);
        expect(await s.queue.claim('w2', LONG)).toBeNull();
        clock.advance(1); // w1 "crashed": no renewal
        const next = await claimOne('w2');
        expect(s.key(next)).toBe(key);
        await expect(s.queue.complete(item, 'w1', s.result)).rejects.toMatchObject({ code: 'LEASE_LOST' });
        await expectEnded(item, 'w1');
        expect(await s.queue.renew(next, 'w2', LONG)).toBe(true);
      });
    }
  });
}
