import { type Clock, leaseNow, systemClock } from '../clock.ts';
import { StoreError } from './errors.ts';
import { type Queryable, type Sql, jsonParam } from './sql.ts';

/**
 * Leased work: rows that one holder at a time works on, "mine until T" on the database's clock (or on
 * the `clock` a test passes: src/runtime/clock.ts). The one implementation of claim, renew, complete, fail and
 * give back, for every table that is worked on this way — API jobs (`jobs`, job-leases.ts) and the
 * nightly's runs (`nightly_runs`, src/runtime/nightly/records.ts) — each described by a `LeaseTable`.
 *
 * The guarantees (test/store/leases.test.ts, on PGlite and PostgreSQL, for each table):
 *  - two claimers never both hold a row: every claim is one atomic statement, and a queue's claim
 *    passes over a row another claimer has locked (`FOR UPDATE SKIP LOCKED`) instead of taking it too;
 *  - a lapsed lease is reclaimable: a holder that died stops holding once its lease runs out;
 *  - every call after the claim names the holder and does nothing unless it still holds the row, so a
 *    holder presumed dead that comes back cannot overwrite its successor's work, and a result is
 *    written once: `complete` ends the lease and writes the result in one transaction;
 *  - a holder may give a row back (a graceful shutdown): claimable at once, the attempt not counted;
 *  - a table with an attempts limit fails a row whose holders keep dying (INTERRUPTED) instead of
 *    handing it out forever.
 *
 * The tables differ in what they hold (a job's progress and run, a nightly's steps and summary) and
 * how their rows are found (the oldest queued job; the run of a nightly and date): migrating them into
 * one table would move stored data for no gain, so the table and its states are parameters instead.
 * pg-boss, where several machines share a partition queue, implements the holder's side of the same
 * contract (`LeasedQueue`, src/runtime/distributed/queue.ts).
 */
export interface LeaseTable {
  /**
   * The table. Its rows have `id`, `state`, `attempts`, `lease_owner`, `lease_expires_at`, `error`
   * (jsonb), `created_at` and `updated_at`, and a CHECK that a row is `held` exactly when it has a
   * lease. Names and states are the code's own constants, never input: they are written into the SQL.
   */
  table: string;
  /** What a row is called in messages: 'job', 'nightly run'. */
  noun: string;
  /** The state of a row while a holder has it. */
  held: string;
  /** The state of a row waiting to be claimed (a queue's), where a given-back row returns; none when rows are claimed by id only. */
  waiting?: string;
  /** Ended states a claim by id takes up again (a failed nightly run is resumed). */
  resumable?: readonly string[];
  /** The state of a failed row. */
  failed: string;
  /** The column limiting a row's claims; none: a row may be claimed any number of times. */
  maxAttempts?: string;
}

/**
 * The holder's side of leased work, whatever keeps the rows: the store's tables (job-leases.ts) or
 * pg-boss (src/runtime/distributed/queue.ts). Every call after `claim` returns false (or throws LEASE_LOST,
 * for `complete`) once the holder no longer holds the item.
 */
export interface LeasedQueue<Item, Result, Done = void> {
  /** The next item, now held by `holder` for `leaseMs`; null when there is none to claim. */
  claim(holder: string, leaseMs: number): Promise<Item | null>;
  renew(item: Item, holder: string, leaseMs: number): Promise<boolean>;
  /** Ends the lease with the item's result, written exactly once. */
  complete(item: Item, holder: string, result: Result): Promise<Done>;
  /**
   * Ends the holder's attempt with an error. The store's queues end the item for good (running it
   * again would fail again); pg-boss retries a partition up to its retryLimit, as a machine's failure
   * need not be another's (src/runtime/distributed/queue.ts).
   */
  fail(item: Item, holder: string, error: { code: string; message: string }): Promise<boolean>;
  /** Ends the lease at once, the item claimable again (a graceful shutdown). */
  giveBack(item: Item, holder: string): Promise<boolean>;
}

/** The code a row failed with when its holders kept dying until its attempts were used up. */
const INTERRUPTED = 'INTERRUPTED';

/**
 * Columns a lease statement sets besides the lease's own: values are bound as parameters, `json(v)`
 * as jsonb, `sqlExpr(…)` written as is (an expression of the row's own columns).
 */
export type Assignments = Readonly<Record<string, unknown>>;

export function json(value: unknown): JsonValue {
  return new JsonValue(value);
}

export function sqlExpr(sql: string): SqlExpr {
  return new SqlExpr(sql);
}

/**
 * Claims the oldest claimable row — waiting, or held under a lapsed lease with attempts left — for
 * `holder`, or returns null (`claimed`). Rows whose lease lapsed with their attempts used up are failed
 * first (`exhausted`, for the caller to clean up after).
 */
export async function claimNext<Row>(
  db: Queryable,
  t: LeaseTable,
  holder: string,
  leaseMs: number,
  clock: Clock = systemClock,
  options: { set?: Assignments } = {},
): Promise<{ claimed: Row | null; exhausted: string[] }> {
  checkLease(leaseMs);
  const now = leaseNow(clock);
  const exhausted = t.maxAttempts
    ? await db.query<{ id: string }>(
        `UPDATE ${t.table}
         SET state = '${t.failed}', lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),
             error = jsonb_build_object('code', '${INTERRUPTED}', 'message',
               'the worker stopped ' || attempts || ' times without finishing (lease expired); giving up')
         WHERE state = '${t.held}' AND ${lapsed('$1')} AND attempts >= ${t.maxAttempts}
         RETURNING id`,
        [now],
      )
    : [];
  const params: unknown[] = [holder, leaseMs, now];
  const [row] = await db.query<Row>(
    `WITH next AS (
       SELECT id FROM ${t.table}
       WHERE ${t.waiting ? `state = '${t.waiting}' OR ` : ''}(state = '${t.held}' AND ${lapsed('$3')}${t.maxAttempts ? ` AND attempts < ${t.maxAttempts}` : ''})
       ORDER BY created_at, id
       LIMIT 1
       FOR UPDATE SKIP LOCKED
     )
     UPDATE ${t.table}
     SET state = '${t.held}', attempts = ${t.table}.attempts + 1, lease_owner = $1, lease_expires_at = ${leaseUntil('$3', '$2')},
         updated_at = now()${assign(options.set, params)}
     FROM next WHERE ${t.table}.id = next.id
     RETURNING ${t.table}.*`,
    params,
  );
  return { claimed: row ?? null, exhausted: exhausted.map((r) => r.id) };
}

/**
 * Claims the row `id` for `holder` — waiting, resumable, or held under a lapsed lease — or returns
 * null when another holder has it. `takeOver`: the caller knows the holder is gone although its lease
 * has not run out (its process no longer exists), and takes the row at once.
 */
export async function claimById<Row>(
  db: Queryable,
  t: LeaseTable,
  id: string,
  holder: string,
  leaseMs: number,
  clock: Clock = systemClock,
  options: { set?: Assignments; takeOver?: boolean; returning?: string } = {},
): Promise<Row | null> {
  checkLease(leaseMs);
  const params: unknown[] = [id, holder, leaseMs, leaseNow(clock), options.takeOver ?? false];
  const from = [t.waiting, ...(t.resumable ?? [])].filter((s) => s !== undefined).map((s) => `'${s}'`);
  const [row] = await db.query<Row>(
    `UPDATE ${t.table}
     SET state = '${t.held}', attempts = attempts + 1, lease_owner = $2, lease_expires_at = ${leaseUntil('$4', '$3')},
         updated_at = now()${assign(options.set, params)}
     WHERE id = $1 AND (${from.length > 0 ? `state IN (${from.join(', ')}) OR ` : ''}(state = '${t.held}' AND (${lapsed('$4')} OR $5::boolean)))
       ${t.maxAttempts ? `AND attempts < ${t.maxAttempts}` : ''}
     RETURNING ${options.returning ?? '*'}`,
    params,
  );
  return row ?? null;
}

/** Extends the lease to `leaseMs` from now; false when `holder` no longer holds the row: stop working on it. */
export async function renew(db: Queryable, t: LeaseTable, id: string, holder: string, leaseMs: number, clock: Clock = systemClock): Promise<boolean> {
  checkLease(leaseMs);
  const rows = await db.query(
    `UPDATE ${t.table} SET lease_expires_at = ${leaseUntil('$4', '$3')}, updated_at = now() WHERE ${held(t)} RETURNING id`,
    [id, holder, leaseMs, leaseNow(clock)],
  );
  return rows.length === 1;
}

/** Writes `set` on the row while `holder` holds it (progress); false as for `renew`. */
export async function updateHeld(db: Queryable, t: LeaseTable, id: string, holder: string, set: Assignments): Promise<boolean> {
  const params: unknown[] = [id, holder];
  const rows = await db.query(`UPDATE ${t.table} SET ${assign(set, params).slice(2)}, updated_at = now() WHERE ${held(t)} RETURNING id`, params);
  return rows.length === 1;
}

/**
 * Ends `holder`'s lease with the row in `state` (succeeded, failed) and `set`; false, changing
 * nothing, when it no longer holds the row — or, with `attempt`, holds a later attempt than that one.
 */
export async function settle(
  db: Queryable,
  t: LeaseTable,
  id: string,
  holder: string,
  state: string,
  set: Assignments = {},
  options: { attempt?: number } = {},
): Promise<boolean> {
  const params: unknown[] = [id, holder, state, options.attempt ?? null];
  const rows = await db.query(
    `UPDATE ${t.table} SET state = $3, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()${assign(set, params)}
     WHERE ${held(t)} AND ($4::integer IS NULL OR attempts = $4) RETURNING id`,
    params,
  );
  return rows.length === 1;
}

/**
 * Ends the lease as `settle` does and writes the result with `write`, in one transaction: if writing
 * fails the row is still held (and is worked on again once the lease lapses), so a result is never
 * partial and never written twice. Throws LEASE_LOST, writing nothing, when `holder` no longer holds
 * the row: a holder that finishes late, after another took its lapsed lease, is refused.
 */
export async function complete<R>(
  sql: Sql,
  t: LeaseTable,
  id: string,
  holder: string,
  ending: { state: string; set?: Assignments; attempt?: number },
  write: (tx: Queryable) => Promise<R>,
): Promise<R> {
  return sql.transaction(async (tx) => {
    if (!(await settle(tx, t, id, holder, ending.state, ending.set, { attempt: ending.attempt }))) throw await leaseLost(tx, t, id, holder);
    return write(tx);
  });
}

/** Puts a waiting table's row back at once, the attempt not counted: the next claimer need not wait out the lease. */
export async function giveBack(db: Queryable, t: LeaseTable, id: string, holder: string): Promise<boolean> {
  if (!t.waiting) throw new Error(`${t.table}: rows are claimed by id, expected a table with a waiting state to give one back to`);
  const rows = await db.query(
    `UPDATE ${t.table} SET state = '${t.waiting}', attempts = greatest(attempts - 1, 0), lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
     WHERE ${held(t)} RETURNING id`,
    [id, holder],
  );
  return rows.length === 1;
}

/** SQL: the row's lease has run out, at `now` (a `$n` timestamptz parameter: null for the database's clock). */
export function lapsed(now: string): string {
  return `lease_expires_at < coalesce(${now}::timestamptz, now())`;
}

/** SQL: the end of a lease of `ms` (a `$n` parameter) from `now` (as for `lapsed`). */
export function leaseUntil(now: string, ms: string): string {
  return `coalesce(${now}::timestamptz, now()) + ${ms}::double precision * interval '1 millisecond'`;
}

/** SQL: `$1` is the row, `$2` the holder, and the holder holds it. */
function held(t: LeaseTable): string {
  return `id = $1 AND state = '${t.held}' AND lease_owner = $2`;
}

class JsonValue {
  constructor(readonly value: unknown) {}
}

class SqlExpr {
  constructor(readonly sql: string) {}
}

/** `, column = $n` for each assignment, binding the values after `params`' own. */
function assign(set: Assignments | undefined, params: unknown[]): string {
  return Object.entries(set ?? {})
    .map(([column, value]) => {
      if (value instanceof SqlExpr) return `, ${column} = ${value.sql}`;
      params.push(value instanceof JsonValue ? jsonParam(value.value) : value);
      return `, ${column} = $${params.length}${value instanceof JsonValue ? '::jsonb' : ''}`;
    })
    .join('');
}

function checkLease(leaseMs: number): void {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new Error(`leaseMs: got ${leaseMs}, expected a positive number of milliseconds`);
}

/** Why a holder's call was refused, for the error (read inside the refused call's transaction). */
async function leaseLost(tx: Queryable, t: LeaseTable, id: string, holder: string): Promise<StoreError> {
  const [row] = await tx.query<{ state: string; lease_owner: string | null }>(`SELECT state, lease_owner FROM ${t.table} WHERE id = $1`, [id]);
  const found = !row ? `no such ${t.noun}` : row.lease_owner ? `${row.state}, held by ${row.lease_owner}` : row.state;
  return new StoreError('LEASE_LOST', `${t.noun} ${id}: got ${found}, expected ${t.held} and held by ${holder}; the result is discarded`);
}
