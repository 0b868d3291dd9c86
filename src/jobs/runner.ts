import type { Community } from '../communities/read-communities.ts';
import { CoverageSession, type CommunityReport } from '../coverage/coverage.ts';
import { InputError } from '../errors.ts';
import type { Facility } from '../facilities/read-facilities.ts';
import type { Graph } from '../network/graph.ts';
import { type Mode, isMode } from '../network/profiles.ts';
import { resolveStandards } from '../standards/catalogue.ts';
import { type Job, type Sql, claimNextJob, completeJob, failJob, getDataset, heartbeat, recordProgress, releaseJob } from '../store/index.ts';

/**
 * Runs coverage jobs from the store's queue, one at a time per runner: claim (with a lease), load the
 * stored datasets, assess the communities in chunks — recording progress and renewing the lease after
 * each — and store the run in the same transaction that marks the job succeeded. A runner that dies
 * leaves its lease to expire and another runner (or the same process after a restart) runs the job
 * again from the start; a runner asked to stop releases its job back to the queue between chunks.
 * No partial result is ever stored as a run.
 */
export interface CoverageJobParams {
  /** Dataset ids; `network` and `facilities` may be omitted for the server's defaults. */
  network?: string;
  facilities?: string;
  communities: string;
  standards?: string[];
  standard?: unknown;
  mode?: Mode;
  minutes?: number;
  speedKmh?: number;
  maxSnapM?: number;
}

/** Loads an owner's stored datasets (the service caches compiled graphs and parsed sets). */
export interface JobInputs {
  network(owner: string, id: string | undefined): Promise<Graph>;
  facilities(owner: string, id: string | undefined): Promise<readonly Facility[]>;
  communities(owner: string, id: string): Promise<readonly Community[]>;
}

export interface RunnerOptions {
  workerId: string;
  /** The lease is renewed after every chunk; a dead runner's job is taken over when it expires. */
  leaseMs?: number;
  pollMs?: number;
  /** Communities assessed between two progress records. */
  chunk?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export class JobRunner {
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly chunk: number;

  constructor(
    private readonly sql: Sql,
    private readonly inputs: JobInputs,
    private readonly opts: RunnerOptions,
  ) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.pollMs = opts.pollMs ?? 1_000;
    this.chunk = opts.chunk ?? 100;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** A job was enqueued: look now rather than at the next poll. */
  poke(): void {
    this.wake?.();
  }

  /** Stops claiming; a running job is released back to the queue at its next chunk boundary. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  /** Claims and runs jobs until stopped. */
  private async run(): Promise<void> {
    while (!this.stopping) {
      const job = await claimNextJob(this.sql, this.opts.workerId, this.leaseMs);
      if (!job) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
        continue;
      }
      await this.runJob(job);
    }
  }

  /** One job: failures are recorded on the job, never thrown out of the loop. */
  async runJob(job: Job): Promise<void> {
    const { workerId } = this.opts;
    try {
      const params = checkParams(job.params);
      // Versions first: a dataset replaced while the job runs is then recorded as older than the data
      // read, never newer (a replacement between the two is the rare case this does not tell).
      const inputs = await inputVersions(this.sql, job.owner, params);
      const [graph, facilities, communities] = await Promise.all([
        this.inputs.network(job.owner, params.network),
        this.inputs.facilities(job.owner, params.facilities),
        this.inputs.communities(job.owner, params.communities),
      ]);
      const standards = resolveStandards(params.standards, params.standard);
      const session = new CoverageSession(graph, facilities, standards, {
        mode: params.mode,
        minutes: params.minutes,
        speedKmh: params.speedKmh,
        maxSnapM: params.maxSnapM ?? 500,
      });
      const reports: CommunityReport[] = [];
      for (let i = 0; i < communities.length; i += this.chunk) {
        for (const community of communities.slice(i, i + this.chunk)) reports.push(session.assess(community));
        const progress = { done: reports.length, total: communities.length };
        if (!(await recordProgress(this.sql, job.id, workerId, progress)) || !(await heartbeat(this.sql, job.id, workerId, this.leaseMs))) {
          this.opts.log?.('lost the lease of a job: another runner has it', { jobId: job.id });
          return;
        }
        if (this.stopping) {
          await releaseJob(this.sql, job.id, workerId);
          this.opts.log?.('released a job at shutdown', { jobId: job.id, ...progress });
          return;
        }
        // Let the event loop answer requests between chunks.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const report = { ...session.report(reports), inputs };
      await completeJob(this.sql, job.id, workerId, {
        summary: report.summary,
        report,
        communities: { dataset: params.communities, version: inputs.communities.version },
      });
      this.opts.log?.('job succeeded', { jobId: job.id, communities: communities.length });
    } catch (err) {
      const error = err instanceof InputError ? { code: err.code, message: err.message } : { code: 'INTERNAL', message: (err as Error).message };
      this.opts.log?.('job failed', { jobId: job.id, ...error });
      await failJob(this.sql, job.id, workerId, error).catch(() => undefined);
    }
  }
}

/** Which data a run used: each stored dataset with its version, or the server's default (`dataset: null`). */
export interface RunInputs {
  network: { dataset: string | null; version: number | null };
  facilities: { dataset: string | null; version: number | null };
  communities: { dataset: string; version: number | null };
}

async function inputVersions(sql: Sql, owner: string, params: CoverageJobParams): Promise<RunInputs> {
  const versionOf = async (id: string) => (await getDataset(sql, owner, id))?.version ?? null;
  const ref = async (id: string | undefined) => (id === undefined ? { dataset: null, version: null } : { dataset: id, version: await versionOf(id) });
  const [network, facilities, communities] = await Promise.all([ref(params.network), ref(params.facilities), versionOf(params.communities)]);
  return { network, facilities, communities: { dataset: params.communities, version: communities } };
}

/** The stored params are the API's, already checked; checked again here because the queue outlives versions. */
export function checkParams(params: Record<string, unknown>): CoverageJobParams {
  const problem = (what: string) => new InputError('INVALID_PARAMETER', `job params: ${what}`, { where: 'params' });
  if (typeof params.communities !== 'string') throw problem('communities must be a communities dataset id');
  for (const key of ['network', 'facilities'] as const) if (params[key] !== undefined && typeof params[key] !== 'string') throw problem(`${key} must be a dataset id`);
  if (params.mode !== undefined && !isMode(params.mode)) throw problem(`mode ${JSON.stringify(params.mode)} is not a travel mode`);
  for (const key of ['minutes', 'speedKmh', 'maxSnapM'] as const) {
    if (params[key] !== undefined && (typeof params[key] !== 'number' || !((params[key] as number) > 0))) throw problem(`${key} must be a positive number`);
  }
  return params as unknown as CoverageJobParams;
}
