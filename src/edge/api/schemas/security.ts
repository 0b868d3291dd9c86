import { API_KEY_HEADER } from '../access.ts';

/**
 * What the OpenAPI document says about API keys: the two ways access.ts accepts one, and what each
 * route asks for. Every route states its own `security` (a test checks it), so a generated client
 * knows which calls to sign, and the document says which routes read no key at all.
 */
export const SECURITY_SCHEMES = {
  apiKey: {
    type: 'apiKey',
    in: 'header',
    name: API_KEY_HEADER,
    description: `Your API key as \`${API_KEY_HEADER}: <key>\`. Required for datasets, jobs and runs, and for requests that name a dataset; a missing or unknown key is 401 \`UNAUTHORIZED\`. Requests are rate-limited per key.`,
  },
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description: 'The same API key as `Authorization: Bearer <key>` (for clients that only speak bearer tokens).',
  },
} as const;

type Requirement = Partial<Record<keyof typeof SECURITY_SCHEMES, string[]>>;

/** Datasets, jobs and runs: a key, in either header. */
export const KEY_REQUIRED: Requirement[] = [{ apiKey: [] }, { bearer: [] }];

/** Routes that read no key (reference, map defaults, liveness): `security: []` overrides any default. */
export const NO_KEY: Requirement[] = [];

/**
 * The compute routes: with anonymous compute allowed (`ANONYMOUS_COMPUTE`, the default) a key is
 * optional (`{}` is "none"): sent, it is checked and lets the body name its datasets; else required.
 */
export function computeSecurity(allowAnonymous: boolean): Requirement[] {
  return allowAnonymous ? [{}, ...KEY_REQUIRED] : KEY_REQUIRED;
}
