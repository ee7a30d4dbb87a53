import { UpstreamError } from './errors.js';

/** How long the console waits for a service's answer, in ms. */
const REQUEST_TIMEOUT_MS = 5_000;

export interface ServiceAnswer<T> {
  status: number;
  body: T;
}

/** Calls a service's HTTP API with JSON; an unreachable service becomes {@link UpstreamError}. */
export async function callService<T>(
  url: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ServiceAnswer<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new UpstreamError(`${url} did not answer (${String(error)}); is the stack running?`, { cause: error });
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: body as T };
}
