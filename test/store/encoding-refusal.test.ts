import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeError } from '../../src/edge/api/errors.ts';
import { type DatasetInput, type Sql, createApiKey, createDataset } from '../../src/runtime/store/index.ts';
import { describeBackends, openFreshStore } from './backends.ts';

/*
 * The safety net under the readers' string checks: should a NUL or a lone surrogate still reach the
 * database, its refusal — SQLSTATE 22021 (a NUL in text), 22P05 (`\u0000` in jsonb), 22P02 about a
 * surrogate (a lone one in jsonb) — is answered 400 INVALID_PARAMETER, not 500. Each store's own
 * error is what is mapped, not an imitation of it.
 */
const request = { id: 'req-1', headers: {} } as FastifyRequest;
const input = (patch: Partial<DatasetInput>): DatasetInput => ({
  kind: 'facilities',
  name: 'clinics',
  counts: { features: 1 },
  bbox: null,
  report: {},
  payload: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'ok' }, geometry: null }] },
  sourceBytes: 1,
  ...patch,
});

describeBackends('a character the store refuses', (backend) => {
  let sql: Sql;
  let done: () => Promise<void>;
  let owner: string;
  beforeAll(async () => {
    ({ sql, done } = await openFreshStore(backend));
    owner = (await createApiKey(sql, 'strings')).id;
  });
  afterAll(() => done());

  it.each([
    ['a NUL in a text column', input({ name: 'a\u0000b' }), '22021'],
    ['a NUL in jsonb', input({ payload: { name: 'a\u0000b' } }), '22P05'],
    ['a lone surrogate in jsonb', input({ payload: { name: 'a\ud800b' } }), '22P02'],
  ])('answers %s 400 INVALID_PARAMETER', async (_, dataset, sqlState) => {
    const err = await createDataset(sql, owner, dataset).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as { code?: string }).code).toBe(sqlState);
    expect(describeError(err, request, 0)).toEqual({ code: 'INVALID_PARAMETER', message: 'a string in the request holds a NUL character (\\u0000) or a lone UTF-16 surrogate, which text may not hold' });
  });

  it('leaves another invalid-text error (a bad cast: ours) a 500', async () => {
    const err = await sql.query("SELECT 'x'::int").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as { code?: string }).code).toBe('22P02');
    expect(describeError(err, request, 0).code).toBe('INTERNAL');
  });
});
