import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { validateStandard } from '../../src/core/standards/validate.ts';

/** The smallest useful custom standard: one group, one place, one programme. */
function minimal(): Record<string, any> {
  return {
    id: 'my-town-2024',
    name: { zh: '我镇生活圈', en: 'My town' },
    communityType: 'urban',
    level: 'basic',
    mode: 'walk',
    minutes: 15,
    groups: [{ id: 'daily', zh: '日常', en: 'Daily needs', count: 2 }],
    items: [
      { id: 'daily-1', group: 'daily', number: 1, zh: '菜市场', en: 'Fresh-food market', lead: [], guiding: [], kind: 'place', categories: ['fresh_market'] },
      { id: 'daily-2', group: 'daily', number: 2, zh: '社区协商服务', en: 'Community consultation', lead: [], guiding: [], kind: 'programme' },
    ],
  };
}

function errorOf(input: unknown, where?: string): InputError {
  try {
    validateStandard(input, where);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected validateStandard to throw');
}

describe('validateStandard', () => {
  it('accepts a minimal custom standard and returns it', () => {
    const input = minimal();
    expect(validateStandard(input)).toBe(input);
  });

  it('accepts a travelAssumption in zh and en, and names what is wrong with one', () => {
    const input = minimal();
    input.travelAssumption = { zh: '出行方式为我们的假设', en: 'the mode is our assumption' };
    expect(validateStandard(input)).toBe(input);
    input.travelAssumption = { zh: '', english: 'x' };
    const message = errorOf(input).message;
    expect(message).toContain('standard.travelAssumption: unknown field "english"');
    expect(message).toContain('standard.travelAssumption.zh: got an empty string, expected a non-empty string');
    expect(message).toContain('standard.travelAssumption.en: got nothing, expected a non-empty string');
  });

  it('accepts the optional parts: source, target with milestones, notes, an online item', () => {
    const input = minimal();
    input.source = { document: 'My plan', annex: 1, issued: '2024-02-29', file: 'plan.pdf' };
    input.target = {
      share: 0.9,
      milestones: [
        { date: '2024-06-30', share: 0.3, increment: 0.3 },
        { date: '2024-12-31', share: 0.6, increment: 0.3 },
        { date: '2025-06-30', share: 0.9, increment: 0.3 },
      ],
      quote: '90%',
    };
    input.groups[0].count = 3;
    input.items.push({ id: 'daily-3', group: 'daily', number: 3, zh: '网上办事', en: 'Online services', lead: ['区政府'], guiding: [], kind: 'online', note: 'app' });
    expect(validateStandard(input)).toBe(input);
  });

  const broken: [string, (s: Record<string, any>) => unknown, string][] = [
    ['no id', (s) => delete s.id, 'standard.id: got nothing, expected an id'],
    ['an id with spaces', (s) => (s.id = 'my town'), 'standard.id: got "my town", expected an id'],
    ['a misspelt field', (s) => (s.items[0].catgories = s.items[0].categories), 'standard.items[0]: unknown field "catgories" (did you mean "categories"?)'],
    ['a misspelt category', (s) => (s.items[0].categories = ['clinc']), 'standard.items[0].categories[0]: "clinc" is not a facility category (did you mean "clinic"?)'],
    ['a place without categories', (s) => delete s.items[0].categories, 'standard.items[0].categories: missing, expected at least one facility category for a place item'],
    ['a place with no category listed', (s) => (s.items[0].categories = []), 'standard.items[0].categories: got an empty array, expected at least one facility category'],
    ['a programme with categories', (s) => (s.items[1].categories = ['clinic']), 'standard.items[1].categories: a programme item takes no facility categories (got an array ["clinic"])'],
    ['an unknown kind', (s) => (s.items[0].kind = 'facility'), 'standard.items[0].kind: got "facility", expected one of place, programme, online'],
    ['duplicate item ids', (s) => (s.items[1].id = 'daily-1'), 'standard.items[1].id: "daily-1" is already used by items[0]'],
    ['duplicate numbers in a group', (s) => (s.items[1].number = 1), 'standard.items[1].number: 1 is already used in group "daily" by items[0]'],
    ['an undeclared group', (s) => (s.items[1].group = 'dialy'), 'standard.items[1].group: "dialy" is not a declared group (did you mean "daily"?)'],
    ['a group count that does not match', (s) => (s.groups[0].count = 3), 'standard.groups[0]: says 3 items, the standard lists 2 in group "daily"'],
    ['duplicate group ids', (s) => s.groups.push({ ...s.groups[0] }), 'standard.groups[1].id: "daily" is already used by groups[0]'],
    ['an unknown mode', (s) => (s.mode = 'foot'), 'standard.mode: got "foot", expected one of walk, bike, ebike, car'],
    ['zero minutes', (s) => (s.minutes = 0), 'standard.minutes: got 0, expected a number greater than 0 and at most 180'],
    ['too many minutes', (s) => (s.minutes = 181), 'standard.minutes: got 181, expected a number greater than 0 and at most 180'],
    ['minutes as a string', (s) => (s.minutes = '15'), 'standard.minutes: got "15", expected a number'],
    ['an unknown community type', (s) => (s.communityType = 'town'), 'standard.communityType: got "town", expected one of urban, rural'],
    ['an unknown level', (s) => (s.level = 'premium'), 'standard.level: got "premium", expected one of basic, quality'],
    ['a missing English name', (s) => delete s.name.en, 'standard.name.en: got nothing, expected a non-empty string'],
    ['departments not a list', (s) => (s.items[0].lead = '各区政府'), 'standard.items[0].lead: got "各区政府", expected an array'],
    ['no items', (s) => (s.items = []), 'standard.items: got an empty array, expected at least one item'],
    ['a share above 1', (s) => (s.target = { share: 90, milestones: [] }), 'standard.target.share: got 90, expected a share from 0 to 1'],
    ['a milestone share below 0', (s) => (s.target = { share: 0.5, milestones: [{ date: '2020-06-30', share: -0.1, increment: 0 }] }), 'standard.target.milestones[0].share: got -0.1, expected a share from 0 to 1'],
    ['an impossible date', (s) => (s.target = { share: 0.5, milestones: [{ date: '2020-02-30', share: 0.5, increment: 0.5 }] }), 'standard.target.milestones[0].date: got "2020-02-30", expected a date written YYYY-MM-DD'],
    [
      'milestones out of order',
      (s) => (s.target = { share: 0.6, milestones: [{ date: '2020-12-31', share: 0.3, increment: 0.3 }, { date: '2020-06-30', share: 0.6, increment: 0.3 }] }),
      'standard.target.milestones[1].date: got "2020-06-30", expected a date after 2020-12-31',
    ],
    [
      'a cumulative share that falls',
      (s) => (s.target = { share: 0.6, milestones: [{ date: '2020-06-30', share: 0.3, increment: 0.3 }, { date: '2020-12-31', share: 0.2, increment: 0.2 }] }),
      'standard.target.milestones[1].share: got 0.2, expected at least 0.3 (shares are cumulative)',
    ],
    [
      'an increment that does not add up',
      (s) => (s.target = { share: 0.9, milestones: [{ date: '2020-06-30', share: 0.3, increment: 0.3 }, { date: '2020-12-31', share: 0.9, increment: 0.3 }] }),
      "standard.target.milestones[1].increment: got 0.3, expected 0.6 (its share minus the previous milestone's)",
    ],
    [
      'a milestone beyond the final share',
      (s) => (s.target = { share: 0.5, milestones: [{ date: '2020-06-30', share: 0.6, increment: 0.6 }] }),
      'standard.target.milestones[0].share: got 0.6, expected at most the final share 0.5',
    ],
  ];

  it.each(broken)('rejects %s', (_, mutate, fragment) => {
    const input = minimal();
    mutate(input);
    const err = errorOf(input);
    expect(err.code).toBe('INVALID_PARAMETER');
    expect(err.where).toBe('standard');
    expect(err.message).toContain(fragment);
  });

  it('rejects what is not an object', () => {
    expect(errorOf([]).message).toBe('standard: got an empty array, expected an object');
    expect(errorOf(null).message).toBe('standard: got null, expected an object');
    expect(errorOf('guangzhou').message).toBe('standard: got "guangzhou", expected an object');
  });

  it('names the input as told', () => {
    const input = minimal();
    input.minutes = -1;
    const err = errorOf(input, 'custom[2]');
    expect(err.message).toBe('custom[2].minutes: got -1, expected a number greater than 0 and at most 180');
    expect(err.where).toBe('custom[2]');
  });

  it('reports several problems in one message', () => {
    const input = minimal();
    input.mode = 'foot';
    input.items[0].categories = ['clinc'];
    input.items[1].group = 'other';
    const err = errorOf(input);
    expect(err.message).toMatch(/^standard: 4 problems: standard\.mode: got "foot"/);
    expect(err.message).toContain('; standard.items[0].categories[0]: "clinc" is not a facility category (did you mean "clinic"?)');
    expect(err.message).toContain('; standard.items[1].group: "other" is not a declared group; the groups are daily');
    expect(err.message).toContain('; standard.groups[0]: says 2 items, the standard lists 1 in group "daily"');
  });

  it('lists the first ten problems and counts the rest', () => {
    const input = minimal();
    input.items[0].categories = Array.from({ length: 14 }, (_, i) => `nope${i}`);
    const err = errorOf(input);
    expect(err.message).toMatch(/^standard: 14 problems: /);
    expect(err.message).toContain('categories[9]: "nope9"');
    expect(err.message).not.toContain('categories[10]');
    expect(err.message).toMatch(/; and 4 more$/);
  });
});
