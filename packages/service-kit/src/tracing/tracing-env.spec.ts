import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../errors.js';
import { tracesRequested } from './tracing-env.js';

describe('tracesRequested', () => {
  it('is off when no OTEL_* variable asks for traces', () => {
    expect(tracesRequested('svc', {})).toBe(false);
    expect(tracesRequested('svc', { OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracesRequested('svc', { OTEL_SERVICE_NAME: 'x' })).toBe(false);
  });

  it('is on for an exporter, or for an OTLP endpoint (OTLP being the default exporter)', () => {
    expect(tracesRequested('svc', { OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(tracesRequested('svc', { OTEL_TRACES_EXPORTER: 'otlp, console' })).toBe(true);
    expect(tracesRequested('svc', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracesRequested('svc', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' })).toBe(true);
  });

  it('lets OTEL_SDK_DISABLED=true win', () => {
    expect(tracesRequested('svc', { OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'console' })).toBe(false);
  });

  it('refuses an exporter the SDK does not know, naming the variable and the choices', () => {
    expect(() => tracesRequested('svc', { OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(ConfigError);
    expect(() => tracesRequested('svc', { OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(
      /OTEL_TRACES_EXPORTER: unknown exporter "jaeger"; use one or more of otlp, console, zipkin, none/,
    );
  });
});
