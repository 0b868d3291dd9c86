/**
 * Waits between retries that grow exponentially to a cap, each drawn at random in its upper half
 * ("equal jitter"): runners that lost the same database retry spread out rather than all at once when
 * it comes back, and none retries sooner than half the nominal delay. `reset()` after a success.
 *
 *   failure:  1      2    3    4    5    6     7 …
 *   delay:   0.25–0.5 s, 0.5–1, 1–2, 2–4, 4–8, 8–16, 15–30 s (default 0.5 s doubling, 30 s cap)
 */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** [0, 1): tests pass a fixed one. */
  random?: () => number;
}

export class Backoff {
  private failures = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 500;
    this.maxMs = options.maxMs ?? 30_000;
    this.random = options.random ?? Math.random;
  }

  /** Failures since the last reset. */
  get attempts(): number {
    return this.failures;
  }

  /** The delay before the next retry, counting one more failure. */
  nextDelayMs(): number {
    const nominal = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return nominal / 2 + (nominal / 2) * this.random();
  }

  reset(): void {
    this.failures = 0;
  }
}
