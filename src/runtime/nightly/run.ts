import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Clock, systemClock } from '../clock.ts';
import { computeCityCoverageOnThreads } from '../threads/city-workers.ts';
import type { CoverageReport } from '../../core/coverage/coverage.ts';
import type { CoverageSummary } from '../../core/coverage/summary.ts';
import { runDistributed } from '../distributed/coordinator.ts';
import { resolveStandards } from '../files/standards-catalogue.ts';
import { type Sql, openStore } from '../store/index.ts';
import { keepLease } from '../store/lease-keeper.ts';
import { SuspendableStore } from './suspendable-store.ts';
import { type NightlyConfig, type NightlyJob, nightlyLabel } from './config.ts';
import { type WrittenFile, removeStaleTemporaryFiles, writeJsonAtomic, writeReportFiles } from './files.ts';
import { collectGarbage } from './memory.ts';
import { type JobInputs, describeInput, fingerprint, loadInputs } from './inputs.ts';
import {
  type NightlyRun,
  type NightlyStep,
  beginRun,
  completeRun,
  completeStep,
  failRun,
  failStep,
  previousStep,
  renewLease,
  startStep,
} from './records.ts';
import { type ChangeCounts, type RunStatuses, countChanges, diffWithStatuses, statusesOf } from './statuses.ts';

/**
 * The nightly recomputation: every configured job's coverage, stored and written as files, and what
 * changed since the previous night.
 *
 *  - **Once per date.** The run of a (nightly name, date) is a row in the store; running again finds
 *    it complete and changes nothing (`force` supersedes it and computes anew).
 *  - **Resumable.** Each job is a step with a state. A run that crashed or failed is taken up again:
 *    its finished steps — same inputs, files still there — are kept, the others redone, and the
 *    temporary files a killed attempt left half-written are removed.
 *  - **Never half done.** A job's files are written atomically before its step is marked done;
 *    `<outDir>/<date>/nightly.json` is written, and the run marked complete, only once every job is.
 *  - A job that fails does not stop the others; the run then fails, naming each failed job.
 */
export interface NightlyEvents {
  /** A line for the person watching (or the cron mail). */
  note?(message: string): void;
  /** The whole run's progress, 0…1, and what is being done. */
  progress?(fraction: number, doing: string): void;
}

export interface NightlyOptions {
  /** Recompute a date that is already complete (its run is kept as superseded). */
  force?: boolean;
  events?: NightlyEvents;
  /** The run's lease: renewed every third of it; another process takes a crashed run over once it expires. */
  leaseMs?: number;
  /** Time for the lease and its renewal (default the system's; tests pass one they move). */
  clock?: Clock;
}

export interface NightlyJobSummary {
  name: string;
  /** Kept from an earlier attempt of this run (it had crashed or failed after this job finished). */
  reused: boolean;
  communities: { total: number; urban: number; rural: number };
  facilities: number;
  standards: { standardId: string; communities: number; passing: number; share: number; target?: number }[];
  previous: { runId: string; date: string } | null;
  changes: ChangeCounts | null;
  files: Record<string, string>;
  computeMs: number;
}

export interface NightlySummary {
  name: string;
  date: string;
  runId: string;
  attempts: number;
  finishedAt: string;
  jobs: NightlyJobSummary[];
}

export type NightlyOutcome =
  | { kind: 'existing'; run: NightlyRun; summary: NightlySummary }
  | { kind: 'completed'; resumed: boolean; superseded?: string; summary: NightlySummary };

/** A run in which some jobs failed: it is recorded as failed, and the next invocation resumes it. */
class NightlyFailedError extends Error {
  override readonly name = 'NightlyFailedError';
  constructor(
    message: string,
    readonly failures: { job: string; message: string }[],
  ) {
    super(message);
  }
}

const DEFAULT_LEASE_MS = 5 * 60_000;

export async function runNightly(config: NightlyConfig, options: NightlyOptions = {}): Promise<NightlyOutcome> {
  const sql = new SuspendableStore(await openStore(config.store), () => openStore(config.store));
  try {
    return await runWithStore(sql, config, options);
  } finally {
    await sql.close();
  }
}

async function runWithStore(sql: Sql, config: NightlyConfig, options: NightlyOptions): Promise<NightlyOutcome> {
  const note = options.events?.note ?? (() => {});
  const label = nightlyLabel(config.name, config.date);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const clock = options.clock ?? systemClock;
  const began = await beginRun(sql, { name: config.name, date: config.date, jobs: config.jobs.map((j) => j.name), force: options.force ?? false, leaseMs, clock });
  if (began.kind === 'existing') return { kind: 'existing', run: began.run, summary: began.run.summary as NightlySummary };

  const { run, steps } = began;
  const dateDir = join(config.outDir, config.date);
  const marker = join(dateDir, 'nightly.json');
  // Whatever an earlier (superseded or failed) run left: the date is not complete until this run says so.
  rmSync(marker, { force: true });
  const stale = removeStaleTemporaryFiles(dateDir);
  if (stale.length > 0) note(`${label}: removed ${stale.length} half-written temporary file${stale.length === 1 ? '' : 's'} an earlier attempt left (${stale.map((f) => relative(dateDir, f)).join(', ')})`);
  if (began.kind === 'resumed') note(`${label}: resuming run ${run.id} (attempt ${run.attempts})`);
  else note(`${label}: run ${run.id}${began.superseded ? ` (supersedes ${began.superseded}, --force)` : ''}`);

  const lease = keepLease({
    renew: () => renewLease(sql, run.id, leaseMs, clock),
    everyMs: Math.max(1000, leaseMs / 3),
    onLost: () => undefined, // looked at after each job: the job in hand finishes, its files are atomic
    onError: (err) => note(`nightly: could not renew the lease (${(err as Error).message}); retrying`),
    clock,
    unref: true,
  });
  try {
    const summaries: NightlyJobSummary[] = [];
    const failures: { job: string; message: string }[] = [];
    for (const [k, job] of config.jobs.entries()) {
      const progress = (fraction: number, doing: string) =>
        options.events?.progress?.((k + Math.min(1, Math.max(0, fraction))) / config.jobs.length, `${job.name}: ${doing}`);
      try {
        summaries.push(await runStep(sql, config, run, job, steps.get(job.name), progress, note));
      } catch (err) {
        const message = (err as Error).message;
        failures.push({ job: job.name, message });
        note(`job ${job.name}: failed: ${message}`);
        await failStep(sql, run.id, job.name, { message }).catch(() => undefined);
      }
      if (lease.lost) throw new Error(`nightly run ${run.id}: another process took it over (this one's lease expired); stopping`);
    }
    if (failures.length > 0) {
      const message = `${label}: ${failures.length} of ${config.jobs.length} jobs failed (${failures.map((f) => f.job).join(', ')}); the run is incomplete and the next invocation resumes it`;
      await failRun(sql, run.id, { message, failures });
      throw new NightlyFailedError(message, failures);
    }
    const summary: NightlySummary = {
      name: config.name,
      date: config.date,
      runId: run.id,
      attempts: run.attempts,
      finishedAt: new Date().toISOString(),
      jobs: summaries,
    };
    writeJsonAtomic(marker, summary);
    await completeRun(sql, run.id, summary);
    options.events?.progress?.(1, 'done');
    return { kind: 'completed', resumed: began.kind === 'resumed', ...(began.superseded ? { superseded: began.superseded } : {}), summary };
  } catch (err) {
    if (!(err instanceof NightlyFailedError)) await failRun(sql, run.id, { message: (err as Error).message }).catch(() => undefined);
    throw err;
  } finally {
    lease.stop();
  }
}

/** One job: kept from an earlier attempt when nothing it depends on changed, else computed, written and recorded. */
async function runStep(
  sql: Sql,
  config: NightlyConfig,
  run: NightlyRun,
  job: NightlyJob,
  earlier: NightlyStep | undefined,
  progress: (fraction: number, doing: string) => void,
  note: (message: string) => void,
): Promise<NightlyJobSummary> {
  const dir = join(config.outDir, config.date, job.name);
  const { inputs, hash } = await fingerprint(job, sql);
  if (earlier?.state === 'succeeded') {
    const kept = earlier.files as NightlyJobSummary & { summary?: unknown };
    const files = Object.values(kept.files ?? {});
    const sameInputs = (earlier.inputs as { hash?: string } | null)?.hash === hash;
    if (sameInputs && files.length > 0 && files.every((f) => existsSync(f))) {
      note(`job ${job.name}: done in an earlier attempt of this run, kept`);
      progress(1, 'kept');
      return { ...kept, reused: true };
    }
    note(`job ${job.name}: done in an earlier attempt, but ${sameInputs ? 'its files are gone' : 'its inputs changed since'}: computing it again`);
  }

  await startStep(sql, run.id, job.name, inputs);
  // Read now: the store is closed from the computation until the report's files are written.
  const before = await previousStep(sql, config.name, config.date, job.name);
  const previous = before ? { runId: before.runId, date: before.date } : null;
  const { result, computeMs } = await computeReport(sql, config, job, `${run.id}-${job.name}-${hash}`, progress, note, (report, communities, problems) => {
    progress(0.85, 'writing files');
    const reportFiles = writeReportFiles(dir, report, communities, {
      job: job.name,
      date: config.date,
      runId: run.id,
      inputs,
      facilities: { count: report.facilities.count, unplaced: report.facilities.unplaced.length },
      problems,
      summary: report.summary,
    });
    collectGarbage();
    progress(0.95, 'comparing with the previous run');
    const diff = before ? diffWithStatuses(before.statuses as RunStatuses, before.summary as CoverageSummary, report) : null;
    const changes = diff ? countChanges(diff) : null;
    const written: Record<string, WrittenFile> = {
      ...reportFiles,
      changes: writeJsonAtomic(join(dir, 'changes.json'), { job: job.name, date: config.date, previous, ...(diff ?? { changed: [], added: [], removed: [], shares: [] }), counts: changes }),
    };
    // What the step keeps: the report itself goes out of reach with this function.
    return { written, changes, statuses: statusesOf(report), reportSummary: report.summary, facilityCount: report.facilities.count };
  });
  const { written, changes, statuses, reportSummary } = result;
  const summary: NightlyJobSummary = {
    name: job.name,
    reused: false,
    communities: reportSummary.communities,
    facilities: result.facilityCount,
    standards: reportSummary.standards.map((s) => ({
      standardId: s.standardId,
      communities: s.communities,
      passing: s.passing,
      share: s.share,
      ...(s.target ? { target: s.target.share } : {}),
    })),
    previous,
    changes,
    files: Object.fromEntries(Object.entries(written).map(([k, f]) => [k, f.file])),
    computeMs,
  };
  await holdForTests(job.name, note);
  progress(0.97, 'storing the run');
  // The job summary rides along in `files`, so a resumed run can report a kept step without its report.
  await completeStep(sql, run.id, job.name, { summary: reportSummary, statuses, changes, files: summary });
  progress(1, 'done');
  return summary;
}

/**
 * Reads the job's inputs, computes its report and hands it to `use` (which writes the files and
 * keeps what the step records). With the embedded store, the store is closed from the computation
 * until `use` is done; the inputs (the graph: 150 MB on a 1M-edge city) and the report (~300 MB) are
 * out of reach by then and collected before the store's memory comes back.
 */
async function computeReport<T>(
  sql: Sql,
  config: NightlyConfig,
  job: NightlyJob,
  queueRunId: string,
  progress: (fraction: number, doing: string) => void,
  note: (message: string) => void,
  use: (report: CoverageReport, communities: JobInputs['communities'], problems: JobInputs['problems']) => T,
): Promise<{ result: T; computeMs: number }> {
  progress(0, `reading ${describeInput(job.network)}, ${describeInput(job.communities)}, ${describeInput(job.facilities)}`);
  // Held in a box the computation empties, so that once it returns nothing refers to them.
  const loaded: { inputs?: JobInputs } = { inputs: await loadInputs(job, sql) };
  const { problems } = loaded.inputs!;
  if (problems.communities > 0) note(`job ${job.name}: ${problems.communities} communities could not be read (first: ${problems.firstCommunityProblem})`);
  if (problems.facilities > 0 || problems.unmappedFacilities > 0) {
    note(`job ${job.name}: ${problems.facilities} facilities could not be read, ${problems.unmappedFacilities} have no category the standards know`);
  }
  if (problems.declarations) note(`job ${job.name}: ${problems.declarations} declaration rows not applied (first: ${problems.firstDeclarationProblem})`);
  if (problems.homes) note(`job ${job.name}: ${problems.homes} homes not used (first: ${problems.firstHomeProblem})`);
  const standards = resolveStandards(job.standards);
  const travel = { mode: job.mode, minutes: job.minutes, speedKmh: job.speedKmh, maxSnapM: job.maxSnapM, metShare: job.metShare, origin: job.origin };
  const computing = (done: number, total: number) => progress(0.1 + (0.75 * done) / Math.max(1, total), `computing (${done}/${total} ${job.distributed ? 'partitions' : 'searches'})`);
  const computeAndUse = async () => {
    const { graph, communities, facilities, declarations } = loaded.inputs!;
    loaded.inputs = undefined;
    // Partitions carry no declarations yet: refused rather than computed as if none were given.
    if (job.distributed && declarations) throw new Error(`job ${job.name}: declarations cannot be used with distributed yet; run the job without distributed`);
    progress(0.1, `computing coverage of ${communities.length} communities, ${facilities.length} facilities`);
    collectGarbage();
    const started = performance.now();
    const report = await (job.distributed
      ? runDistributed(
          { graph, communities, facilities, standards, travel },
          {
            databaseUrl: job.distributed.databaseUrl,
            // One queue run per nightly run, job and inputs: a resumed nightly resumes it, changed inputs start another.
            runId: queueRunId,
            partitions: job.distributed.gridKm !== undefined ? { gridKm: job.distributed.gridKm } : {},
            ...(job.distributed.timeoutMinutes !== undefined ? { timeoutMs: job.distributed.timeoutMinutes * 60_000 } : {}),
            onProgress: ({ done, total }) => computing(done, total),
          },
        )
      : computeCityCoverageOnThreads(graph, communities, facilities, standards, {
          ...travel,
          ...(declarations ? { declarations: declarations.byCommunity } : {}),
          detail: job.detail,
          ...(config.threads !== undefined ? { threads: config.threads } : {}),
          onProgress: computing,
          whileAssembling: collectGarbage,
        }));
    const computeMs = Math.round(performance.now() - started);
    collectGarbage();
    return { result: use(report, communities, problems), computeMs };
  };
  const work = async () => {
    const done = await computeAndUse();
    collectGarbage(); // the inputs and the report, now out of reach
    return done;
  };
  return sql instanceof SuspendableStore ? await sql.closedDuring(work) : await work();
}

/**
 * Test hook: `LIFECIRCLE_NIGHTLY_HOLD_BEFORE_STORING=<job>` stops the run when that job's files are
 * written but its step is not yet recorded as done, until the process is killed: the crash test's
 * worst moment (earlier jobs done, this one's files new but unaccounted for).
 */
async function holdForTests(job: string, note: (message: string) => void): Promise<void> {
  if (process.env.LIFECIRCLE_NIGHTLY_HOLD_BEFORE_STORING !== job) return;
  note(`job ${job}: holding before storing it (LIFECIRCLE_NIGHTLY_HOLD_BEFORE_STORING) until killed`);
  await new Promise(() => setInterval(() => {}, 60_000));
}
