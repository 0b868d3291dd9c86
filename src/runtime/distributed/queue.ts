import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import { StoreError } from '../store/errors.ts';
import type { LeasedQueue } from '../store/leases.ts';

/**
 * The partition queue: pg-boss on the same PostgreSQL server as the run's tables. One queue serves
 * every run; a job names its run and partition.
 *
 * Why pg-boss: the jobs live in PostgreSQL (already deployed for the store), workers on any machine
 * fetch with `SELECT … FOR UPDATE SKIP LOCKED`, and a job whose worker stops answering is put back:
 * a job active longer than `expireInSeconds` is failed by the maintenance pass (any pg-boss instance
 * runs it, every `maintenanceIntervalSeconds`) and retried up to `retryLimit` times. A worker that
 * stops gracefully fails its jobs in hand at once, so they are retried without waiting.
 *
 * pg-boss 10 is the last major version that runs on Node 20 (11 and 12 need Node 22).
 *
 * Workers hold partitions through the same contract as the store's leased work (`LeasedQueue`,
 * src/runtime/store/leases.ts), with pg-boss's limits: a job's lease is `expireInSeconds`, fixed when it is
 * sent (pg-boss 10 cannot extend it, so `renew` only says whether the job is still this claim's); a
 * job given back is failed and retried at once, which counts as one of its retries; and `fail` ends
 * the attempt, not the job — pg-boss retries it up to `retryLimit` (a machine's failure need not be
 * another's). A claim is the holder's and that attempt's (the job's retry count and start): a call
 * naming another holder, or made after the attempt ended, does nothing, and a stale `complete` throws
 * LEASE_LOST rather than complete the attempt of the job's next holder. The result's exactly-once
 * is the results table's key (src/runtime/distributed/worker.ts), not the queue's.
 */
const PARTITION_QUEUE = 'lifecircle-coverage-partition';

/** Set by the coordinator on each job it sends. */
export interface JobSettings {
  /**
   * A partition still running after this long is taken to be lost and retried by another worker
   * (default 900). It must exceed the longest partition's computation.
   */
  expireInSeconds?: number;
  /** Retries after the first attempt before the run fails (default 3). */
  retryLimit?: number;
  /** Wait before a retry (default 0). */
  retryDelaySeconds?: number;
}

/** Set by each process that opens the queue. */
export interface QueueConnection {
  /** How often an idle worker looks for a job (default 2, at least 0.5). */
  pollingIntervalSeconds?: number;
  /** How often lost jobs are looked for (default 30): with `expireInSeconds`, how soon a dead worker's partition is taken over. */
  maintenanceIntervalSeconds?: number;
  /** Called with pg-boss's background errors (a lost connection): without it they are printed as warnings. */
  onError?: (err: Error) => void;
}

export interface PartitionJob {
  runId: string;
  partition: number;
}

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

/** A partition job as a worker holds it: its pg-boss id, its holder, and which attempt this claim is (a retry counts up and starts again). */
export interface ClaimedPartition extends PartitionJob {
  jobId: string;
  holder: string;
  retryCount: number;
  startedOn: number;
}

export class PartitionQueue implements LeasedQueue<ClaimedPartition, void> {
  private constructor(private readonly boss: PgBoss) {}

  static async open(databaseUrl: string, connection: QueueConnection = {}): Promise<PartitionQueue> {
    const boss = new PgBoss({
      connectionString: databaseUrl,
      // Cron schedules are not used: no clock monitor.
      schedule: false,
      maintenanceIntervalSeconds: connection.maintenanceIntervalSeconds ?? 30,
      pollingIntervalSeconds: connection.pollingIntervalSeconds ?? 2,
      max: 4,
    });
    const onError = connection.onError ?? ((err: Error) => process.emitWarning(`pg-boss: ${err.message}`));
    // An 'error' event without a listener would crash the process.
    boss.on('error', onError);
    await boss.start();
    // Idempotent: pg-boss inserts the queue ON CONFLICT DO NOTHING.
    await boss.createQueue(PARTITION_QUEUE, { name: PARTITION_QUEUE, policy: 'standard' });
    return new PartitionQueue(boss);
  }

  /**
   * Enqueues a partition's job, once: the job id is derived from run and partition, and pg-boss
   * inserts ON CONFLICT DO NOTHING, so a coordinator that restarts sends nothing twice. A job that
   * already failed for good (or was cancelled) is put back instead: the coordinator is being run
   * again to finish the run.
   */
  async send(job: PartitionJob, settings: JobSettings = {}): Promise<void> {
    const id = partitionJobId(job.runId, job.partition);
    const sent = await this.boss.send(PARTITION_QUEUE, job, {
      id,
      singletonKey: `${job.runId}/${job.partition}`,
      expireInSeconds: settings.expireInSeconds ?? 900,
      retryLimit: settings.retryLimit ?? 3,
      retryDelay: settings.retryDelaySeconds ?? 0,
    });
    if (sent !== null) return;
    const existing = await this.state(job);
    if (existing?.state === 'failed') await this.boss.retry(PARTITION_QUEUE, id);
    else if (existing?.state === 'cancelled') await this.boss.resume(PARTITION_QUEUE, id);
  }

  /** The partition job's state, attempts so far and last error; null when the job is unknown (never sent, or archived). */
  async state(job: PartitionJob): Promise<{ state: JobState; retryCount: number; error?: string } | null> {
    const found = await this.boss.getJobById<PartitionJob>(PARTITION_QUEUE, partitionJobId(job.runId, job.partition));
    if (!found) return null;
    const output = found.output as { message?: string; value?: { message?: string } } | null;
    const error = output?.message ?? output?.value?.message;
    return { state: found.state, retryCount: found.retryCount, ...(error !== undefined ? { error } : {}) };
  }

  /** The next partition job, now active; `leaseMs` is not used: the job's expiry was set when it was sent. */
  async claim(holder: string, _leaseMs?: number): Promise<ClaimedPartition | null> {
    const [job] = await this.boss.fetch<PartitionJob>(PARTITION_QUEUE, { batchSize: 1, includeMetadata: true });
    return job ? { runId: job.data.runId, partition: job.data.partition, jobId: job.id, holder, retryCount: job.retryCount, startedOn: job.startedOn.getTime() } : null;
  }

  /** Whether the job is still active under this holder's claim (not expired and retried, failed or cancelled). */
  async renew(claim: ClaimedPartition, holder: string): Promise<boolean> {
    if (holder !== claim.holder) return false;
    const job = await this.boss.getJobById(PARTITION_QUEUE, claim.jobId);
    // The retry count tells attempts apart whatever the clock; the start, one that pg-boss reset.
    return job?.state === 'active' && job.retryCount === claim.retryCount && job.startedOn.getTime() === claim.startedOn;
  }

  /**
   * Completes the holder's attempt; LEASE_LOST when it is no longer theirs (pg-boss alone would
   * complete whichever attempt is active). Checked, then completed: an attempt that expires in
   * between is completed once, its result already stored once by the results table.
   */
  async complete(claim: ClaimedPartition, holder: string): Promise<void> {
    if (!(await this.renew(claim, holder))) {
      throw new StoreError('LEASE_LOST', `partition ${claim.partition} of run ${claim.runId}: no longer held by ${holder} (attempt ${claim.retryCount + 1}); nothing completed`);
    }
    await this.boss.complete(PARTITION_QUEUE, claim.jobId);
  }

  /** Fails the attempt: pg-boss retries the job until its `retryLimit`, then the run fails naming `error`. */
  async fail(claim: ClaimedPartition, holder: string, error: { code: string; message: string }): Promise<boolean> {
    if (!(await this.renew(claim, holder))) return false;
    await this.boss.fail(PARTITION_QUEUE, claim.jobId, { code: error.code, message: error.message });
    return true;
  }

  /** Hands the job back to be retried at once by another worker (a graceful stop that ran out of time). */
  giveBack(claim: ClaimedPartition, holder: string): Promise<boolean> {
    return this.fail(claim, holder, { code: 'GIVEN_BACK', message: `worker ${holder} stopped before finishing; handed back` });
  }

  /** Closes the connections (a worker gives its job in hand back first). */
  async stop({ graceful = true, timeoutMs = 30_000 }: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
    await this.boss.stop({ graceful, timeout: timeoutMs, wait: true });
  }
}

/** A job id that is the same for the same run and partition on every machine (a UUID made from a hash). */
function partitionJobId(runId: string, partition: number): string {
  const h = createHash('sha256').update(`lifecircle-partition\u0000${runId}\u0000${partition}`).digest('hex');
  // Shaped as a version-5-style UUID so PostgreSQL's uuid type takes it.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
