import type { Migration } from './index.ts';

/**
 * API keys, stored datasets, coverage jobs and their runs. The invariants the code relies on are
 * CHECK constraints, so a bug cannot store a half-done state that later reads as a finished one.
 */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: /* sql */ `
CREATE TABLE api_keys (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  -- sha-256 of the key, hex. The key itself is shown once at creation and never stored.
  key_hash    text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE datasets (
  id            text PRIMARY KEY,
  owner         text NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('network', 'facilities', 'communities')),
  name          text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  -- Bumped on every replace, so a run can name exactly what it read.
  version       integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  counts        jsonb NOT NULL DEFAULT '{}',
  -- [west, south, east, north], WGS84; NULL when empty.
  bbox          jsonb,
  report        jsonb NOT NULL DEFAULT '{}',
  -- Facilities and communities as GeoJSON.
  payload       jsonb,
  -- Networks: the compiled .lcg on disk (too big for a row, and it loads without parsing).
  graph_file    text,
  source_bytes  bigint NOT NULL DEFAULT 0 CHECK (source_bytes >= 0),
  CHECK (CASE WHEN kind = 'network' THEN graph_file IS NOT NULL AND payload IS NULL
              ELSE graph_file IS NULL AND payload IS NOT NULL END)
);
CREATE INDEX datasets_by_owner ON datasets (owner, created_at DESC);

CREATE TABLE jobs (
  id                text PRIMARY KEY,
  owner             text NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  kind              text NOT NULL CHECK (kind IN ('coverage')),
  params            jsonb NOT NULL,
  state             text NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress          jsonb NOT NULL DEFAULT '{"done": 0, "total": 0}',
  -- Claims so far; a job whose worker keeps dying fails after max_attempts instead of looping.
  attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts      integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
  lease_owner       text,
  lease_expires_at  timestamptz,
  error             jsonb,
  run_id            text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  -- Only a running job has a lease, and it always has one: a crashed worker's job is found by it.
  CHECK ((state = 'running') = (lease_owner IS NOT NULL)),
  CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL)),
  -- A job has succeeded exactly when its run exists.
  CHECK ((state = 'succeeded') = (run_id IS NOT NULL))
);
CREATE INDEX jobs_by_owner ON jobs (owner, created_at DESC);
CREATE INDEX jobs_claimable ON jobs (created_at) WHERE state IN ('queued', 'running');

CREATE TABLE runs (
  id           text PRIMARY KEY,
  owner        text NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  -- Exactly one run per job, inserted in the transaction that marks the job succeeded.
  job_id       text NOT NULL UNIQUE REFERENCES jobs (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  params       jsonb NOT NULL,
  summary      jsonb NOT NULL,
  report       jsonb NOT NULL,
  communities  jsonb NOT NULL
);
CREATE INDEX runs_by_owner ON runs (owner, created_at DESC);
`,
};
