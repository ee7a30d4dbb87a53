import type { ServerResponse } from 'node:http';
import type { Histogram } from 'prom-client';
import type { RoutedRequest } from './http-route.js';
import { methodOf, routeOf } from './http-route.js';

/** The labels of `http_server_request_duration_seconds`. */
export type HttpLabel = 'method' | 'route' | 'status_code';

/**
 * Express middleware: observes every request's duration in `http_server_request_duration_seconds{method,route,
 * status_code}` when its response finishes (or the client goes away), labelled by route template.
 */
export function httpMetrics(
  duration: Histogram<HttpLabel>,
): (req: RoutedRequest, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    let observed = false;
    const observe = (): void => {
      if (observed) return;
      observed = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      duration.observe({ method: methodOf(req), route: routeOf(req), status_code: String(res.statusCode) }, seconds);
    };
    res.once('finish', observe);
    res.once('close', observe);
    next();
  };
}
