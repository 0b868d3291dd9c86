/**
 * Calls to the lifecircle API. Errors come back as RFC 9457 problem documents: they are thrown as
 * ApiProblem with the server's `code` (which the page translates, i18n.js `serverText`), `detail`
 * and, for NO_USABLE_INPUT, the reason of each feature left out.
 *
 * The API key, when the user gave one, is sent with every call: stored datasets and runs need it,
 * and the compute routes check it when sent. A key the server rejects (401) is not sent again until
 * the user gives another, and a public call it broke is retried once without it: a wrong key never
 * breaks the analyses anyone may run (issue 16). Listeners hear the key's state change.
 */
import { serverText } from './i18n.js';

export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code ?? (status === 0 ? 'NETWORK' : undefined);
    /** NO_USABLE_INPUT: `{ what, index, id, message }` per feature left out. */
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
  }

  /** The message in the page's language. */
  get text() {
    return serverText(this.message, this.code);
  }
}

const STORAGE_KEY = 'lifecircle.apiKey';
let apiKey = localStorage.getItem(STORAGE_KEY) ?? '';
/** 'unchecked' | 'accepted' | 'rejected'. */
let keyState = 'unchecked';
const keyListeners = new Set();

/** Routes that need a key: everything else is public. */
const KEYED = /^\/v1\/(datasets|runs|jobs)(\/|$|\?)/;

export function setApiKey(key) {
  apiKey = key.trim();
  if (apiKey) localStorage.setItem(STORAGE_KEY, apiKey);
  else localStorage.removeItem(STORAGE_KEY);
  setKeyState('unchecked');
}

export function getApiKey() {
  return apiKey;
}

export function getKeyState() {
  return apiKey ? keyState : 'none';
}

export function onKeyState(listener) {
  keyListeners.add(listener);
}

function setKeyState(next) {
  if (keyState === next) return;
  keyState = next;
  for (const listener of keyListeners) listener(getKeyState());
}

export async function getJson(path) {
  return (await call(path, { headers: { accept: 'application/json' } })).json();
}

export async function postJson(path, body, accept = 'application/json') {
  return call(path, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) });
}

export async function getAs(path, accept) {
  return call(path, { headers: { accept } });
}

async function call(path, init) {
  const sendKey = Boolean(apiKey) && keyState !== 'rejected';
  let res = await send(path, init, sendKey);
  if (res.status === 401 && sendKey) {
    setKeyState('rejected');
    if (!KEYED.test(path)) res = await send(path, init, false);
  } else if (res.ok && sendKey) setKeyState('accepted');
  if (!res.ok) {
    let problem;
    try {
      problem = await res.json();
    } catch {
      problem = undefined;
    }
    throw new ApiProblem(res.status, problem);
  }
  return res;
}

async function send(path, init, withKey) {
  const headers = { ...init.headers, ...(withKey ? { 'x-api-key': apiKey } : {}) };
  try {
    return await fetch(path, { ...init, headers });
  } catch (err) {
    throw new ApiProblem(0, { detail: `the server did not answer (${err.message})` });
  }
}
