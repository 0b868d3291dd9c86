import { type Static, type TRef, type TSchema, type TString, Type } from '@sinclair/typebox';
import { CommunityReportSchema, CoverageDetailSchema, CoverageReportSchema } from '../../core/coverage/report-schema.ts';
import { ORIGIN_RULES } from '../../core/coverage/home-origins.ts';
import { ModeName, TravelAssumption, enumOf } from '../../core/standards/schema.ts';
import { AnyGeometry, Feature, MultiLineStringGeometry, MultiPolygonGeometry, PointGeometry } from './geojson-schemas.ts';
import { Tuple } from './tuple.ts';

/**
 * The answers of the compute routes and of the operational ones: what the OpenAPI document shows,
 * and, through `Static`, the types the operations build (IsochroneResponse, TravelTimesResponse), so
 * that each shape is written once. They document, they do not serialize: answers are
 * JSON.stringify'd as the core built them (app.ts). test/api/openapi.test.ts checks real answers
 * against them. The coverage report's parts are the core's (src/core/coverage/report-schema.ts),
 * whose types the core builds; CoverageResponse is CoverageReport's `Static`, and a coverage run's
 * report (CoverageRunReport) is made of the same parts.
 */
/** A `$ref` to a shared component (the document shows the reference), typed as the component. */
function refTo<T extends TSchema>(schema: T): TRef & { static: Static<T> } {
  return Type.Ref(schema.$id!) as TRef & { static: Static<T> };
}

/** Every answer with coordinates says their system: WGS84 longitude/latitude (src/core/geo/crs.ts). */
export const AnswerCrs = Type.Object(
  { type: Type.Literal('name'), properties: Type.Object({ name: Type.Literal('urn:ogc:def:crs:OGC:1.3:CRS84') }) },
  { description: 'the coordinates\' system, always WGS84 longitude/latitude whatever the request\'s `crs` was: the named-crs member GDAL and QGIS read' },
);
const perFeatureError = <K extends string>(idKey: K) =>
  Type.Object({ ...({ [idKey]: Type.String() } as Record<K, TString>), index: Type.Number({ description: 'the feature\'s index in its collection' }), error: Type.String() });

export const Speeds = Type.Object(
  {
    mode: ModeName,
    speedKmh: Type.Number({ description: 'walking/cycling speed, or the car speed on an untagged road' }),
    byClassKmh: Type.Record(Type.String(), Type.Number(), { description: 'speed per OSM road class the mode may use' }),
    maxspeedTagsUsed: Type.Boolean(),
    ferries: Type.Boolean(),
    note: Type.String(),
  },
  { $id: 'Speeds', description: 'The speeds the answer used.' },
);

const DatasetVersion = Type.Object({ dataset: Type.Union([Type.String(), Type.Null()]), version: Type.Union([Type.Number(), Type.Null()]) });

/** The fields of an input an answer used (`inputs.network`, `inputs.origins`…). */
const input = {
  source: Type.Unsafe<'default' | 'inline' | 'dataset'>({ type: 'string', enum: ['default', 'inline', 'dataset'], description: 'the server\'s default, sent in the body, or a stored dataset' }),
  dataset: Type.Union([Type.String(), Type.Null()], { description: 'the dataset id; null when not a dataset' }),
  version: Type.Union([Type.Number(), Type.Null()], { description: 'runs: the dataset\'s version used' }),
  name: Type.String({ description: 'network: what it was built from (`inline` for a body\'s)' }),
  nodes: Type.Number(),
  edges: Type.Number(),
  features: Type.Number({ description: 'features in the input' }),
  used: Type.Number({ description: 'features the answer used; the others are in its errors, one by one' }),
};
/** An input an answer used, any kind (`inputs.network`, `inputs.origins`…): no answer rests on a default it does not name. */
const InputUsed = Type.Object({
  source: Type.Optional(input.source),
  dataset: input.dataset,
  version: Type.Optional(input.version),
  name: Type.Optional(input.name),
  nodes: Type.Optional(input.nodes),
  edges: Type.Optional(input.edges),
  features: Type.Optional(input.features),
  used: Type.Optional(input.used),
});
/** The network an answer used, as POST /v1/coverage states it (the type NetworkUsed, src/runtime/requests/context.ts). */
export const NetworkUsedSchema = Type.Object({ source: input.source, dataset: input.dataset, name: input.name, nodes: input.nodes, edges: input.edges });
/** A set of points an answer used, as POST /v1/coverage states it (the type PointsUsed). */
export const PointsUsedSchema = Type.Object({ source: input.source, dataset: input.dataset, features: input.features, used: input.used });
const InputsOf = <K extends string>(names: readonly K[]) =>
  Type.Object(Object.fromEntries(names.map((n) => [n, InputUsed])) as Record<K, typeof InputUsed>, {
    description: 'what the answer rests on: the network (default, inline or a dataset) and the points, with counts',
  });

/** `network` of an answer computed on a network sent inline: what became of its lines. */
export const InlineNetworkReport = Type.Object(
  {
    source: Type.Literal('inline'),
    nodes: Type.Number(),
    edges: Type.Number(),
    linesRead: Type.Number(),
    linesUsed: Type.Number(),
    linesDropped: Type.Record(Type.String(), Type.Number(), { description: 'lines no mode can use, by reason' }),
    rejected: Type.Number({ description: 'features left out as not roads (bad geometry, wrong type)' }),
    examples: Type.Array(Type.Object({ ref: Type.String(), reason: Type.String() }), { description: 'a few dropped or rejected lines, by feature index and id' }),
    components: Type.Object({
      count: Type.Number(),
      dropped: Type.Object({ components: Type.Number(), nodes: Type.Number(), edges: Type.Number(), minNodes: Type.Number() }, { description: 'pieces too small to keep' }),
    }),
  },
  { $id: 'InlineNetworkReport', description: 'present when the network was sent inline: what became of its lines' },
);
export const InlineNetwork = Type.Optional(refTo(InlineNetworkReport));

export const IsochronesAnswer = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    crs: AnswerCrs,
    features: Type.Array(
      Feature(
        Type.Union([MultiPolygonGeometry, MultiLineStringGeometry, PointGeometry]),
        Type.Object({
          kind: Type.Unsafe<'isochrone' | 'snapped-origin'>({ type: 'string', enum: ['isochrone', 'snapped-origin'] }),
          originId: Type.String(),
          minutes: Type.Optional(Type.Number({ description: 'isochrone: its budget' })),
          mode: Type.Optional(ModeName),
          speedKmh: Type.Optional(Type.Number()),
          areaM2: Type.Optional(Type.Number({ description: 'polygons: geodesic area' })),
          cellM: Type.Optional(Type.Number({ description: 'polygons: grid cell size' })),
          lengthM: Type.Optional(Type.Number({ description: 'lines: length of the reachable network' })),
          snapDistanceM: Type.Optional(Type.Number({ description: 'snapped-origin: metres from the origin to its road' })),
          accessMinutes: Type.Optional(Type.Number({ description: 'snapped-origin: the walk from the origin to its road' })),
        }, { description: 'plus simplestyle `fill`, `fill-opacity`, `stroke`, `stroke-width`, `marker-color`, `marker-symbol`' }),
      ),
      { description: 'per origin: one isochrone per budget, largest first (MultiPolygon, or MultiLineString for `lines`), then its snapped origin (Point)' },
    ),
    mode: ModeName,
    speedKmh: Type.Number(),
    minutes: Type.Array(Type.Number(), { description: 'the budgets, sorted, without repeats' }),
    output: Type.Unsafe<'polygons' | 'lines'>({ type: 'string', enum: ['polygons', 'lines'] }),
    speeds: refTo(Speeds),
    tolerance: Type.Optional(
      Type.Object(
        {
          cellDiagM: Type.Number(),
          maxOffNetworkM: Type.Number({ description: 'a point inside is at most this far from the network point that reaches it' }),
          budgetSlackS: Type.Number({ description: 'slack on the budget, both ways' }),
          coversNetwork: Type.Boolean({ description: 'every network point reached by budget − slack is inside' }),
          offNetworkM: Type.Number(),
          cellM: Type.Number(),
        },
        { description: 'polygons: what a polygon promises (docs/architecture.md: Algorithms)' },
      ),
    ),
    errors: Type.Array(perFeatureError('originId'), { description: 'origins that could not be answered; the others are' }),
    inputs: InputsOf(['network', 'origins']),
    network: InlineNetwork,
  },
  { description: 'A GeoJSON FeatureCollection: open it in any GeoJSON viewer.' },
);

export const TravelTimesAnswer = Type.Object({
  crs: AnswerCrs,
  mode: ModeName,
  speedKmh: Type.Number(),
  maxMinutes: Type.Number(),
  speeds: refTo(Speeds),
  origins: Type.Array(
    Type.Object({
      id: Type.String(),
      snapDistanceM: Type.Union([Type.Number(), Type.Null()], { description: 'null when the origin could not be placed' }),
      snapped: Type.Optional(Tuple([Type.Number(), Type.Number()], { description: 'where the origin joins the network: [longitude, latitude]' })),
      error: Type.Optional(Type.String()),
      reachable: Type.Array(
        Type.Object({
          targetId: Type.String(),
          minutes: Type.Number({ description: 'including the walked access legs at both ends' }),
          meters: Type.Number(),
        }),
        { description: 'targets within maxMinutes, nearest first' },
      ),
    }),
  ),
  targetErrors: Type.Array(perFeatureError('id'), { description: 'targets that could not be placed' }),
  inputs: InputsOf(['network', 'origins', 'targets']),
  network: InlineNetwork,
});

const FeatureProblem = Type.Object({ index: Type.Number(), id: Type.Optional(Type.String()), message: Type.String() });
const DeclarationProblem = Type.Object({
  row: Type.Number({ description: 'JSON rows: the index (from 0); CSV: the spreadsheet row (the header is row 1)' }),
  community: Type.Optional(Type.String()),
  item: Type.Optional(Type.String()),
  message: Type.String(),
});
/** `errors.homes` and `errors.declarations` of a report (POST /v1/coverage's, a run's). */
const HomesNotUsed = Type.Array(FeatureProblem, { description: 'homes not used (no geometry, unknown community, outside every community), one by one' });
const DeclarationsNotApplied = Type.Array(DeclarationProblem, { description: 'declaration rows not applied (unknown community or item, superseded …), one by one' });

/** What every verdict was measured from: `origin` (homes, or the one-point rule), `metShare`, the homes' rules. */
const AssessmentSchema = Type.Object(
  {
    origin: enumOf(ORIGIN_RULES),
    metShare: Type.Number({ description: 'share of residents that makes an item met' }),
    homes: Type.Object({ total: Type.Number(), byRule: Type.Record(Type.String(), Type.Number(), { description: 'communities per home rule' }) }),
    statement: Type.Object({ zh: Type.String(), en: Type.String() }),
  },
  { description: 'how every verdict was measured' },
);

const inputsDescription =
  'what the answer rests on: the network, facilities and communities used — the server\'s default, sent inline, or a stored dataset — with counts; runs: the stored datasets with their versions (`dataset: null`: the server\'s default)';
/** POST /v1/coverage's inputs: each with all its fields. */
const CoverageInputs = Type.Object(
  { network: NetworkUsedSchema, facilities: PointsUsedSchema, communities: PointsUsedSchema, homes: Type.Optional(PointsUsedSchema) },
  { description: inputsDescription },
);
/** A dataset a run used, with its version (null: its version could not be read). */
const RunDatasetUsed = Type.Object({ dataset: Type.String({ description: 'the dataset id' }), version: input.version });
/** A run's inputs: the stored datasets with their versions (the type RunInputs, src/runtime/jobs/runner.ts). */
export const CoverageRunInputs = Type.Object(
  {
    network: Type.Object({ dataset: input.dataset, version: input.version }),
    facilities: Type.Object({ dataset: input.dataset, version: input.version }),
    communities: RunDatasetUsed,
    declarations: Type.Optional(RunDatasetUsed),
    homes: Type.Optional(RunDatasetUsed),
  },
  { description: inputsDescription },
);

/**
 * The coverage report as POST /v1/coverage answers it: the core's report
 * (src/core/coverage/report-schema.ts: the communities, the summary, the facilities) with what the
 * request adds around it. Its `Static` is the type the operation builds (CoverageResponse).
 */
export const CoverageReport = Type.Object(
  {
    crs: AnswerCrs,
    standards: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.Object({ zh: Type.String(), en: Type.String() }),
        communityType: Type.String(),
        level: Type.String(),
        mode: Type.String(),
        minutes: Type.Number(),
        travelAssumption: Type.Optional(TravelAssumption),
      }),
      { description: 'the standards assessed, with the travel used' },
    ),
    /** What the request changed from the standards' own travel. */
    overrides: Type.Object({ mode: Type.Optional(Type.String()), minutes: Type.Optional(Type.Number()), speedKmh: Type.Optional(Type.Number()) }),
    assessment: AssessmentSchema,
    ...CoverageReportSchema.properties,
    errors: Type.Object(
      {
        communities: Type.Array(FeatureProblem),
        facilities: Type.Array(FeatureProblem),
        homes: HomesNotUsed,
        declarations: DeclarationsNotApplied,
      },
      { description: 'features and rows left out; the others are answered' },
    ),
    warnings: Type.Object({ communities: Type.Array(Type.Unknown()) }, { description: 'readable but doubtful input, e.g. a community without `type`' }),
    unmappedFacilities: Type.Object({
      count: Type.Number(),
      byReason: Type.Record(Type.String(), Type.Number()),
      examples: Type.Array(Type.Unknown()),
    }),
    network: InlineNetwork,
    inputs: CoverageInputs,
  },
  { description: '`application/json` (the default): the report.' },
);

/**
 * A coverage run's report as GET /v1/runs/:id answers it as JSON, whole or a page
 * (src/edge/api/run-stream.ts: the page's communities, then the stored report's other members, as
 * src/runtime/jobs/runner.ts stores them): the core's report and what the job adds. No `crs`, no
 * standards, overrides, assessment, warnings or unmapped facilities: the job's `params` say what was
 * asked. `detail` and `inputs` are in every run stored in pieces; a run stored whole, before pieces,
 * may lack them.
 */
export const CoverageRunReport = Type.Object(
  {
    communities: Type.Array(CommunityReportSchema, { description: 'the communities of the page (`offset`, `limit`; default: every one), in the run\'s order' }),
    summary: CoverageReportSchema.properties.summary,
    facilities: CoverageReportSchema.properties.facilities,
    detail: Type.Optional(CoverageDetailSchema),
    errors: Type.Optional(
      Type.Object(
        { declarations: Type.Optional(DeclarationsNotApplied), homes: Type.Optional(HomesNotUsed) },
        { description: 'a job with declarations or homes: the rows and homes it left out; the others are answered' },
      ),
    ),
    inputs: Type.Optional(CoverageRunInputs),
  },
  { $id: 'CoverageRunReport', description: '`application/json` (the default): a coverage run\'s report — the page\'s communities, with the summary and facilities of the whole run.' },
);

export const CoverageMap = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Feature(
        AnyGeometry,
        Type.Object(
          {
            id: Type.String(),
            name: Type.Optional(Type.String()),
            type: Type.String(),
            district: Type.Optional(Type.String()),
            title: Type.Optional(Type.String()),
          },
          { description: 'per standard `<id>:pass`, `<id>:share`, `<id>:met`, `<id>:missing_zh`, `<id>:missing_en`; simplestyle colours from red (nothing met) to green' },
        ),
      ),
    ),
  },
  { description: '`application/geo+json`: the communities as a map, coloured by the share of items met; a community that could not be read has a `null` geometry and its `error`; `assumptions`, `summary`, `facilities`, `inputs`, `assessment` and `errors` are members of the collection.' },
);

export const CoverageCsv = Type.String({
  description:
    '`text/csv`: one row per community × standard × item (`?sheet=communities`: one per community × standard, with share met, pass and missing items); a community that could not be assessed is a row with `status` `not_assessed` and its `error`; the assumptions (standard_id, mode, minutes, met_share, origin) are columns of every row. UTF-8 with a byte-order mark (Excel shows the Chinese names)',
  examples: ['\uFEFFcommunity_id,community_name,community_type,district,subdistrict,standard_id,mode,minutes,group,item_id,item_zh,item_en,kind,status,nearest_facility_id,nearest_facility_name,nearest_category,nearest_minutes,nearest_meters,reachable_count,residents_share,homes,median_minutes,worst_minutes,met_share,home_rule,origin,error\r\n'],
});

const NetworkSummary = Type.Object({
  loaded: Type.Boolean(),
  source: Type.Optional(Type.String()),
  nodes: Type.Optional(Type.Number()),
  edges: Type.Optional(Type.Number()),
  lengthKm: Type.Optional(Type.Number()),
});

export const HealthAnswer = Type.Object({
  status: Type.Literal('ok'),
  uptimeS: Type.Number(),
  network: NetworkSummary,
  workers: Type.Object({
    threads: Type.Number(),
    maxThreads: Type.Number(),
    queued: Type.Number(),
    completed: Type.Number(),
    tasks: Type.Number({ description: 'requests in the worker threads or waiting for one' }),
    cancelled: Type.Number({ description: 'requests whose work was stopped because their client disconnected' }),
  }),
});

export const ReadyAnswer = Type.Object({ status: Type.Literal('ready'), network: NetworkSummary });

export const RootAnswer = Type.Object({
  service: Type.Literal('lifecircle'),
  version: Type.String(),
  docs: Type.String({ description: 'Swagger UI' }),
  openapi: Type.String({ description: 'the OpenAPI document' }),
  endpoints: Type.Array(Type.String()),
});

const SitingShares = Type.Object({ coveredPopulation: Type.Number(), coveredCommunities: Type.Number(), populationShare: Type.Number(), communityShare: Type.Number() });

export const SitingAnswer = Type.Object(
  {
    method: Type.Optional(Type.Unsafe<'exact' | 'greedy'>({ type: 'string', enum: ['exact', 'greedy'], description: 'the method whose choice is answered' })),
    optimal: Type.Optional(Type.Boolean({ description: 'the choice is proven best for its limits' })),
    bound: Type.Optional(
      Type.Object({
        value: Type.Number({ description: 'no choice within the same limits could newly serve more (residents, or communities)' }),
        share: Type.Number({ description: 'the same as a share, the served before included' }),
        kind: Type.String({ description: '`lp-relaxation` (the solver\'s proven bound), `marginal-gains` (the best marginal gains), `touched-communities`' }),
      }),
    ),
    sites: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String(),
            geometry: AnyGeometry,
            gainPopulation: Type.Number(),
            gainCommunities: Type.Number(),
            cumulativeShare: Type.Number(),
            communities: Type.Array(Type.Object({ index: Type.Number(), id: Type.String(), residents: Type.Number(), nowMet: Type.Boolean() })),
          },
          { additionalProperties: true },
        ),
        { description: 'in order of choice' },
      ),
    ),
    before: Type.Optional(SitingShares),
    after: Type.Optional(SitingShares),
    reachable: Type.Optional(SitingShares),
    whatIf: Type.Optional(Type.Literal(true)),
  },
  {
    additionalProperties: true,
    description:
      '`application/json`: the sites in order of choice with what each adds; the shares before and after and with every candidate built; `method`, `optimal` or `bound`; per community the share before and after; `notes`. With `add`: `whatIf`, `added`, `changes` (per community and standard), `before.summary`, `after` (the coverage report).',
  },
);

export const SitingMap = Type.Object(
  { type: Type.Literal('FeatureCollection'), features: Type.Array(Feature(AnyGeometry, Type.Object({ rank: Type.Number(), id: Type.String() }, { additionalProperties: true }))) },
  { description: '`application/geo+json`: the sites ranked (simplestyle, darkest first), each with its gains and communities; the answer\'s summary as members of the collection.' },
);

export const SitingCsv = Type.String({
  description: '`text/csv`: one row per site in order of choice. UTF-8 with a byte-order mark.',
  examples: ['\uFEFFrank,id,name,lon,lat,gain_population,gain_communities,cumulative_share,cost,communities,communities_met,method,optimal\r\n'],
});
