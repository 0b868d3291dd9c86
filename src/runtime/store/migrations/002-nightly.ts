import type { Migration } from './index.ts';

/**
 * The nightly command's bookkeeping (src/runtime/nightly): one row per configured nightly and date, one per
 * job of it. A run is complete exactly when its state says so, and it says so only once every step
 * succeeded; a step keeps, once done, what the next night needs to say what changed (the summary and
 * each community's statuses), so a crashed run resumes without recomputing it.
 */
export const nightly: Migration = {
  version: 2,
  name: 'nightly',
  sql: /* sql */ `
CREATE TABLE nightly_runs (
  id                text PRIMARY KEY,
  -- The config's name: several nightlies (a city's, a province's) may share one store.
  name              text NOT NULL,
  run_date          date NOT NULL,
  state             text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'superseded')),
  -- Invocations that worked on it: more than one means it was resumed.
  attempts          integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  -- host:pid of the process computing it, and until when it holds it (renewed while it works).
  lease_owner       text,
  lease_expires_at  timestamptz,
  jobs              jsonb NOT NULL,
  summary           jsonb,
  error             jsonb,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  finished_at       timestamptz,
  CHECK ((state = 'running') = (lease_owner IS NOT NULL)),
  CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL)),
  -- Complete exactly when it has its summary; a superseded run keeps whatever it had.
  CHECK (state = 'superseded' OR (state = 'succeeded') = (summary IS NOT NULL AND finished_at IS NOT NULL))
);
-- One live run per nightly and date: running it again finds it. --force supersedes it (kept for the record).
CREATE UNIQUE INDEX nightly_runs_one_per_date ON nightly_runs (name, run_date) WHERE state <> 'superseded';

CREATE TABLE nightly_steps (
  run_id       text NOT NULL REFERENCES nightly_runs (id) ON DELETE CASCADE,
  job          text NOT NULL,
  state        text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
  attempts     integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  -- What was read (files' sizes and times, dataset versions) and how: a step is reused only for the same.
  inputs       jsonb NOT NULL,
  summary      jsonb,
  -- Per community and standard: pass, share and each item's status, for the next night's diff.
  statuses     jsonb,
  changes      jsonb,
  files        jsonb,
  error        jsonb,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  PRIMARY KEY (run_id, job),
  CHECK ((state = 'succeeded') = (summary IS NOT NULL AND statuses IS NOT NULL AND finished_at IS NOT NULL))
);
`,
};
