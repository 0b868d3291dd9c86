import { hashApiKey, newApiKey, newId } from './ids.ts';
import { isoTime } from './rows.ts';
import type { Queryable, Sql } from './sql.ts';

/** A caller of the API. Everything stored belongs to one key, and each key sees only its own. */
export interface ApiKey {
  id: string;
  name: string;
  createdAt: string;
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
 * The key's record, or null for an unknown key. The lookup is by hash, so its timing says nothing
 * useful about stored keys: a guess would have to match a sha-256, not a prefix of a secret.
 */
export async function findApiKeyByKey(db: Queryable, key: string): Promise<ApiKey | null> {
  if (key.length === 0) return null;
  const [row] = await db.query<ApiKeyRow>('SELECT id, name, created_at FROM api_keys WHERE key_hash = $1', [hashApiKey(key)]);
  return row ? toApiKey(row) : null;
}

/**
 * Makes sure the keys from the configuration exist (at start). A key seen before keeps its id — and
 * so its data — and takes the configured name; a new key gets a new id. Returns them in input order.
 */
export async function ensureApiKeys(sql: Sql, keys: readonly { name: string; key: string }[]): Promise<ApiKey[]> {
  keys.forEach(({ name, key }) => {
    if (key.length < MIN_API_KEY_LENGTH) {
      throw new Error(`API key "${name}": got ${key.length} characters, expected at least ${MIN_API_KEY_LENGTH} (e.g. openssl rand -base64 32)`);
    }
  });
  return sql.transaction(async (tx) => {
    const ensured: ApiKey[] = [];
    for (const { name, key } of keys) {
      const [row] = await tx.query<ApiKeyRow>(
        `INSERT INTO api_keys (id, name, key_hash) VALUES ($1, $2, $3)
         ON CONFLICT (key_hash) DO UPDATE SET name = EXCLUDED.name
         RETURNING id, name, created_at`,
        [newId('key'), name, hashApiKey(key)],
      );
      ensured.push(toApiKey(row));
    }
    return ensured;
  });
}

interface ApiKeyRow {
  id: string;
  name: string;
  created_at: Date | string;
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return { id: row.id, name: row.name, createdAt: isoTime(row.created_at) };
}
