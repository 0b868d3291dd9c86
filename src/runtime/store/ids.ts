import { createHash, randomBytes } from 'node:crypto';

/** What an id names, readable at a glance in logs and URLs: `ds_…`, `job_…`. */
export type IdPrefix = 'key' | 'ds' | 'job' | 'run';

/** A new random id: 96 bits, so ids can be handed out without asking the database. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

/** A new API key: 32 random bytes, base64url (43 characters). */
export function newApiKey(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of an API key: its sha-256, hex. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
