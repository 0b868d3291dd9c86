import { type ApiKey, type Queryable, findApiKeyByHash } from '../../runtime/store/index.ts';
import { hashApiKey } from '../../runtime/store/ids.ts';

/**
 * The store's answers about presented API keys, remembered for a few seconds: a client sending the
 * same key (known or not) over and over costs one database query per `ttlMs`, not one per request.
 * A key revoked or disabled meanwhile (`lifecircle keys revoke`, another server's start) is refused
 * within `ttlMs`; a key added is accepted within `ttlMs` of a failed try.
 *
 * It also says which keys are known without asking the store (`bucketOf`): rate limiting runs before
 * any lookup, so that a key is only a bucket of its own once the store has vouched for it, and a
 * made-up key costs a query only within its client's IP budget (protection.ts).
 *
 * A Map kept in use order is the whole LRU (one for known keys, one for unknown): a known key's entry
 * older than `ttlMs` is re-checked before it authenticates anything, but still names its bucket until
 * then (the TTL caches of the libraries drop it, and with it the key's bucket, at expiry).
 */
export interface KnownKeysOptions {
  /** How long a lookup's answer is trusted. */
  ttlMs?: number;
  /** Keys remembered at most (random keys must not grow it without bound). */
  maxEntries?: number;
}

export const KEY_LOOKUP_TTL_MS = 5_000;

export class KnownKeys {
  /** Keys the store knows, and keys it does not: apart, so that a flood of made-up keys cannot push the real ones out. */
  private readonly known = new Map<string, Entry>();
  private readonly unknown = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<ApiKey | null>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly store: Queryable,
    options: KnownKeysOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? KEY_LOOKUP_TTL_MS;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** The key's record, or null for an unknown or disabled one. */
  find(presented: string): Promise<ApiKey | null> {
    if (presented.length === 0) return Promise.resolve(null);
    const hash = hashApiKey(presented);
    const entry = this.known.get(hash) ?? this.unknown.get(hash);
    if (entry && performance.now() - entry.checkedAt < this.ttlMs) {
      this.remember(hash, entry);
      return Promise.resolve(entry.key);
    }
    // Concurrent requests with one uncached key share one query.
    let lookup = this.pending.get(hash);
    if (!lookup) {
      lookup = findApiKeyByHash(this.store, hash).then(
        (key) => {
          this.pending.delete(hash);
          this.remember(hash, { key, checkedAt: performance.now() });
          return key;
        },
        (err: unknown) => {
          this.pending.delete(hash);
          throw err;
        },
      );
      this.pending.set(hash, lookup);
    }
    return lookup;
  }

  /** The id of the key, if the store said it was known when last asked; no query. */
  knownId(presented: string): string | undefined {
    return this.known.get(hashApiKey(presented))?.key?.id;
  }

  private remember(hash: string, entry: Entry): void {
    const [into, other] = entry.key ? [this.known, this.unknown] : [this.unknown, this.known];
    other.delete(hash);
    into.delete(hash);
    into.set(hash, entry);
    if (into.size > this.maxEntries) into.delete(into.keys().next().value!);
  }
}

interface Entry {
  key: ApiKey | null;
  checkedAt: number;
}
