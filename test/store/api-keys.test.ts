import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Sql, createApiKey, createDataset, findApiKeyByKey, getDataset, listApiKeys, openStore, revokeApiKey, syncApiKeys } from '../../src/runtime/store/index.ts';
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
    const { keys: first } = await syncApiKeys(sql, configured);
    expect(first.map((k) => k.name)).toEqual(['ops', 'planning']);
    const { keys: again } = await syncApiKeys(sql, [{ name: 'operations', key: configured[0].key }, configured[1]]);
    expect(again.map((k) => k.id)).toEqual(first.map((k) => k.id));
    expect(again[0].name).toBe('operations');
    expect(await findApiKeyByKey(sql, configured[0].key)).toMatchObject({ id: first[0].id, name: 'operations' });
    const stored = await sql.query<{ key_hash: string }>('SELECT key_hash FROM api_keys');
    expect(JSON.stringify(stored)).not.toContain(configured[0].key);
  });

  it('refuses a configured key short enough to guess, storing none of the batch', async () => {
    const before = await sql.query('SELECT id FROM api_keys');
    await expect(syncApiKeys(sql, [{ name: 'good', key: 'a-long-enough-key-123' }, { name: 'weak', key: 'secret' }]))
      .rejects.toThrow('API key "weak": got 6 characters, expected at least 16');
    expect(await sql.query('SELECT id FROM api_keys')).toHaveLength(before.length);
  });

  it('makes API_KEYS the truth across restarts: an unlisted key is disabled with its data kept, enabled when listed again', async () => {
    const target = await backend.freshTarget({ persistent: true });
    const ops = { name: 'ops', key: 'ops-key-0123456789abcdef' };
    const planning = { name: 'planning', key: 'planning-key-0123456789' };
    const start = async (keys: { name: string; key: string }[]) => {
      const store = await openStore(target.options);
      try {
        const synced = await syncApiKeys(store, keys);
        return { synced, found: [await findApiKeyByKey(store, ops.key), await findApiKeyByKey(store, planning.key)], listed: await listApiKeys(store) };
      } finally {
        await store.close();
      }
    };
    try {
      const first = await start([ops, planning]);
      const [opsKey, planningKey] = first.synced.keys;
      expect(first.synced.disabled).toEqual([]);
      const store = await openStore(target.options);
      const kept = await createDataset(store, planningKey.id, { kind: 'facilities', name: 'kept', counts: { features: 0 }, bbox: null, report: {}, payload: { type: 'FeatureCollection', features: [] }, sourceBytes: 2 });
      await store.close();

      // planning leaves API_KEYS: refused, its row and its dataset kept.
      const second = await start([ops]);
      expect(second.synced.disabled).toEqual([planningKey]);
      expect(second.found).toEqual([opsKey, null]);
      expect(second.listed).toEqual([
        { ...opsKey, disabledAt: null },
        { ...planningKey, disabledAt: expect.stringMatching(/^\d{4}-/) },
      ]);

      // Started again without it: it stays disabled, and nothing is disabled twice.
      expect((await start([ops])).synced.disabled).toEqual([]);

      // Listed again (under a new name): the same id, enabled, its dataset still its own.
      const fourth = await start([ops, { ...planning, name: 'planning office' }]);
      expect(fourth.found).toEqual([opsKey, { ...planningKey, name: 'planning office' }]);
      expect(fourth.listed.every((k) => k.disabledAt === null)).toBe(true);
      const reopened = await openStore(target.options);
      expect((await getDataset(reopened, planningKey.id, kept.id))?.name).toBe('kept');
      await reopened.close();

      // No keys configured: nothing is disabled (the keys are the CLI's to manage).
      const unset = await start([]);
      expect(unset.synced).toEqual({ keys: [], disabled: [] });
      expect(unset.found).toEqual([opsKey, { ...planningKey, name: 'planning office' }]);
    } finally {
      await target.dispose();
    }
  });

  it('revokes a key by id or name: refused at once, listed as disabled; a name shared by two keys is refused', async () => {
    const { sql: store, done: dispose } = await openFreshStore(backend);
    try {
      const a = await createApiKey(store, 'district');
      const b = await createApiKey(store, 'city');
      const twin = await createApiKey(store, 'city');
      expect(await revokeApiKey(store, 'district')).toMatchObject({ id: a.id, name: 'district', disabledAt: expect.any(String) });
      expect(await findApiKeyByKey(store, a.key)).toBeNull();
      expect(await revokeApiKey(store, 'district')).toBeNull();
      await expect(revokeApiKey(store, 'city')).rejects.toThrow(`"city" names 2 enabled keys (${[b.id, twin.id].join(', ')}): give the id of the one to revoke`);
      expect(await revokeApiKey(store, twin.id)).toMatchObject({ id: twin.id });
      expect((await findApiKeyByKey(store, b.key))?.id).toBe(b.id);
      expect((await listApiKeys(store)).map((k) => [k.name, k.disabledAt === null])).toEqual([['city', true], ['city', false], ['district', false]]);
    } finally {
      await dispose();
    }
  });
});
