import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEASE_OWNER, NightlyBusyError, beginRun, renewLease } from '../../src/runtime/nightly/records.ts';
import type { Sql } from '../../src/runtime/store/index.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { memoryStore } from '../helpers/store.ts';

/**
 * The nightly's claim on a date's run, on a test clock (src/runtime/clock.ts): while a process elsewhere holds
 * the run, a second invocation is refused, to the last millisecond of the lease; a renewal counts from
 * the renewal; once the lease has run out, the run is taken over and resumed. (A holder on this machine
 * whose pid is gone is taken over at once: nightly.test.ts kills one.)
 */
const LEASE = 5 * 60_000;
let sql: Sql;
beforeAll(async () => {
  // A migrated in-memory store of its own, copied from the template (not initdb's seconds in this process).
  sql = await memoryStore();
});
afterAll(() => sql.close());

const leaseEnd = async (runId: string) => {
  const [row] = await sql.query<{ lease_expires_at: Date | string }>('SELECT lease_expires_at FROM nightly_runs WHERE id = $1', [runId]);
  return new Date(row.lease_expires_at).getTime();
};

describe('the nightly run lease', () => {
  it('refuses a second invocation while another host holds the run, and takes it over once the lease runs out', async () => {
    const clock = new ManualClock();
    const options = { name: 'lease-test', date: '2026-03-01', jobs: ['town'], force: false, leaseMs: LEASE, clock };
    const began = await beginRun(sql, options);
    expect(began.kind).toBe('new');
    const runId = began.run.id;
    expect(await leaseEnd(runId)).toBe(clock.now() + LEASE);

    // Renewed half-way: the lease now counts from the renewal.
    clock.advance(LEASE / 2);
    expect(await renewLease(sql, runId, LEASE, clock)).toBe(true);
    expect(await leaseEnd(runId)).toBe(clock.now() + LEASE);

    // As if the holder were a process on another machine (whose pid cannot be looked at from here).
    await sql.query(`UPDATE nightly_runs SET lease_owner = 'elsewhere:4242' WHERE id = $1`, [runId]);
    expect(await renewLease(sql, runId, LEASE, clock)).toBe(false);
    clock.advance(LEASE);
    await expect(beginRun(sql, options)).rejects.toThrow(NightlyBusyError);
    await expect(beginRun(sql, options)).rejects.toThrow(/is being computed by elsewhere:4242/);

    clock.advance(1);
    const resumed = await beginRun(sql, options);
    expect(resumed).toMatchObject({ kind: 'resumed', run: { id: runId, attempts: 2, state: 'running' } });
    expect(await leaseEnd(runId)).toBe(clock.now() + LEASE);
    const [row] = await sql.query<{ lease_owner: string }>('SELECT lease_owner FROM nightly_runs WHERE id = $1', [runId]);
    expect(row.lease_owner).toBe(LEASE_OWNER);
  });
});
