import { join } from 'node:path';
import { nightlyLabel, readNightlyConfig } from '../../../runtime/nightly/config.ts';
import { type NightlyJobSummary, type NightlyOutcome, runNightly } from '../../../runtime/nightly/run.ts';
import type { Command } from '../command.ts';
import { createProgress } from '../progress.ts';
import { required } from '../io.ts';

export const nightlyCommand: Command = {
  name: 'nightly',
  help: `usage: lifecircle nightly --config <file.json> [--date YYYY-MM-DD] [--force]

Recomputes the coverage of every job of the config (a city or district: network, communities,
facilities, standards), stores the run, writes the files and says what changed since the previous
run: communities that gained or lost a standard, items gained or lost, the city shares then and now.

  <outDir>/<date>/<job>/coverage.geojson   the communities coloured by the share of items met
  <outDir>/<date>/<job>/coverage.csv       one row per community × standard × item
  <outDir>/<date>/<job>/summary.json       the city summary against the targets
  <outDir>/<date>/<job>/changes.json       what changed since the previous run of the job
  <outDir>/<date>/nightly.json             written last, only when every job is done

Once per date: run again, it reports the run already done and computes nothing (exit 0). After a
crash or a failed job, running it again resumes the run: finished jobs are kept, the rest redone.
Progress goes to stderr (a bar on a terminal, plain lines otherwise), the summary to stdout. Exits
1 when a job fails (the others still run), 2 for a bad config. The config format is in docs/nightly.md.

options:
  --config <file>   the nightly's JSON config (required)
  --date <date>     the date to compute (default: the config's "date", else today, local time)
  --force           recompute a date already complete (the earlier run is kept as superseded)
  -h, --help        this help`,
  options: {
    config: { type: 'string' },
    date: { type: 'string' },
    force: { type: 'boolean' },
  },
  positionals: 0,
  async run(values) {
    const configFile = required(values.config as string | undefined, '--config');
    const config = readNightlyConfig(configFile, { date: values.date as string | undefined });
    const progress = createProgress();
    let outcome: NightlyOutcome;
    try {
      outcome = await runNightly(config, { force: values.force === true, events: { note: progress.note, progress: progress.update } });
    } finally {
      progress.finish();
    }
    process.stdout.write(`${describeOutcome(outcome, join(config.outDir, config.date))}\n`);
  },
};

/** What the run did and what changed, for a person (the cron mail). */
function describeOutcome(outcome: NightlyOutcome, dateDir: string): string {
  const { summary } = outcome;
  const label = nightlyLabel(summary.name, summary.date);
  const head =
    outcome.kind === 'existing'
      ? `${label}: already complete (run ${summary.runId}, finished ${summary.finishedAt}); nothing recomputed (--force recomputes it)`
      : `${label}: complete (run ${summary.runId}${outcome.resumed ? `, resumed: attempt ${summary.attempts}` : ''}${outcome.superseded ? `, supersedes ${outcome.superseded}` : ''}) → ${dateDir}`;
  return [head, ...summary.jobs.flatMap(describeJob)].join('\n');
}

function describeJob(job: NightlyJobSummary): string[] {
  const { total, urban, rural } = job.communities;
  const lines = [
    `${job.name}: ${total} communities (${urban} urban, ${rural} rural), ${job.facilities} facilities${job.reused ? ' (kept from an earlier attempt)' : `, ${(job.computeMs / 1000).toFixed(1)} s`}`,
  ];
  const changes = job.changes;
  const then = new Map(changes?.shares.map((s) => [s.standardId, s]) ?? []);
  for (const s of job.standards) {
    if (s.communities === 0) continue;
    const now = `${s.passing}/${s.communities} = ${percent(s.share)}`;
    const before = then.get(s.standardId);
    const target = s.target !== undefined ? ` (target ${percent(s.target)})` : '';
    lines.push(`  ${s.standardId}: ${before ? `${before.passingBefore} → ${before.passingAfter} communities, ${percent(before.before)} → ${percent(before.after)}` : now}${target}`);
  }
  if (!job.previous || !changes) {
    lines.push('  no previous run of this job to compare with');
    return lines;
  }
  lines.push(
    `  since ${job.previous.date}: ${changes.communitiesLosingStandards} communities lost a standard, ${changes.communitiesGainingStandards} gained one; ` +
      `${changes.communitiesLosingItems} communities lost items, ${changes.communitiesGainingItems} gained items` +
      `${changes.added || changes.removed ? `; ${changes.added} communities new, ${changes.removed} gone` : ''}`,
  );
  const top = (list: typeof changes.mostLost) => list.slice(0, 5).map((i) => `${i.en} / ${i.zh} (${i.communities})`).join(', ');
  if (changes.mostLost.length > 0) lines.push(`  items lost most: ${top(changes.mostLost)}`);
  if (changes.mostGained.length > 0) lines.push(`  items gained most: ${top(changes.mostGained)}`);
  for (const v of changes.verdicts.slice(0, 5)) {
    lines.push(`  ${v.status} ${v.standardId}: ${v.name ? `${v.name} (${v.communityId})` : v.communityId}${v.items.length > 0 ? `, ${v.status === 'lost' ? 'losing' : 'gaining'} ${v.items.join(', ')}` : ''}`);
  }
  const more = changes.communitiesLosingStandards + changes.communitiesGainingStandards - Math.min(5, changes.verdicts.length);
  if (more > 0) lines.push(`  … all of them in changes.json`);
  return lines;
}

function percent(share: number): string {
  return `${+(share * 100).toFixed(1)}%`;
}
