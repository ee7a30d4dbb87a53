import { NodeSDK } from '@opentelemetry/sdk-node';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { tracesRequested } from './tracing-env.js';

/** A started OpenTelemetry SDK: shut it down last, so the spans of the shutdown itself are exported. */
export interface Tracing {
  shutdown(): Promise<void>;
}

/** For tests: where spans go instead of the exporters the `OTEL_*` variables name (e.g. an in-memory exporter). */
export interface TracingOverrides {
  spanProcessors: NonNullable<NodeSDKConfiguration['spanProcessors']>;
}

/**
 * Starts the OpenTelemetry SDK for traces when the standard variables ask for them ({@link tracesRequested}), or
 * when `overrides` gives span processors; returns undefined otherwise (tracing off, near-zero cost). The SDK reads
 * its settings from the same variables (`OTEL_TRACES_EXPORTER`, `OTEL_EXPORTER_OTLP_*`, `OTEL_TRACES_SAMPLER`,
 * `OTEL_PROPAGATORS`, `OTEL_RESOURCE_ATTRIBUTES`...); `OTEL_SERVICE_NAME` defaults to `service`. Metrics and logs
 * are not exported through OpenTelemetry: the services serve Prometheus metrics on `GET /metrics` and log to stdout.
 */
export function startTracing(
  service: string,
  env: NodeJS.ProcessEnv = process.env,
  overrides?: TracingOverrides,
): Tracing | undefined {
  if (!overrides && !tracesRequested(service, env)) return undefined;
  const sdk = new NodeSDK({
    ...(env.OTEL_SERVICE_NAME?.trim() ? {} : { serviceName: service }),
    metricReaders: [],
    logRecordProcessors: [],
    ...(overrides ? { spanProcessors: overrides.spanProcessors } : {}),
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
