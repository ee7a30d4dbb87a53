import type { IncomingMessage } from 'node:http';

/** What Express adds to a request once a route matched. */
export interface RoutedRequest extends IncomingMessage {
  route?: { path?: unknown };
  baseUrl?: string;
}

/** The label of a request nothing routed (404s, probes of random paths): one value, whatever the path. */
export const UNMATCHED_ROUTE = 'unmatched';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route template that handled a request (`/orders/:id`), never its path: ids stay out of metric labels and
 * span names. Read when the response finished, after routing.
 */
export function routeOf(req: RoutedRequest): string {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : UNMATCHED_ROUTE;
}

/** The request method, or `OTHER` for anything non-standard (bounded label). */
export function methodOf(req: IncomingMessage): string {
  const method = req.method ?? 'OTHER';
  return METHODS.has(method) ? method : 'OTHER';
}
