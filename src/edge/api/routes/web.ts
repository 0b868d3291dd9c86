import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.ts';

/**
 * The map page's files: the page itself (src/edge/web: plain ES modules, no build step) under /web/, and
 * MapLibre GL JS from node_modules under /vendor/maplibre-gl/, and gcoord's browser build under
 * /vendor/gcoord/ (to draw files in GCJ-02 or BD-09 where they are) — served by the project, so the
 * page needs no CDN. Only files present at start are served (a fixed list: no path is ever built from the
 * URL), with their content type and an ETag; `no-cache` makes browsers revalidate (a 304 costs
 * nothing) so a new deployment is seen at once. Hidden from the OpenAPI document: they are not API.
 */
// From the package root, not next to this module: the build (dist/, at src/'s depth) compiles the
// TypeScript only, and the page is served from src/edge/web whether this runs from src/ or from dist/.
const WEB_DIR = fileURLToPath(new URL('../../../../src/edge/web/', import.meta.url));
const MAPLIBRE_DIR = join(dirname(createRequire(import.meta.url).resolve('maplibre-gl/package.json')), 'dist');
/** The production builds and their source maps; the -dev builds stay unserved. */
const MAPLIBRE_FILES = /^maplibre-gl(-worker)?\.(mjs|css)(\.map)?$/;
const GCOORD_DIR = join(dirname(createRequire(import.meta.url).resolve('gcoord/package.json')), 'dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

interface StaticFile {
  path: string;
  contentType: string;
  etag: string;
}

export const webRoute: FastifyPluginAsync = async (app) => {
  const page = servable(WEB_DIR, (name) => extname(name) in CONTENT_TYPES);
  const maplibre = servable(MAPLIBRE_DIR, (name) => MAPLIBRE_FILES.test(name));
  const gcoord = servable(GCOORD_DIR, (name) => name === 'gcoord.esm-browser.prod.js');
  const hidden = { schema: { hide: true } };

  app.get<{ Params: { file: string } }>('/web/:file', hidden, (request, reply) => sendFile(request, reply, page.get(request.params.file)));
  app.get<{ Params: { file: string } }>('/vendor/maplibre-gl/:file', hidden, (request, reply) => sendFile(request, reply, maplibre.get(request.params.file)));
  app.get<{ Params: { file: string } }>('/vendor/gcoord/:file', hidden, (request, reply) => sendFile(request, reply, gcoord.get(request.params.file)));
};

/** Whether `Accept` prefers an HTML page to JSON: browsers navigating say so; curl and API clients do not. */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  let html = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (type.trim() === 'text/html') html = Math.max(html, q);
    if (type.trim() === 'application/json') json = Math.max(json, q);
  }
  // Equal preference, or only wildcards: JSON, as this route answered before the page existed.
  return html > json;
}

/** Sends the page's entry point (GET / for browsers). */
export function sendPage(request: FastifyRequest, reply: FastifyReply) {
  return sendFile(request, reply, pageFile);
}

const pageFile: StaticFile = staticFile(join(WEB_DIR, 'index.html'));

function servable(dir: string, accept: (name: string) => boolean): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    if (accept(name) && statSync(join(dir, name)).isFile()) files.set(name, staticFile(join(dir, name)));
  }
  return files;
}

function staticFile(path: string): StaticFile {
  const stat = statSync(path);
  return { path, contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream', etag: `"${stat.size.toString(36)}-${Math.round(stat.mtimeMs).toString(36)}"` };
}

async function sendFile(request: FastifyRequest, reply: FastifyReply, file: StaticFile | undefined) {
  if (!file) throw new ApiError('NOT_FOUND', `no such file: ${request.url.split('?')[0]}`);
  reply.header('etag', file.etag).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  return reply.type(file.contentType).send(await readFile(file.path));
}
