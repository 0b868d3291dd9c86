import { InputError } from '../errors.ts';
import { MAX_JSON_DEPTH, badStringError, firstBadEscape } from './json-text.ts';

/**
 * Reads a GeoJSON FeatureCollection from a byte stream one feature at a time, so a city of hundreds
 * of megabytes never exists as one string or one object tree (JSON.parse of the 161 MB benchmark
 * city peaks at ~740 MB; this at ~120 MB).
 *
 * A byte scanner finds the elements of the top-level `features` array — it tracks only strings and
 * nesting depth — and each element is handed to JSON.parse, which does the real parsing. Everything
 * outside that array (`type`, `crs`, `name`, …) is kept as a small "skeleton" text with `features`
 * emptied, parsed at the end, and returned so the caller can check `type`. Measured on the
 * benchmark city: 2.8 s, against 8.2 s for @streamparser/json's per-token parser.
 *
 * What json-text.ts checks of every JSON text is checked here too, on the way: nesting past
 * `MAX_JSON_DEPTH` stops the scan where it happens, and each element's `\u` escapes are looked at
 * (natively, with indexOf) before it is parsed: a NUL or lone surrogate is INVALID_GEOJSON naming the
 * feature and the path, e.g. `network.features[3].properties.name`.
 */
export interface StreamedCollection {
  /** The top-level members, `features` as an empty array when it was an array. */
  members: unknown;
  /** Elements of `features` handed to `onFeature`. */
  features: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** The skeleton is what is *not* a feature: beyond this, the file is not a FeatureCollection of lines. */
const MAX_SKELETON_BYTES = 16 * 1024 * 1024;

/** `where` names the input in errors (`network`); messages start with `label` (the file's path). */
export async function streamFeatureCollection(
  source: AsyncIterable<Buffer>,
  { label, where }: { label: string; where: string },
  onFeature: (feature: unknown, index: number) => void,
): Promise<StreamedCollection> {
  const invalid = (message: string, featureIndex?: number) => new InputError('INVALID_GEOJSON', `${label}: not valid JSON (${message})`, { where, featureIndex });
  let depth = 0;
  let inString = false;
  let escaped = false;
  // Keys of the top-level object: a string at depth 1 right after `{` or `,` is a key.
  let expectKey = false;
  let capturingKey = false;
  let key: number[] = [];
  let lastKey = '';
  let sawFeatures = false;
  // Inside the features array: elements are the texts between separators at depth 2.
  let inFeatures = false;
  let elementStart = 0;
  let count = 0;
  const skeleton: Buffer[] = [];
  let skeletonBytes = 0;
  let consumed = 0; // bytes of earlier chunks, for positions in messages
  let carry: Buffer | undefined;
  let first = true;

  /** `root`: the path of `value` in the file, e.g. `network.features[3]`. */
  const badString = (value: unknown, root: string, featureIndex?: number) => {
    const err = badStringError(value, { what: label, root, badStringCode: 'INVALID_GEOJSON' });
    return new InputError(err.code, `${label}: ${err.message}`, { where: err.where, featureIndex });
  };
  const keep = (part: Buffer) => {
    skeletonBytes += part.length;
    if (skeletonBytes > MAX_SKELETON_BYTES) throw new InputError('INVALID_GEOJSON', `${label}: expected a GeoJSON FeatureCollection whose features are in "features"; ${MAX_SKELETON_BYTES >> 20} MB read without finding them`, { where });
    skeleton.push(part);
  };
  const element = (chunk: Buffer, end: number, closing: boolean) => {
    const text = chunk.toString('utf8', elementStart, end).trim();
    if (text === '') {
      if (closing && count === 0) return; // `[]`
      throw invalid(`empty element in "features" after feature ${count - 1}, near byte ${consumed + end}`, count);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw invalid(`feature ${count}: ${(err as Error).message}`, count);
    }
    if (firstBadEscape(chunk, elementStart, end) !== undefined) throw badString(value, `${where}.features[${count}]`, count);
    onFeature(value, count++);
  };

  for await (const data of source) {
    let chunk = data;
    let from = 0;
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3); // UTF-8 byte order mark
    }
    if (carry) {
      from = carry.length;
      chunk = Buffer.concat([carry, chunk]);
      carry = undefined;
    }
    let skeletonFrom = inFeatures ? -1 : from;
    for (let i = from, n = chunk.length; i < n; i++) {
      const c = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (capturingKey) {
            capturingKey = false;
            lastKey = Buffer.from(key).toString('utf8');
          }
        } else if (capturingKey && key.length < 64) key.push(c);
        continue;
      }
      if (c === QUOTE) {
        inString = true;
        if (depth === 1 && expectKey) {
          capturingKey = true;
          expectKey = false;
          key = [];
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
        if (depth > MAX_JSON_DEPTH) {
          throw new InputError('INVALID_JSON', `${label}: nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays (${inFeatures ? `in feature ${count}, ` : ''}at byte ${consumed + i}); no input needs more`, { where, ...(inFeatures ? { featureIndex: count } : {}) });
        }
        if (depth === 1) expectKey = c === OPEN_BRACE;
        else if (depth === 2 && c === OPEN_BRACKET && lastKey === 'features') {
          if (sawFeatures) throw invalid(`a second "features" member near byte ${consumed + i}`);
          sawFeatures = true;
          inFeatures = true;
          keep(chunk.subarray(skeletonFrom, i + 1));
          skeletonFrom = -1;
          elementStart = i + 1;
        }
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (inFeatures && depth === 2) {
          element(chunk, i, true);
          inFeatures = false;
          skeletonFrom = i;
        }
        depth--;
        if (depth < 0) throw invalid(`unexpected "${String.fromCharCode(c)}" at byte ${consumed + i}`);
      } else if (c === COMMA) {
        if (inFeatures && depth === 2) {
          element(chunk, i, false);
          elementStart = i + 1;
        } else if (depth === 1) expectKey = true;
      } else if (c === COLON && depth === 1) {
        expectKey = false;
      }
    }
    if (inFeatures) {
      // Keep the unfinished element for the next chunk; positions restart at the carried bytes.
      carry = chunk.subarray(elementStart);
      consumed += elementStart;
      elementStart = 0;
    } else {
      keep(chunk.subarray(skeletonFrom));
      consumed += chunk.length;
    }
  }
  if (inFeatures || inString || depth !== 0) throw invalid('the file ends inside a value: truncated?');
  let members: unknown;
  const rest = Buffer.concat(skeleton);
  try {
    members = JSON.parse(rest.toString('utf8'));
  } catch (err) {
    throw invalid((err as Error).message);
  }
  if (firstBadEscape(rest) !== undefined) throw badString(members, where);
  return { members, features: count };
}
