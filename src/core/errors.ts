/**
 * Errors raised by the core on bad input. They say what is wrong and where ("got X, expected Y"),
 * and carry a stable code; the API maps them to HTTP answers, the CLI to a message and exit code.
 */
export type ErrorCode =
  /** Not JSON, or JSON nested deeper than any input needs (src/core/io/json-text.ts). */
  | 'INVALID_JSON'
  | 'INVALID_GEOJSON'
  | 'INVALID_GEOMETRY'
  | 'INVALID_PARAMETER'
  /** Valid, but more than one request may ask for: too many features or budgets, minutes over the maximum. */
  | 'LIMIT_EXCEEDED'
  | 'INVALID_OSM'
  /** An uploaded zipped shapefile that cannot be read as one layer in a known projection. */
  | 'INVALID_SHAPEFILE'
  | 'UNSUPPORTED_FORMAT'
  | 'EMPTY_NETWORK'
  | 'GRAPH_FILE_VERSION'
  | 'GRAPH_FILE_CORRUPT'
  | 'NOT_SNAPPED'
  /** Nothing in the request could be used (no community assessed, no origin or target placed): `reasons` says why, feature by feature. */
  | 'NO_USABLE_INPUT';

/** Why one feature of the input was not used, as answers list them. */
export interface FeatureReason {
  /** The collection: `communities`, `origins`, `targets`… */
  what: string;
  index: number;
  id?: string;
  message: string;
}

export class InputError extends Error {
  readonly code: ErrorCode;
  /** The offending feature's index in its collection, when there is one. */
  readonly featureIndex?: number;
  /** The offending feature's id, when it has one. */
  readonly featureId?: string | number;
  /** Which part of the input: `origins`, `targets`, `network`, a parameter name... */
  readonly where?: string;
  /** NO_USABLE_INPUT: why each feature was left out (answered as the problem's `errors`). */
  readonly reasons?: FeatureReason[];

  constructor(
    code: ErrorCode,
    message: string,
    where?: { where?: string; featureIndex?: number; featureId?: string | number; reasons?: FeatureReason[] },
  ) {
    super(message);
    this.name = 'InputError';
    this.code = code;
    this.where = where?.where;
    this.featureIndex = where?.featureIndex;
    this.featureId = where?.featureId;
    if (where?.reasons) this.reasons = where.reasons;
  }
}

/** Describes a feature for messages: `feature 3` or `feature 3 (id "a")`. */
export function featureRef(index: number, id?: unknown): string {
  return id === undefined || id === null ? `feature ${index}` : `feature ${index} (id ${showValue(id)})`;
}

/**
 * A value from the input as messages quote it: JSON, but NaN and Infinity spelled out, arrays with
 * `, ` between items, cut to `maxLength` characters. It never descends more than a few levels nor
 * reads more than it shows, so no depth or size of input can overflow the stack or stall a describer
 * (JSON.stringify and Array#join recurse without bound).
 */
export function showValue(value: unknown, maxLength = 80): string {
  const text = render(value, 0, maxLength + 1);
  return text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text;
}

const SHOWN_DEPTH = 3;

function render(value: unknown, depth: number, budget: number): string {
  if (typeof value === 'string') return JSON.stringify(value.length > budget ? value.slice(0, budget) : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (typeof value !== 'object') return String(value);
  const isArray = Array.isArray(value);
  if (depth >= SHOWN_DEPTH) return isArray ? '[…]' : '{…}';
  const parts: string[] = [];
  let length = 2;
  if (isArray) {
    for (let i = 0; i < value.length && length <= budget; i++) {
      const part = render(value[i], depth + 1, budget - length);
      parts.push(part);
      length += part.length + 2;
    }
    return `[${parts.join(', ')}]`;
  }
  for (const key in value) {
    if (length > budget) break;
    if (!Object.hasOwn(value, key)) continue;
    const part = `${JSON.stringify(key.length > budget ? key.slice(0, budget) : key)}:${render((value as Record<string, unknown>)[key], depth + 1, budget - length)}`;
    parts.push(part);
    length += part.length + 1;
  }
  return `{${parts.join(',')}}`;
}
