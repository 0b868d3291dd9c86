import { hashApiKey, newApiKey, newId } from './ids.ts';
import { isoTime, isoTimeOrNull } from './rows.ts';
import type { Queryable, Sql } from './sql.ts';

/** A caller of the API. Everything stored belongs to one key, and each key sees only its own. */
export interface ApiKey {
  id: string;
  name: string;
  createdAt: string;
}

/** A key as the store holds it: a disabled one answers 401 like an unknown one, its data kept. */
export interface StoredApiKey extends ApiKey {
  /** When it was disabled (revoked, or no longer listed in API_KEYS); null while it is accepted. */
  disabledAt: string | null;
}

/** Configured keys shorter than this are refused: they could be guessed. */
export const MIN_API_KEY_LENGTH = 16;

/** A new key. The plain `key` is returned this once; only its hash is stored. */
export async function createApiKey(db: Queryable, name: string): Promise<ApiKey & { key: string }> {
  const key = newApiKey();
  const [row] = await db.query<ApiKeyRow>(
    'INSERT INTO api_keys (id, name, key_hash) VALUES ($1, $2, $3) RETURNING id, name, created_at',
    [newId('key'), name, hashApiKey(key)],
  );
  return { ...toApiKey(row), key };
}

/**
 * The key's record, or null for an unknown or disabled key. The lookup is by hash, so its timing says
 * nothing useful about stored keys: a guess would have to match a sha-256, not a prefix of a secret.
 */
export async function findApiKeyByKey(db: Queryable, key: string): Promise<ApiKey | null> {
  if (key.length === 0) return null;
  return findApiKeyByHash(db, hashApiKey(key));
}

/** As findApiKeyByKey, for a caller that already hashed the key (the API's cache of lookups). */
export async function findApiKeyByHash(db: Queryable, keyHash: string): Promise<ApiKey | null> {
  const [row] = await db.query<ApiKeyRow>('SELECT id, name, created_at FROM api_keys WHERE key_hash = $1 AND disabled_at IS NULL', [keyHash]);
  return row ? toApiKey(row) : null;
}

/** Every key, enabled ones first, then by name. */
export async function listApiKeys(db: Queryable): Promise<StoredApiKey[]> {
  const rows = await db.query<ApiKeyRow>('SELECT id, name, created_at, disabled_at FROM api_keys ORDER BY disabled_at IS NOT NULL, name, created_at');
  return rows.map(toStoredApiKey);
}

/**
 * Disables the enabled key with this id, or the one enabled key with this name; null when there is
 * none. Its datasets, jobs and runs are kept (listing it in API_KEYS again enables it).
 */
export async function revokeApiKey(sql: Sql, idOrName: string): Promise<StoredApiKey | null> {
  return sql.transaction(async (tx) => {
    const matches = await tx.query<ApiKeyRow>(
      'SELECT id, name, created_at, disabled_at FROM api_keys WHERE disabled_at IS NULL AND (id = $1 OR name = $1) ORDER BY id = $1 DESC, created_at FOR UPDATE',
      [idOrName],
    );
    if (matches.length === 0) return null;
    if (matches.length > 1 && matches[0].id !== idOrName) {
      throw new AmbiguousKeyError(`"${idOrName}" names ${matches.length} enabled keys (${matches.map((m) => m.id).join(', ')}): give the id of the one to revoke`);
    }
    const [row] = await tx.query<ApiKeyRow>('UPDATE api_keys SET disabled_at = now() WHERE id = $1 RETURNING id, name, created_at, disabled_at', [matches[0].id]);
    return toStoredApiKey(row);
  });
}

export class AmbiguousKeyError extends Error {
  override readonly name = 'AmbiguousKeyError';
}

/**
 * Makes the configured keys (API_KEYS) the truth, at start: each listed key is stored and enabled —
 * a key seen before keeps its id, and so its data, and takes the configured name — and every other
 * stored key is disabled, its data kept until it is listed again. Returns the listed keys in input
 * order and those this call disabled.
 *
 * An empty list changes nothing: the keys are then managed with `lifecircle keys`. An unset variable
 * and an empty one read the same (config.ts), and a deployment that lost its API_KEYS must not lock
 * out every client; revoking the last configured key is `lifecircle keys revoke`.
 */
export async function syncApiKeys(sql: Sql, keys: readonly { name: string; key: string }[]): Promise<{ keys: ApiKey[]; disabled: ApiKey[] }> {
  keys.forEach(({ name, key }) => {
    if (key.length < MIN_API_KEY_LENGTH) {
      throw new Error(`API key "${name}": got ${key.length} characters, expected at least ${MIN_API_KEY_LENGTH} (e.g. openssl rand -base64 32)`);
    }
  });
  if (keys.length === 0) return { keys: [], disabled: [] };
  return sql.transaction(async (tx) => {
    const ensured: ApiKey[] = [];
    for (const { name, key } of keys) {
      const [row] = await tx.query<ApiKeyRow>(
        `INSERT INTO api_keys (id, name, key_hash) VALUES ($1, $2, $3)
         ON CONFLICT (key_hash) DO UPDATE SET name = EXCLUDED.name, disabled_at = NULL
         RETURNING id, name, created_at`,
        [newId('key'), name, hashApiKey(key)],
      );
      ensured.push(toApiKey(row));
    }
    const disabled = await tx.query<ApiKeyRow>(
      'UPDATE api_keys SET disabled_at = now() WHERE disabled_at IS NULL AND NOT (id = ANY($1::text[])) RETURNING id, name, created_at',
      [ensured.map((k) => k.id)],
    );
    return { keys: ensured, disabled: disabled.map(toApiKey) };
  });
}

interface ApiKeyRow {
  id: string;
  name: string;
  created_at: Date | string;
  disabled_at?: Date | string | null;
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return { id: row.id, name: row.name, createdAt: isoTime(row.created_at) };
}

function toStoredApiKey(row: ApiKeyRow): StoredApiKey {
  return { ...toApiKey(row), disabledAt: isoTimeOrNull(row.disabled_at) };
}
