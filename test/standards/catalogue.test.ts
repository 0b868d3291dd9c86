import { tmpdir } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { getStandard, listStandards, resolveStandards } from '../../src/runtime/files/standards-catalogue.ts';

/** In annex order. */
const IDS = ['guangzhou-2020-urban-basic', 'guangzhou-2020-rural-basic', 'guangzhou-2020-urban-quality', 'guangzhou-2020-rural-quality'];

function custom(id = 'my-town') {
  return {
    id,
    name: { zh: '我镇', en: 'My town' },
    communityType: 'rural',
    level: 'basic',
    mode: 'bike',
    minutes: 20,
    groups: [{ id: 'daily', zh: '日常', en: 'Daily needs', count: 1 }],
    items: [{ id: 'daily-1', group: 'daily', number: 1, zh: '便利店', en: 'Convenience store', lead: [], guiding: [], kind: 'place', categories: ['convenience_store'] }],
  };
}

function thrown(f: () => unknown): InputError {
  try {
    f();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('the standards catalogue', () => {
  it('lists the shipped standards, in annex order', () => {
    expect(listStandards().map((s) => s.id)).toEqual(IDS);
  });

  it('returns one shared, frozen object per standard', () => {
    const s = getStandard('guangzhou-2020-urban-basic');
    expect(s).toBe(listStandards()[0]);
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.items[0].categories)).toBe(true);
  });

  it('names the known ids when asked for an unknown one', () => {
    const err = thrown(() => getStandard('guangzhou-2020-urban-basci'));
    expect(err.code).toBe('INVALID_PARAMETER');
    expect(err.message).toBe(
      'standard: "guangzhou-2020-urban-basci" is not a known standard (did you mean "guangzhou-2020-urban-basic"?); the standards are ' + IDS.join(', '),
    );
  });

  it('finds its folder from the module, whatever the working directory', async () => {
    const cwd = process.cwd();
    vi.resetModules();
    try {
      process.chdir(tmpdir());
      const fresh = await import('../../src/runtime/files/standards-catalogue.ts');
      expect(fresh.listStandards().map((s) => s.id)).toEqual(IDS);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('resolveStandards', () => {
  it('gives every shipped standard when asked for none', () => {
    expect(resolveStandards().map((s) => s.id)).toEqual(IDS);
  });

  it('gives the shipped standards asked for, in the order asked', () => {
    expect(resolveStandards(['guangzhou-2020-urban-quality', 'guangzhou-2020-rural-basic']).map((s) => s.id)).toEqual([
      'guangzhou-2020-urban-quality',
      'guangzhou-2020-rural-basic',
    ]);
  });

  it('validates and adds custom standards, one or several', () => {
    expect(resolveStandards(undefined, custom()).map((s) => s.id)).toEqual(['my-town']);
    expect(resolveStandards(['guangzhou-2020-rural-basic'], [custom('a'), custom('b')]).map((s) => s.id)).toEqual(['guangzhou-2020-rural-basic', 'a', 'b']);
  });

  it('names the bad custom standard and its problem', () => {
    const bad = custom();
    bad.items[0].categories = ['convenience'];
    const err = thrown(() => resolveStandards([], [custom('a'), bad]));
    expect(err.where).toBe('standard[1]');
    expect(err.message).toBe('standard[1].items[0].categories[0]: "convenience" is not a facility category');
  });

  it('rejects unknown ids, repeated ids and custom standards that reuse a shipped id', () => {
    expect(thrown(() => resolveStandards(['guangzhou-2020-urban-basic', 'nope'])).message).toMatch(/^standards\[1\]: "nope" is not a known standard; the standards are /);
    expect(thrown(() => resolveStandards(['guangzhou-2020-urban-basic', 'guangzhou-2020-urban-basic'])).message).toBe(
      'standards[1]: standard "guangzhou-2020-urban-basic" is already given by standards[0]',
    );
    expect(thrown(() => resolveStandards(undefined, [custom('a'), custom('a')])).message).toBe('standard[1]: standard "a" is already given by standard[0]');
    expect(thrown(() => resolveStandards(undefined, custom('guangzhou-2020-urban-basic'))).message).toBe(
      'standard.id: "guangzhou-2020-urban-basic" is the id of a shipped standard; give your own standard another id',
    );
  });

  it('rejects an empty request', () => {
    expect(thrown(() => resolveStandards([])).message).toBe('standards: none given, expected at least one standard');
  });
});
