import type { Migration } from './index.ts';

/**
 * A run's report in pieces: a city's report is hundreds of megabytes of JSON, too much for one value
 * (the embedded store ran out of memory at 12,000 communities, JavaScript's strings at 40,000). Each
 * piece holds a range of communities — their reports and their geometry, gzip'd JSON — written by the
 * job as it goes, under its lease and tagged with the attempt that wrote it. A run names the attempt
 * whose pieces it is made of, so pieces of an attempt that crashed, or of a runner that lost its lease
 * and wrote on, are never read; they are deleted when the job completes, fails or is cancelled.
 *
 * Runs stored before this migration keep their whole report in `runs.report` (`attempt` NULL).
 */
export const runPieces: Migration = {
  version: 4,
  name: 'run-pieces',
  sql: /* sql */ `
ALTER TABLE runs ADD COLUMN attempt integer CHECK (attempt >= 1);
ALTER TABLE runs ADD COLUMN community_count integer CHECK (community_count >= 0);
-- In pieces exactly when both are known; runs.report then holds the report without its communities.
ALTER TABLE runs ADD CONSTRAINT runs_pieces_known CHECK ((attempt IS NULL) = (community_count IS NULL));

CREATE TABLE run_pieces (
  job_id      text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  -- The job's attempt (jobs.attempts when it was written): a run reads only its own attempt's pieces.
  attempt     integer NOT NULL CHECK (attempt >= 1),
  -- The communities [first, first + count) in the job's order.
  first       integer NOT NULL CHECK (first >= 0),
  count       integer NOT NULL CHECK (count >= 1),
  -- gzip'd JSON arrays: the communities' reports, and their geometries (GeoJSON) for the map.
  reports     bytea NOT NULL,
  geometries  bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job_id, attempt, first)
);
-- Already compressed: the store's own compression (pglz) would only spend time failing to shrink it.
ALTER TABLE run_pieces ALTER COLUMN reports SET STORAGE EXTERNAL;
ALTER TABLE run_pieces ALTER COLUMN geometries SET STORAGE EXTERNAL;
`,
};
