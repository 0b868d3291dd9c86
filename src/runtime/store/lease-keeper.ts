import { type Clock, systemClock } from '../clock.ts';

/**
 * The holder's half of a lease (leases.ts): renews it on a timer while the work goes on, whatever the
 * work is doing — a search of a large city may say nothing for minutes — and says once when the lease
 * is lost (cancelled, or taken over after it lapsed) so the work stops. A renewal that fails (the store
 * is down) is tried again at the next beat: the lease itself decides whether the holder was too late.
 */
export interface KeepLeaseOptions {
  /** One renewal: false when the holder no longer holds the lease. */
  renew(): Promise<boolean>;
  /** Between renewals: a third of the lease leaves two beats' slack. */
  everyMs: number;
  /** Called once, at the first renewal that finds the lease lost. */
  onLost(): void;
  /** A renewal that threw; the next beat tries again. */
  onError?(err: unknown): void;
  clock?: Clock;
  /** The timer alone does not keep the process alive. */
  unref?: boolean;
}

export interface KeptLease {
  /** Whether a renewal found the lease lost. */
  readonly lost: boolean;
  /** Stops renewing (the work is over, or handed back). */
  stop(): void;
}

export function keepLease(opts: KeepLeaseOptions): KeptLease {
  let lost = false;
  const stop = (opts.clock ?? systemClock).every(
    opts.everyMs,
    () => {
      opts.renew().then(
        (held) => {
          if (held || lost) return;
          lost = true;
          stop();
          opts.onLost();
        },
        (err: unknown) => opts.onError?.(err),
      );
    },
    { unref: opts.unref ?? false },
  );
  return {
    get lost() {
      return lost;
    },
    stop,
  };
}
