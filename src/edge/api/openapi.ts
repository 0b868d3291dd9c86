import { readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { LIMITS } from '../../runtime/requests/params.ts';
import { CoverageRunReport, InlineNetworkReport, Speeds } from '../../runtime/requests/answers.ts';
import { CommunityFeatureCollection, FacilityFeatureCollection, NetworkFeatureCollection, PointFeatureCollection } from '../../runtime/requests/geojson-schemas.ts';
import { Problem } from './schemas/problem.ts';
import { SECURITY_SCHEMES } from './schemas/security.ts';
import { StandardSchema } from '../../core/standards/schema.ts';
import { Dataset, Job } from './schemas/resources.ts';

/**
 * The OpenAPI 3.1 document, generated from the routes' TypeBox schemas by @fastify/swagger, and
 * Swagger UI at /docs (the live document at /docs/json). `npm run openapi` writes it to
 * openapi/openapi.json, checked in; a test fails when the file is stale.
 *
 * To document a new route: give it `schema: { operationId, tags, summary, description, security, body?,
 * params?, querystring?, response: { 200: …, ...problemResponses([...codes]) } }` (security from
 * schemas/security.ts; operationId in camelCase, a verb first: it names the method of generated clients). A schema used by several routes gets an
 * `$id`, goes in SHARED_SCHEMAS and is referenced with `Type.Ref`: it becomes a component.
 */
export const SHARED_SCHEMAS = [Problem, Speeds, InlineNetworkReport, StandardSchema, PointFeatureCollection, NetworkFeatureCollection, CommunityFeatureCollection, FacilityFeatureCollection, Dataset, Job, CoverageRunReport];

const TAGS = [
  { name: 'routing', description: 'Isochrones and travel times on the default network or an inline one' },
  { name: 'coverage', description: 'Life-service-circle coverage of communities against standards' },
  { name: 'siting', description: 'Where to build next: sites that close the most gaps, exactly or with a proven bound; what-if with added facilities' },
  { name: 'datasets', description: 'Your stored networks, facility sets and community sets (API key required)' },
  { name: 'jobs', description: 'Coverage jobs over stored datasets, and the runs they leave (API key required)' },
  { name: 'reference', description: 'The built-in standards and the facility category vocabulary' },
  { name: 'map', description: 'What the map page (`GET /` in a browser) opens with: the default network, facilities and communities' },
  { name: 'operations', description: 'Liveness, readiness, the map page, where the documentation is' },
];

export const SERVICE_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const DESCRIPTION = `Which everyday facilities can each residential community reach on foot, by bike, e-bike or car within its life-service circle, and where are the gaps?

**Bodies** are JSON (\`application/json\` or \`application/geo+json\`); GeoJSON is WGS84 [longitude, latitude]. Unknown parameters are errors naming them; values are never coerced ("5" is not 5). One bad origin, target, community or facility never fails the others: it gets its own \`error\` in the answer.

**API keys** (\`x-api-key\` or \`Authorization: Bearer\`) own datasets, jobs and runs: each key sees only its own, and another key's ids are 404 like ids that never existed. Isochrones, travel times and coverage answer without a key unless the server requires one; with it, their bodies may name the key's datasets (\`"network": "ds_…"\`).

**Errors** are RFC 9457 problem documents (\`application/problem+json\`) with a stable \`code\`; \`where\`, \`featureIndex\` and \`featureId\` name what is at fault. Connection-level errors (408 \`REQUEST_TIMEOUT\`, 431 \`HEADERS_TOO_LARGE\`) are answered the same way.

**Limits** (defaults; README: Configuration): bodies up to 64 MiB (\`BODY_LIMIT_MB\`, 413); per request at most ${LIMITS.maxIsochroneOrigins} isochrone origins, ${LIMITS.maxBudgets} budgets, ${LIMITS.maxTravelTimeOrigins.toLocaleString('en')} travel-time origins and ${LIMITS.maxTargets.toLocaleString('en')} targets, ${LIMITS.maxCoverageCommunities.toLocaleString('en')} communities, ${LIMITS.maxMinutes} minutes (422 \`LIMIT_EXCEEDED\`). Every compute request is estimated before it runs: an answer estimated (or, once built, found) over 64 MiB is refused (\`MAX_ANSWER_MB\`, 422 \`LIMIT_EXCEEDED\`, saying what to reduce). Requests estimated at more than a few milliseconds, and bodies of 1 MiB or more, are computed in a worker thread, stopped after 60 s (\`COMPUTE_TIMEOUT_MS\`, 503 \`TIMEOUT\`), past the thread's heap (\`WORKER_MEMORY_MB\`, 422 \`LIMIT_EXCEEDED\`) or when the client disconnects. 600 requests a minute per known API key, else per client IP — no key or an unknown one, 401s included (\`RATE_LIMIT_PER_MINUTE\`, 429 \`RATE_LIMITED\` with \`Retry-After\`). Under pressure (event-loop delay, memory) the server sheds load: 503 \`SERVER_BUSY\` with \`Retry-After\`; \`/health\` and \`/ready\` always answer.`;

/** Registers the OpenAPI generator, its shared schemas and Swagger UI. Before the routes. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'lifecircle', version: SERVICE_VERSION, description: DESCRIPTION, license: { name: 'MIT', identifier: 'MIT' } },
      // Relative: the document is served by the server it describes (/docs/json), so `/` is that server
      // wherever it is deployed; a client generated from the file is given its base URL.
      servers: [{ url: '/', description: 'the server this document is served from' }],
      tags: TAGS,
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    // Components are named by their $id (`#/components/schemas/Problem`), not def-0, def-1...
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
}

/**
 * The document as committed: 2-space JSON with keys sorted, so regenerating it gives the same bytes
 * whatever the order routes and schemas are registered in. The keys of a schema's `properties` keep
 * their order: it is the order fields are documented in (and Swagger UI shows them in).
 */
export function openApiJson(app: FastifyInstance): string {
  return `${JSON.stringify(sortKeys(app.swagger()), null, 2)}\n`;
}

function sortKeys(value: unknown, keepOrder = false): unknown {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (!keepOrder) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item, key === 'properties' && !keepOrder)]));
}
