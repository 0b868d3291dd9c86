/**
 * Time, for the code whose behaviour depends on it (job and nightly leases, heartbeats, polls,
 * backoff): taken as a `Clock` so that a test can move time forward instead of sleeping through a
 * lease. Production passes nothing and gets `systemClock`.
 *
 * Leases are compared on the database's clock in production (`leaseNow` gives null, and the SQL
 * falls back to `now()`): workers on several machines then share one clock whatever their own say.
 * Any other clock's time is used instead, so that advancing a test clock expires a lease.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once, `ms` from now on this clock; the returned function cancels it. */
  after(ms: number, fn: () => void, options?: TimerOptions): Cancel;
  /** Calls `fn` every `ms` on this clock until the returned function is called. */
  every(ms: number, fn: () => void, options?: TimerOptions): Cancel;
}

export interface TimerOptions {
  /** The timer alone does not keep the process alive (a heartbeat of a command that may end). */
  unref?: boolean;
}

export type Cancel = () => void;

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn, options) {
    const timer = setTimeout(fn, ms);
    if (options?.unref) timer.unref();
    return () => clearTimeout(timer);
  },
  every(ms, fn, options) {
    const timer = setInterval(fn, ms);
    if (options?.unref) timer.unref();
    return () => clearInterval(timer);
  },
};

/**
 * The `now` a lease statement compares with, as a `$n::timestamptz` parameter used as
 * `coalesce($n, now())`: null (the database's clock) for the system clock, the clock's time otherwise.
 */
export function leaseNow(clock: Clock): Date | null {
  return clock === systemClock ? null : new Date(clock.now());
}
