import type { Queryable, Sql } from '../store/index.ts';

/**
 * The nightly's store, closed while a city is computed and opened again after — for the embedded
 * store only. PGlite holds ~250 MB of WebAssembly memory for as long as it is open; a city's
 * computation peaks at ~750 MB by itself, so with the store open the run went over 1 GB. Closed, its
 * memory is collected while the computation allocates; nothing needs the store meanwhile except the
 * lease heartbeat, whose queries wait here until it is open again.
 *
 * While closed, the data directory is not locked: a server started on it in those seconds would get
 * it, and this run would then fail to reopen it, saying so — rather than two processes writing it.
 */
export class SuspendableStore implements Sql {
  private current: Promise<Sql>;
  private suspended = false;

  constructor(
    sql: Sql,
    private readonly reopen: () => Promise<Sql>,
  ) {
    this.current = Promise.resolve(sql);
    this.backend = sql.backend;
    this.location = sql.location;
  }

  readonly backend: Sql['backend'];
  readonly location: string;

  async query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]> {
    return (await this.current).query<T>(text, params);
  }

  async exec(script: string): Promise<void> {
    return (await this.current).exec(script);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return (await this.current).transaction(fn);
  }

  async ping(timeoutMs: number): Promise<void> {
    return (await this.current).ping(timeoutMs);
  }

  async close(): Promise<void> {
    await (await this.current).close();
  }

  /** Runs `work` with the embedded store closed (a server store stays open: it costs nothing here). */
  async closedDuring<T>(work: () => Promise<T>): Promise<T> {
    if (this.backend !== 'pglite' || this.suspended) return work();
    const open = await this.current;
    let reopened!: (sql: Promise<Sql>) => void;
    this.current = new Promise<Sql>((resolve) => (reopened = (sql) => resolve(sql)));
    this.suspended = true;
    try {
      await open.close();
      return await work();
    } finally {
      const again = this.reopen();
      // Queries waiting meanwhile fail with the reopen's error, if any, rather than hang.
      reopened(again);
      this.suspended = false;
      await again;
    }
  }
}
