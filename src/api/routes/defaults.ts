import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Facility } from '../../facilities/read-facilities.ts';
import { networkDrawing } from '../../io/network-to-geojson.ts';
import type { Graph } from '../../network/graph.ts';
import { ApiError } from '../errors.ts';
import { DefaultCommunitiesAnswer, DefaultFacilitiesAnswer, DefaultNetworkAnswer, DefaultsIndex } from '../schemas/defaults.ts';
import { problemResponses } from '../schemas/problem.ts';

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
    { schema: { tags: ['map'], summary: 'What the server offers the map page: default network, facilities, communities, tiles', response: { 200: DefaultsIndex, ...problemResponses() } } },
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
        tags: ['map'],
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
      return sendCached(request, reply, geoJson, cached);
    },
  );

  app.get(
    '/v1/defaults/facilities',
    {
      schema: {
        tags: ['map'],
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
      return sendCached(request, reply, geoJson, once(facilityAnswers, facilities, () => cachedText(JSON.stringify(facilityPoints(facilities)))));
    },
  );

  app.get(
    '/v1/defaults/communities',
    {
      schema: {
        tags: ['map'],
        summary: 'The default communities (COMMUNITIES), as in their file',
        response: { 200: contentOf(geoJson, DefaultCommunitiesAnswer), ...problemResponses(['NOT_FOUND']) },
      },
    },
    async (request, reply) => {
      const communities = app.mapDefaults.communities;
      if (!communities) throw new ApiError('NOT_FOUND', 'this server has no default communities (COMMUNITIES)');
      communitiesAnswer ??= cachedText(communities.text);
      return sendCached(request, reply, geoJson, communitiesAnswer);
    },
  );
  let communitiesAnswer: CachedText | undefined;
};

interface CachedText {
  text: string;
  /** The same, gzipped once: the network's lines shrink about fivefold, and browsers all accept gzip. */
  gzip: Buffer;
  etag: string;
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

function sendCached(request: FastifyRequest, reply: FastifyReply, contentType: string, cached: CachedText) {
  reply.header('etag', cached.etag).header('cache-control', 'no-cache').header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === cached.etag) return reply.code(304).send();
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.type(contentType).header('content-encoding', 'gzip').send(cached.gzip);
  return reply.type(contentType).send(cached.text);
}

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
