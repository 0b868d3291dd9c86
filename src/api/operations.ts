import { MODES } from '../network/profiles.ts';
import type { RequestContext } from '../requests/context.ts';
import { isochrones } from '../requests/isochrones.ts';
import { travelTimes } from '../requests/travel-times.ts';
import { coverageAnswer } from '../requests/coverage-answer.ts';
import { ApiError } from './errors.ts';
import type { AnswerFormat } from './formats.ts';

/**
 * The operations the API serves, by name: the same functions run on the main thread for small
 * bodies and in a worker for large ones.
 */
export const OPERATIONS = {
  isochrones,
  'travel-times': travelTimes,
  coverage: coverageAnswer,
} satisfies Record<string, (body: Record<string, unknown>, ctx: RequestContext, format: AnswerFormat) => unknown>;

export type OperationName = keyof typeof OPERATIONS;

/*
 * Body schemas: the top-level shape only. The deep GeoJSON and range checks are the core's, which
 * names the feature at fault; a schema error would only say "must be object" somewhere inside.
 */
const featureCollection = { type: 'object' } as const;
const network = { type: ['object', 'null'] } as const;
const number = { type: 'number' } as const;
const mode = { type: 'string', enum: [...MODES] } as const;

export const BODY_SCHEMAS = {
  isochrones: {
    type: 'object',
    required: ['origins', 'minutes'],
    additionalProperties: false,
    properties: {
      network,
      origins: featureCollection,
      minutes: { type: 'array', minItems: 1, items: number },
      mode,
      speedKmh: number,
      output: { type: 'string', enum: ['polygons', 'lines'] },
      offNetworkM: number,
      maxSnapM: number,
      ferries: { type: 'boolean' },
    },
  },
  'travel-times': {
    type: 'object',
    required: ['origins', 'targets', 'maxMinutes'],
    additionalProperties: false,
    properties: {
      network,
      origins: featureCollection,
      targets: featureCollection,
      maxMinutes: number,
      mode,
      speedKmh: number,
      maxSnapM: number,
      ferries: { type: 'boolean' },
    },
  },
  coverage: {
    type: 'object',
    required: ['communities'],
    additionalProperties: false,
    properties: {
      network,
      communities: featureCollection,
      facilities: featureCollection,
      standards: { type: 'array', items: { type: 'string' } },
      standard: { type: 'object' },
      mode,
      minutes: number,
      speedKmh: number,
      maxSnapM: number,
      crs: { type: 'string', enum: ['wgs84', 'gcj02', 'bd09'] },
    },
  },
} as const satisfies Record<OperationName, object>;

/**
 * What the worker checks before handing a large body to the core, in place of the schema (Ajv
 * lives on the main thread): a JSON object, required keys present, no unknown keys. Types and
 * ranges are the core's checks on both paths.
 */
export function checkBodyShape(operation: OperationName, body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError('INVALID_PARAMETER', `body: got ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}, expected an object`, 'body');
  }
  const schema = BODY_SCHEMAS[operation];
  for (const key of schema.required) {
    if ((body as Record<string, unknown>)[key] === undefined) throw new ApiError('INVALID_PARAMETER', `${key}: is required`, key);
  }
  for (const key of Object.keys(body)) {
    if (!(key in schema.properties)) throw new ApiError('INVALID_PARAMETER', `${key}: is not a known parameter (check the spelling)`, key);
  }
  return body as Record<string, unknown>;
}
