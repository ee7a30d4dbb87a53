import type { TransportCounts } from '../stats/transport-stats.js';

/** A JSON response, as the tests look at it. */
export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A tiny JSON client for driving a service over HTTP in tests (global fetch). */
export function jsonClient(baseUrl: string) {
  async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T } satisfies JsonResponse<T>;
  }
  return {
    get: <T = unknown>(path: string, headers?: Record<string, string>) => request<T>('GET', path, undefined, headers),
    post: <T = unknown>(path: string, body?: unknown, headers?: Record<string, string>) =>
      request<T>('POST', path, body, headers),
  };
}

export type JsonClient = ReturnType<typeof jsonClient>;

/** A response and how long it took, in ms. */
export type TimedResponse<T = unknown> = JsonResponse<T> & { ms: number };

/** Times a request of a {@link jsonClient}: `await timed(api.get('/orders/1'))`. */
export async function timed<T>(request: Promise<JsonResponse<T>>): Promise<TimedResponse<T>> {
  const started = Date.now();
  const response = await request;
  return { ...response, ms: Date.now() - started };
}

/** What a test of a failing dependency looks at in an answer: the status, the error's stable code, `Retry-After`. */
export function dependencyAnswer(response: JsonResponse): { status: number; code: unknown; retryAfter: string | null } {
  const body = response.body as { code?: unknown } | undefined;
  return { status: response.status, code: body?.code, retryAfter: response.headers.get('retry-after') };
}

/** A service's `GET /stats`: what its consumer and outbox relay did since start, and whether polling is paused. */
export async function transportStats(api: JsonClient): Promise<TransportCounts> {
  return (await api.get<TransportCounts>('/stats')).body;
}
