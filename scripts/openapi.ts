/**
 * Writes the OpenAPI document, openapi/openapi.json, from the routes' schemas:
 *
 *   npm run openapi
 *
 * The file is checked in and reviewed as a diff; test/api/openapi.test.ts fails when it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openApiJson } from '../src/edge/api/openapi.ts';
import { buildApp } from '../src/edge/app.ts';

export const OPENAPI_FILE = fileURLToPath(new URL('../openapi/openapi.json', import.meta.url));

/** The document as `npm run openapi` writes it: the app with its defaults, no network, no threads. */
export async function generateOpenApi(): Promise<string> {
  const app = buildApp({ workerPool: { minThreads: 0 }, protection: { underPressure: false } });
  try {
    await app.ready();
    return openApiJson(app);
  } finally {
    await app.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = await generateOpenApi();
  let before = '';
  try {
    before = readFileSync(OPENAPI_FILE, 'utf8');
  } catch {
    // First run.
  }
  writeFileSync(OPENAPI_FILE, text);
  const paths = Object.keys((JSON.parse(text) as { paths: object }).paths).length;
  console.log(`${OPENAPI_FILE}: ${before === text ? 'unchanged' : 'written'} (${paths} paths, ${(text.length / 1024).toFixed(0)} KiB)`);
}
