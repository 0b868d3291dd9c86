import { describe, expect, it } from 'vitest';
import { showValue } from '../../src/core/errors.ts';
import { MAX_JSON_DEPTH, badCharacterIn, findBadString, firstBadEscape, parseJsonText, scanJsonText } from '../../src/core/io/json-text.ts';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const thrown = (fn: () => unknown): any => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected it to throw');
};

describe('the JSON text scan', () => {
  it('measures nesting past strings that hold brackets, and stops at the first level too deep', () => {
    expect(scanJsonText(bytes(nested(MAX_JSON_DEPTH)))).toEqual({});
    expect(scanJsonText(bytes(nested(MAX_JSON_DEPTH + 1)))).toEqual({ tooDeepAt: MAX_JSON_DEPTH });
    expect(scanJsonText(bytes(`{"a":"${'['.repeat(100)}\\"["}`))).toEqual({});
    expect(scanJsonText(bytes(`{"a":${nested(5000)}}`))).toEqual({ tooDeepAt: 4 + MAX_JSON_DEPTH });
  });

  it.each([
    ['a NUL', '"a\\u0000b"', 2],
    ['a lone high surrogate', '"a\\ud800b"', 2],
    ['a high surrogate at the end of the string', '"a\\uD83D"', 2],
    ['a lone low surrogate', '"\\udc00"', 1],
    ['two high surrogates', '"\\ud800\\ud800"', 1],
    ['an escaped backslash, then a NUL', '"\\\\\\u0000"', 3],
    ['a NUL in a key', '{"k\\u0000":1}', 3],
  ])('finds %s, by scan and by indexOf alike', (_, text, at) => {
    expect(scanJsonText(bytes(text))).toEqual({ badEscapeAt: at });
    expect(firstBadEscape(bytes(text))).toBe(at);
  });

  it.each([
    ['a surrogate pair', '"\\ud83d\\ude00"'],
    ['an escaped backslash before the letters u0000', '"\\\\u0000"'],
    ['the raw character (UTF-8)', '"😀 社区"'],
    ['other escapes', '"\\u0041\\n\\t\\u4e2d"'],
  ])('passes %s', (_, text) => {
    expect(scanJsonText(bytes(text))).toEqual({});
    expect(firstBadEscape(bytes(text))).toBeUndefined();
    expect(badCharacterIn(JSON.parse(text))).toBeUndefined();
  });
});

describe('parseJsonText', () => {
  it('names the path of a bad string: object members, array indices, keys', () => {
    const body = { communities: { type: 'FeatureCollection', features: [{}, {}, {}, { properties: { name: 'a\u0000b' } }] } };
    expect(thrown(() => parseJsonText(bytes(JSON.stringify(body)), { what: 'request body' }))).toMatchObject({
      code: 'INVALID_PARAMETER',
      where: 'communities.features[3].properties.name',
      message: 'communities.features[3].properties.name: holds a NUL character (\\u0000), which no text may hold (it could not be stored)',
    });
    const lone = JSON.stringify({ facilities: [{ id: 'x\ud800' }] });
    expect(lone).toContain('\\ud800'); // JSON.stringify escapes a lone surrogate
    expect(thrown(() => parseJsonText(bytes(lone), { what: 'request body', root: 'upload', badStringCode: 'INVALID_GEOJSON' }))).toMatchObject({
      code: 'INVALID_GEOJSON',
      where: 'upload.facilities[0].id',
      message: expect.stringMatching(/^upload\.facilities\[0\]\.id: holds a lone UTF-16 surrogate \(\\ud800\)/),
    });
    expect(thrown(() => parseJsonText(bytes('{"ok":1,"bad\\u0000key":2}'), { what: 'request body' }))).toMatchObject({ where: 'bad\\u0000key (the key)' });
  });

  it('refuses nesting past the limit before parsing: INVALID_JSON', () => {
    expect(thrown(() => parseJsonText(bytes(`{"origins":${nested(5000)}}`), { what: 'request body' }))).toMatchObject({
      code: 'INVALID_JSON',
      message: `request body: nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays (at byte ${11 + MAX_JSON_DEPTH - 1}); no input needs more`,
    });
    expect(parseJsonText(bytes(nested(MAX_JSON_DEPTH)), { what: 'request body' })).toBeInstanceOf(Array);
  });

  it('walks any depth without recursion (a value built in code, not parsed)', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findBadString(deep, 'v')?.path).toBe(`v${'[0]'.repeat(100_000)}`);
  });
});

describe('showValue', () => {
  it('quotes values as the input has them, NaN spelled out, cut to a length', () => {
    expect(showValue([104.1, NaN, '23', null, true])).toBe('[104.1, NaN, "23", null, true]');
    expect(showValue({ code: 1, list: [1, 2] })).toBe('{"code":1,"list":[1, 2]}');
    expect(showValue('x'.repeat(200))).toBe(`"${'x'.repeat(76)}...`);
  });

  it('never descends past a few levels nor reads past what it shows', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(showValue(deep)).toBe('[[[[…]]]]');
    const wide = Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(showValue(wide)).toMatch(/^\[0, 1, 2, .*\.\.\.$/);
    expect(showValue(wide)).toHaveLength(80);
  });
});
