import { describe, expect, it } from 'vitest';
import { StoreError, isStoreUnavailable, storeErrorOf, unavailableBecause } from '../../src/runtime/store/errors.ts';
import { describeBackends, openFreshStore } from './backends.ts';

/**
 * A store that cannot be reached is STORE_UNAVAILABLE — recognised in one place (store/errors.ts) —
 * and everything else stays what it was. Against the backends: a PostgreSQL session ended under a
 * query or a transaction (what a fast shutdown does to every session, 57P01) is an error, never an
 * 'error' event that kills the process, and the store works again at once; a closed store is
 * unavailable; `ping` tells both.
 */
const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('recognising an outage', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:5432'), 'connection refused'],
    ['a reset connection', withCode('ECONNRESET'), 'connection reset'],
    ['a host that is gone', withCode('EHOSTUNREACH'), 'host unreachable'],
    ['an admin shutdown (pg_ctl stop -m fast)', withCode('57P01', 'terminating connection due to administrator command'), 'the database server is shutting down'],
    ['a crash shutdown', withCode('57P02'), 'the database server is restarting after a crash'],
    ['a server starting up or shutting down', withCode('57P03', 'the database system is starting up'), 'the database server is not accepting connections yet'],
    ['too many connections', withCode('53300'), 'the database server has too many connections'],
    ['a connection exception (class 08)', withCode('08006'), 'the connection failed'],
    ['a connection lost under a query (node-postgres)', new Error('Connection terminated unexpectedly'), 'connection lost'],
    ['a connect timeout (node-postgres)', new Error('Connection terminated due to connection timeout'), 'connection lost'],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect'), 'no connection within the connect timeout'],
    ['a closed embedded store', new Error('PGlite is closed'), 'it was closed'],
    ['several addresses all refusing (happy eyeballs)', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect'), 'connection refused'],
  ])('%s is STORE_UNAVAILABLE', (_what, err, reason) => {
    expect(unavailableBecause(err)).toBe(reason);
    const translated = storeErrorOf(err);
    expect(translated).toBeInstanceOf(StoreError);
    expect(translated).toMatchObject({ code: 'STORE_UNAVAILABLE', message: `the store is unavailable: ${reason}`, cause: err });
    expect(isStoreUnavailable(err)).toBe(true);
    expect(isStoreUnavailable(translated)).toBe(true);
    // The answer never carries an address.
    expect((translated as Error).message).not.toMatch(/10\.0\.0\.5|5432/);
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error', withCode('42601')],
    ['a query out of memory (the statement, not the server)', withCode('53200', 'out of memory')],
    ['a bug', new Error('Cannot read properties of undefined')],
    ['a string', 'ECONNREFUSED'],
    ['nothing', undefined],
    ['a store error of another code', new StoreError('DATASET_KIND', 'a network for facilities')],
  ])('%s stays what it is', (_what, err) => {
    expect(unavailableBecause(err)).toBeUndefined();
    expect(storeErrorOf(err)).toBe(err);
    expect(isStoreUnavailable(err)).toBe(false);
  });
});

describeBackends('a store that goes away', (backend) => {
  it('answers ping while open; a closed store is STORE_UNAVAILABLE for queries, transactions and ping', async () => {
    const { sql, done } = await openFreshStore(backend);
    try {
      await expect(sql.ping(2000)).resolves.toBeUndefined();
    } finally {
      await done(); // closes it
    }
    const unavailable = { name: 'StoreError', code: 'STORE_UNAVAILABLE', message: 'the store is unavailable: it was closed' };
    await expect(sql.query('SELECT 1')).rejects.toMatchObject(unavailable);
    await expect(sql.transaction((tx) => tx.query('SELECT 1'))).rejects.toMatchObject(unavailable);
    await expect(sql.ping(2000)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

  if (backend.name !== 'postgres') return;

  it('a session ended under a transaction or a query is STORE_UNAVAILABLE, and the next call works', async () => {
    const { sql, done } = await openFreshStore(backend);
    try {
      // The transaction's connection is checked out of the pool: the pool no longer listens to it.
      let pid!: (value: number) => void;
      const txPid = new Promise<number>((resolve) => (pid = resolve));
      // (Outcomes caught at once: they settle while the test awaits the termination.)
      const tx = sql
        .transaction(async (q) => {
          pid((await q.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0].pid);
          await q.query('SELECT pg_sleep(30)');
        })
        .catch((err: unknown) => err);
      await sql.query('SELECT pg_terminate_backend($1)', [await txPid]);
      expect(await tx).toMatchObject({ name: 'StoreError', code: 'STORE_UNAVAILABLE' });

      const query = sql.query('SELECT pg_sleep(30)').catch((err: unknown) => err);
      const [{ pid: queryPid }] = await untilRow<{ pid: number }>(sql, "SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND datname = current_database()");
      await sql.query('SELECT pg_terminate_backend($1)', [queryPid]);
      expect(await query).toMatchObject({ name: 'StoreError', code: 'STORE_UNAVAILABLE' });

      expect(await sql.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await expect(sql.transaction((q) => q.query('SELECT 2 AS two'))).resolves.toEqual([{ two: 2 }]);
    } finally {
      await done();
    }
  });

  it('ping fails STORE_UNAVAILABLE on any failure, without naming the database in its message', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = '/lc_no_such_database_here';
    const { openPostgres } = await import('../../src/runtime/store/postgres.ts');
    const sql = await openPostgres(url.toString());
    try {
      const err = await sql.ping(5000).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'STORE_UNAVAILABLE', message: 'the store is unavailable: SELECT 1 failed (3D000)' });
      expect(((err as Error).cause as Error).message).toContain('lc_no_such_database_here');
    } finally {
      await sql.close();
    }
  });

  it('a server that refuses connections is STORE_UNAVAILABLE within the connect timeout', async () => {
    // A port nothing listens on: openStore would fail at its migrations, so ping and query a pool directly.
    const url = new URL(process.env.DATABASE_URL!);
    url.port = '1';
    const { openPostgres } = await import('../../src/runtime/store/postgres.ts');
    const sql = await openPostgres(url.toString(), { connectTimeoutMs: 2000 });
    try {
      await expect(sql.query('SELECT 1')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: 'the store is unavailable: connection refused' });
      await expect(sql.transaction((tx) => tx.query('SELECT 1'))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await expect(sql.ping(2000)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: 'the store is unavailable: connection refused' });
    } finally {
      await sql.close();
    }
  });
});

async function untilRow<T>(sql: { query<R>(text: string): Promise<R[]> }, text: string): Promise<T[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await sql.query<T>(text);
    if (rows.length > 0) return rows;
    if (Date.now() > deadline) throw new Error(`no row for ${text} within 10 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
