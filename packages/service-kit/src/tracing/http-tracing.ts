import type { ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RoutedRequest } from '../metrics/http-route.js';
import { methodOf, routeOf } from '../metrics/http-route.js';

/** The instrumentation scope of the HTTP server spans. */
export const HTTP_TRACER_NAME = '@sqsref/service-kit/http';

/**
 * Express middleware: one SERVER span per request (`POST /orders`, named by route template once routing is done),
 * continuing the caller's trace from its `traceparent` header (through the SDK's propagator), with the request's
 * handling (body parsing included) run under it. So the order written by `POST /orders`, and its outbox row, carry
 * the request's trace. With tracing off the span is the API's no-op one and the middleware just calls `next`.
 */
export function httpTracing(): (req: RoutedRequest, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const method = methodOf(req);
    const span = trace.getTracer(HTTP_TRACER_NAME).startSpan(method, { kind: SpanKind.SERVER }, parent);
    if (!trace.isSpanContextValid(span.spanContext())) {
      next();
      return;
    }
    if (span.isRecording()) {
      span.setAttribute('http.request.method', method);
      span.setAttribute('url.path', (req.url ?? '/').split('?')[0] ?? '/');
    }
    res.once('finish', () => {
      const route = routeOf(req);
      span.updateName(`${method} ${route}`);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    res.once('close', () => {
      if (!res.writableFinished) span.end(); // the client went away before the response finished
    });
    const active = trace.setSpan(parent, span);
    // Body parsing and the handler continue from the request's stream events: bind them to the span's context.
    context.bind(active, req);
    context.bind(active, res);
    context.with(active, next);
  };
}
