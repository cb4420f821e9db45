// Why this file exists: talking to the Lodestone API — one typed function per route, so a page
// can only read fields the server sends — and turning its error objects into messages.

import type { paths } from './api-types';
import type { ApiErrorBody, RiskDetail, RiskMethod } from './types';

/** What a route answers with 200, as the server's OpenAPI document (and so its Rust type) says;
 *  a route or method without a documented JSON answer gives a type no page can read. */
type Answer<P extends keyof paths, M extends 'get' | 'post' = 'get'> =
  paths[P][M] extends { responses: { 200: { content: { 'application/json': infer T } } } }
    ? T
    : 'no documented 200 answer';

export class ApiFailure extends Error {}

/** A query string's parameters; empty and absent values are left out. */
type Query = Record<string, string | undefined>;

function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const e = body.error;
  return typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string';
}

/** The body of a successful response as the route's type (generated from the server's OpenAPI
 *  document); a failure becomes an ApiFailure with the server's message. */
async function unwrap<T>(res: Response): Promise<T> {
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ApiFailure(isErrorBody(body) ? body.error.message : `${res.status} ${res.statusText}`);
  }
  return body as T;
}

function url(path: string, params: Query): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const qs = q.toString();
  return qs ? `${path}?${qs}` : path;
}

async function get<T>(path: string, params: Query = {}): Promise<T> {
  return unwrap<T>(await fetch(url(path, params)));
}

// The server takes POST bodies only with each route's documented content type.
async function post<T>(path: string, body: string, type: string, params: Query = {}): Promise<T> {
  return unwrap<T>(
    await fetch(url(path, params), { method: 'POST', body, headers: { 'Content-Type': type } }),
  );
}

const seg = encodeURIComponent;

export const api = {
  commodities: () => get<Answer<'/api/commodities'>>('/api/commodities'),
  countries: () => get<Answer<'/api/countries'>>('/api/countries'),
  groups: () => get<Answer<'/api/groups'>>('/api/groups'),
  profile: (c: string, q: { stage?: string; year?: string; source?: string; basis?: string } = {}) =>
    get<Answer<'/api/profile/{commodity}'>>(`/api/profile/${seg(c)}`, q),
  trade: (c: string, q: { importer?: string; year?: string; stage?: string } = {}) =>
    get<Answer<'/api/trade/{commodity}'>>(`/api/trade/${seg(c)}`, q),
  risk: (q: { method?: string; viewpoint?: string; year?: string } = {}) =>
    get<Answer<'/api/risk'>>('/api/risk', q),
  // GET /api/risk/{c} answers the Explanation's alternative for the method asked (types.ts checks
  // that each is one).
  riskOf: <M extends RiskMethod>(c: string, method: M, q: { viewpoint?: string; year?: string } = {}) =>
    get<RiskDetail[M]>(`/api/risk/${seg(c)}`, { ...q, method }),
  brief: (q: { importer?: string; list?: string; year?: string } = {}) => get<Answer<'/api/brief'>>('/api/brief', q),
  scenarios: () => get<Answer<'/api/scenarios'>>('/api/scenarios'),
  simulate: (toml: string, q: { draws?: string; seed?: string; year?: string } = {}) =>
    post<Answer<'/api/simulate', 'post'>>('/api/simulate', toml, 'application/toml', q),
  projects: (q: { commodity?: string; country?: string; status?: string } = {}) =>
    get<Answer<'/api/projects'>>('/api/projects', q),
  forecast: (c: string, q: { to?: string; stage?: string; only_financed?: string; draws?: string; seed?: string } = {}) =>
    get<Answer<'/api/forecast/{commodity}'>>(`/api/forecast/${seg(c)}`, q),
  plan: (c: string, q: {
    importer?: string; year?: string; stage?: string; cap?: string; floor?: string;
    prefer?: string; cost_weight?: string; frontier?: string;
  } = {}) => get<Answer<'/api/plan/{commodity}'>>(`/api/plan/${seg(c)}`, q),
  events: (q: { country?: string; commodity?: string; type?: string; since?: string } = {}) =>
    get<Answer<'/api/events'>>('/api/events', q),
  extract: (article: string, q: { date?: string } = {}) =>
    post<Answer<'/api/events/extract', 'post'>>('/api/events/extract', article, 'text/plain; charset=utf-8', q),
};
