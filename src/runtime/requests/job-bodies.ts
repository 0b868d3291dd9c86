import { type Static, Type } from '@sinclair/typebox';
import { MODES, type Mode } from '../../core/network/profiles.ts';
import { BODY_SCHEMAS } from './bodies.ts';
import { LIMITS } from './params.ts';
import { StringEnum, checkedByCore, hinted } from './schema.ts';

/**
 * The bodies of POST /v1/jobs, one schema per job kind: the datasets a job runs over, named by id,
 * and the operation's own parameters (a siting job's are POST /v1/siting's, taken from its schema).
 * What the API checks a job with before queueing it, what the runner checks its stored params with,
 * what the OpenAPI document shows, and, through `Static`, the params' types.
 */

const datasetId = (kind: string, description: string) =>
  hinted(Type.String({ pattern: '^ds_', description: `a ${kind} dataset id; ${description}` }), { expected: `a ${kind} dataset id (ds_…)` });

const coverageJobBody = Type.Object(
  {
    kind: Type.Literal('coverage'),
    communities: datasetId('communities', 'the communities to assess'),
    network: Type.Optional(datasetId('network', 'omitted → the server\'s default network')),
    facilities: Type.Optional(datasetId('facilities', 'omitted → the server\'s default facilities')),
    homes: Type.Optional(datasetId('homes', 'where residents live (points or buildings tied by `community` or by lying inside a polygon); omitted → a grid inside each polygon community')),
    declarations: Type.Optional(datasetId('declarations', 'which programme and online items each community provides, merged with the communities\' `services` (a declaration wins)')),
    standards: Type.Optional(Type.Array(Type.String(), { description: 'ids of built-in standards; default: all of them unless `standard` is given' })),
    standard: Type.Optional(
      checkedByCore(Type.Union([Type.Ref('Standard'), Type.Array(Type.Ref('Standard'))], { description: 'your own standard(s), as in POST /v1/coverage' }), ['object', 'array']),
    ),
    mode: Type.Optional(StringEnum<Mode>(MODES, { description: 'override every standard\'s mode' })),
    minutes: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxMinutes })),
    speedKmh: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxSpeedKmh })),
    maxSnapM: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxSnapM })),
    metShare: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.8, description: 'share of a community\'s residents that must reach an item for it to be met' })),
    origin: Type.Optional(StringEnum(['homes', 'representative'] as const, { default: 'homes', description: 'as in POST /v1/coverage' })),
  },
  { title: 'CoverageJob', additionalProperties: false, examples: [{ kind: 'coverage', communities: 'ds_communities', facilities: 'ds_facilities', standards: ['guangzhou-2020-urban-basic'] }] },
);

// A siting job: POST /v1/siting's own parameters, its inputs named as stored datasets. No `add`: a
// what-if is one request's answer, not a job's; no `declarations`: siting does not read them.
const { add: _add, communities: _communities, network: _network, facilities: _facilities, homes: _homes, declarations: _declarations, standards: _standards, localNorms: _localNorms, ...sitingFields } =
  BODY_SCHEMAS.siting.properties;
const sitingJobBody = Type.Object(
  {
    kind: Type.Literal('siting'),
    communities: datasetId('communities', 'the communities whose residents are to be served'),
    network: coverageJobBody.properties.network,
    facilities: coverageJobBody.properties.facilities,
    homes: coverageJobBody.properties.homes,
    ...sitingFields,
  },
  {
    title: 'SitingJob',
    additionalProperties: false,
    description: 'as POST /v1/siting, with no per-request limit on communities or candidates (sent inline, or `{"grid": metres}`)',
    examples: [{ kind: 'siting', communities: 'ds_communities', homes: 'ds_homes', standard: 'guangzhou-2020-urban-basic', item: 'public-11', candidates: { grid: 100 }, k: 20, method: 'greedy' }],
  },
);

/**
 * Each kind's body. POST /v1/jobs reads `kind` first (JOB_KIND), then the body as that kind's; the
 * runner checks a job's stored params with the same schema when it claims it (the queue outlives versions).
 */
export const JOB_BODIES = { coverage: coverageJobBody, siting: sitingJobBody } as const;
export type JobBodyKind = keyof typeof JOB_BODIES;
export const JOB_KIND = Type.Object({ kind: StringEnum<JobBodyKind>(['coverage', 'siting'], { description: '`coverage`: a report per community; `siting`: where to build next' }) });
export const JOB_BODY = checkedByCore(
  Type.Union([coverageJobBody, sitingJobBody], { description: 'a coverage job or a siting job, by `kind`; every dataset named must be the key\'s and of its kind' }),
  'object',
);

export type JobBody = Static<typeof coverageJobBody> | Static<typeof sitingJobBody>;
/** A job's params as stored: its body without `kind`. */
export type CoverageJobParams = Omit<Static<typeof coverageJobBody>, 'kind'>;
export type SitingJobParams = Omit<Static<typeof sitingJobBody>, 'kind'>;
