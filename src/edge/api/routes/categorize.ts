import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { categorizeFeatures } from '../../../runtime/requests/categorize.ts';
import { ApiError } from '../errors.ts';
import { DeferredBody, parseJsonBody } from '../json-body.ts';
import { CrsParam } from '../../../runtime/requests/bodies.ts';
import { CategorizeAnswer, CategorizeBody } from '../schemas/categorize.ts';
import { problemResponses } from '../schemas/problem.ts';
import { NO_KEY } from '../schemas/security.ts';

/**
 * Largest body categorized. Bodies over WORKER_THRESHOLD_MB arrive unparsed (json-body.ts); this
 * route has no network and little work, so it parses them here up to this size (tens of
 * milliseconds) instead of taking a worker thread. About 15,000 POIs.
 */
const CATEGORIZE_MAX_BYTES = 4 * 1024 * 1024;

/** POST /v1/categorize: see src/runtime/requests/categorize.ts. No key needed, as for GET /v1/categories. */
export const categorizeRoute: FastifyPluginAsync = async (app) => {
  app.post<{ Querystring: { crs?: string } }>(
    '/v1/categorize',
    {
      schema: {
        operationId: 'categorizeFacilities',
        tags: ['reference'],
        security: NO_KEY,
        summary: 'The categories of each facility, with the rule that matched or why none did',
        description:
          'Runs the mapping coverage uses (OSM tags, Amap typecode/type, name hints, then the exclusions of docs/categories.md) on each feature and says why. Bad features are reported on the feature, never as a failed request. Bodies up to 4 MiB.',
        consumes: ['application/json', 'application/geo+json'],
        body: CategorizeBody,
        querystring: Type.Object({ crs: Type.Optional(CrsParam) }, { additionalProperties: false }),
        response: { 200: CategorizeAnswer, ...problemResponses(['INVALID_JSON', 'INVALID_PARAMETER', 'INVALID_GEOJSON', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'LIMIT_EXCEEDED']) },
      },
    },
    async (request) => {
      let body = request.body;
      if (body instanceof DeferredBody) {
        if (body.bytes.byteLength > CATEGORIZE_MAX_BYTES) {
          throw new ApiError('LIMIT_EXCEEDED', `body: ${(body.bytes.byteLength / 1024 / 1024).toFixed(1)} MiB, over the 4 MiB POST /v1/categorize reads: send the facilities in parts, or store them as a dataset (POST /v1/datasets/facilities), whose report counts the unmapped by reason`, 'body');
        }
        body = parseJsonBody(body.bytes);
      }
      return categorizeFeatures(body, { crs: request.query.crs });
    },
  );
};
