/**
 * Errors the store raises on purpose (as opposed to a bug). The API maps the codes to answers; the
 * messages say what was found and what was expected. A lost or refused connection is recognised here,
 * in one place (`storeErrorOf`), and becomes STORE_UNAVAILABLE: the backends translate what their
 * driver throws, so callers switch on one code instead of on driver details.
 */
export type StoreErrorCode =
  /** The database was migrated by a newer build than this one. */
  | 'SCHEMA_TOO_NEW'
  /** Another process (or another store in this one) has the PGlite data directory open. */
  | 'STORE_LOCKED'
  /** A dataset's content does not fit its kind, or a replacement changes the kind. */
  | 'DATASET_KIND'
  /** The worker no longer holds the job: its lease expired and another worker took it, or it was cancelled. */
  | 'LEASE_LOST'
  /**
   * The database does not answer: refused or lost connections, a server shutting down or starting
   * up, a pool that cannot connect in time, an embedded store that is closed. Retrying later may
   * succeed; the request or job itself is not at fault.
   */
  | 'STORE_UNAVAILABLE';

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/**
 * What to throw for `err`, raised by a backend's driver: STORE_UNAVAILABLE (with `err` as its cause)
 * when it says the database cannot be reached, else `err` itself. The message names the kind of
 * outage only — never a host or a password — so it may be answered and logged as is.
 */
export function storeErrorOf(err: unknown): unknown {
  if (err instanceof StoreError) return err;
  const reason = unavailableBecause(err);
  return reason === undefined ? err : new StoreError('STORE_UNAVAILABLE', `the store is unavailable: ${reason}`, { cause: err });
}

/** Whether `err` (translated or not) says the store is unavailable. */
export function isStoreUnavailable(err: unknown): boolean {
  return err instanceof StoreError ? err.code === 'STORE_UNAVAILABLE' : unavailableBecause(err) !== undefined;
}

/**
 * Why the database cannot be reached, in a few words, or undefined when `err` is something else (a
 * constraint, a syntax error, a bug: those stay what they are). Socket errors by errno; PostgreSQL's
 * by SQLSTATE — class 08 (connection exception), 57P01–57P03 (admin or crash shutdown, cannot connect
 * now), 53300 (too many connections); node-postgres and PGlite by message, as they carry no code.
 */
export function unavailableBecause(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    const known = SOCKET_ERRORS[code] ?? SQLSTATES[code];
    if (known) return known;
    if (/^08[0-9A-Z]{3}$/.test(code)) return 'the connection failed';
  }
  // Node's happy-eyeballs connect (several addresses) fails with an AggregateError of socket errors.
  if (err instanceof AggregateError) {
    for (const inner of err.errors) {
      const reason = unavailableBecause(inner);
      if (reason) return reason;
    }
  }
  if (typeof message === 'string') {
    for (const [pattern, reason] of MESSAGES) if (pattern.test(message)) return reason;
  }
  return undefined;
}

const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection lost',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
};

const SQLSTATES: Record<string, string> = {
  '57P01': 'the database server is shutting down',
  '57P02': 'the database server is restarting after a crash',
  '57P03': 'the database server is not accepting connections yet',
  '53300': 'the database server has too many connections',
};

const MESSAGES: readonly [RegExp, string][] = [
  // node-postgres: a socket that closed under a query, or a client whose connection already failed.
  [/^Connection terminated/, 'connection lost'],
  [/^Client has encountered a connection error/, 'connection lost'],
  // node-postgres's pool: `connectionTimeoutMillis` passed without a connection.
  [/^timeout exceeded when trying to connect/, 'no connection within the connect timeout'],
  [/^Cannot use a pool after calling end/, 'it was closed'],
  // PGlite: queries after (or during) close.
  [/^PGlite is clos(ed|ing)/, 'it was closed'],
];
