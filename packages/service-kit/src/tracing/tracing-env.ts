import { ConfigError } from '../errors.js';

/** The values `OTEL_TRACES_EXPORTER` may list (comma-separated), as the OpenTelemetry SDK understands them. */
export const TRACES_EXPORTERS = ['otlp', 'console', 'zipkin', 'none'] as const;

/**
 * Whether the standard `OTEL_*` variables ask for traces: `OTEL_TRACES_EXPORTER` names an exporter other than
 * `none`, or, with it unset, an OTLP endpoint is set (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`: OTLP is the SDK's default exporter). `OTEL_SDK_DISABLED=true` wins over
 * both. Unset, tracing stays off: the transport's spans are then the API's no-op ones. Throws {@link ConfigError}
 * for an exporter name the SDK does not know, instead of the SDK's silent warning.
 */
export function tracesRequested(service: string, env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const raw = env.OTEL_TRACES_EXPORTER?.trim();
  if (raw) {
    const names = raw.split(',').map((name) => name.trim().toLowerCase());
    const unknown = names.filter((name) => !(TRACES_EXPORTERS as readonly string[]).includes(name));
    if (unknown.length > 0) {
      throw new ConfigError(service, [
        {
          variable: 'OTEL_TRACES_EXPORTER',
          message: `unknown exporter ${unknown.map((name) => `"${name}"`).join(', ')}; use one or more of ${TRACES_EXPORTERS.join(', ')} (comma-separated)`,
        },
      ]);
    }
    return names.some((name) => name !== 'none');
  }
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}
