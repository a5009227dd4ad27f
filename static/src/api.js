/** Calls to the fieldapp API on the same origin, with the device's bearer token. */

/** The server no longer accepts our token: sign in again (unsynced work stays). */
export class AuthError extends Error {}
/** The server answered with an error (problem+json body in `problem`). */
export class HttpError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}
/** No answer at all: offline, DNS, connection reset, or the answer was cut off. */
export class NetworkError extends Error {}

let token = null;

export function setToken(value) {
  token = value;
}

export function authHeaders() {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** Bodies smaller than this go as they are: gzip would save less than it costs. */
export const GZIP_MIN_BYTES = 1024;

/**
 * The JSON body to send: gzipped (`Content-Encoding: gzip`) when asked, large enough and the
 * browser has CompressionStream; otherwise the plain text. On 2G every byte of a push counts.
 */
export async function encodeBody(body, { gzip = false } = {}) {
  const text = JSON.stringify(body);
  if (!gzip || typeof CompressionStream === 'undefined' || text.length < GZIP_MIN_BYTES) {
    return { data: text, encoding: null };
  }
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return { data: await new Response(stream).arrayBuffer(), encoding: 'gzip' };
}

/* `gzip: true` sends a large body gzipped (the sync push; the server accepts it). */
async function send(path, { method = 'GET', body, signal, auth = true, etag, gzip = false } = {}) {
  const headers = { Accept: 'application/json', ...(auth ? authHeaders() : {}) };
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    const { data, encoding } = await encodeBody(body, { gzip });
    if (encoding) headers['Content-Encoding'] = encoding;
    payload = data;
  }
  if (etag) headers['If-None-Match'] = etag;
  let response;
  let text;
  try {
    response = await fetch(path, { method, headers, signal, cache: 'no-store', body: payload });
    text = await response.text();
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new NetworkError(error?.message || 'network error');
  }
  if (etag && response.status === 304) return { response, data: null };
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's or captive portal's HTML page is not our server answering.
    if (response.ok) throw new NetworkError('the answer was not JSON');
  }
  if (response.status === 401 && auth) throw new AuthError(data?.detail || 'unauthorized');
  if (!response.ok) throw new HttpError(response.status, data);
  return { response, data };
}

/** Fetch JSON; throws NetworkError, AuthError (401) or HttpError (other 4xx/5xx). */
export async function apiFetch(path, options = {}) {
  return (await send(path, options)).data;
}

/**
 * GET JSON the device keeps, revalidated by its ETag: `{notModified: true}` when the kept copy
 * is current, else `{data, etag}`. Throws as apiFetch.
 */
export async function apiFetchRevalidated(path, { etag, auth = true } = {}) {
  const { response, data } = await send(path, { etag, auth });
  if (response.status === 304) return { notModified: true };
  return { data, etag: response.headers.get('ETag') };
}
