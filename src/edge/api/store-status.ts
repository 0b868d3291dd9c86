import type { Sql } from '../../runtime/store/index.ts';

/**
 * Whether the store answers, for `/ready`: a ping (`Sql.ping`: `SELECT 1` on a connection of its
 * own, with a short timeout) at most once per `everyMs`, concurrent checks sharing the one in flight —
 * a load balancer polling several times a second costs one connection a second. A change either way
 * is reported once through `onChange` (the log), not at every probe.
 */
export interface StoreStatusOptions {
  /** How long an answer is reused (default 1000 ms). */
  everyMs?: number;
  /** How long a ping may take before the store counts as unavailable (default 2000 ms). */
  timeoutMs?: number;
  /** `cause`: the driver's words, for the log only. */
  onChange?: (reason: string | undefined, cause?: string) => void;
}

export class StoreStatus {
  private last: { at: number; reason: string | undefined } | undefined;
  private inFlight: Promise<string | undefined> | undefined;
  private readonly everyMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly store: Sql,
    private readonly options: StoreStatusOptions = {},
  ) {
    this.everyMs = options.everyMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  /** Undefined while the store answers, else why it does not (`the store is unavailable: connection refused`). */
  async unavailableBecause(): Promise<string | undefined> {
    if (this.last && Date.now() - this.last.at < this.everyMs) return this.last.reason;
    this.inFlight ??= this.probe().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async probe(): Promise<string | undefined> {
    let reason: string | undefined;
    let cause: string | undefined;
    try {
      await this.store.ping(this.timeoutMs);
    } catch (err) {
      reason = (err as Error).message;
      cause = ((err as Error).cause as Error | undefined)?.message;
    }
    // Until the first probe the store is taken to answer (it did at start: the migrations ran).
    if (reason !== this.last?.reason) this.options.onChange?.(reason, cause);
    this.last = { at: Date.now(), reason };
    return reason;
  }
}
