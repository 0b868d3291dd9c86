import { readCommunities } from '../../core/communities/read-communities.ts';
import { readPointSetFile } from '../../runtime/files/read-point-set.ts';
import { sharedPlugin } from './plugin.ts';

/**
 * What the map page (`GET /`) opens with besides the default network and facilities: the default
 * communities (COMMUNITIES; the sample's with the sample network) and an optional raster tile
 * layer (TILE_URL). Read once at start: a communities file that cannot be read stops the server
 * with its reason, as a network that cannot be loaded does.
 */
export interface MapDefaultsOptions {
  /** A file of communities: GeoJSON, CSV, a zipped shapefile or OSM. */
  communitiesPath?: string;
  tiles?: { url: string; attribution?: string };
}

export interface MapDefaults {
  communities?: {
    /** The file's text, answered as it is: the page sends it back to /v1/coverage unchanged. */
    text: string;
    /** Communities that coverage can assess (features with errors are left out by it). */
    count: number;
    file: string;
  };
  tiles?: { url: string; attribution?: string };
}

declare module 'fastify' {
  interface FastifyInstance {
    mapDefaults: MapDefaults;
  }
}

export const mapDefaultsPlugin = sharedPlugin<MapDefaultsOptions>('map-defaults', async (app, opts) => {
  const defaults: MapDefaults = { ...(opts.tiles ? { tiles: opts.tiles } : {}) };
  if (opts.communitiesPath) {
    defaults.communities = await readDefaultCommunities(opts.communitiesPath);
    app.log.info({ file: opts.communitiesPath, communities: defaults.communities.count }, `default communities: ${defaults.communities.count}`);
  }
  app.decorate('mapDefaults', defaults);
});

async function readDefaultCommunities(file: string): Promise<NonNullable<MapDefaults['communities']>> {
  // GeoJSON, CSV, a zipped shapefile or OSM (src/runtime/files/read-point-set.ts); the page gets GeoJSON.
  const { collection } = await readPointSetFile(file, 'communities', { what: `COMMUNITIES ${file}` });
  const read = readCommunities(collection);
  if (read.communities.length === 0) {
    const first = read.errors[0]?.message ?? 'no features';
    throw new Error(`COMMUNITIES ${file}: no community can be read (${first})`);
  }
  // Re-serialised compactly: the answer is the same collection, without the file's layout.
  return { text: JSON.stringify(collection), count: read.communities.length, file };
}
