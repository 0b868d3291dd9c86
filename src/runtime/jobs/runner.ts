import { type Clock, systemClock } from '../clock.ts';
import type { DeclarationRow } from '../../core/communities/declaration-rows.ts';
import type { Community } from '../../core/communities/read-communities.ts';
import { InputError } from '../../core/errors.ts';
import type { Facility } from '../../core/facilities/read-facilities.ts';
import type { Graph } from '../../core/network/graph.ts';
import { type CoverageJobParams, JOB_BODIES, type SitingJobParams } from '../requests/job-bodies.ts';
import { schemaProblem } from '../requests/schema-check.ts';
import { resolveStandards } from '../files/standards-catalogue.ts';
import {
  type Job,
  type JobProgress,
  type PointsSourceText,
  type Sql,
  StoreError,
  discardRunPieces,
  getDatasetHead,
  isStoreUnavailable,
  recordProgress,
  storeRunPiece,
} from '../store/index.ts';
import { jobQueue } from '../store/job-leases.ts';
import { keepLease } from '../store/lease-keeper.ts';
import type { LeasedQueue } from '../store/leases.ts';
import type { Run, RunInput } from '../store/runs.ts';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { type PointSet, computeCoverageInThread } from './coverage-in-thread.ts';
import { sitingRun } from './siting-job.ts';
import { DEFAULTS } from '../requests/params.ts';

/**
 * Runs coverage jobs from the store's queue, one at a time per runner: claim (with a lease), compute
 * the report in a thread of its own with the city-wide engine (coverage-in-thread.ts: the event loop
 * never runs a search), store it piece by piece as the thread hands pieces over — recording progress
 * after each, renewing the lease on a timer — and make the run of those pieces in the same
 * transaction that marks the job succeeded. A runner that dies leaves its lease to expire and another
 * runner (or the same process after a restart) runs the job again from the start, its pieces tagged
 * with the new attempt; a runner asked to stop ends the thread and releases its job to the queue.
 * No partial result is ever visible as a run.
 *
 * A store that becomes unavailable (STORE_UNAVAILABLE: PostgreSQL stopped or unreachable) stops
 * nothing: the loop backs off (0.5 s doubling to 30 s, jittered) and claims again once it answers; a
 * job in flight keeps its work and retries the failed call under its lease, going on where it was if
 * it still holds the job when the store is back — the lease machinery decides, as for a crash.
 */
/** Loads an owner's stored datasets (the service caches compiled graphs and parsed sets). */
export interface JobInputs {
  network(owner: string, id: string | undefined): Promise<Graph>;
  facilities(owner: string, id: string | undefined): Promise<readonly Facility[]>;
  communities(owner: string, id: string): Promise<readonly Community[]>;
  /** A declarations dataset's rows as read at upload; matched to the communities in the job's thread. */
  declarations?(owner: string, id: string): Promise<readonly DeclarationRow[]>;
  /**
   * A stored set as its source text, which the job's thread reads: a city's sets parsed here would
   * stall the event loop for seconds. Without it, the parsed sets are handed to the thread.
   */
  pointsSource?(owner: string, kind: 'facilities' | 'communities' | 'homes', id: string): Promise<{ source: PointsSourceText; crs: string }>;
}

export interface RunnerOptions {
  workerId: string;
  /** The lease is renewed after every chunk; a dead runner's job is taken over when it expires. */
  leaseMs?: number;
  pollMs?: number;
  /**
   * Communities per stored piece of the report (and between two progress records). Default 25: a
   * piece is ~0.5 MB of JSON, so reading one back (unzip, parse, write) is a few milliseconds of the
   * event loop.
   */
  chunk?: number;
  /** Search threads of a job (default: every core but one). */
  threads?: number;
  /** Waits between retries while the store is unavailable (default 0.5 s doubling to 30 s). */
  backoff?: BackoffOptions;
  /** Time for leases, heartbeats, polls and backoff (default the system's; tests pass one they move). */
  clock?: Clock;
  log?: (message: string, fields?: Record<string, unknown>, level?: 'info' | 'warn' | 'error') => void;
}

export class JobRunner {
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly chunk: number;
  private readonly clock: Clock;
  /** The store's job queue as leased work (src/runtime/store/leases.ts). */
  private readonly queue: LeasedQueue<Job, RunInput, Run>;
  /** Ends the running job's thread (stop). */
  private current: AbortController | null = null;

  constructor(
    private readonly sql: Sql,
    private readonly inputs: JobInputs,
    private readonly opts: RunnerOptions,
  ) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.pollMs = opts.pollMs ?? 1_000;
    this.chunk = opts.chunk ?? 25;
    this.clock = opts.clock ?? systemClock;
    this.queue = jobQueue(sql, this.clock);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** A job was enqueued: look now rather than at the next poll. */
  poke(): void {
    this.wake?.();
  }

  /** Stops claiming; a running job's thread is ended and the job released back to the queue. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    this.current?.abort(new Stopped());
    await this.loop;
  }

  /** Claims and runs jobs until stopped; a failed claim (the store down, or a bug) backs off and tries again. */
  private async run(): Promise<void> {
    const backoff = new Backoff(this.opts.backoff);
    while (!this.stopping) {
      let job: Job | null;
      try {
        job = await this.queue.claim(this.opts.workerId, this.leaseMs);
      } catch (err) {
        // Said once per outage, not at every retry.
        if (backoff.attempts === 0) {
          if (isStoreUnavailable(err)) this.opts.log?.('the store is unavailable: claiming jobs again once it answers', { reason: (err as Error).message }, 'warn');
          else this.opts.log?.('claiming a job failed: trying again', { err }, 'error');
        }
        await this.pause(backoff.nextDelayMs());
        continue;
      }
      if (backoff.attempts > 0) this.opts.log?.('the store answers again: claiming jobs', { retries: backoff.attempts });
      backoff.reset();
      if (!job) await this.pause(this.pollMs);
      else await this.runJob(job);
    }
  }

  /** Waits `ms`, or less if poked or stopped. */
  private async pause(ms: number): Promise<void> {
    // Asked to stop while claiming: no wait (a stop would otherwise wait out a poll or a backoff).
    if (this.stopping) return;
    await new Promise<void>((resolve) => {
      const cancel = this.clock.after(ms, resolve);
      this.wake = () => {
        cancel();
        resolve();
      };
    });
    this.wake = null;
  }

  /**
   * One store call of the job in flight, made again while the store is unavailable: the job stays
   * this runner's under its lease meanwhile (or is taken over when the lease runs out, which the next
   * heartbeat tells). Gives up, rethrowing, when the runner is stopped.
   */
  private async retrying<T>(jobId: string, call: () => Promise<T>): Promise<T> {
    const backoff = new Backoff(this.opts.backoff);
    for (;;) {
      try {
        const result = await call();
        if (backoff.attempts > 0) this.opts.log?.('the store answers again: the job goes on', { jobId, retries: backoff.attempts });
        return result;
      } catch (err) {
        if (!isStoreUnavailable(err) || this.stopping) throw err;
        if (backoff.attempts === 0) this.opts.log?.('the store is unavailable: the job waits for it under its lease', { jobId, reason: (err as Error).message }, 'warn');
        await this.pause(backoff.nextDelayMs());
      }
    }
  }

  /** A set the job names, as its stored source when the inputs can give it; the server's defaults parsed. */
  private async pointSet<K extends 'facilities' | 'communities'>(owner: string, kind: K, id: string | undefined): Promise<PointSet<K extends 'facilities' ? Facility : Community>> {
    if (id !== undefined && this.inputs.pointsSource) return this.inputs.pointsSource(owner, kind, id);
    const items = kind === 'facilities' ? await this.inputs.facilities(owner, id) : await this.inputs.communities(owner, id!);
    return { items } as PointSet<K extends 'facilities' ? Facility : Community>;
  }

  private async homesSource(owner: string, id: string): Promise<{ source: PointsSourceText; crs: string }> {
    if (!this.inputs.pointsSource) throw new InputError('INVALID_PARAMETER', 'homes: this runner cannot read homes datasets', { where: 'homes' });
    return this.inputs.pointsSource(owner, 'homes', id);
  }

  private async declarationRows(owner: string, id: string): Promise<readonly DeclarationRow[]> {
    if (!this.inputs.declarations) throw new InputError('INVALID_PARAMETER', 'declarations: this runner cannot read declarations datasets', { where: 'declarations' });
    return this.inputs.declarations(owner, id);
  }

  /** One job: failures are recorded on the job, never thrown out of the loop. */
  async runJob(job: Job): Promise<void> {
    const { workerId } = this.opts;
    const retrying = <T>(call: () => Promise<T>) => this.retrying(job.id, call);
    const progress: JobProgress = { done: 0, total: 0 };
    try {
      const checked = checkParams(job);
      const params: JobDatasets = checked.params;
      // Versions first: a dataset replaced while the job runs is then recorded as older than the data
      // read, never newer (a replacement between the two is the rare case this does not tell).
      const inputs = await retrying(() => inputVersions(this.sql, job.owner, params));
      const [graph, facilities, communities] = await retrying(() =>
        Promise.all([
          this.inputs.network(job.owner, params.network),
          this.pointSet(job.owner, 'facilities', params.facilities),
          this.pointSet(job.owner, 'communities', params.communities),
        ]),
      );
      const declarations = params.declarations === undefined ? undefined : await retrying(() => this.declarationRows(job.owner, params.declarations!));
      const homes = params.homes === undefined ? undefined : await retrying(() => this.homesSource(job.owner, params.homes!));
      // Pieces are tagged with the attempt; a crashed attempt's are never read, and go now.
      const attempt = job.attempts;
      await retrying(() => discardRunPieces(this.sql, job.id, attempt));
      const leaseLost = () => new StoreError('LEASE_LOST', `job ${job.id}: no longer held by ${workerId}; the result is discarded`);
      const abort = (this.current = new AbortController());
      if (this.stopping) abort.abort(new Stopped());
      // Progress recorded renews the lease too (as a chunk did); the timer renews it whatever the
      // thread does — a search of a large city may say nothing for a while.
      const recordAndRenew = async () => {
        const held =
          (await retrying(() => recordProgress(this.sql, job.id, workerId, progress))) &&
          (await retrying(() => this.queue.renew(job, workerId, this.leaseMs)));
        if (!held) throw leaseLost();
      };
      const lease = keepLease({
        renew: () => this.queue.renew(job, workerId, this.leaseMs),
        everyMs: Math.max(10, this.leaseMs / 3),
        onLost: () => abort.abort(leaseLost()),
        clock: this.clock,
      });
      let run: RunInput;
      try {
        // A siting job: one answer, stored whole (siting-job.ts); the rest of this is every job's.
        if (checked.kind === 'siting') {
          const onProgress = async (done: number, total: number) => {
            Object.assign(progress, { done, total });
            await recordAndRenew();
          };
          run = await sitingRun(job, { graph, facilities, communities, ...(homes ? { homes } : {}), inputs, threads: this.opts.threads }, { signal: abort.signal, onProgress });
        } else {
          const { summary, ...others } = await computeCoverageInThread(
            {
              graph,
              facilities,
              communities,
              ...(declarations ? { declarations } : {}),
              ...(homes ? { homes } : {}),
              standards: resolveStandards(checked.params.standards, checked.params.standard),
              travel: { mode: checked.params.mode, minutes: checked.params.minutes, speedKmh: checked.params.speedKmh, maxSnapM: checked.params.maxSnapM ?? DEFAULTS.maxSnapM, metShare: checked.params.metShare, origin: checked.params.origin },
              pieceSize: this.chunk,
              ...(this.opts.threads !== undefined ? { threads: this.opts.threads } : {}),
            },
            {
              signal: abort.signal,
              onStart: async (total) => {
                progress.total = total;
                await recordAndRenew();
              },
              onSearch: async (done, total) => {
                progress.searches = { done, total };
                await recordAndRenew();
              },
              onPiece: async (piece) => {
                if (!(await retrying(() => storeRunPiece(this.sql, job.id, workerId, attempt, piece)))) throw leaseLost();
                progress.done = piece.first + piece.count;
                await recordAndRenew();
              },
            },
          );
          // The summary has a column of its own; the communities are in the pieces.
          run = { summary, report: { ...others, inputs }, communities: { dataset: params.communities, version: inputs.communities.version }, pieces: { attempt, communities: progress.total } };
        }
      } finally {
        lease.stop();
        this.current = null;
      }
      // Made again after an outage: if the first attempt committed but its answer was lost, the
      // second finds the job no longer held (LEASE_LOST below) and stores nothing — one run either way.
      await retrying(() => this.queue.complete(job, workerId, run));
      this.opts.log?.('job succeeded', { jobId: job.id, communities: progress.total });
    } catch (err) {
      if (err instanceof Stopped) {
        try {
          await this.queue.giveBack(job, workerId);
          this.opts.log?.('released a job at shutdown', { jobId: job.id, ...progress });
        } catch (releaseErr) {
          // The job stays this runner's until its lease expires, then runs again.
          if (isStoreUnavailable(releaseErr)) this.opts.log?.('left a job to its lease: the store is unavailable', { jobId: job.id, reason: (releaseErr as Error).message }, 'warn');
          else this.opts.log?.('left a job to its lease: releasing it failed', { jobId: job.id, err: releaseErr }, 'error');
        }
        return;
      }
      if (err instanceof StoreError && err.code === 'LEASE_LOST') {
        this.opts.log?.('lost the lease of a job: another runner has it, or it is finished or cancelled', { jobId: job.id, reason: err.message });
        return;
      }
      if (isStoreUnavailable(err)) {
        // Stopped while the store was down: nothing can be recorded; the lease expires and the job runs again.
        this.opts.log?.('left a job to its lease: the store is unavailable', { jobId: job.id, reason: (err as Error).message }, 'warn');
        return;
      }
      const error = err instanceof InputError ? { code: err.code, message: err.message } : { code: 'INTERNAL', message: (err as Error).message };
      this.opts.log?.('job failed', { jobId: job.id, ...error });
      await retrying(() => this.queue.fail(job, workerId, error)).catch(() => undefined);
    }
  }
}

/** Why a job's thread was ended: the runner is stopping. */
class Stopped extends Error {
  constructor() {
    super('the job runner is stopping');
  }
}

/** Which data a run used: each stored dataset with its version, or the server's default (`dataset: null`). */
export interface RunInputs {
  network: { dataset: string | null; version: number | null };
  facilities: { dataset: string | null; version: number | null };
  communities: { dataset: string; version: number | null };
  declarations?: { dataset: string; version: number | null };
  homes?: { dataset: string; version: number | null };
}

async function inputVersions(sql: Sql, owner: string, params: JobDatasets): Promise<RunInputs> {
  const versionOf = async (id: string) => (await getDatasetHead(sql, owner, id))?.version ?? null;
  const ref = async (id: string | undefined) => (id === undefined ? { dataset: null, version: null } : { dataset: id, version: await versionOf(id) });
  const [network, facilities, communities] = await Promise.all([ref(params.network), ref(params.facilities), versionOf(params.communities)]);
  const declarations = params.declarations === undefined ? undefined : { dataset: params.declarations, version: await versionOf(params.declarations) };
  const homes = params.homes === undefined ? undefined : { dataset: params.homes, version: await versionOf(params.homes) };
  return { network, facilities, communities: { dataset: params.communities, version: communities }, ...(declarations ? { declarations } : {}), ...(homes ? { homes } : {}) };
}

/**
 * A job's params, checked again with its kind's schema (src/runtime/requests/job-bodies.ts) when it is run:
 * the API checked them before queueing, but the queue outlives versions.
 */
function checkParams(job: Pick<Job, 'kind' | 'params'>): CheckedJob {
  const problem = schemaProblem(JOB_BODIES[job.kind], { ...job.params, kind: job.kind });
  if (problem) throw new InputError(problem.code, `job params: ${problem.message}`, { where: problem.where });
  return { kind: job.kind, params: job.params } as CheckedJob;
}

type CheckedJob = { kind: 'coverage'; params: CoverageJobParams } | { kind: 'siting'; params: SitingJobParams };

/** The datasets a job names, whatever its kind (a siting job has no declarations). */
type JobDatasets = Pick<CoverageJobParams, 'network' | 'facilities' | 'communities' | 'declarations' | 'homes'>;
