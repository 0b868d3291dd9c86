import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveNightlyConfig } from '../../src/runtime/nightly/config.ts';
import { fingerprint, loadInputs } from '../../src/runtime/nightly/inputs.ts';
import type { Sql } from '../../src/runtime/store/index.ts';
import { TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';

/**
 * The nightly's `declarations` entry (issue 12 item 5): a file of JSON rows or CSV (GBK here) read
 * with the same reader as the API, matched to the job's communities and standards, its unapplied
 * rows counted in the job's problems, and part of the step's fingerprint only when given.
 */
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-nightly-declarations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string | Buffer) => {
  writeFileSync(join(dir, name), content);
  return name;
};
write('network.geojson', JSON.stringify(town.network));
write('facilities.geojson', JSON.stringify(TOWN_FACILITIES));
write('communities.geojson', JSON.stringify(fc([town.point('V-001', town.at('b'), { type: 'rural' }), town.point('north', town.at('f'), { type: 'urban' })])));
// "社区,指标,是否提供,来源,日期\r\nV-001,工青妇服务,是,镇街台账,2024/5/1\r\nV-001,人民调解服务,否,,\r\n" in GBK (Python's codec).
write(
  'declarations.csv',
  Buffer.from(
    'c9e7c7f82cd6b8b1ea2ccac7b7f1cce1b9a92cc0b4d4b42cc8d5c6da0d0a562d3030312cb9a4c7e0b8beb7fecef12ccac72cd5f2bdd6cca8d5cb2c323032342f352f310d0a562d3030312cc8cbc3f1b5f7bde2b7fecef12cb7f12c2c0d0a',
    'hex',
  ),
);
write('declarations.json', JSON.stringify([{ community: 'north', item: '工青妇服务', provided: true }, { community: 'east', item: '工青妇服务', provided: true }]));

const jobOf = (extra: Record<string, unknown>) =>
  resolveNightlyConfig(
    { outDir: 'out', jobs: [{ name: 'town', network: 'network.geojson', communities: 'communities.geojson', facilities: 'facilities.geojson', ...extra }] },
    join(dir, 'nightly.json'),
  ).jobs[0];
// File inputs only: the store is never asked.
const noStore = {} as Sql;

describe('nightly declarations', () => {
  it('reads a GBK CSV file and matches it to the job\'s communities and standards', async () => {
    const job = jobOf({ declarations: 'declarations.csv' });
    expect(job.declarations).toEqual({ file: join(dir, 'declarations.csv') });
    const inputs = await loadInputs(job, noStore);
    const village = inputs.declarations!.byCommunity.get('V-001')!;
    expect([...village.keys()].sort()).toEqual(['guangzhou-2020-rural-basic', 'guangzhou-2020-rural-quality']);
    expect(village.get('guangzhou-2020-rural-quality')!.get('party-6')).toEqual({ provided: true, source: '镇街台账', date: '2024-05-01', row: 2 });
    expect(village.get('guangzhou-2020-rural-basic')!.get('public-5')).toEqual({ provided: false, row: 3 });
    expect(inputs.problems.declarations).toBe(0);
  });

  it('reads JSON rows, counting the rows it cannot apply; only the given standards are looked in', async () => {
    const inputs = await loadInputs(jobOf({ declarations: 'declarations.json', standards: ['guangzhou-2020-urban-basic'] }), noStore);
    expect([...inputs.declarations!.byCommunity.get('north')!.get('guangzhou-2020-urban-basic')!.keys()]).toEqual(['party-4']);
    expect(inputs.problems).toMatchObject({ declarations: 1, firstDeclarationProblem: 'declarations[1]: community "east" is not among the communities assessed' });
  });

  it('is part of the fingerprint when given, and leaves it as it was when not', async () => {
    const without = await fingerprint(jobOf({}), noStore);
    expect(without.inputs).not.toHaveProperty('declarations');
    const withCsv = await fingerprint(jobOf({ declarations: 'declarations.csv' }), noStore);
    expect(withCsv.inputs.declarations).toMatchObject({ file: join(dir, 'declarations.csv'), bytes: 94 }); // the GBK bytes above: 94 (Python's len)
    expect(withCsv.hash).not.toBe(without.hash);
  });

  it('refuses a config naming a declarations file that is not there', () => {
    expect(() => jobOf({ declarations: 'missing.csv' })).toThrow(/jobs\[0\]\.declarations: missing\.csv: cannot read it/);
  });
});
