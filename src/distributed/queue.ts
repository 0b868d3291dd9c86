import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';

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
 */
export const PARTITION_QUEUE = 'lifecircle-coverage-partition';

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

export class PartitionQueue {
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

  /**
   * Runs `handler` for one job at a time: coverage is CPU-bound, so one process computes one
   * partition; run more processes for more cores. A handler that throws fails the job (retried).
   */
  async work(handler: (job: PartitionJob, jobId: string) => Promise<void>): Promise<void> {
    await this.boss.work<PartitionJob>(PARTITION_QUEUE, { batchSize: 1 }, async ([job]) => {
      await handler(job.data, job.id);
    });
  }

  /**
   * Stops fetching and closes the connections. Graceful (the default): waits up to `timeoutMs` for
   * the job in hand, then fails whatever is still running so it is retried at once elsewhere.
   */
  async stop({ graceful = true, timeoutMs = 30_000 }: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
    await this.boss.stop({ graceful, timeout: timeoutMs, wait: true });
  }
}

/** A job id that is the same for the same run and partition on every machine (a UUID made from a hash). */
export function partitionJobId(runId: string, partition: number): string {
  const h = createHash('sha256').update(`lifecircle-partition\u0000${runId}\u0000${partition}`).digest('hex');
  // Shaped as a version-5-style UUID so PostgreSQL's uuid type takes it.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
