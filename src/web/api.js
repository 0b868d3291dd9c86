/**
 * Calls to the lifecircle API. Errors come back as RFC 9457 problem documents: they are thrown as
 * ApiProblem with the server's `detail`, which the page shows as it is (it says what is wrong and
 * where). The API key, when the user gave one, is sent with every call (stored datasets and runs
 * need it; the compute routes check it when sent).
 */
export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code;
  }
}

let apiKey = localStorage.getItem('lifecircle.apiKey') ?? '';

export function setApiKey(key) {
  apiKey = key.trim();
  if (apiKey) localStorage.setItem('lifecircle.apiKey', apiKey);
  else localStorage.removeItem('lifecircle.apiKey');
}

export function getApiKey() {
  return apiKey;
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
  const headers = { ...init.headers, ...(apiKey ? { 'x-api-key': apiKey } : {}) };
  let res;
  try {
    res = await fetch(path, { ...init, headers });
  } catch (err) {
    throw new ApiProblem(0, { detail: `the server did not answer (${err.message})` });
  }
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
