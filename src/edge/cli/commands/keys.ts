import { join, resolve } from 'node:path';
import { KEY_LOOKUP_TTL_MS } from '../../api/known-keys.ts';
import { LOCK_FILE } from '../../../runtime/store/data-dir-lock.ts';
import { AmbiguousKeyError, DEFAULT_DATA_DIR, type Sql, StoreError, type StoredApiKey, createApiKey, listApiKeys, openStore, revokeApiKey } from '../../../runtime/store/index.ts';
import type { Command } from '../command.ts';
import { note } from '../command.ts';
import { BadInputError } from '../errors.ts';

export const keysCommand: Command = {
  name: 'keys',
  help: `usage: lifecircle keys list [--json]
       lifecircle keys add <name>
       lifecircle keys revoke <id-or-name>

The API keys of the server's store: DATABASE_URL (PostgreSQL) when set, else the embedded store in
DATA_DIR (default ${DEFAULT_DATA_DIR}) — the same variables as the server's.

  list     every key: id, name, enabled or disabled since when, created when
  add      a new key named <name>: the key is printed on stdout this once (only its hash is stored)
  revoke   disables a key (by id, or by name when one enabled key has it): answered 401 by running
           servers within ${KEY_LOOKUP_TTL_MS / 1000} s; its datasets, jobs and runs are kept

With API_KEYS set, the server makes it the truth at every start: keys it does not list are disabled,
keys it lists are enabled. List a key added here in API_KEYS too, and take a revoked one out of it,
or the next start undoes the change. Without API_KEYS, the keys are the ones managed here.

The embedded store is locked by the server that has it open: stop the server to manage its keys
(or run it on PostgreSQL, which any number of processes share).

options:
  --json        list: one JSON array
  -h, --help    this help`,
  options: { json: { type: 'boolean' } },
  positionals: 2,
  async run(values, positionals) {
    const [action, argument] = positionals;
    const wants = action !== undefined && Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!wants) throw new BadInputError(`keys: ${action === undefined ? 'no action' : `unknown action ${JSON.stringify(action)}`}: expected list, add or revoke (see --help)`);
    if (wants.argument && argument === undefined) throw new BadInputError(`keys ${action}: expected ${wants.argument} (see --help)`);
    if (!wants.argument && argument !== undefined) throw new BadInputError(`keys ${action}: unexpected argument ${JSON.stringify(argument)} (see --help)`);
    const store = await openKeyStore();
    try {
      if (action === 'list') return await list(store, values.json === true);
      if (action === 'add') return await add(store, argument!);
      return await revoke(store, argument!);
    } finally {
      await store.close();
    }
  },
};

const ACTIONS: Record<string, { argument?: string }> = { list: {}, add: { argument: '<name>' }, revoke: { argument: '<id-or-name>' } };

async function list(store: Sql, json: boolean): Promise<void> {
  const keys = await listApiKeys(store);
  if (json) {
    process.stdout.write(`${JSON.stringify(keys, null, 2)}\n`);
    return;
  }
  if (keys.length === 0) {
    note('keys: none stored (set API_KEYS for the server, or add one: lifecircle keys add <name>)');
    return;
  }
  const width = Math.max(...keys.map((k) => k.name.length));
  for (const key of keys) process.stdout.write(`${key.id}  ${key.name.padEnd(width)}  ${stateOf(key)}  created ${key.createdAt}\n`);
}

async function add(store: Sql, name: string): Promise<void> {
  // Names go into API_KEYS (`name:key,…`) as they are: no separators, nothing a person could not type.
  if (!/^[^\s,:][^,:]{0,99}$/.test(name) || name.trim() !== name) {
    throw new BadInputError(`keys add: name ${JSON.stringify(name)}: expected 1 to 100 characters without "," or ":" and no space at either end`);
  }
  if ((await listApiKeys(store)).some((k) => k.name === name && k.disabledAt === null)) {
    throw new BadInputError(`keys add: an enabled key is already named ${JSON.stringify(name)}; choose another name (rotation: add the new key under a new name, then revoke the old one)`);
  }
  const created = await createApiKey(store, name);
  process.stdout.write(`${created.key}\n`);
  note(`keys: added ${name} (${created.id}); the key above is shown this once. If the server runs with API_KEYS, add "${name}:<key>" there too, or its next start disables this key.`);
}

async function revoke(store: Sql, idOrName: string): Promise<void> {
  let revoked: StoredApiKey | null;
  try {
    revoked = await revokeApiKey(store, idOrName);
  } catch (err) {
    if (err instanceof AmbiguousKeyError) throw new BadInputError(`keys revoke: ${err.message}`);
    throw err;
  }
  if (!revoked) throw new BadInputError(`keys revoke: no enabled key with id or name ${JSON.stringify(idOrName)} (see lifecircle keys list)`);
  process.stdout.write(`revoked ${revoked.name} (${revoked.id})\n`);
  note(`keys: running servers refuse it within ${KEY_LOOKUP_TTL_MS / 1000} s; its data is kept. If API_KEYS lists it, take it out there, or the server's next start enables it again.`);
}

/** The store the server uses, from the same variables; a store held by a running server is named with its lock. */
async function openKeyStore(): Promise<Sql> {
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  const dataDir = process.env.DATA_DIR?.trim() || DEFAULT_DATA_DIR;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/./.test(databaseUrl)) {
    throw new BadInputError('keys: DATABASE_URL: expected a postgres:// or postgresql:// URL (the value is not shown: it may hold a password)');
  }
  if (databaseUrl === undefined && dataDir.startsWith('memory://')) {
    throw new BadInputError(`keys: DATA_DIR=${dataDir} is a throwaway store that lives inside its server: there are no keys to manage from here (use API_KEYS)`);
  }
  try {
    return await openStore({ databaseUrl, dataDir });
  } catch (err) {
    if (err instanceof StoreError && err.code === 'STORE_LOCKED') {
      throw new Error(`keys: ${err.message} (lock file ${join(resolve(dataDir), LOCK_FILE)}). The embedded store has one process at a time: stop the server to manage its keys, or change API_KEYS and restart it.`);
    }
    throw err;
  }
}

function stateOf(key: StoredApiKey): string {
  return key.disabledAt === null ? 'enabled' : `disabled since ${key.disabledAt}`;
}
