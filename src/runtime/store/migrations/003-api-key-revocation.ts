import type { Migration } from './index.ts';

/**
 * Keys can be disabled without losing what they own: API_KEYS is the truth at each start (a stored
 * key it no longer lists is disabled, one listed again is enabled), and `lifecircle keys revoke`
 * disables one at once. Deleting the row instead would cascade to the key's datasets, jobs and runs.
 */
export const apiKeyRevocation: Migration = {
  version: 3,
  name: 'api key revocation',
  sql: /* sql */ `
ALTER TABLE api_keys ADD COLUMN disabled_at timestamptz;
`,
};
