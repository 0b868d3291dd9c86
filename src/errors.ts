/**
 * Errors raised by the core on bad input. They say what is wrong and where ("got X, expected Y"),
 * and carry a stable code; the API maps them to HTTP answers, the CLI to a message and exit code.
 */
export type ErrorCode =
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
  | 'NOT_SNAPPED';

export class InputError extends Error {
  readonly code: ErrorCode;
  /** The offending feature's index in its collection, when there is one. */
  readonly featureIndex?: number;
  /** The offending feature's id, when it has one. */
  readonly featureId?: string | number;
  /** Which part of the input: `origins`, `targets`, `network`, a parameter name... */
  readonly where?: string;

  constructor(
    code: ErrorCode,
    message: string,
    where?: { where?: string; featureIndex?: number; featureId?: string | number },
  ) {
    super(message);
    this.name = 'InputError';
    this.code = code;
    this.where = where?.where;
    this.featureIndex = where?.featureIndex;
    this.featureId = where?.featureId;
  }
}

/** Describes a feature for messages: `feature 3` or `feature 3 (id "a")`. */
export function featureRef(index: number, id?: unknown): string {
  return id === undefined || id === null ? `feature ${index}` : `feature ${index} (id ${JSON.stringify(id)})`;
}
