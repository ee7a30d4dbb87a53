import { afterAll, describe, expect, it } from '@jest/globals';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { NonRetryableError } from '@sqsref/sqs-transport';
import { waitFor } from '@sqsref/sqs-transport/testing';
import { startTracing } from './start-tracing.js';
import { withSpan } from './with-span.js';

describe('startTracing and withSpan', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: ReturnType<typeof startTracing>;
  afterAll(async () => {
    await tracing?.shutdown();
  });

  it('starts nothing when no OTEL_* variable asks for traces: spans stay no-op', async () => {
    expect(startTracing('svc', {})).toBeUndefined();
    await withSpan('unseen', {}, async () => {
      expect(trace.getActiveSpan()?.isRecording() ?? false).toBe(false);
    });
  });

  it('with span processors given, records spans under the service name, failures with their code', async () => {
    tracing = startTracing('svc', {}, { spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    expect(tracing).toBeDefined();
    const result = await withSpan('outer', { 'a.b': 1 }, () =>
      withSpan('inner', {}, async () => trace.getActiveSpan()?.spanContext().spanId),
    );
    await expect(
      withSpan('failing', {}, async () => {
        throw new NonRetryableError('no');
      }),
    ).rejects.toThrow('no');
    // The SDK exports once its resource detection settles: wait for the three spans.
    await waitFor(() => exporter.getFinishedSpans().length === 3);
    const spans = new Map(exporter.getFinishedSpans().map((span) => [span.name, span]));
    expect(spans.get('inner')?.spanContext().spanId).toBe(result);
    expect(spans.get('inner')?.parentSpanContext?.spanId).toBe(spans.get('outer')?.spanContext().spanId);
    expect(spans.get('outer')?.attributes).toEqual({ 'a.b': 1 });
    expect(spans.get('outer')?.resource.attributes['service.name']).toBe('svc');
    expect(spans.get('failing')?.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans.get('failing')?.attributes['error.type']).toBe('NON_RETRYABLE');
  });
});
