import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { BODY_SCHEMAS } from '../../src/runtime/requests/bodies.ts';
import { LIMITS } from '../../src/runtime/requests/params.ts';
import { StringEnum, checkedByCore, hinted } from '../../src/runtime/requests/schema.ts';
import { readBody, schemaProblem } from '../../src/runtime/requests/schema-check.ts';

/*
 * The one check of request bodies (src/runtime/requests/schema-check.ts): TypeBox's compiled check of the
 * documented schemas, with the core's "where: got X, expected Y" messages and codes. Expectations are
 * written out by hand, as a client would read them.
 */
const origins = { type: 'FeatureCollection', features: [] };
const problemOf = (body: unknown) => {
  const problem = schemaProblem(BODY_SCHEMAS.isochrones, body);
  return problem && { code: problem.code, where: problem.where, message: problem.message };
};

describe('readBody on the isochrones body', () => {
  it('passes a valid body through untouched: nothing coerced, no defaults filled in', () => {
    const body = { origins, minutes: [15, 5], mode: 'bike', ferries: true };
    expect(readBody(BODY_SCHEMAS.isochrones, body)).toBe(body);
    expect(body).toEqual({ origins, minutes: [15, 5], mode: 'bike', ferries: true });
  });

  it.each([
    ['a number as a string', { origins, minutes: [5], speedKmh: '5' }, 'INVALID_PARAMETER', 'speedKmh', 'speedKmh: got "5", expected a number'],
    ['zero speed', { origins, minutes: [5], speedKmh: 0 }, 'INVALID_PARAMETER', 'speedKmh', `speedKmh: got 0, expected a number greater than 0 and at most ${LIMITS.maxSpeedKmh}`],
    ['a speed over its maximum (a wrong value, not a limit)', { origins, minutes: [5], speedKmh: 201 }, 'INVALID_PARAMETER', 'speedKmh', 'speedKmh: got 201, expected a number greater than 0 and at most 200'],
    ['a budget over the maximum (a limit)', { origins, minutes: [5, 181] }, 'LIMIT_EXCEEDED', 'minutes[1]', 'minutes[1]: got 181, expected a number greater than 0 and at most 180'],
    ['a negative budget', { origins, minutes: [-5] }, 'INVALID_PARAMETER', 'minutes[0]', 'minutes[0]: got -5, expected a number greater than 0 and at most 180'],
    ['too many budgets', { origins, minutes: Array.from({ length: 13 }, (_, i) => i + 1) }, 'LIMIT_EXCEEDED', 'minutes', 'minutes: got 13 budgets, at most 12 are allowed'],
    ['no budgets', { origins, minutes: [] }, 'INVALID_PARAMETER', 'minutes', 'minutes: got an empty array, expected a non-empty array of minutes, e.g. [5, 10, 15]'],
    ['an unknown mode', { origins, minutes: [5], mode: 'fly' }, 'INVALID_PARAMETER', 'mode', 'mode: got "fly", expected one of walk, bike, ebike, car'],
    ['a mode that is not a string', { origins, minutes: [5], mode: 3 }, 'INVALID_PARAMETER', 'mode', 'mode: got 3, expected one of walk, bike, ebike, car'],
    ['a flag that is not a boolean', { origins, minutes: [5], ferries: 'yes' }, 'INVALID_PARAMETER', 'ferries', 'ferries: got "yes", expected true or false'],
    ['origins that are not an object (GeoJSON is its reader\'s to check)', { origins: [1], minutes: [5] }, 'INVALID_PARAMETER', 'origins', 'origins: got an array, expected an object'],
    ['a body that is not an object', 'hello', 'INVALID_PARAMETER', 'body', 'body: got "hello", expected an object'],
    ['null', null, 'INVALID_PARAMETER', 'body', 'body: got null, expected an object'],
  ])('answers %s', (_, body, code, where, message) => {
    expect(problemOf(body)).toEqual({ code, where, message });
  });

  it('tells all the keys at fault at once, a misspelling beside what it misses', () => {
    expect(problemOf({ origin: origins, minutes: [5] })).toEqual({ code: 'INVALID_PARAMETER', where: 'origin', message: 'origin: is not a known parameter (did you mean "origins"?); origins: is required' });
    expect(problemOf({ origins, minutes: [5], colour: 'red' })).toEqual({ code: 'INVALID_PARAMETER', where: 'colour', message: 'colour: is not a known parameter (check the spelling)' });
    expect(problemOf({ origins })).toEqual({ code: 'INVALID_PARAMETER', where: 'minutes', message: 'minutes: is required' });
    // A key present but undefined (as a CLI's unset option) is a missing one, not a wrong value.
    expect(problemOf({ origins, minutes: undefined })).toEqual({ code: 'INVALID_PARAMETER', where: 'minutes', message: 'minutes: is required' });
    expect(problemOf({ origins, minutes: [5], mode: undefined })).toBeUndefined();
  });

  it('tells a bare GeoJSON body what to wrap it in', () => {
    expect(schemaProblem(BODY_SCHEMAS.coverage, origins)?.message).toBe('body: got a bare GeoJSON FeatureCollection, expected an object naming its inputs: wrap it as {"communities": …}');
  });
});

describe('schema kinds and hints', () => {
  const schema = Type.Object(
    {
      kind: StringEnum(['a', 'b'] as const),
      part: Type.Optional(checkedByCore({ description: 'read by its reader' }, ['object', 'null'])),
      share: Type.Optional(hinted(Type.Number({ exclusiveMinimum: 0, maximum: 1 }), { expected: 'a share greater than 0 and at most 1' })),
      count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
      nested: Type.Optional(Type.Object({ id: Type.String({ pattern: '^ds_' }) }, { additionalProperties: false })),
    },
    { additionalProperties: false },
  );
  const problem = (value: unknown) => schemaProblem(schema, value)?.message;

  it('checks a checkedByCore part by its JSON types only', () => {
    expect(problem({ kind: 'a', part: { anything: [1, 'x'] } })).toBeUndefined();
    expect(problem({ kind: 'a', part: null })).toBeUndefined();
    expect(problem({ kind: 'a', part: 'x' })).toBe('part: got "x", expected an object or null');
  });

  it('says what a hint says, and builds the rest from the keywords', () => {
    expect(problem({ kind: 'a', share: 2 })).toBe('share: got 2, expected a share greater than 0 and at most 1');
    expect(problem({ kind: 'a', count: 1.5 })).toBe('count: got 1.5, expected a whole number from 1 to 10');
    expect(problem({ kind: 'a', count: 11 })).toBe('count: got 11, expected a whole number from 1 to 10');
    expect(problem({ kind: 'a', nested: { id: 'x' } })).toBe('nested.id: got "x", expected a string matching ^ds_');
    expect(problem({ kind: 'a', nested: { id: 'ds_1', idd: 2 } })).toBe('nested.idd: is not a known parameter (check the spelling)');
  });

  it('keeps its kinds and hints out of the JSON the OpenAPI document is made of', () => {
    expect(JSON.parse(JSON.stringify(schema.properties.kind))).toEqual({ type: 'string', enum: ['a', 'b'] });
    expect(JSON.parse(JSON.stringify(schema.properties.share))).toEqual({ type: 'number', exclusiveMinimum: 0, maximum: 1 });
    expect(JSON.parse(JSON.stringify(schema.properties.part))).toEqual({ description: 'read by its reader' });
  });
});
