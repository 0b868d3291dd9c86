/**
 * The report as files: the coverage answer in CSV (one row per community × standard × item, with a
 * byte-order mark for Excel) or GeoJSON (the communities coloured by coverage) — the same request
 * the map shows, asked again with another `Accept`, or a stored run's.
 */
import { getAs, postJson } from './api.js';

export async function downloadReport({ body, runId }, format) {
  const accept = format === 'csv' ? 'text/csv' : 'application/geo+json';
  const res = runId ? await getAs(`/v1/runs/${encodeURIComponent(runId)}`, accept) : await postJson('/v1/coverage', body, accept);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  // The server names the file after the standard, mode, minutes and date (Content-Disposition).
  const named = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  a.download = named ?? `lifecircle-coverage${runId ? `-${runId}` : ''}.${format === 'csv' ? 'csv' : 'geojson'}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
