/**
 * @module A staff console client for HTTP tests, doing what the console page does: fetch a CSRF
 * token, log in, then send every POST as JSON with the token, the cookies and this host's Origin.
 * Works over `app.inject()` or a real base URL (fetch).
 */
import type { FastifyInstance } from 'fastify';

export interface StaffResponse {
  status: number;
  json: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

export interface StaffClient {
  /** `name=value; name=value` of the cookies the server set. */
  cookies(): string;
  csrf(): string;
  get(path: string): Promise<StaffResponse>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<StaffResponse>;
  login(username: string, password: string): Promise<StaffResponse>;
}

type Send = (request: { method: string; url: string; headers: Record<string, string>; body?: string }) => Promise<StaffResponse>;

function sender(target: FastifyInstance | string, ip?: string): { send: Send; origin: string } {
  if (typeof target === 'string') {
    return {
      origin: new URL(target).origin,
      send: async ({ method, url, headers, body }) => {
        const response = await fetch(`${target}${url}`, { method, headers, ...(body !== undefined ? { body } : {}) });
        const text = await response.text();
        const set = response.headers.getSetCookie();
        return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: { ...Object.fromEntries(response.headers), 'set-cookie': set } };
      },
    };
  }
  return {
    origin: 'http://localhost',
    send: async ({ method, url, headers, body }) => {
      const response = await target.inject({ method: method as 'GET', url, headers, ...(body !== undefined ? { payload: body } : {}), ...(ip ? { remoteAddress: ip } : {}) });
      return { status: response.statusCode, json: response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {}, headers: response.headers as Record<string, string | string[] | undefined> };
    },
  };
}

export async function staffClient(target: FastifyInstance | string, options: { ip?: string } = {}): Promise<StaffClient> {
  const { send, origin } = sender(target, options.ip);
  const jar = new Map<string, string>();
  let token = '';
  const remember = (response: StaffResponse) => {
    const raw = response.headers['set-cookie'];
    for (const line of Array.isArray(raw) ? raw : raw ? [raw] : []) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value) jar.set(name, value);
      else jar.delete(name);
    }
    return response;
  };
  const cookies = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const client: StaffClient = {
    cookies,
    csrf: () => token,
    get: async (path) => remember(await send({ method: 'GET', url: path, headers: jar.size ? { cookie: cookies() } : {} })),
    post: async (path, body = {}, headers = {}) =>
      remember(await send({ method: 'POST', url: path, headers: { 'content-type': 'application/json', origin, 'x-csrf-token': token, ...(jar.size ? { cookie: cookies() } : {}), ...headers }, body: JSON.stringify(body) })),
    async login(username, password) {
      const answer = await client.post('/staff/api/login', { username, password });
      if (answer.status === 200) token = String(answer.json.csrf);
      return answer;
    },
  };
  const first = await client.get('/staff/api/csrf');
  token = String(first.json.token ?? '');
  return client;
}
