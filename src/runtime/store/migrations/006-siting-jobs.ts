import type { Migration } from './index.ts';

/**
 * Siting jobs (issue 15): a job of kind `siting` over stored datasets, whose run holds the siting
 * answer whole (its sites and communities; no pieces). A run says its kind, copied from its job, so
 * that reading it back (GET /v1/runs/:id) renders the right answer without asking the jobs table.
 * The jobs' kind CHECK is the column's own (`jobs_kind_check`): replaced, not added to.
 */
export const sitingJobs: Migration = {
  version: 6,
  name: 'siting-jobs',
  sql: /* sql */ `
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN ('coverage', 'siting'));
ALTER TABLE runs ADD COLUMN kind text NOT NULL DEFAULT 'coverage' CHECK (kind IN ('coverage', 'siting'));
`,
};
