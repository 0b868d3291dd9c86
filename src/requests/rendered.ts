/**
 * Answer formats a request may ask for (`Accept`), and an answer that is already rendered with its
 * content type (GeoJSON, CSV); plain objects are sent as JSON.
 */
export type AnswerFormat = 'json' | 'geojson' | 'csv';

export class Rendered {
  constructor(
    readonly contentType: string,
    readonly text: string,
  ) {}
}
