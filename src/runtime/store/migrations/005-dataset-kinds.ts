import type { Migration } from './index.ts';

/**
 * Two more kinds of stored dataset (issue 12), both JSON in the row like facilities and communities:
 *  - `homes`: where residents live (points or building footprints, tied to communities), which the
 *    coverage of a job or the nightly is measured from;
 *  - `declarations`: which programme and online items each community provides (rows of community,
 *    item, provided, source, date), read from JSON or CSV at upload.
 * The kind's CHECK is the column's own (PostgreSQL names it `datasets_kind_check`): replaced, not added to.
 */
export const datasetKinds: Migration = {
  version: 5,
  name: 'dataset-kinds',
  sql: /* sql */ `
ALTER TABLE datasets DROP CONSTRAINT datasets_kind_check;
ALTER TABLE datasets ADD CONSTRAINT datasets_kind_check
  CHECK (kind IN ('network', 'facilities', 'communities', 'homes', 'declarations'));
`,
};
