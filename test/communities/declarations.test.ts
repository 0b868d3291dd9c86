import { describe, expect, it } from 'vitest';
import { parseDeclarationRows } from '../../src/core/communities/declaration-rows.ts';
import { declaredServices, readDeclarations } from '../../src/core/communities/read-declarations.ts';
import { InputError } from '../../src/core/errors.ts';
import { decodeText } from '../../src/core/io/decode-text.ts';
import { listStandards } from '../../src/runtime/files/standards-catalogue.ts';

/**
 * Declarations in bulk (issue 12 item 5). Expected items are read off the Guangzhou annexes
 * (data/standards/README.md): 工青妇服务 is urban-basic party-4, urban-quality party-8, rural-basic
 * party-2 and rural-quality party-6; party-2 is 工青妇服务 in rural-basic but 在职党员进农村 in
 * rural-quality; 社区网上办事大厅服务 is public-2 in all four; 社区党群服务中心 is a place (urban party-1).
 */
const standards = listStandards();
const communities = [
  { id: 'SQ-0012', type: 'urban' as const },
  { id: 'V-001', type: 'rural' as const },
];
const UB = 'guangzhou-2020-urban-basic';
const UQ = 'guangzhou-2020-urban-quality';
const RB = 'guangzhou-2020-rural-basic';
const RQ = 'guangzhou-2020-rural-quality';

/** community → standard → item → provided, for comparing with plain objects. */
function provided(read: ReturnType<typeof readDeclarations>): Record<string, Record<string, Record<string, boolean>>> {
  const out: Record<string, Record<string, Record<string, boolean>>> = {};
  for (const [community, perStandard] of read.byCommunity) {
    out[community] = {};
    for (const [standard, items] of perStandard) out[community][standard] = Object.fromEntries([...items].map(([id, d]) => [id, d.provided]));
  }
  return out;
}

describe('readDeclarations: JSON rows', () => {
  it('applies an id or a Chinese name to every standard of the community\'s type that has the item', () => {
    const read = readDeclarations(
      [
        { community: 'SQ-0012', item: '工青妇服务', provided: true, source: '街道台账', date: '2024-05-01' },
        { community: 'SQ-0012', item: 'public-2', provided: false },
        { community: 'V-001', item: '工青妇服务', provided: '是' },
      ],
      { communities, standards },
    );
    expect(read.errors).toEqual([]);
    expect(provided(read)).toEqual({
      'SQ-0012': { [UB]: { 'party-4': true, 'public-2': false }, [UQ]: { 'party-8': true, 'public-2': false } },
      'V-001': { [RB]: { 'party-2': true }, [RQ]: { 'party-6': true } },
    });
    expect(read.byCommunity.get('SQ-0012')!.get(UB)!.get('party-4')).toEqual({ provided: true, source: '街道台账', date: '2024-05-01', row: 0 });
  });

  it('reads every spelling of provided, and names a bad one', () => {
    const words: [unknown, boolean][] = [[true, true], [false, false], ['yes', true], ['No', false], ['是', true], ['否', false], [1, true], ['0', false], ['已提供', true], ['未提供', false]];
    const read = readDeclarations(
      [...words.map(([value]) => ({ community: 'V-001', item: '人民调解服务', provided: value, date: '2024-01-01' })), { community: 'V-001', item: '人民调解服务', provided: 'maybe' }],
      { communities, standards },
    );
    const parsed = parseDeclarationRows(words.map(([value]) => ({ community: 'V-001', item: 'x', provided: value })));
    expect(parsed.rows.map((r) => r.provided)).toEqual(words.map(([, b]) => b));
    expect(read.errors.find((e) => e.row === words.length)?.message).toBe(
      `declarations[${words.length}]: provided: got "maybe", expected one of true/false, yes/no, 是/否, 1/0, 已提供/未提供`,
    );
  });

  it('reports unknown communities and items one by one, with a did-you-mean', () => {
    const read = readDeclarations(
      [
        { community: 'SQ-0021', item: '工青妇服务', provided: true },
        { community: 'SQ-0012', item: '周五街坊服务日', provided: true },
        { community: 'SQ-0012', item: 'publc-5', provided: true },
        { community: 'SQ-0012', item: '在职党员进农村', provided: true },
        { community: 'SQ-0012', item: '社区党群服务中心', provided: true },
        { community: 'V-001', item: 'party-2', provided: true },
        { community: 'SQ-0012', item: '人民调解服务', provided: true, colour: 'red' },
        { community: 'SQ-0012', item: '人民调解服务', provided: true },
      ],
      { communities, standards },
    );
    expect(read.errors.map((e) => e.row)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const [community, name, id, otherType, place, ambiguous, field] = read.errors.map((e) => e.message);
    expect(community).toBe('declarations[0]: community "SQ-0021" is not among the communities assessed (did you mean "SQ-0012"?)');
    expect(read.errors[0]).toMatchObject({ community: 'SQ-0021', item: '工青妇服务' });
    expect(name).toBe('declarations[1]: item "周五街坊服务日" is not an item of the standards assessed (did you mean "周五街坊主题服务日"?)');
    expect(id).toBe('declarations[2]: item "publc-5" is not an item of the standards assessed (did you mean "public-5"?)');
    expect(otherType).toContain(`is an item of ${RQ}`);
    expect(otherType).toContain('the community is urban');
    expect(place).toContain('is a place item');
    expect(ambiguous).toContain(`工青妇服务 in ${RB}`);
    expect(ambiguous).toContain(`在职党员进农村 in ${RQ}`);
    expect(field).toBe('declarations[6]: unknown field "colour"; the fields are community, item, provided, source, date');
    // The good row still counts.
    expect(provided(read)).toEqual({ 'SQ-0012': { [UB]: { 'public-5': true }, [UQ]: { 'public-5': true } } });
  });

  it('looks items up only in the standards assessed', () => {
    const urbanBasic = standards.filter((s) => s.id === UB);
    const read = readDeclarations([{ community: 'SQ-0012', item: '工青妇服务', provided: true }, { community: 'V-001', item: '工青妇服务', provided: true }], { communities, standards: urbanBasic });
    expect(provided(read)).toEqual({ 'SQ-0012': { [UB]: { 'party-4': true } } });
    expect(read.errors.map((e) => e.row)).toEqual([1]);
    expect(read.errors[0].message).toContain(`is an item of ${UB}, which assesses urban communities; the community is rural`);
  });

  it('keeps the later-dated of two contradicting rows (else the later row) and reports the other', () => {
    const read = readDeclarations(
      [
        { community: 'V-001', item: '人民调解服务', provided: true, date: '2024-06-01' },
        { community: 'V-001', item: 'public-5', provided: false, date: '2023-01-01' },
        { community: 'SQ-0012', item: '人民调解服务', provided: true },
        { community: 'SQ-0012', item: '人民调解服务', provided: false },
        { community: 'SQ-0012', item: 'public-2', provided: true },
        { community: 'SQ-0012', item: 'public-2', provided: true, source: 'survey' },
      ],
      { communities, standards },
    );
    expect(provided(read)).toEqual({
      'V-001': { [RB]: { 'public-5': true }, [RQ]: { 'public-5': true } },
      'SQ-0012': { [UB]: { 'public-5': false, 'public-2': true }, [UQ]: { 'public-5': false, 'public-2': true } },
    });
    // One report per standard the superseded row lost in; rows that agree are merged silently.
    expect(read.errors.map((e) => e.row)).toEqual([1, 1, 2, 2]);
    expect(read.errors[0].message).toBe(`declarations[1]: superseded for ${RB} public-5 (人民调解服务) by declarations[0], which says provided, dated later (2024-06-01)`);
    expect(read.errors[2].message).toContain('later in the input, no date telling them apart');
    expect(read.byCommunity.get('SQ-0012')!.get(UB)!.get('public-2')).toEqual({ provided: true, source: 'survey', row: 5 });
  });

  it('refuses input that is no table at all', () => {
    expect(() => readDeclarations({ community: 'x' }, { communities, standards })).toThrow(InputError);
    expect(() => readDeclarations({ community: 'x' }, { communities, standards })).toThrow(/expected an array of rows/);
  });
});

describe('readDeclarations: CSV', () => {
  it('reads UTF-8 text with a BOM, quoted cells and English headers (rows named as a spreadsheet shows them)', () => {
    const csv = '\uFEFFcommunity,item,provided,source,date,note\r\nSQ-0012,工青妇服务,yes,"街道台账, 第2册",2024-05-01,x\r\n\r\nSQ-0012,没有这项,no,,,\r\n';
    const read = readDeclarations(csv, { communities, standards });
    expect(provided(read)).toEqual({ 'SQ-0012': { [UB]: { 'party-4': true }, [UQ]: { 'party-8': true } } });
    expect(read.byCommunity.get('SQ-0012')!.get(UB)!.get('party-4')).toEqual({ provided: true, source: '街道台账, 第2册', date: '2024-05-01', row: 2 });
    // Row 3 is blank; the unknown item is on spreadsheet row 4.
    expect(read.errors).toHaveLength(1);
    expect(read.errors[0]).toMatchObject({ row: 4, community: 'SQ-0012', item: '没有这项' });
    expect(read.errors[0].message).toMatch(/^CSV row 4: item "没有这项" is not an item/);
  });

  it('reads the same rows from UTF-8 bytes and from GBK bytes with Chinese headers', () => {
    // "社区,指标,是否提供,来源,日期\r\nV-001,工青妇服务,是,镇街台账,2024/5/1\r\nV-001,人民调解服务,否,,\r\n" in GBK
    // (encoded by Python's gbk codec, not by this code).
    const gbk = Buffer.from(
      'c9e7c7f82cd6b8b1ea2ccac7b7f1cce1b9a92cc0b4d4b42cc8d5c6da0d0a562d3030312cb9a4c7e0b8beb7fecef12ccac72cd5f2bdd6cca8d5cb2c323032342f352f310d0a562d3030312cc8cbc3f1b5f7bde2b7fecef12cb7f12c2c0d0a',
      'hex',
    );
    const text = '社区,指标,是否提供,来源,日期\r\nV-001,工青妇服务,是,镇街台账,2024/5/1\r\nV-001,人民调解服务,否,,\r\n';
    expect(decodeText(gbk)).toEqual({ text, encoding: 'gbk' });
    const expected = { 'V-001': { [RB]: { 'party-2': true, 'public-5': false }, [RQ]: { 'party-6': true, 'public-5': false } } };
    for (const input of [gbk, new Uint8Array(Buffer.from(text, 'utf8')), text]) {
      const read = readDeclarations(input, { communities, standards });
      expect(read.errors).toEqual([]);
      expect(provided(read)).toEqual(expected);
      expect(read.byCommunity.get('V-001')!.get(RQ)!.get('party-6')).toEqual({ provided: true, source: '镇街台账', date: '2024-05-01', row: 2 });
    }
    expect(parseDeclarationRows(gbk).format).toBe('csv (gbk)');
  });

  it('takes semicolons or tabs as the header does, and says which columns are missing', () => {
    const read = readDeclarations('社区;指标;是否提供\nV-001;人民调解服务;已提供\n', { communities, standards });
    expect(provided(read)).toEqual({ 'V-001': { [RB]: { 'public-5': true }, [RQ]: { 'public-5': true } } });
    expect(readDeclarations('community\titem\tprovided\nV-001\tpublic-5\t1\n', { communities, standards }).errors).toEqual([]);
    expect(() => readDeclarations('community,item\nV-001,public-5\n', { communities, standards })).toThrow(/no provided \(provided, 是否提供/);
    expect(() => readDeclarations('community,item,provided\n"V-001,public-5,1\n', { communities, standards })).toThrow(/not readable as CSV/);
    expect(() => readDeclarations('community,item,provided\nV\u0000,public-5,1\n', { communities, standards })).toThrow(/NUL/);
  });

  it('names bad dates by row', () => {
    const read = readDeclarations('社区,指标,是否提供,日期\nV-001,人民调解服务,是,2024年5月1日\nV-001,工青妇服务,是,2024-02-30\n', { communities, standards });
    expect(read.byCommunity.get('V-001')!.get(RB)!.get('public-5')!.date).toBe('2024-05-01');
    expect(read.errors.map((e) => e.message)).toEqual(['CSV row 3: date: got "2024-02-30", expected a date YYYY-MM-DD (or YYYY/M/D, YYYY年M月D日)']);
  });
});

describe('declaredServices', () => {
  it('merges services with declarations per standard; a declaration wins both ways', () => {
    const read = readDeclarations(
      [
        { community: 'SQ-0012', item: '社区网上办事大厅服务', provided: false, source: '2024 survey' },
        { community: 'SQ-0012', item: '工青妇服务', provided: true },
      ],
      { communities, standards },
    );
    const declared = declaredServices({ id: 'SQ-0012', services: ['public-2', 'public-5'] }, read.byCommunity);
    expect([...declared.forStandard(UB)].sort()).toEqual(['party-4', 'public-5']);
    expect([...declared.forStandard(UQ)].sort()).toEqual(['party-8', 'public-5']);
    // A standard the declarations do not touch: services alone.
    expect([...declared.forStandard('my-own')].sort()).toEqual(['public-2', 'public-5']);
    expect(declared.declaration(UB, 'public-2')).toEqual({ provided: false, source: '2024 survey', row: 0 });
    expect(declared.declaration(UB, 'public-5')).toBeUndefined();
    const none = declaredServices({ id: 'V-001', services: ['x'] }, read.byCommunity);
    expect([...none.forStandard(RB)]).toEqual(['x']);
    expect([...declaredServices({ id: 'V-001', services: [] }, undefined).forStandard(RB)]).toEqual([]);
  });
});
