import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Facility } from '../../../core/facilities/read-facilities.ts';
import { networkDrawing } from '../../../core/io/network-to-geojson.ts';
import type { Graph } from '../../../core/network/graph.ts';
import type { FeatureCollection } from 'geojson';
import { featuresLayer } from '../../../core/io/export-layers.ts';
import { geoPackage } from '../../../core/io/geopackage-writer.ts';
import { zippedShapefile } from '../../../core/io/shapefile-writer.ts';
import { CONTENT_TYPES, FILE_EXTENSIONS } from '../../../runtime/requests/rendered.ts';
import { sendRanged } from '../byte-ranges.ts';
import { ApiError } from '../errors.ts';
import { requestedFormat } from '../formats.ts';
import { LayerFormatQuery } from '../schemas/formats.ts';
import { DefaultCommunitiesAnswer, DefaultFacilitiesAnswer, DefaultNetworkAnswer, DefaultsIndex } from '../schemas/defaults.ts';
import { problemResponses } from '../schemas/problem.ts';
import { NO_KEY } from '../schemas/security.ts';

/**
 * What the server offers the map page out of the box, so that it works right after `npm start`:
 *  - GET /v1/defaults: what there is, and the tile layer and attribution to show;
 *  - GET /v1/defaults/network: the default network as GeoJSON lines, for drawing (simplified);
 *  - GET /v1/defaults/facilities: the default facilities as points with their categories;
 *  - GET /v1/defaults/communities: the default communities (COMMUNITIES), as in their file.
 * Each answer is built once and served with an ETag (`no-cache`: revalidated, 304 when unchanged).
 */
export const defaultsRoute: FastifyPluginAsync = async (app) => {
  const geoJson = 'application/geo+json; charset=utf-8';

  app.get(
    '/v1/defaults',
    { schema: { operationId: 'getDefaults', tags: ['map'], security: NO_KEY, summary: 'What the server offers the map page: default network, facilities, communities, tiles', response: { 200: DefaultsIndex, ...problemResponses() } } },
    async () => {
      const { network } = app;
      const graph = network.graph;
      return {
        network:
          network.status === 'none' ? null
          : { href: '/v1/defaults/network', status: network.status, ...(graph ? { source: graph.meta.source, edges: graph.edgeCount, bbox: graph.meta.bbox } : {}) },
        facilities: network.facilities ? { href: '/v1/defaults/facilities', count: network.facilities.length } : null,
        communities: app.mapDefaults.communities ? { href: '/v1/defaults/communities', count: app.mapDefaults.communities.count } : null,
        tiles: app.mapDefaults.tiles ?? null,
        attribution: attributionOf(graph, app.mapDefaults.tiles?.attribution),
      };
    },
  );

  app.get(
    '/v1/defaults/network',
    {
      schema: {
        operationId: 'getDefaultNetwork',
        tags: ['map'],
        security: NO_KEY,
        querystring: LayerFormatQuery,
        summary: 'The default network as GeoJSON lines, for drawing',
        response: { 200: contentOf(geoJson, DefaultNetworkAnswer), ...problemResponses(['NOT_FOUND']) },
      },
    },
    async (request, reply) => {
      const graph = loadedGraph(app);
      const cached = once(networkAnswers, graph, () => {
        const drawing = networkDrawing(graph);
        return { ...cachedText(JSON.stringify(drawing.collection)), partial: drawing.partial };
      });
      reply.header('x-lifecircle-partial', String(cached.partial));
      return sendCached(request, reply, geoJson, cached, 'network');
    },
  );

  app.get(
    '/v1/defaults/facilities',
    {
      schema: {
        operationId: 'getDefaultFacilities',
        tags: ['map'],
        security: NO_KEY,
        querystring: LayerFormatQuery,
        summary: 'The default facilities as points, with their categories',
        response: { 200: contentOf(geoJson, DefaultFacilitiesAnswer), ...problemResponses(['NOT_FOUND']) },
      },
    },
    async (request, reply) => {
      const facilities = app.network.facilities;
      if (!facilities) {
        if (app.network.status === 'loading') throw new ApiError('NOT_READY', 'the default facilities are still loading; retry in a few seconds');
        throw new ApiError('NOT_FOUND', 'this server has no default facilities (FACILITIES, or an OSM default network)');
      }
      return sendCached(request, reply, geoJson, once(facilityAnswers, facilities, () => cachedText(JSON.stringify(facilityPoints(facilities)))), 'facilities');
    },
  );

  app.get(
    '/v1/defaults/communities',
    {
      schema: {
        operationId: 'getDefaultCommunities',
        tags: ['map'],
        security: NO_KEY,
        querystring: LayerFormatQuery,
        summary: 'The default communities (COMMUNITIES), as in their file',
        response: { 200: contentOf(geoJson, DefaultCommunitiesAnswer), ...problemResponses(['NOT_FOUND']) },
      },
    },
    async (request, reply) => {
      const communities = app.mapDefaults.communities;
      if (!communities) throw new ApiError('NOT_FOUND', 'this server has no default communities (COMMUNITIES)');
      communitiesAnswer ??= cachedText(communities.text);
      return sendCached(request, reply, geoJson, communitiesAnswer, 'communities');
    },
  );
  let communitiesAnswer: CachedText | undefined;
};

interface CachedText {
  text: string;
  /** The same, gzipped once: the network's lines shrink about fivefold, and browsers all accept gzip. */
  gzip: Buffer;
  etag: string;
  /** The text's bytes, made on first use (for byte ranges). */
  bytes?: Buffer;
}

// Keyed by the objects they are built from: a graph or facility set that is replaced gets a new answer.
const networkAnswers = new WeakMap<Graph, CachedText & { partial: boolean }>();
const facilityAnswers = new WeakMap<readonly Facility[], CachedText>();

function once<K extends object, V>(cache: WeakMap<K, V>, key: K, build: () => V): V {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = build()));
  return value;
}

function cachedText(text: string): CachedText {
  return { text, gzip: gzipSync(text), etag: `"${createHash('sha1').update(text).digest('base64url')}"` };
}

/**
 * A default layer, as GeoJSON (gzipped when the client takes it) or by `?format=` as a zipped
 * shapefile or a GeoPackage (built once per layer); with `Content-Length`, and byte ranges for
 * GDAL's `/vsicurl/` (a ranged request gets the plain bytes: ranges of the gzip would be of another
 * representation).
 */
async function sendCached(request: FastifyRequest, reply: FastifyReply, contentType: string, cached: CachedText, layer = 'layer') {
  const format = requestedFormat(request, ['geojson', 'shp', 'gpkg']);
  reply.header('cache-control', 'no-cache').header('vary', 'accept-encoding');
  if (format === 'shp' || format === 'gpkg') {
    const file = await once(gisAnswers, cached, () => new Map<string, Promise<Buffer>>());
    let bytes = file.get(format);
    if (!bytes) {
      const layers = [featuresLayer(layer, (JSON.parse(cached.text) as FeatureCollection).features)];
      bytes = (format === 'shp' ? Promise.resolve(zippedShapefile(layers, layer)) : geoPackage(layers)).then((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
      file.set(format, bytes);
    }
    const body = await bytes;
    return sendRanged(request, reply, { bytes: body, size: body.length, contentType: CONTENT_TYPES[format], etag: `${cached.etag.slice(0, -1)}.${format}"`, filename: `lifecircle-default-${layer}.${FILE_EXTENSIONS[format]}` });
  }
  if (request.headers.range === undefined && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    reply.header('etag', cached.etag).header('accept-ranges', 'bytes');
    if (request.headers['if-none-match'] === cached.etag) return reply.code(304).send();
    return reply.type(contentType).header('content-encoding', 'gzip').send(cached.gzip);
  }
  cached.bytes ??= Buffer.from(cached.text);
  return sendRanged(request, reply, { bytes: cached.bytes, size: cached.bytes.length, contentType, etag: cached.etag });
}

const gisAnswers = new WeakMap<CachedText, Map<string, Promise<Buffer>>>();

function loadedGraph(app: FastifyInstance): Graph {
  const { status, graph } = app.network;
  if (graph) return graph;
  if (status === 'loading') throw new ApiError('NOT_READY', 'the default network is still loading; retry in a few seconds');
  throw new ApiError('NOT_FOUND', status === 'failed' ? 'the default network could not be loaded (see the log)' : 'this server has no default network (NETWORK)');
}

/** Each facility at its representative point: where coverage measures it from, and what travel-times needs. */
function facilityPoints(facilities: readonly Facility[]) {
  return {
    type: 'FeatureCollection',
    features: facilities.map((f) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [round(f.lon, 7), round(f.lat, 7)] },
      properties: { id: f.id, ...(f.name !== undefined ? { name: f.name } : {}), categories: f.categories },
    })),
  };
}

const OSM_SOURCE = /\.(osm|osm\.gz|osm\.pbf|pbf)$/i;

/** OSM files (and graphs compiled from them) carry OpenStreetMap data, whose licence asks for credit on every map. */
function attributionOf(graph: Graph | undefined, tiles: string | undefined): string[] {
  const credits: string[] = [];
  if (graph && OSM_SOURCE.test(graph.meta.source)) credits.push('© OpenStreetMap contributors (ODbL 1.0)');
  if (tiles) credits.push(tiles);
  return credits;
}

function contentOf(type: string, schema: unknown) {
  return { description: 'GeoJSON', content: { [type]: { schema } } } as never;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
