// Why this file exists: talking to the Lodestone API, and turning its error objects into messages.

export class ApiFailure extends Error {}

async function unwrap(res: Response): Promise<any> {
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ApiFailure(body?.error?.message ?? `${res.status} ${res.statusText}`);
  }
  return body;
}

export async function get(path: string, params: Record<string, string | undefined> = {}): Promise<any> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const qs = q.toString();
  return unwrap(await fetch(qs ? `${path}?${qs}` : path));
}

export async function post(path: string, body: string, params: Record<string, string> = {}): Promise<any> {
  const qs = new URLSearchParams(params).toString();
  return unwrap(await fetch(qs ? `${path}?${qs}` : path, { method: 'POST', body }));
}
