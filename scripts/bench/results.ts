/**
 * Benchmark results as committed files: every `npm run bench*` suite writes
 * `bench/results/<suite>.json` with what it measured and the conditions it measured under (commit,
 * whether the tree had uncommitted changes, machine, Node, load average before and after), and each
 * figure with its spread over the runs that made it. docs/performance.md is generated from these
 * files (scripts/bench/performance-doc.ts), never copied by hand.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = join(ROOT, 'bench/results');

/** A measured quantity: the median of its runs, with the least and greatest. */
export interface Figure {
  value: number;
  min: number;
  max: number;
  runs: number;
  unit: string;
}

/** One table of the report: a title, its columns, and rows of cells (text, or figures). */
export interface ResultTable {
  title: string;
  columns: string[];
  rows: (string | number | Figure)[][];
  /** What the reader should know to read it (how measured, what the target means). */
  note?: string;
}

export interface BenchConditions {
  commit: string;
  /** The tree had uncommitted changes: the figures are of the commit plus those. */
  dirty: boolean;
  machine: { cpus: number; model: string; memoryGiB: number };
  node: string;
  startedAt: string;
  finishedAt: string;
  /** 1-minute load average at the start and the end: a busy machine reads slower. */
  load: { before: number; after: number };
  /** The command line's arguments (`--only`, sizes…). */
  args: string[];
}

export interface BenchResults {
  suite: string;
  title: string;
  conditions: BenchConditions;
  tables: ResultTable[];
  /** Every raw number the tables were made of, for whoever wants to compute something else. */
  raw: unknown;
}

/** Runs of one quantity as a figure (median of an odd count, the lower middle of an even one). */
export function figure(samples: number[], unit: string, digits = 1): Figure {
  if (samples.length === 0) throw new Error('figure: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10 ** digits) / 10 ** digits;
  return { value: r(sorted[Math.floor((sorted.length - 1) / 2)]), min: r(sorted[0]), max: r(sorted[sorted.length - 1]), runs: sorted.length, unit };
}

export function isFigure(cell: unknown): cell is Figure {
  return typeof cell === 'object' && cell !== null && 'value' in cell && 'runs' in cell && 'unit' in cell;
}

/** Starts a suite: records the conditions now; `finish` adds the end and writes the file. */
export function startBench(suite: string, title: string): { finish(tables: ResultTable[], raw: unknown): string } {
  const startedAt = new Date().toISOString();
  const loadBefore = round2(loadavg()[0]);
  const { commit, dirty } = gitState();
  return {
    finish(tables, raw) {
      const results: BenchResults = {
        suite,
        title,
        conditions: {
          commit,
          dirty,
          machine: { cpus: cpus().length, model: cpus()[0]?.model.trim() ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30) },
          node: process.version,
          startedAt,
          finishedAt: new Date().toISOString(),
          load: { before: loadBefore, after: round2(loadavg()[0]) },
          args: process.argv.slice(2),
        },
        tables,
        raw,
      };
      mkdirSync(RESULTS_DIR, { recursive: true });
      const file = join(RESULTS_DIR, `${suite}.json`);
      writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
      console.error(`bench: wrote ${file} (commit ${commit.slice(0, 7)}${dirty ? ', uncommitted changes' : ''}; regenerate the docs with npm run bench:docs)`);
      return file;
    },
  };
}

function gitState(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    // bench/results itself does not count: writing results must not make the next run "dirty".
    const status = execFileSync('git', ['status', '--porcelain', '--', '.', ':!bench/results'], { cwd: ROOT, encoding: 'utf8' });
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return { commit: 'unknown', dirty: true };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
