import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { readRunBatches } from '../../src/runtime/jobs/run-reader.ts';
import { JobRunner, type JobInputs } from '../../src/runtime/jobs/runner.ts';
import { type Sql, createApiKey, enqueueJob, getJob, getRun } from '../../src/runtime/store/index.ts';
import { graphOf } from '../helpers/build.ts';
import { until } from '../helpers/until.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { memoryStore } from '../helpers/store.ts';

/**
 * A coverage job with a homes dataset and its own metShare: the homes reach the job's thread as the
 * dataset's source, are tied to the communities there and measured from, and the run says so — the
 * rule, the share used, and the home that belongs to no community, by row.
 *
 * The town (small-town.ts: 50 m a character, 75 m a walking minute, 5 minutes reach 375 m): community
 * "b" has five homes of 10 people on the a–d street, at a, b, the clinic (1/3 of b–c), c and d. The
 * clinic item is a clinic (100 m east of b) or the hospital (halfway c–d): a is 400 m from the clinic
 * (out), b 100 m, the clinic's spot 0 m, c and d 150 m from the hospital — 4 of 5 homes, 0.8. With the
 * job's metShare of 0.85 the item is unmet (it would be met at the default 0.8); the worst home reaches
 * none, so worstMinutes is null. The park (halfway f–g, 250 m south of b then 150 m) is 400 m from b:
 * nobody reaches it.
 */
const graph = graphOf(town.network);
const communitiesJson = fc([town.point('b', town.at('b'), { type: 'urban', name: 'B' })]);
const communities = readCommunities(communitiesJson).communities;
const facilities = readFacilities(TOWN_FACILITIES).facilities;
const home = (id: string, at: [number, number], community: string) => ({ type: 'Feature', id, properties: { community, population: 10 }, geometry: { type: 'Point', coordinates: at } });
const homes = fc([
  home('h-a', town.at('a'), 'b'),
  home('h-b', town.at('b'), 'b'),
  home('h-clinic', town.between('b', 'c', 1 / 3), 'b'),
  home('h-c', town.at('c'), 'b'),
  home('h-d', town.at('d'), 'b'),
  home('h-nowhere', town.at('e'), 'no-such-community'),
]);
const inputs: JobInputs = {
  network: async () => graph,
  facilities: async () => facilities,
  communities: async () => communities,
  // Stored sets reach the job's thread as their source text, as the dataset service hands them over.
  pointsSource: async (_owner, kind, id) => {
    if (kind === 'homes' && id === 'ds_homes') return { source: { whole: JSON.stringify(homes) }, crs: 'wgs84' };
    if (kind === 'communities' && id === 'ds_town') return { source: { whole: JSON.stringify(communitiesJson) }, crs: 'wgs84' };
    throw new Error(`no ${kind} dataset ${id}`);
  },
};

let sql: Sql;
let owner: string;
beforeAll(async () => {
  // A migrated in-memory store of its own, copied from the template (not initdb's seconds in this process).
  sql = await memoryStore();
  owner = (await createApiKey(sql, 'planner')).id;
});
afterAll(() => sql.close());


describe('a coverage job with homes', () => {
  it('measures each community from the dataset\'s homes, with the job\'s metShare, and reports the homes tied to none', async () => {
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params: { communities: 'ds_town', homes: 'ds_homes', metShare: 0.85, standard: SMALL_TOWN_STANDARD } });
    const runner = new JobRunner(sql, inputs, { workerId: 'w1', pollMs: 20, chunk: 10 });
    runner.start();
    await until('the job', async () => ['succeeded', 'failed'].includes((await getJob(sql, owner, job.id))!.state));
    await runner.stop();
    const done = (await getJob(sql, owner, job.id))!;
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const run = (await getRun(sql, owner, done.runId!))!;
    const reports = [];
    for await (const batch of readRunBatches(sql, run, { offset: 0 }, { geometries: false })) reports.push(...batch.reports);
    const [b] = reports as any[];
    expect(b.homes).toMatchObject({ rule: 'given', count: 5, placed: 5 });
    const result = b.standards[0];
    expect(result.metShare).toBe(0.85);
    const clinic = result.items.find((i: any) => i.itemId === 'clinic');
    expect(clinic).toMatchObject({ status: 'unmet', residentsShare: 0.8, homes: 5, medianMinutes: 2, worstMinutes: null });
    expect(clinic.nearest).toMatchObject({ facilityId: 'clinic-1', meters: 0 });
    expect(result.items.find((i: any) => i.itemId === 'park')).toMatchObject({ status: 'unmet', residentsShare: 0 });
    expect((run.report as any).errors.homes).toEqual([expect.objectContaining({ id: 'h-nowhere', message: expect.stringContaining('no-such-community') })]);
    expect((run.report as any).inputs.homes).toEqual({ dataset: 'ds_homes', version: null });
  }, 60_000);
});
