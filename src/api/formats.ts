import { type AnswerFormat, Rendered } from '../requests/rendered.ts';

/**
 * Answer formats chosen by the `Accept` header. Operations return a plain object (sent as JSON) or a
 * Rendered answer that already carries its content type (GeoJSON, CSV).
 */
export { type AnswerFormat, Rendered };

/** Picks the first format the client accepts, in its order of preference; JSON when it does not say. */
export function negotiateFormat(accept: string | undefined): AnswerFormat {
  if (!accept) return 'json';
  const ranked = accept
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { type } of ranked) {
    if (type === 'text/csv') return 'csv';
    if (type === 'application/geo+json') return 'geojson';
    if (type === 'application/json' || type === 'application/*' || type === '*/*') return 'json';
  }
  return 'json';
}

/** The bytes and content type of an operation's answer. */
export function renderAnswer(answer: unknown): { contentType: string; text: string } {
  if (answer instanceof Rendered) return { contentType: answer.contentType, text: answer.text };
  return { contentType: 'application/json; charset=utf-8', text: JSON.stringify(answer) };
}
