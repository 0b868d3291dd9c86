import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Sql, createApiKey, ensureApiKeys, findApiKeyByKey } from '../../src/store/index.ts';
import { describeBackends, openFreshStore } from './backends.ts';

describeBackends('api keys', (backend) => {
  let sql: Sql;
  let done: () => Promise<void>;
  beforeAll(async () => ({ sql, done } = await openFreshStore(backend)));
  afterAll(() => done());

  it('returns the plain key once and stores only its sha-256', async () => {
    const created = await createApiKey(sql, 'district office');
    expect(created.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.id).toMatch(/^key_/);
    const rows = await sql.query('SELECT * FROM api_keys WHERE id = $1', [created.id]);
    expect(JSON.stringify(rows)).not.toContain(created.key);
    expect(rows[0]).toMatchObject({ key_hash: createHash('sha256').update(created.key).digest('hex') });
  });

  it('finds a key by the plain key, and nothing for a wrong or empty one', async () => {
    const a = await createApiKey(sql, 'a');
    const b = await createApiKey(sql, 'b');
    expect(await findApiKeyByKey(sql, a.key)).toEqual({ id: a.id, name: 'a', createdAt: a.createdAt });
    expect((await findApiKeyByKey(sql, b.key))?.id).toBe(b.id);
    expect(await findApiKeyByKey(sql, `${a.key}x`)).toBeNull();
    expect(await findApiKeyByKey(sql, a.key.slice(0, -1))).toBeNull();
    expect(await findApiKeyByKey(sql, '')).toBeNull();
  });

  it('ensures configured keys: the same key keeps its id (and so its data) and takes the new name', async () => {
    const configured = [
      { name: 'ops', key: 'ops-key-0123456789abcdef' },
      { name: 'planning', key: 'planning-key-0123456789' },
    ];
    const first = await ensureApiKeys(sql, configured);
    expect(first.map((k) => k.name)).toEqual(['ops', 'planning']);
    const again = await ensureApiKeys(sql, [{ name: 'operations', key: configured[0].key }, configured[1]]);
    expect(again.map((k) => k.id)).toEqual(first.map((k) => k.id));
    expect(again[0].name).toBe('operations');
    expect(await findApiKeyByKey(sql, configured[0].key)).toMatchObject({ id: first[0].id, name: 'operations' });
    const stored = await sql.query<{ key_hash: string }>('SELECT key_hash FROM api_keys');
    expect(JSON.stringify(stored)).not.toContain(configured[0].key);
  });

  it('refuses a configured key short enough to guess, storing none of the batch', async () => {
    const before = await sql.query('SELECT id FROM api_keys');
    await expect(ensureApiKeys(sql, [{ name: 'good', key: 'a-long-enough-key-123' }, { name: 'weak', key: 'secret' }]))
      .rejects.toThrow('API key "weak": got 6 characters, expected at least 16');
    expect(await sql.query('SELECT id FROM api_keys')).toHaveLength(before.length);
  });
});
