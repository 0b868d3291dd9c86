/**
 * The report as files: the coverage answer in CSV (one row per community × standard × item, with a
 * byte-order mark for Excel) or GeoJSON (the communities coloured by coverage) — the same request
 * the map shows, asked again with another `Accept`, or a stored run's — and the map as a PNG
 * (map-export.js). Every file is named after what it shows: the data, standard, mode, minutes and
 * date (`chengdu-communities_guangzhou-2020-urban-basic_walk_15min_2025-06-01.csv`), so a folder
 * of reports sorts and reads.
 */
import { getAs, postJson } from './api.js';

export async function downloadReport({ body, runId }, format, baseName) {
  const accept = format === 'csv' ? 'text/csv' : 'application/geo+json';
  const res = runId ? await getAs(`/v1/runs/${encodeURIComponent(runId)}`, accept) : await postJson('/v1/coverage', body, accept);
  saveBlob(await res.blob(), `${baseName}.${format === 'csv' ? 'csv' : 'geojson'}`);
}

/** A file name from its parts: what a planner's file system accepts (no slashes, no spaces). */
export function reportName({ data, standardId, mode, minutes, date = new Date() }) {
  const day = date.toISOString().slice(0, 10);
  const clean = (s) => String(s).replace(/\.(geo)?json$/i, '').replace(/[\\/:*?"<>|\s]+/g, '-').replace(/^-+|-+$/g, '');
  return [clean(data || 'lifecircle'), clean(standardId), clean(mode), `${minutes}min`, day].filter(Boolean).join('_');
}

export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
