/**
 * Errors the store raises on purpose (as opposed to a lost connection or a bug). The API maps the
 * codes to answers; the messages say what was found and what was expected.
 */
export type StoreErrorCode =
  /** The database was migrated by a newer build than this one. */
  | 'SCHEMA_TOO_NEW'
  /** Another process (or another store in this one) has the PGlite data directory open. */
  | 'STORE_LOCKED'
  /** A dataset's content does not fit its kind, or a replacement changes the kind. */
  | 'DATASET_KIND'
  /** The worker no longer holds the job: its lease expired and another worker took it, or it was cancelled. */
  | 'LEASE_LOST';

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}
