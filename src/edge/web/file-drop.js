/**
 * Files dropped on the page (or chosen with the file button), turned into what the page analyses:
 * each file is read and checked (data-files.js); facilities are categorized by the server
 * (POST /v1/categorize: the mapping coverage uses, so OSM-tagged facilities get the categories —
 * and colours — the server counts them for); what can be drawn is converted for drawing
 * (drawing-crs.js). Refusals and the server's remarks on each file go to the message log, under
 * the file's name; a refused file with swapped coordinates offers the swapped one.
 */
import { postJson } from './api.js';
import { representativePoint } from './community-origins.js';
import { categoriesOf, readDroppedFile } from './data-files.js';
import { drawableCollection } from './drawing-crs.js';
import { t, tf } from './i18n.js';

/** Most facilities POST /v1/categorize takes in one request (it reads up to 4 MiB). */
const CATEGORIZE_MAX_CHARS = 3.5 * 1024 * 1024;

/**
 * Reads `files`; resolves to `{ usable: [{ kind, name, entry }], problems: [FileProblem|Error] }`
 * where `entry` is what the page keeps for the kind (`draw`/`points`, `send`, `label`).
 * `log(name, entries)` records what is to be said about a file.
 */
export async function readFiles(files, { kind, crs, log, onFixed }) {
  const read = await Promise.allSettled(files.map((f) => readDroppedFile(f, kind, crs)));
  const usable = [];
  const problems = [];
  for (let i = 0; i < read.length; i++) {
    const name = files[i].name;
    if (read[i].status === 'rejected') {
      const err = read[i].reason;
      problems.push(err);
      log(name, [{
        level: 'error',
        text: () => err.text ?? err.message,
        actions: err.fix ? [{ label: () => t('swapLatLon'), testid: 'swap-coordinates', run: () => onFixed(err.fix()) }] : undefined,
      }]);
      continue;
    }
    usable.push(await asEntry(read[i].value, log));
  }
  return { usable, problems };
}

/** A checked file (data-files.js `checkCollection`) as the page's entry for its kind. */
export async function asEntry(file, log) {
  const { kind, name, collection, crs } = file;
  const draw = drawableCollection(collection, crs);
  const label = draw || crs === 'wgs84' ? name : `${name}${tf('notDrawnCrs', { crs })}`;
  log(name, []);
  if (kind === 'network') return { kind, name, entry: { label, draw, send: collection } };
  if (kind === 'communities') return { kind, name, entry: { label, draw, send: collection } };
  const { categories, remarks } = await categorize(name, collection);
  log(name, remarks);
  return { kind, name, entry: { label, points: draw ? facilityPoints(draw, categories) : null, send: collection } };
}

/** The server's categories of each facility, by index, and what it had to say about them. */
async function categorize(name, collection) {
  const text = JSON.stringify(collection);
  const own = () => collection.features.map((f) => categoriesOf(f?.properties));
  if (text.length > CATEGORIZE_MAX_CHARS) return { categories: own(), remarks: [] };
  try {
    const answer = await (await postJson('/v1/categorize', collection)).json();
    const categories = [];
    const remarks = [];
    // A feature's error (an unknown category…) is not repeated here: the coverage answer lists it, under this file too.
    for (const f of answer.features) categories[f.index] = f.categories;
    if (answer.counts.unmapped > 0) remarks.push({ level: 'warn', text: () => tf('unmappedFacilities', { count: answer.counts.unmapped }) });
    return { categories, remarks };
  } catch (err) {
    return { categories: own(), remarks: [{ level: 'warn', text: () => tf('categorizeFailed', { name, detail: err.text ?? err.message }) }] };
  }
}

/** Facilities as the points the page draws and measures to, with their ids as the server reads them. */
function facilityPoints(collection, categories) {
  const features = [];
  collection.features.forEach((f, index) => {
    const point = representativePoint(f?.geometry);
    if (!point) return;
    const raw = f.properties?.id ?? f.id;
    const id = raw === undefined || raw === null ? String(index) : String(raw);
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: point }, properties: { id, name: f.properties?.name, categories: categories?.[index] ?? categoriesOf(f.properties) } });
  });
  return { type: 'FeatureCollection', features };
}
