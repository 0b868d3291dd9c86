import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../../src/core/facilities/categories.ts';
import { listStandards } from '../../src/runtime/files/standards-catalogue.ts';
import type { Standard } from '../../src/core/standards/types.ts';
import { parseAnnexes, seedText } from './seed.ts';

/** Items per group as the document states them (党群, 公共, 志愿, 社区, 便民, 文体), read off by hand. */
const EXPECTED = {
  'guangzhou-2020-urban-basic': { annex: 1, counts: [4, 15, 3, 5, 4, 3], total: 34 },
  'guangzhou-2020-rural-basic': { annex: 2, counts: [2, 17, 3, 1, 3, 4], total: 30 },
  'guangzhou-2020-urban-quality': { annex: 3, counts: [8, 18, 3, 12, 6, 5], total: 52 },
  'guangzhou-2020-rural-quality': { annex: 4, counts: [6, 17, 3, 10, 4, 5], total: 45 },
} as const;

const GROUPS = [
  ['party', '党群服务', 'Party & community services'],
  ['public', '公共服务', 'Public services'],
  ['volunteer', '志愿服务', 'Volunteer services'],
  ['community', '社区服务', 'Community services'],
  ['convenience', '便民服务', 'Convenience services'],
  ['culture_sports', '文体服务', 'Culture & sports'],
];

/** Items not printed as `N.name`: the document's own glitches, each recorded in the item's note. */
const PRINTED_OTHERWISE: Record<string, string> = {
  'guangzhou-2020-rural-basic/community-1': '通信服务点',
  'guangzhou-2020-rural-quality/public-12': '12基本医疗服务',
};

const ONLINE = ['社区网上办事大厅服务', '“穗好办”移动政务服务', '社区“社区随约服务网上驿站”', '村“社区随约服务网上驿站”'];

const text = seedText();
const annexes = parseAnnexes(text);
const standards = listStandards();
const byId = new Map(standards.map((s) => [s.id, s]));
const ids = Object.keys(EXPECTED) as (keyof typeof EXPECTED)[];

function standard(id: string): Standard {
  const s = byId.get(id);
  if (!s) throw new Error(`standard ${id} not in the catalogue`);
  return s;
}

describe('the four Guangzhou 2020 tables', () => {
  it('are the catalogue', () => {
    expect(standards.map((s) => s.id).sort()).toEqual([...ids].sort());
    expect(annexes.map((a) => a.annex)).toEqual([1, 2, 3, 4]);
  });

  describe.each(ids)('%s', (id) => {
    const expected = EXPECTED[id];
    const s = standard(id);
    const annex = annexes[expected.annex - 1];

    it('has the six service groups in table order, with the item counts the document states', () => {
      expect(s.groups.map((g) => [g.id, g.zh, g.en])).toEqual(GROUPS);
      expect(s.groups.map((g) => g.count)).toEqual(expected.counts);
      expect(s.items).toHaveLength(expected.total);
      for (const g of s.groups) expect(s.items.filter((i) => i.group === g.id)).toHaveLength(g.count);
    });

    it('matches the "(N项)" counts parsed from the source text', () => {
      expect(annex.groups.map((g) => g.zh)).toEqual(GROUPS.map((g) => g[1]));
      expect(annex.groups.map((g) => g.stated)).toEqual(s.groups.map((g) => g.count));
    });

    it('lists exactly the items the source text prints, in order, numbered as printed', () => {
      for (const [gi, group] of s.groups.entries()) {
        const items = s.items.filter((i) => i.group === group.id);
        const expectedLines = items.map((i) => PRINTED_OTHERWISE[`${id}/${i.id}`] ?? `${i.number}.${i.zh}`);
        const otherwise = new Set(Object.values(PRINTED_OTHERWISE));
        const printed = annex.groups[gi].lines.filter((l) => /^\d/.test(l) || otherwise.has(l));
        expect(printed, `${id} group ${group.id}`).toEqual(expectedLines);
        expect(items.map((i) => i.number)).toEqual(items.map((_, k) => k + 1));
      }
    });

    it('keeps every Chinese name verbatim, and names the departments as printed', () => {
      expect(s.name.zh).toBe(annex.title);
      for (const item of s.items) {
        expect(text, item.id).toContain(item.zh);
        expect(item.lead.length, `${item.id} lead`).toBeGreaterThan(0);
        expect(item.guiding.length, `${item.id} guiding`).toBeGreaterThan(0);
        for (const d of [...item.lead, ...item.guiding]) expect(annex.groups.flatMap((g) => g.lines).join('\n'), `${item.id}: ${d}`).toContain(d);
      }
    });

    it('has unique ids of the form group-number', () => {
      expect(new Set(s.items.map((i) => i.id)).size).toBe(s.items.length);
      for (const item of s.items) expect(item.id).toBe(`${item.group}-${item.number}`);
    });

    it('gives every place known facility categories, and programmes and online services none', () => {
      for (const item of s.items) {
        if (item.kind === 'place') {
          expect(item.categories?.length, item.id).toBeGreaterThan(0);
          for (const c of item.categories!) expect(CATEGORY_IDS, `${item.id}: ${c}`).toContain(c);
          expect(new Set(item.categories).size, item.id).toBe(item.categories!.length);
        } else {
          expect(item.categories, item.id).toBeUndefined();
        }
        expect(item.kind === 'online', item.id).toBe(ONLINE.includes(item.zh));
      }
    });

    it('assumes the travel the document describes', () => {
      const urban = id.includes('urban');
      expect(s.communityType).toBe(urban ? 'urban' : 'rural');
      expect(s.level).toBe(id.endsWith('basic') ? 'basic' : 'quality');
      expect([s.mode, s.minutes]).toEqual(urban ? ['walk', 15] : ['ebike', 30]);
      expect(s.name.zh).toContain(urban ? '城市社区15分钟' : '农村社区30分钟');
      expect(s.name.zh).toContain(s.level === 'basic' ? '便民生活服务圈' : '优质生活服务圈');
      expect(s.source).toEqual({
        document: '广州市关于推进城乡社区生活服务圈建设的意见（穗社建〔2020〕4号）',
        annex: expected.annex,
        issued: '2020-07-11',
        file: 'seeds/000_1f3590b46bfd46cc.txt',
      });
    });
  });

  it('classify an item the same way wherever it appears', () => {
    const seen = new Map<string, string>();
    for (const s of standards) {
      for (const item of s.items) {
        const kind = JSON.stringify([item.kind, item.categories ?? [], item.en]);
        const first = seen.get(item.zh);
        if (first === undefined) seen.set(item.zh, kind);
        else expect(kind, `${s.id} ${item.id} ${item.zh}`).toBe(first);
      }
    }
  });

  it('say where they come from: issued 2020-07-11 as 穗社建〔2020〕4号', () => {
    expect(text).toContain('穗社建〔2020〕4号');
    expect(text).toContain('2020年7月11日');
    expect(text).toContain('广州市关于推进城乡社区生活服务圈建设的意见');
  });
});

describe('targets', () => {
  const expected: Record<string, { share: number; milestones: [string, number, number][] }> = {
    'guangzhou-2020-urban-basic': { share: 0.9, milestones: [['2020-06-30', 0.3, 0.3], ['2020-12-31', 0.6, 0.3], ['2021-06-30', 0.9, 0.3]] },
    'guangzhou-2020-rural-basic': { share: 0.5, milestones: [['2020-06-30', 0.1, 0.1], ['2020-12-31', 0.3, 0.2], ['2021-06-30', 0.5, 0.2]] },
    'guangzhou-2020-urban-quality': { share: 0.5, milestones: [['2020-12-31', 0.2, 0.2], ['2021-06-30', 0.5, 0.3]] },
    'guangzhou-2020-rural-quality': { share: 0.1, milestones: [['2020-12-31', 0.05, 0.05], ['2021-06-30', 0.1, 0.05]] },
  };

  it.each(ids)('%s: final share and cumulative milestones', (id) => {
    const target = standard(id).target!;
    expect(target.share).toBe(expected[id].share);
    expect(target.milestones.map((m) => [m.date, m.share, m.increment])).toEqual(expected[id].milestones);
    expect(text).toContain(target.quote!);
    expect(target.quote).toContain('90%的社区、50%的村');
  });

  it('agree with the percentages parsed from 一、工作目标', () => {
    const goal = /全市(\d+)%的社区、(\d+)%的村建成.*?便民生活服务圈;(\d+)%的社区、(\d+)%的村建成.*?优质生活服务圈/.exec(text);
    expect(goal).not.toBeNull();
    const [urbanBasic, ruralBasic, urbanQuality, ruralQuality] = goal!.slice(1).map((p) => Number(p) / 100);
    const finals: Record<string, number> = {
      'guangzhou-2020-urban-basic': urbanBasic,
      'guangzhou-2020-rural-basic': ruralBasic,
      'guangzhou-2020-urban-quality': urbanQuality,
      'guangzhou-2020-rural-quality': ruralQuality,
    };

    // The three dated steps: each gives what it adds, for urban and rural, basic and (from the second on) quality.
    const steps = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^\((一|二|三)\)\d{4}年/.test(l));
    expect(steps).toHaveLength(3);
    const increments: Record<string, [string, number][]> = Object.fromEntries(ids.map((id) => [id, []]));
    for (const step of steps) {
      const [, y, m, d] = /^\(.\)(\d{4})年(\d{1,2})月(\d{1,2})日前/.exec(step)!;
      const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
      const basic = /(\d+)%的城市社区、(\d+)%的?农村社区(?:完成|建成)便民生活服务圈/.exec(step);
      expect(basic, step).not.toBeNull();
      increments['guangzhou-2020-urban-basic'].push([date, Number(basic![1])]);
      increments['guangzhou-2020-rural-basic'].push([date, Number(basic![2])]);
      const quality = /(\d+)%的城市社区和(\d+)%的农村社区(?:完成|建成)优质生活服务圈/.exec(step);
      if (quality) {
        increments['guangzhou-2020-urban-quality'].push([date, Number(quality[1])]);
        increments['guangzhou-2020-rural-quality'].push([date, Number(quality[2])]);
      } else {
        expect(step, 'a step without a quality share only asks for pilots').toContain('各区选取2~3个社区(村)');
      }
    }

    for (const id of ids) {
      let cumulative = 0;
      const derived = increments[id].map(([date, percent]) => {
        cumulative += percent;
        return [date, cumulative / 100, percent / 100];
      });
      const target = standard(id).target!;
      expect(cumulative / 100, id).toBeCloseTo(finals[id], 12);
      expect(target.share, id).toBeCloseTo(finals[id], 12);
      expect(target.milestones.length, id).toBe(derived.length);
      target.milestones.forEach((m, k) => {
        expect(m.date, id).toBe(derived[k][0]);
        expect(m.share, id).toBeCloseTo(derived[k][1] as number, 12);
        expect(m.increment, id).toBeCloseTo(derived[k][2] as number, 12);
      });
    }
  });
});
