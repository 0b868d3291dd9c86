import { type Static, type TRef, type TSchema, type TString, Type } from '@sinclair/typebox';
import { MODES, type Mode } from '../../core/network/profiles.ts';
import { AnyGeometry, Feature, MultiLineStringGeometry, MultiPolygonGeometry, PointGeometry } from './geojson-schemas.ts';
import { Tuple } from './tuple.ts';

/**
 * The answers of the compute routes and of the operational ones: what the OpenAPI document shows,
 * and, through `Static`, the types the operations build (IsochroneResponse, TravelTimesResponse), so
 * that each shape is written once. They document, they do not serialize: answers are
 * JSON.stringify'd as the core built them (app.ts). test/api/openapi.test.ts checks real answers
 * against them, and at compile time the types still written by hand (the coverage report, the
 * standards) against them.
 */
/** A `$ref` to a shared component (the document shows the reference), typed as the component. */
function refTo<T extends TSchema>(schema: T): TRef & { static: Static<T> } {
  return Type.Ref(schema.$id!) as TRef & { static: Static<T> };
}

const ModeName = Type.Unsafe<Mode>({ type: 'string', enum: [...MODES] });

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

/** An input an answer used (`inputs.network`, `inputs.origins`…): no answer rests on a default it does not name. */
const InputUsed = Type.Object({
  source: Type.Optional(Type.Unsafe<'default' | 'inline' | 'dataset'>({ type: 'string', enum: ['default', 'inline', 'dataset'], description: 'the server\'s default, sent in the body, or a stored dataset' })),
  dataset: Type.Union([Type.String(), Type.Null()], { description: 'the dataset id; null when not a dataset' }),
  version: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'runs: the dataset\'s version used' })),
  name: Type.Optional(Type.String({ description: 'network: what it was built from (`inline` for a body\'s)' })),
  nodes: Type.Optional(Type.Number()),
  edges: Type.Optional(Type.Number()),
  features: Type.Optional(Type.Number({ description: 'features in the input' })),
  used: Type.Optional(Type.Number({ description: 'features the answer used; the others are in its errors, one by one' })),
});
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

const Share = {
  communities: Type.Number({ description: 'every community of the type, assessed or not (not assessed: not passing)' }),
  passing: Type.Number({ description: 'passing every item (places met, programmes declared)' }),
  share: Type.Number(),
  passingPlaces: Type.Number({ description: 'passing every place item (programmes left aside)' }),
  sharePlaces: Type.Number(),
  population: Type.Optional(
    Type.Object(
      { total: Type.Number(), passing: Type.Number(), share: Type.Number(), communities: Type.Number({ description: 'communities with a population' }), missing: Type.Number({ description: 'communities without one' }) },
      { description: 'when populations are given: the people these shares rest on' },
    ),
  ),
};
const FeatureProblem = Type.Object({ index: Type.Number(), id: Type.Optional(Type.String()), message: Type.String() });
const DeclarationProblem = Type.Object({
  row: Type.Number({ description: 'JSON rows: the index (from 0); CSV: the spreadsheet row (the header is row 1)' }),
  community: Type.Optional(Type.String()),
  item: Type.Optional(Type.String()),
  message: Type.String(),
});

const ItemStatus = Type.Unsafe<'met' | 'unmet' | 'no_facility' | 'declared' | 'not_declared'>({
  type: 'string',
  enum: ['met', 'unmet', 'no_facility', 'declared', 'not_declared'],
  description: '`met`: residentsShare ≥ metShare; `unmet`: the data has facilities of the item, too few residents reach one; `no_facility`: no facility of the item in the data (a data gap); `declared`/`not_declared`: programmes',
});
const ItemRef = Type.Object({ itemId: Type.String(), zh: Type.String(), en: Type.String() });

const StandardResult = Type.Object({
  standardId: Type.String(),
  level: Type.Unsafe<'basic' | 'quality'>({ type: 'string', enum: ['basic', 'quality'] }),
  mode: Type.String(),
  speedKmh: Type.Number(),
  minutes: Type.Number(),
  metShare: Type.Number({ description: 'share of residents that makes a place item met, as used' }),
  pass: Type.Boolean({ description: 'every item met (places) or declared (programmes, online services)' }),
  passPlaces: Type.Boolean({ description: 'every place item met (programmes left aside)' }),
  met: Type.Number(),
  total: Type.Number(),
  share: Type.Number(),
  groups: Type.Array(Type.Object({ id: Type.String(), zh: Type.String(), en: Type.String(), met: Type.Number(), total: Type.Number(), share: Type.Number() })),
  missing: Type.Array(ItemRef, { description: 'items unmet or not declared: gaps in the service' }),
  dataGaps: Type.Array(ItemRef, { description: 'items with no facility in the data: gaps in the data' }),
  items: Type.Array(
    Type.Object({
      itemId: Type.String(),
      group: Type.String(),
      number: Type.Number(),
      zh: Type.String(),
      en: Type.String(),
      kind: Type.Unsafe<'place' | 'programme' | 'online'>({ type: 'string', enum: ['place', 'programme', 'online'] }),
      status: ItemStatus,
      residentsShare: Type.Optional(Type.Number({ description: 'places with data: population-weighted share of homes within the budget, 0–1' })),
      homes: Type.Optional(Type.Number({ description: 'places: homes the share is measured over' })),
      medianMinutes: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'places with data: the median home\'s minutes to its nearest facility; null when that home reaches none' })),
      worstMinutes: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'places with data: the worst-placed home\'s minutes; null when some home reaches none' })),
      nearest: Type.Optional(
        Type.Object(
          {
            facilityId: Type.String(),
            name: Type.Optional(Type.String()),
            category: Type.String(),
            minutes: Type.Number(),
            meters: Type.Number(),
            accessM: Type.Number({ description: 'metres walked between the facility and its road' }),
          },
          { description: 'places: the nearest facility that satisfies the item, to any home of the community' },
        ),
      ),
      reachableCount: Type.Optional(Type.Number({ description: 'places: satisfying facilities within reach' })),
    }),
  ),
});

const ProvisionResult = Type.Object({
  check: Type.Unsafe<'floor_area_per_100_households' | 'outdoor_area_per_100_households' | 'opening_hours'>({
    type: 'string',
    enum: ['floor_area_per_100_households', 'outdoor_area_per_100_households', 'opening_hours'],
  }),
  norm: Type.String(),
  source: Type.Object({ document: Type.String(), clause: Type.String() }, { description: 'the document and the clause the norm comes from' }),
  threshold: Type.Number(),
  value: Type.Union([Type.Number(), Type.Null()], { description: 'm² per 100 households, or the shortest opening day\'s hours; null when the data is missing' }),
  pass: Type.Union([Type.Boolean(), Type.Null()], { description: 'null: undecided (unreadable hours, or a rural figure the document leaves to be set locally)' }),
  detail: Type.String(),
  days: Type.Optional(Type.Array(Type.String(), { description: 'opening_hours: the days it opens, Mo … Su' })),
  weeklyHours: Type.Optional(Type.Number({ description: 'opening_hours: hours open in a week' })),
});

export const CoverageReport = Type.Object(
  {
    crs: Type.Optional(AnswerCrs),
    standards: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.Object({ zh: Type.String(), en: Type.String() }),
        communityType: Type.String(),
        level: Type.String(),
        mode: Type.String(),
        minutes: Type.Number(),
        travelAssumption: Type.Optional(Type.Object({ zh: Type.String(), en: Type.String() }, { description: 'what of the travel is our assumption, not the source\'s (the rural standards: the policy names no mode or speed for the 30 minutes)' })),
      }),
      { description: 'the standards assessed, with the travel used' },
    ),
    overrides: Type.Object({ mode: Type.Optional(Type.String()), minutes: Type.Optional(Type.Number()), speedKmh: Type.Optional(Type.Number()) }),
    assessment: Type.Object(
      {
        origin: Type.Unsafe<'homes' | 'representative'>({ type: 'string', enum: ['homes', 'representative'] }),
        metShare: Type.Number({ description: 'share of residents that makes an item met' }),
        homes: Type.Object({ total: Type.Number(), byRule: Type.Record(Type.String(), Type.Number(), { description: 'communities per home rule' }) }),
        statement: Type.Object({ zh: Type.String(), en: Type.String() }),
      },
      { description: 'how every verdict was measured' },
    ),
    communities: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.Optional(Type.String()),
        type: Type.Unsafe<'urban' | 'rural'>({ type: 'string', enum: ['urban', 'rural'] }),
        district: Type.Optional(Type.String()),
        subdistrict: Type.Optional(Type.String()),
        population: Type.Optional(Type.Number()),
        households: Type.Optional(Type.Number()),
        homes: Type.Object(
          {
            rule: Type.Unsafe<'given' | 'buildings' | 'grid' | 'point' | 'gates' | 'representative'>({ type: 'string', enum: ['given', 'buildings', 'grid', 'point', 'gates', 'representative'] }),
            count: Type.Number(),
            placed: Type.Number({ description: 'homes placed on the network (the others count as reaching nothing)' }),
            gates: Type.Number({ description: 'gates the homes walk out by (0: each home walks to its nearest road)' }),
            capped: Type.Optional(Type.Object({ cap: Type.Number(), found: Type.Number() })),
          },
          { description: 'where the community was measured from' },
        ),
        error: Type.Optional(Type.String({ description: 'no home could be placed on the network' })),
        standards: Type.Array(StandardResult),
        provision: Type.Array(ProvisionResult, { description: 'floor area per 100 households, opening hours: reported apart' }),
      }),
    ),
    summary: Type.Object({
      communities: Type.Object({ total: Type.Number(), urban: Type.Number(), rural: Type.Number(), withPopulation: Type.Number() }),
      warnings: Type.Array(Type.String(), { description: 'what the figures rest on, e.g. communities without a population' }),
      standards: Type.Array(
        Type.Object({
          standardId: Type.String(),
          name: Type.Object({ zh: Type.String(), en: Type.String() }),
          communityType: Type.Unsafe<'urban' | 'rural'>({ type: 'string', enum: ['urban', 'rural'] }),
          level: Type.Unsafe<'basic' | 'quality'>({ type: 'string', enum: ['basic', 'quality'] }),
          ...Share,
          notAssessed: Type.Array(Type.Object({ id: Type.String(), name: Type.Optional(Type.String()), reason: Type.String() }), {
            description: 'communities of the type that could not be assessed: counted in `communities`, not passing',
          }),
          dataGaps: Type.Array(ItemRef, { description: 'items no facility in the data provides: listed apart from items out of reach' }),
          target: Type.Optional(
            Type.Object({
              share: Type.Number(),
              met: Type.Boolean(),
              communitiesShort: Type.Number({ description: 'more communities that must meet the standard to reach the target' }),
              milestones: Type.Array(Type.Object({ date: Type.String(), share: Type.Number(), reached: Type.Boolean() })),
            }),
          ),
          byDistrict: Type.Array(Type.Object({ district: Type.String(), ...Share })),
          bySubdistrict: Type.Array(Type.Object({ district: Type.Optional(Type.String()), subdistrict: Type.String(), ...Share })),
          items: Type.Array(
            Type.Object({
              itemId: Type.String(),
              zh: Type.String(),
              en: Type.String(),
              group: Type.String(),
              kind: Type.String(),
              communities: Type.Number(),
              reaching: Type.Number(),
              share: Type.Number(),
              noFacility: Type.Number({ description: 'communities for which the data has no facility of the item' }),
              dataGap: Type.Boolean({ description: 'no facility of the item for any assessed community: ranked after the items with data' }),
              populationShare: Type.Optional(Type.Number()),
            }),
            { description: 'per item, worst first' },
          ),
        }),
      ),
    }),
    facilities: Type.Object({
      count: Type.Number(),
      unplaced: Type.Array(Type.Object({ id: Type.String(), index: Type.Number(), error: Type.String(), mode: Type.String() })),
    }),
    errors: Type.Object(
      {
        communities: Type.Array(FeatureProblem),
        facilities: Type.Array(FeatureProblem),
        homes: Type.Array(FeatureProblem, { description: 'homes not used (no geometry, unknown community, outside every community), one by one' }),
        declarations: Type.Array(DeclarationProblem, { description: 'declaration rows not applied (unknown community or item, superseded …), one by one' }),
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
    inputs: Type.Optional(
      Type.Object(
        {
          network: InputUsed,
          facilities: InputUsed,
          communities: InputUsed,
          homes: Type.Optional(InputUsed),
        },
        { description: 'what the answer rests on: the network, facilities and communities used — the server\'s default, sent inline, or a stored dataset — with counts; runs: the stored datasets with their versions (`dataset: null`: the server\'s default)' },
      ),
    ),
  },
  { description: '`application/json` (the default): the report.' },
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
